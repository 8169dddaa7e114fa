"""Events of the network, their programme and who registered.

An event has a place (a commune and an address), an online link, or both; its programme
is made of time slots (a local date and local times, so that a slot stays at 9:30 in
Paris whatever the offset of that day) holding sessions. Seats are counted in
`seats_taken`, changed only by `services.py` under a lock, and a database constraint
forbids going past `capacity`: no overbooking, even with two people on the last seat.

The open-forum groups of the second half of the programme attach to `Event` (and, for
the rooms × slots grid, to `TimeSlot`) through their own foreign keys.
"""

import uuid
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .querysets import EventQuerySet, RegistrationQuerySet


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_datetime(day: date, at: time) -> datetime:
    """An aware datetime for a local wall-clock time (Europe/Paris by default).

    On the spring DST day, a time that does not exist (02:30) is read with the offset
    before the change, as zoneinfo does; forms refuse such times before they get here.
    """
    return datetime.combine(day, at, tzinfo=local_zone())


def time_exists(day: date, at: time) -> bool:
    """False for the wall-clock times skipped on the spring DST day (02:00–02:59)."""
    aware = local_datetime(day, at)
    back = aware.astimezone(ZoneInfo("UTC")).astimezone(local_zone())
    return (back.hour, back.minute) == (at.hour, at.minute)


class EventKind(models.TextChoices):
    GATHERING = "journee", _("Journée / rencontre")
    OPEN_FORUM = "forum_ouvert", _("Forum ouvert")
    WORKSHOP = "atelier", _("Atelier")
    WEBINAR = "webinaire", _("Webinaire")
    ROUND_TABLE = "table_ronde", _("Table ronde")
    ASSEMBLY = "assemblee", _("Assemblée")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publiée")
    CANCELLED = "cancelled", _("Annulée")


class SeatHolder(models.Model):
    """Something with a number of seats: an event, or a workshop inside it."""

    capacity = models.PositiveIntegerField(
        _("nombre de places"),
        null=True,
        blank=True,
        help_text=_("Laisser vide pour un nombre de places illimité."),
    )
    # Changed only by services.py, under a lock, by conditional UPDATEs.
    seats_taken = models.PositiveIntegerField(_("places prises"), default=0, editable=False)

    class Meta:
        abstract = True

    @property
    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.seats_taken)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.seats_taken >= self.capacity


def _seat_constraints(prefix: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(capacity__isnull=True) | Q(seats_taken__lte=F("capacity")),
            name=f"{prefix}_no_overbooking",
        ),
    ]


