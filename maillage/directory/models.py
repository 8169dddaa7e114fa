"""People, organisations, initiatives and the themes that connect them.

Contact fields (e-mail, phone, address…) each carry their own visibility, private by
default; `visible_contacts(viewer)` is the only way templates and exports read them.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from maillage.core.text import normalise

from .querysets import InitiativeQuerySet, OrganisationQuerySet, PersonQuerySet, ThemeQuerySet
from .validators import validate_siren


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Membres du réseau")
    PRIVATE = "private", _("Privé")


class Moderation(models.TextChoices):
    PROPOSED = "proposed", _("En attente de validation")
    PUBLISHED = "published", _("Publiée")
    REJECTED = "rejected", _("Refusée")


def can_see(visibility: str, viewer, *, owner: bool = False) -> bool:
    """May `viewer` see something published with `visibility`?"""
    if owner or getattr(viewer, "is_facilitator", False):
        return True
    if visibility == Visibility.PUBLIC:
        return True
    if visibility == Visibility.MEMBERS:
        return bool(getattr(viewer, "is_member", False))
    return False


class Theme(models.Model):
    name = models.CharField(_("nom"), max_length=80, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("ordre"), default=0)

    objects = ThemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("thématique")
        verbose_name_plural = _("thématiques")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class ContactFields(models.Model):
    """E-mail, phone, address, website and social links, each with its own visibility."""

    CONTACT_FIELDS = ("email", "phone", "address", "website", "social_links")

    email = models.EmailField(_("adresse électronique"), blank=True)
    email_visibility = models.CharField(
        _("qui voit l'adresse électronique"),
        max_length=10,
        choices=Visibility,
        default=Visibility.PRIVATE,
    )
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    phone_visibility = models.CharField(
        _("qui voit le téléphone"), max_length=10, choices=Visibility, default=Visibility.PRIVATE
    )
    address = models.TextField(_("adresse postale"), blank=True, max_length=300)
    address_visibility = models.CharField(
        _("qui voit l'adresse"), max_length=10, choices=Visibility, default=Visibility.PRIVATE
    )
    website = models.URLField(_("site web"), blank=True)
    website_visibility = models.CharField(
        _("qui voit le site web"), max_length=10, choices=Visibility, default=Visibility.PRIVATE
    )
    social_links = models.TextField(
        _("réseaux sociaux"), blank=True, max_length=1000, help_text=_("Une adresse par ligne.")
    )
    social_links_visibility = models.CharField(
        _("qui voit les réseaux sociaux"),
        max_length=10,
        choices=Visibility,
        default=Visibility.PRIVATE,
    )

    class Meta:
        abstract = True

    def is_owned_by(self, viewer) -> bool:
        raise NotImplementedError

    def visible_contacts(self, viewer) -> dict[str, str]:
        """The contact fields `viewer` may see, and only those."""
        owner = self.is_owned_by(viewer)
        return {
            name: getattr(self, name)
            for name in self.CONTACT_FIELDS
            if getattr(self, name)
            and can_see(getattr(self, f"{name}_visibility"), viewer, owner=owner)
        }


class Person(ContactFields):
    """A person of the network: a member's profile, or a contact imported from a report."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    name = models.CharField(_("nom"), max_length=150)
    search_name = models.CharField(max_length=150, db_index=True, editable=False)
    photo = models.ImageField(_("photo"), upload_to="people/", blank=True)
    presentation = models.TextField(_("présentation"), blank=True, max_length=2000)
    drives = models.TextField(
        _("ce qui m'anime"),
        blank=True,
        max_length=2000,
        help_text=_("Vos valeurs, ce qui vous met en mouvement."),
    )
    seeks = models.TextField(
        _("ce que je cherche"),
        blank=True,
        max_length=2000,
        help_text=_("Des partenaires, des idées, de l'aide, un lieu…"),
    )
    offers = models.TextField(
        _("ce que je peux apporter"),
        blank=True,
        max_length=2000,
        help_text=_("Savoir-faire et connaissances que vous proposez de partager."),
    )
    skills_sought = models.TextField(_("compétences recherchées"), blank=True, max_length=2000)
    availability = models.TextField(
        _("disponibilités et limites d'engagement"), blank=True, max_length=1000
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("thématiques"), blank=True, related_name="people"
    )
    territories = models.ManyToManyField(
        "territories.Territory",
        verbose_name=_("territoires d'action"),
        blank=True,
        related_name="people",
    )
    visibility = models.CharField(
        _("qui voit mon profil"), max_length=10, choices=Visibility, default=Visibility.MEMBERS
    )
    is_resource_person = models.BooleanField(_("personne ressource"), default=False)
    resource_themes = models.ManyToManyField(
        Theme, verbose_name=_("personne ressource sur"), blank=True, related_name="resource_people"
    )
    on_map = models.BooleanField(_("apparaître sur la carte"), default=False)
    # Consent to appear in the network's public letter; only read when the profile is public.
    announce_in_letter = models.BooleanField(
        _("M'annoncer dans la lettre d'information du réseau"),
        default=False,
        help_text=_(
            "Si votre profil est public, la lettre ne montre que votre nom, votre "
            "présentation, vos thématiques et votre commune ou vos territoires d'action, "
            "jamais vos coordonnées."
        ),
    )
    imported = models.BooleanField(_("importée d'un document"), default=False)
    confirmed = models.BooleanField(_("profil confirmé par la personne"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["search_name"]
        indexes = [
            # The resource people's list (and its count) in alphabetical order: a few
            # thousand entries instead of a scan of every profile.
            models.Index(
                fields=["search_name"],
                condition=models.Q(is_resource_person=True),
                name="person_resource_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = normalise(self.name)[:150]
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("directory:person", args=[self.pk])

    def is_owned_by(self, viewer) -> bool:
        return bool(self.user_id) and getattr(viewer, "pk", None) == self.user_id

    def is_visible_to(self, viewer) -> bool:
        return can_see(self.visibility, viewer, owner=self.is_owned_by(viewer))


class OrganisationKind(models.TextChoices):
    COLLECTIVITE = "collectivite", _("Collectivité")
    INTERCOMMUNALITE = "intercommunalite", _("Intercommunalité")
    ASSOCIATION = "association", _("Association")
    ENTREPRISE = "entreprise", _("Entreprise")
    SCOP_SCIC = "scop_scic", _("SCOP / SCIC")
    RESEAU = "reseau", _("Réseau")
    INSTITUTION = "institution", _("Institution")
    FORMATION_RECHERCHE = "formation_recherche", _("Établissement de formation ou de recherche")
    COLLECTIF = "collectif", _("Collectif citoyen")
    AUTRE = "autre", _("Autre")


class ModeratedRecord(models.Model):
    """What organisations and initiatives share: moderation, themes, territories, place."""

    status = models.CharField(
        _("état"), max_length=10, choices=Moderation, default=Moderation.PROPOSED, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    commune = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": "commune"},
        help_text=_("Où se trouve le lieu principal, pour la carte."),
    )
    latitude = models.FloatField(null=True, blank=True, editable=False)
    longitude = models.FloatField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == Moderation.PUBLISHED


class Organisation(ContactFields, ModeratedRecord):
    name = models.CharField(_("nom"), max_length=200)
    search_name = models.CharField(max_length=200, db_index=True, editable=False)
    kind = models.CharField(_("type"), max_length=30, choices=OrganisationKind, db_index=True)
    siren = models.CharField(
        _("SIREN"),
        max_length=9,
        blank=True,
        db_index=True,
        validators=[validate_siren],
        help_text=_("Facultatif : les 9 chiffres du numéro SIREN."),
    )
    presentation = models.TextField(_("présentation"), blank=True, max_length=4000)
    logo = models.ImageField(_("logo"), upload_to="organisations/", blank=True)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("thématiques"), blank=True, related_name="organisations"
    )
    territories = models.ManyToManyField(
        "territories.Territory",
        verbose_name=_("territoires d'action"),
        blank=True,
        related_name="organisations",
    )
    contact_person = models.ForeignKey(
        Person,
        verbose_name=_("personne à contacter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    members = models.ManyToManyField(
        Person, through="Membership", related_name="organisations", blank=True
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["search_name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = normalise(self.name)[:200]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("directory:organisation", args=[self.pk])

    def is_owned_by(self, viewer) -> bool:
        """Owners are whoever proposed it and the people listed as its admins."""
        if not getattr(viewer, "is_authenticated", False):
            return False
        if self.created_by_id == viewer.pk:
            return True
        return self.memberships.filter(person__user=viewer, is_admin=True).exists()


class Membership(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rôle"), max_length=120, blank=True)
    is_admin = models.BooleanField(_("peut modifier la fiche de la structure"), default=False)

    class Meta:
        verbose_name = _("appartenance")
        verbose_name_plural = _("appartenances")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation"], name="one_membership_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.organisation}"


class InitiativeStatus(models.TextChoices):
    IDEA = "idea", _("Idée")
    ONGOING = "ongoing", _("En cours")
    PAUSED = "paused", _("En pause")
    FINISHED = "finished", _("Terminée")
    ABANDONED = "abandoned", _("Abandonnée")


class Initiative(ModeratedRecord):
    title = models.CharField(_("titre"), max_length=200)
    search_name = models.CharField(max_length=200, db_index=True, editable=False)
    summary = models.CharField(_("résumé"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=10000)
    progress = models.CharField(
        _("avancement"),
        max_length=10,
        choices=InitiativeStatus,
        default=InitiativeStatus.IDEA,
        db_index=True,
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("thématiques"), blank=True, related_name="initiatives"
    )
    territories = models.ManyToManyField(
        "territories.Territory",
        verbose_name=_("territoires d'action"),
        blank=True,
        related_name="initiatives",
    )
    website = models.URLField(_("site web"), blank=True)
    carrier_people = models.ManyToManyField(
        Person, verbose_name=_("porteur·euses"), blank=True, related_name="carried_initiatives"
    )
    carrier_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("structures porteuses"),
        blank=True,
        related_name="carried_initiatives",
    )
    participants = models.ManyToManyField(
        Person, verbose_name=_("participant·es"), blank=True, related_name="joined_initiatives"
    )
    needs = models.TextField(_("ce dont l'initiative a besoin"), blank=True, max_length=2000)
    # The engagement charter: what joining means, said before anyone joins.
    charter_tasks = models.TextField(_("tâches concrètes"), blank=True, max_length=2000)
    charter_time = models.CharField(_("temps demandé"), max_length=200, blank=True)
    charter_limits = models.TextField(_("limites de l'engagement"), blank=True, max_length=2000)
    charter_leaving = models.TextField(_("comment se retirer"), blank=True, max_length=2000)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_name = normalise(self.title)[:200]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("directory:initiative", args=[self.pk])

    @property
    def has_charter(self) -> bool:
        return any(
            [self.charter_tasks, self.charter_time, self.charter_limits, self.charter_leaving]
        )

    def is_carried_by(self, viewer) -> bool:
        if not getattr(viewer, "is_authenticated", False):
            return False
        if self.created_by_id == viewer.pk:
            return True
        return self.carrier_people.filter(user=viewer).exists()


class JoinRequest(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("En attente")
        ACCEPTED = "accepted", _("Acceptée")
        DECLINED = "declined", _("Déclinée")

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="join_requests"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="join_requests")
    message = models.TextField(_("message"), blank=True, max_length=2000)
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("demande pour rejoindre")
        verbose_name_plural = _("demandes pour rejoindre")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "person"], name="one_request_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.initiative}"


class ErrorReport(models.Model):
    """Anyone can say that a record is wrong; facilitators read and close the reports."""

    record_type = models.CharField(max_length=20)
    record_id = models.PositiveBigIntegerField()
    record_repr = models.CharField(max_length=200)
    message = models.TextField(_("ce qui ne va pas"), max_length=2000)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        return f"{self.record_repr}: {self.message[:40]}"
