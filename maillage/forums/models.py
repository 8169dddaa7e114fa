"""Open forums and the working groups that come out of them.

The life of a topic, in order:

1. `Topic`: someone proposes a topic (a title and a question) for an event, before or
   during it. Facilitators (and admins of the event's organising structures) place it in
   the grid `Room` × `events.TimeSlot`, merge it into another topic, or reject it.
2. `Group`: an accepted topic becomes a numbered group of the event, with its carriers
   ("porteurs") and participants (`GroupMember`).
3. `Report`: each group has one structured report (question, findings, proposals, points
   of vigilance, role of the network in three parts, resource person, notes). Every save
   is a `ReportRevision` (author, time, full content), and `Report.version` detects two
   people saving over each other.
4. `FollowUp`: after the event, people sign up to continue the work ("suites à donner"),
   choosing which contact (e-mail and/or phone, read live from their profile) the other
   followers may see. From the first follow-up on, the group is a *working group*
   (`Group.working_since`) with a next meeting, a task board (`Task`) and documents
   (`GroupDocument`).

Writes that touch several rows go through `services.py`; reads through `querysets.py`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .querysets import FollowUpQuerySet, GroupQuerySet, TaskQuerySet, TopicQuerySet


class Room(models.Model):
    """A room (or a corner, a table, a virtual room) of an event: a column of the grid."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="forum_rooms")
    name = models.CharField(_("nom de la salle"), max_length=100)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("salle")
        verbose_name_plural = _("salles")
        ordering = ["position", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="forums_one_room_name")
        ]

    def __str__(self) -> str:
        return self.name


class TopicStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposé")
    ACCEPTED = "accepted", _("Retenu")
    MERGED = "merged", _("Fusionné")
    REJECTED = "rejected", _("Non retenu")


