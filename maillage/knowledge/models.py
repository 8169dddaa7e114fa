"""The library: experience sheets (successes and failures alike), evaluation grids and
the assessments members make with them, resources (documents, links, videos) and the
collections facilitators curate.

A practice is never shown out of context: a sheet carries its territory, its themes, the
initiative, event or group it comes from; an assessment is a level per criterion with a
comment, and the sheet shows them criterion by criterion (never one opaque score).
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .querysets import CollectionQuerySet, ResourceQuerySet, SheetQuerySet


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Ça a marché")
    MIXED = "mixed", _("En demi-teinte")
    FAILURE = "failure", _("Ça n'a pas marché")
    ONGOING = "ongoing", _("En cours")


# How each outcome is introduced on a sheet: a failure is a lesson, not a blame.
OUTCOME_LEADS = {
    Outcome.SUCCESS: _("Ça a marché — et voici ce qui a aidé."),
    Outcome.MIXED: _("Des réussites et des difficultés — et voici ce que nous en retenons."),
    Outcome.FAILURE: _("Ça n'a pas marché — et voici ce que nous en avons appris."),
    Outcome.ONGOING: _("C'est en cours — et voici ce que nous apprenons en chemin."),
}


class Origin(models.TextChoices):
    MEMBER = "member", _("Écrite par un·e membre")
    GROUP_REPORT = "group_report", _("Issue du compte rendu d'un groupe")
    IMPORT = "import", _("Importée d'un document")


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publiée")


class Audience(models.TextChoices):
    PUBLIC = "public", _("Tout le monde")
    MEMBERS = "members", _("Les membres du réseau")


class ResourceAudience(models.TextChoices):
    PUBLIC = "public", _("Tout le monde")
    MEMBERS = "members", _("Les membres du réseau")
    GROUP = "group", _("Un groupe de travail")


class ExperienceSheet(models.Model):
    """What was tried somewhere, what got in the way, what helped, and how it turned out."""

    title = models.CharField(_("titre"), max_length=200)
    summary = models.CharField(_("en bref"), max_length=300, blank=True)
    context = models.TextField(_("le contexte"), blank=True, max_length=6000)
    actions = models.TextField(_("ce qui a été fait"), blank=True, max_length=10000)
    results = models.TextField(_("les résultats"), blank=True, max_length=6000)
    differently = models.TextField(_("ce que nous ferions autrement"), blank=True, max_length=6000)
    outcome = models.CharField(
        _("comment ça s'est passé"),
        max_length=10,
        choices=Outcome,
        default=Outcome.ONGOING,
        db_index=True,
    )
    status = models.CharField(
        _("état"), max_length=10, choices=SheetStatus, default=SheetStatus.DRAFT, db_index=True
    )
    visibility = models.CharField(
        _("qui peut lire la fiche"), max_length=10, choices=Audience, default=Audience.PUBLIC
    )
    origin = models.CharField(
        _("origine"), max_length=15, choices=Origin, default=Origin.MEMBER, editable=False
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Le document importé ou le compte rendu dont la fiche est tirée."),
    )
    themes = models.ManyToManyField(
        "directory.Theme", verbose_name=_("thématiques"), blank=True, related_name="sheets"
    )
    territories = models.ManyToManyField(
        "territories.Territory", verbose_name=_("territoires"), blank=True, related_name="sheets"
    )
    people = models.ManyToManyField(
        "directory.Person", verbose_name=_("personnes"), blank=True, related_name="sheets"
    )
    organisations = models.ManyToManyField(
        "directory.Organisation", verbose_name=_("structures"), blank=True, related_name="sheets"
    )
    contact_person = models.ForeignKey(
        "directory.Person",
        verbose_name=_("personne à contacter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    initiative = models.ForeignKey(
        "directory.Initiative",
        verbose_name=_("initiative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sheets",
    )
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("rencontre"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sheets",
    )
    group = models.ForeignKey(
        "forums.Group",
        verbose_name=_("groupe"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sheets",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("écrite par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SheetQuerySet.as_manager()

    class Meta:
        verbose_name = _("fiche d'expérience")
        verbose_name_plural = _("fiches d'expérience")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:sheet", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == SheetStatus.PUBLISHED

    @property
    def outcome_lead(self) -> str:
        return OUTCOME_LEADS[Outcome(self.outcome)]

    def obstacles(self) -> list["SheetItem"]:
        return [i for i in self.items.all() if i.kind == SheetItem.Kind.OBSTACLE]

    def tips(self) -> list["SheetItem"]:
        return [i for i in self.items.all() if i.kind == SheetItem.Kind.TIP]


class SheetItem(models.Model):
    """One obstacle or one tip, possibly said by a given actor (an import keeps who said
    what: a person, an organisation, or a name that matched no record)."""

    class Kind(models.TextChoices):
        OBSTACLE = "obstacle", _("Obstacle")
        TIP = "tip", _("Astuce")

    sheet = models.ForeignKey(ExperienceSheet, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("type"), max_length=10, choices=Kind)
    text = models.TextField(_("texte"), max_length=2000)
    person = models.ForeignKey(
        "directory.Person",
        verbose_name=_("personne"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("structure"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("qui le dit"), max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("obstacle ou astuce")
        verbose_name_plural = _("obstacles et astuces")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def actor(self):
        """Who said it: the organisation or person record, else the name as written."""
        return self.organisation or self.person or self.actor_name


class EvaluationGrid(models.Model):
    """A grid facilitators define to recognise good practices; who defined it is shown."""

    name = models.CharField(_("nom"), max_length=150)
    description = models.TextField(_("à quoi sert cette grille"), blank=True, max_length=3000)
    defined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("définie par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    defined_by_name = models.CharField(
        _("définie par"),
        max_length=200,
        help_text=_("Comme elle s'affiche : une personne, une équipe, un groupe de travail."),
    )
    is_active = models.BooleanField(_("proposée pour évaluer les fiches"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("grille d'évaluation")
        verbose_name_plural = _("grilles d'évaluation")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("knowledge:grid", args=[self.pk])


class Criterion(models.Model):
    grid = models.ForeignKey(EvaluationGrid, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("critère"), max_length=150)
    description = models.TextField(_("ce que l'on regarde"), blank=True, max_length=1000)
    position = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("critère")
        verbose_name_plural = _("critères")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class Level(models.IntegerChoices):
    NOT_AT_ALL = 1, _("Pas du tout")
    A_LITTLE = 2, _("Un peu")
    RATHER = 3, _("Plutôt")
    FULLY = 4, _("Tout à fait")


class Assessment(models.Model):
    """One member's reading of a sheet against a grid: a level per criterion."""

    sheet = models.ForeignKey(ExperienceSheet, on_delete=models.CASCADE, related_name="assessments")
    grid = models.ForeignKey(EvaluationGrid, on_delete=models.CASCADE, related_name="assessments")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("évaluée par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.TextField(_("commentaire général"), blank=True, max_length=3000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "grid", "assessor"], name="one_assessment_per_assessor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sheet} — {self.grid}"