class Event(SeatHolder):
    title = models.CharField(_("titre"), max_length=200)
    kind = models.CharField(
        _("type"), max_length=20, choices=EventKind, default=EventKind.GATHERING
    )
    summary = models.CharField(_("en bref"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=10000)
    status = models.CharField(
        _("état"), max_length=10, choices=EventStatus, default=EventStatus.DRAFT, db_index=True
    )
    starts_at = models.DateTimeField(_("début"), db_index=True)
    ends_at = models.DateTimeField(_("fin"))
    commune = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "commune"},
    )
    address = models.CharField(_("adresse du lieu"), max_length=300, blank=True)
    online_url = models.URLField(
        _("lien de visioconférence"),
        blank=True,
        help_text=_("Jitsi, BigBlueButton, Zoom… Montré aux seules personnes inscrites."),
    )
    latitude = models.FloatField(null=True, blank=True, editable=False)
    longitude = models.FloatField(null=True, blank=True, editable=False)
    themes = models.ManyToManyField(
        "directory.Theme", verbose_name=_("thématiques"), blank=True, related_name="events"
    )
    territories = models.ManyToManyField(
        "territories.Territory",
        verbose_name=_("territoires concernés"),
        blank=True,
        related_name="events",
    )
    organisers = models.ManyToManyField(
        "directory.Organisation",
        verbose_name=_("structures organisatrices"),
        blank=True,
        related_name="organised_events",
    )
    registration_open = models.BooleanField(_("inscriptions ouvertes"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("rencontre")
        verbose_name_plural = _("rencontres")
        ordering = ["starts_at", "pk"]
        constraints = [
            *_seat_constraints("event"),
            models.CheckConstraint(condition=Q(ends_at__gte=F("starts_at")), name="event_ends"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == EventStatus.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def is_online(self) -> bool:
        return bool(self.online_url)

    @property
    def accepts_registrations(self) -> bool:
        return self.is_published and self.registration_open and not self.is_past

    def local_days(self) -> list[date]:
        """Every local date the event covers (a two-day meeting has two)."""
        from datetime import timedelta

        first = timezone.localtime(self.starts_at).date()
        last = timezone.localtime(self.ends_at).date()
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]


class TimeSlot(models.Model):
    """A time slot of the programme, in local wall-clock time on one day.

    The end may be unknown: a programme read from a document often gives only the start
    (« 10h00 Table ronde »), and an end made up by the importer would be shown as fact.
    Such a slot shows its start alone until someone who knows gives the end.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots")
    day = models.DateField(_("jour"))
    starts = models.TimeField(_("heure de début"))
    ends = models.TimeField(_("heure de fin"), null=True, blank=True)
    title = models.CharField(_("intitulé du créneau"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("créneau")
        verbose_name_plural = _("créneaux")
        ordering = ["day", "starts", "ends", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "day", "starts", "ends"], name="one_slot"),
            # NULLs are distinct for the constraint above: one open-ended slot per start.
            models.UniqueConstraint(
                fields=["event", "day", "starts"],
                condition=Q(ends__isnull=True),
                name="one_open_slot",
            ),
            models.CheckConstraint(
                condition=Q(ends__isnull=True) | Q(ends__gt=F("starts")), name="slot_ends"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.hours}"

    @property
    def hours(self) -> str:
        """« 09:30–10:15 », or « 09:30 » when the end is not known."""
        if self.ends is None:
            return f"{self.starts:%H:%M}"
        return f"{self.starts:%H:%M}–{self.ends:%H:%M}"

    @property
    def starts_at(self) -> datetime:
        return local_datetime(self.day, self.starts)

    @property
    def ends_at(self) -> datetime | None:
        return local_datetime(self.day, self.ends) if self.ends is not None else None


class SessionKind(models.TextChoices):
    PLENARY = "pleniere", _("Plénière")
    WORKSHOP = "atelier", _("Atelier")
    ROUND_TABLE = "table_ronde", _("Table ronde")
    BREAK = "pause", _("Pause")
    OTHER = "autre", _("Autre")


class Session(SeatHolder):
    """A plenary, a workshop, a round table or a break. Parallel workshops share a slot.

    A session with a capacity takes its own registrations (with its own waiting list).
    """

    slot = models.ForeignKey(TimeSlot, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("type"), max_length=20, choices=SessionKind, default="atelier")
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    room = models.CharField(_("salle"), max_length=100, blank=True)
    themes = models.ManyToManyField(
        "directory.Theme", verbose_name=_("thématiques"), blank=True, related_name="sessions"
    )

    class Meta(SeatHolder.Meta):
        verbose_name = _("séquence du programme")
        verbose_name_plural = _("séquences du programme")
        ordering = ["slot__day", "slot__starts", "room", "title", "pk"]
        constraints = _seat_constraints("session")

    def __str__(self) -> str:
        return self.title

    @property
    def takes_registrations(self) -> bool:
        return self.capacity is not None


class ContributorRole(models.TextChoices):
    SPEAKER = "speaker", _("Intervenant·e")
    MODERATOR = "moderator", _("Animation")


class Contributor(models.Model):
    """A speaker or moderator: a person or organisation of the directory, or free text."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="contributors")
    role = models.CharField(max_length=10, choices=ContributorRole)
    name = models.CharField(_("nom"), max_length=200)
    person = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("intervenant·e")
        verbose_name_plural = _("intervenant·es")
        # Speakers ("speaker") before moderators ("moderator").
        ordering = ["-role", "position", "pk"]

    def __str__(self) -> str:
        return self.name


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Inscrit·e")
    WAITING = "waiting", _("Sur liste d'attente")
    CANCELLED = "cancelled", _("Désinscrit·e")


class RegistrationBase(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=RegistrationStatus, db_index=True)
    # Order of the waiting list; reset when someone registers again after cancelling.
    queued_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_confirmed(self) -> bool:
        return self.status == RegistrationStatus.CONFIRMED

    @property
    def is_waiting(self) -> bool:
        return self.status == RegistrationStatus.WAITING


class Registration(RegistrationBase):
    """One person at one event (one row per pair, reused when they come back)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    # Part of the signed cancellation link: a new one on each registration, so that the
    # link of an earlier, cancelled registration cannot cancel the current one.
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    needs = models.CharField(
        _("besoins particuliers"),
        max_length=500,
        blank=True,
        help_text=_("Accessibilité, repas, garde d'enfants… (vu par l'équipe d'animation)."),
    )
    attended = models.BooleanField(_("présent·e"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_person")
        ]
        indexes = [models.Index(fields=["event", "status", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.event}"


class SessionRegistration(RegistrationBase):
    """One person in one workshop that has a capacity."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations")

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("inscription à un atelier")
        verbose_name_plural = _("inscriptions aux ateliers")
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_seat_per_session")
        ]
        indexes = [models.Index(fields=["session", "status", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.session}"