class Topic(models.Model):
    """A topic proposed for an event. Accepted topics have a `group` (one-to-one)."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(_("titre du sujet"), max_length=200)
    question = models.TextField(
        _("question posée"),
        max_length=2000,
        help_text=_("La question que le groupe se pose, en une ou deux phrases."),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum_topics",
    )
    # Who proposes, as said aloud (a person may propose on behalf of a collective, or a
    # facilitator may type a topic proposed on paper).
    proposer_name = models.CharField(_("qui propose"), max_length=200, blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=TopicStatus, default=TopicStatus.PROPOSED, db_index=True
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("fusionné avec"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_topics",
    )
    rejection_reason = models.CharField(_("motif"), max_length=300, blank=True)
    room = models.ForeignKey(
        Room,
        verbose_name=_("salle"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="topics",
    )
    slot = models.ForeignKey(
        "events.TimeSlot",
        verbose_name=_("créneau"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="topics",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("sujet proposé")
        verbose_name_plural = _("sujets proposés")
        ordering = ["created_at", "pk"]
        constraints = [
            # One topic per cell of the grid.
            models.UniqueConstraint(
                fields=["room", "slot"],
                condition=Q(room__isnull=False, slot__isnull=False),
                name="forums_one_topic_per_cell",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def proposer_label(self) -> str:
        if self.proposer_name:
            return self.proposer_name
        if self.proposed_by_id is None:
            return ""
        # Never str(user): it falls back on the e-mail address.
        return self.proposed_by.display_name or str(_("Membre du réseau"))


class Group(models.Model):
    """A group of an event, born from an accepted topic; a working group once followed up."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="groups")
    topic = models.OneToOneField(
        Topic,
        verbose_name=_("sujet"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="group",
    )
    # Numbered from 1 within the event, in the order groups were accepted.
    number = models.PositiveIntegerField(_("numéro"))
    title = models.CharField(_("titre"), max_length=200)
    question = models.TextField(_("question posée"), max_length=2000, blank=True)
    # Carriers who have no account (named on a paper board, for instance).
    other_carriers = models.CharField(
        _("autres porteur·ses"),
        max_length=300,
        blank=True,
        help_text=_("Personnes sans compte sur le site, séparées par des virgules."),
    )
    # Set by the first follow-up: the group lives on after the event as a working group.
    working_since = models.DateTimeField(_("groupe de travail depuis"), null=True, blank=True)
    closed_at = models.DateTimeField(_("groupe de travail clos le"), null=True, blank=True)
    purpose = models.TextField(
        _("objet du groupe de travail"),
        blank=True,
        max_length=2000,
        help_text=_("Ce que le groupe veut faire après la rencontre."),
    )
    next_meeting_at = models.DateTimeField(_("prochaine réunion"), null=True, blank=True)
    next_meeting_place = models.CharField(_("lieu de la réunion"), max_length=300, blank=True)
    next_meeting_url = models.URLField(
        _("lien de la réunion en ligne"),
        blank=True,
        help_text=_("Montré aux seuls membres du groupe et à l'équipe d'animation."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("groupe")
        verbose_name_plural = _("groupes")
        ordering = ["event", "number"]
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="forums_one_group_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("forums:group", args=[self.pk])

    @property
    def is_working_group(self) -> bool:
        return self.working_since is not None and self.closed_at is None


class MemberRole(models.TextChoices):
    CARRIER = "carrier", _("Porteur·se")
    PARTICIPANT = "participant", _("Participant·e")


class GroupMember(models.Model):
    """A person in a group during the event: a carrier or a participant."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_groups"
    )
    role = models.CharField(
        _("rôle"), max_length=12, choices=MemberRole, default=MemberRole.PARTICIPANT
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membre du groupe")
        verbose_name_plural = _("membres du groupe")
        # Carriers ("carrier") before participants ("participant").
        ordering = ["role", "joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="forums_one_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.group}"

    @property
    def is_carrier(self) -> bool:
        return self.role == MemberRole.CARRIER


# The text fields of a report, in the order of the template; the synthesis, the history
# and the diff read them from here.
REPORT_TEXT_FIELDS = (
    "question",
    "findings",
    "proposals",
    "vigilance",
    "network_continue",
    "network_stop",
    "network_with",
    "resource_person_name",
    "notes",
)


class Report(models.Model):
    """The structured report of a group. Changed only through `services.report_save`."""

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="report")
    question = models.TextField(_("la question"), blank=True, max_length=2000)
    findings = models.TextField(_("constats"), blank=True, max_length=10000)
    proposals = models.TextField(_("propositions"), blank=True, max_length=10000)
    vigilance = models.TextField(_("points de vigilance"), blank=True, max_length=10000)
    network_continue = models.TextField(
        _("le réseau peut ou doit continuer à"),
        blank=True,
        max_length=5000,
        help_text=_("Avancer, réfléchir, mobiliser…"),
    )
    network_stop = models.TextField(
        _("le réseau ne peut pas ou ne doit pas aller plus loin sur"),
        blank=True,
        max_length=5000,
    )
    network_with = models.TextField(
        _("le réseau peut travailler avec"),
        blank=True,
        max_length=5000,
        help_text=_("Des personnes, des structures, des réseaux."),
    )
    resource_person = models.ForeignKey(
        "directory.Person",
        verbose_name=_("personne ressource (annuaire)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resource_person_name = models.CharField(
        _("personne ressource"),
        max_length=200,
        blank=True,
        help_text=_("Nom et structure, sans coordonnées."),
    )
    notes = models.TextField(_("notes libres"), blank=True, max_length=10000)
    # Bumped on every save; a form carries the version it was opened on, so a save made
    # over someone else's newer save is refused (lost-update protection).
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("compte rendu")
        verbose_name_plural = _("comptes rendus")

    def __str__(self) -> str:
        return str(_("Compte rendu — %(group)s") % {"group": self.group})

    def content(self) -> dict:
        """The report as saved in a revision: its text fields and the resource person id."""
        data = {name: getattr(self, name) for name in REPORT_TEXT_FIELDS}
        data["resource_person_id"] = self.resource_person_id
        return data

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name).strip() for name in REPORT_TEXT_FIELDS)


class ReportRevision(models.Model):
    """One saved state of a report: never changed, restoring makes a new revision."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("contenu"), default=dict)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur·rice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True)
    restored_from = models.PositiveIntegerField(_("restauration de la version"), null=True)

    class Meta:
        verbose_name = _("version du compte rendu")
        verbose_name_plural = _("versions du compte rendu")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="forums_one_revision")
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"


class FollowUp(models.Model):
    """Someone who signed up to continue a group's work, and the contacts they share.

    The contact values are read live from their directory profile (or account e-mail),
    and shown only to the other followers and to facilitators.
    """

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="followups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_followups"
    )
    share_email = models.BooleanField(_("partager mon adresse électronique"), default=False)
    share_phone = models.BooleanField(_("partager mon téléphone"), default=False)
    message = models.CharField(_("ce que je souhaite apporter"), max_length=500, blank=True)
    consented_at = models.DateTimeField(_("accord donné le"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("suite à donner")
        verbose_name_plural = _("suites à donner")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="forums_one_followup")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.group}"

    def shared_contacts(self) -> dict[str, str]:
        """The contacts this person agreed to share (callers check who is looking)."""
        person = getattr(self.user, "person", None)
        contacts = {}
        if self.share_email:
            email = (person.email if person else "") or self.user.email
            if email:
                contacts["email"] = email
        if self.share_phone and person is not None and person.phone:
            contacts["phone"] = person.phone
        return contacts


class TaskStatus(models.TextChoices):
    TODO = "todo", _("À faire")
    DOING = "doing", _("En cours")
    DONE = "done", _("Fait")


class Task(models.Model):
    """A card of a working group's task board."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("tâche"), max_length=200)
    status = models.CharField(
        _("colonne"), max_length=5, choices=TaskStatus, default=TaskStatus.TODO
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("qui s'en charge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum_tasks",
    )
    due_on = models.DateField(_("pour le"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("tâche")
        verbose_name_plural = _("tâches")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class GroupDocument(models.Model):
    """A document of a working group: an uploaded file or a link (one of the two)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("titre"), max_length=200)
    file = models.FileField(
        _("fichier"), upload_to="forums/documents/%Y/%m/", blank=True, max_length=255
    )
    url = models.URLField(_("lien"), blank=True, max_length=500)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ajouté par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ajouté le"), auto_now_add=True)

    class Meta:
        verbose_name = _("document du groupe")
        verbose_name_plural = _("documents du groupe")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="forums_document_file_or_link",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_link(self) -> bool:
        return bool(self.url)