class Rating(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="ratings")
    level = models.PositiveSmallIntegerField(_("niveau"), choices=Level)
    comment = models.CharField(_("commentaire"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("niveau par critère")
        verbose_name_plural = _("niveaux par critère")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="one_rating_each"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=4), name="level"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.level}"


class Licence(models.TextChoices):
    CC_BY = "cc-by", _("CC BY")
    CC_BY_SA = "cc-by-sa", _("CC BY-SA")
    CC_BY_NC = "cc-by-nc", _("CC BY-NC")
    CC_BY_NC_SA = "cc-by-nc-sa", _("CC BY-NC-SA")
    CC_BY_ND = "cc-by-nd", _("CC BY-ND")
    CC0 = "cc0", _("CC0 (domaine public)")
    ETALAB = "etalab-2.0", _("Licence Ouverte 2.0")
    ODBL = "odbl", _("ODbL")
    ALL_RIGHTS = "all-rights", _("Tous droits réservés")


LICENCE_URLS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/deed.fr",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/deed.fr",
    Licence.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/deed.fr",
    Licence.CC_BY_NC_SA: "https://creativecommons.org/licenses/by-nc-sa/4.0/deed.fr",
    Licence.CC_BY_ND: "https://creativecommons.org/licenses/by-nd/4.0/deed.fr",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/deed.fr",
    Licence.ETALAB: "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    Licence.ODBL: "https://opendatacommons.org/licenses/odbl/",
}


def resource_file_path(instance, filename: str) -> str:
    # A random name: the file is never reached by guessing, and the name people gave it
    # (kept in `file_name`) is only used in the download's Content-Disposition.
    return str(PurePosixPath("bibliotheque") / uuid.uuid4().hex)


class Resource(models.Model):
    """A document, a link or a video, always with its author, date and licence."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        LINK = "link", _("Lien")
        VIDEO = "video", _("Vidéo")

    kind = models.CharField(_("type"), max_length=10, choices=Kind, db_index=True)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=3000)
    file = models.FileField(_("fichier"), upload_to=resource_file_path, blank=True, max_length=200)
    file_name = models.CharField(_("nom du fichier"), max_length=200, blank=True)
    file_type = models.CharField(_("format"), max_length=10, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    url = models.URLField(_("adresse"), blank=True, max_length=500)
    embed_url = models.URLField(blank=True, max_length=500, editable=False)
    author = models.CharField(_("auteur·rice"), max_length=200)
    published_on = models.DateField(_("date"))
    licence = models.CharField(
        _("licence"), max_length=15, choices=Licence, default=Licence.ALL_RIGHTS
    )
    themes = models.ManyToManyField(
        "directory.Theme", verbose_name=_("thématiques"), blank=True, related_name="resources"
    )
    territories = models.ManyToManyField(
        "territories.Territory",
        verbose_name=_("territoires"),
        blank=True,
        related_name="resources",
    )
    visibility = models.CharField(
        _("qui peut voir la ressource"),
        max_length=10,
        choices=ResourceAudience,
        default=ResourceAudience.PUBLIC,
        db_index=True,
    )
    # Explicit links rather than a generic relation: the set is known, and each can be
    # filtered and joined ("the resources of this initiative") with a plain index.
    initiative = models.ForeignKey(
        "directory.Initiative",
        verbose_name=_("initiative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resources",
    )
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("rencontre"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resources",
    )
    sheet = models.ForeignKey(
        ExperienceSheet,
        verbose_name=_("fiche d'expérience"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resources",
    )
    # The working group a resource belongs to; with the "group" visibility, only the
    # group's members and followers (and facilitators) see it.
    group = models.ForeignKey(
        "forums.Group",
        verbose_name=_("groupe de travail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resources",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("déposée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("ressource")
        verbose_name_plural = _("ressources")
        ordering = ["-published_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:resource", args=[self.pk])

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS.get(self.licence, "")

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.visibility == ResourceAudience.GROUP and not self.group_id:
            raise ValidationError(
                {"group": _("Choisissez le groupe de travail qui pourra voir la ressource.")}
            )


class Collection(models.Model):
    """A selection of sheets and resources curated by facilitators; a PDF booklet."""

    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("présentation"), blank=True, max_length=4000)
    sheets = models.ManyToManyField(
        ExperienceSheet,
        through="CollectionSheet",
        verbose_name=_("fiches"),
        blank=True,
        related_name="collections",
    )
    resources = models.ManyToManyField(
        Resource, verbose_name=_("ressources"), blank=True, related_name="collections"
    )
    curated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("composée par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CollectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        ordering = ["-updated_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:collection", args=[self.pk])


class CollectionSheet(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE)
    sheet = models.ForeignKey(ExperienceSheet, on_delete=models.CASCADE)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "sheet"], name="sheet_once_per_collection"
            )
        ]

    def __str__(self) -> str:
        return f"{self.collection_id} — {self.sheet_id}"
