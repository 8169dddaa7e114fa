"""Writes on events: saving events and programme, registrations and their waiting lists.

Seats: every write that changes who holds a seat at an event starts by locking the
event's row (`select_for_update`), so that registrations and cancellations of one event
run one after the other; inside, a seat is taken by a conditional UPDATE on the counter
(`seats_taken < capacity`), and a CHECK constraint in the database refuses any
overbooking that would slip through. A freed seat goes to the head of the waiting list
before anyone else can take it (they wait on the same lock).

E-mails leave after the transaction has committed (they go through the task queue), so
that a rolled-back registration never sends a confirmation.
"""

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.forms import ModelForm
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.audit import log_action
from maillage.core.text import normalise

from . import ical
from .models import (
    Contributor,
    ContributorRole,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    Session,
    SessionRegistration,
    TimeSlot,
)

logger = logging.getLogger(__name__)

CANCEL_SALT = "maillage.events.cancel"
# When the reminder leaves, before the start of the event.
REMINDER_BEFORE = timedelta(days=1)


# --- Events and programme ----------------------------------------------------------


def event_save(*, form: ModelForm, actor, base_url: str = "") -> Event:
    """Create or update an event from its form; fill the waiting list if seats were
    added, and (re)schedule the reminder when the start changes."""
    with transaction.atomic():
        event = form.save(commit=False)
        creating = event.pk is None
        cancelling = "status" in form.changed_data and event.status == EventStatus.CANCELLED
        if creating:
            event.created_by = actor if getattr(actor, "is_authenticated", False) else None
        else:
            # The form read the counter earlier; registrations may have moved it since.
            event.seats_taken = (
                Event.objects.select_for_update()
                .values_list("seats_taken", flat=True)
                .get(pk=event.pk)
            )
            if event.capacity is not None and event.capacity < event.seats_taken:
                event.capacity = event.seats_taken  # people registered meanwhile keep seats
        event.latitude = event.commune.latitude if event.commune_id else None
        event.longitude = event.commune.longitude if event.commune_id else None
        event.save()
        form.save_m2m()
        promoted = []
        if not cancelling:
            promoted = _fill_from_waiting_list(Event, event.pk, event.registrations.waiting())
        log_action(
            actor=actor,
            action=f"event.{'create' if creating else 'update'}",
            obj=event,
            data={"fields": sorted(form.changed_data)},
        )
    for registration in promoted:
        _mail_registration(registration, base_url=base_url, template="promoted")
    if cancelling and not creating:
        # Everyone registered or waiting hears it; the registrations stay, for the record.
        for registration in event.registrations.active().select_related("user", "event"):
            _mail_registration(registration, base_url=base_url, template="event_cancelled")
    if creating or "starts_at" in form.changed_data or "status" in form.changed_data:
        reminder_schedule(event=event, base_url=base_url)
    return event


def event_create(
    *,
    actor,
    title: str,
    kind: str,
    summary: str,
    description: str,
    starts_at: datetime,
    ends_at: datetime,
    address: str = "",
    status: str,
    organisers: Iterable = (),
    registration_open: bool = True,
    base_url: str = "",
) -> Event:
    """Create an event from plain values (an importer, a script): the same checks, audit
    entry and reminder as an event saved from its form."""
    with transaction.atomic():
        event = Event(
            title=title,
            kind=kind,
            summary=summary,
            description=description,
            starts_at=starts_at,
            ends_at=ends_at,
            address=address,
            status=status,
            registration_open=registration_open,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        event.full_clean()
        event.save()
        organisers = [o for o in organisers if o is not None]
        if organisers:
            event.organisers.set(organisers)
        log_action(
            actor=actor,
            action="event.create",
            obj=event,
            data={"organisers": [o.pk for o in organisers]} if organisers else None,
        )
    reminder_schedule(event=event, base_url=base_url)
    return event


def _contributors_from_text(session: Session, role: str, text: str) -> list[Contributor]:
    """One name per line; a line that names exactly one published organisation or one
    person of the directory is linked to it, anything else stays free text."""
    from maillage.directory.models import Organisation, Person

    rows = []
    for position, line in enumerate(line.strip() for line in text.splitlines()):
        if not line:
            continue
        key = normalise(line)[:200]
        people = list(Person.objects.filter(search_name=key).values_list("pk", flat=True)[:2])
        organisations = list(
            Organisation.objects.published()
            .filter(search_name=key)
            .values_list("pk", flat=True)[:2]
        )
        person_id = people[0] if len(people) == 1 and not organisations else None
        organisation_id = organisations[0] if len(organisations) == 1 and not people else None
        rows.append(
            Contributor(
                session=session,
                role=role,
                name=line[:200],
                person_id=person_id,
                organisation_id=organisation_id,
                position=position,
            )
        )
    return rows


def session_save(*, form: ModelForm, event: Event, actor, base_url: str = "") -> Session:
    """Save a programme session with its time slot (created on first use) and its
    speakers and moderators."""
    data = form.cleaned_data
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=event.pk)
        slot, _created = TimeSlot.objects.get_or_create(
            event=event,
            day=data["day"],
            starts=data["starts"],
            ends=data["ends"],
            defaults={"title": data.get("slot_title", "")},
        )
        if data.get("slot_title") and slot.title != data["slot_title"]:
            slot.title = data["slot_title"]
            slot.save(update_fields=["title"])
        session = form.save(commit=False)
        creating = session.pk is None
        old_slot_id = session.slot_id if not creating else None
        if not creating:
            session.seats_taken = Session.objects.values_list("seats_taken", flat=True).get(
                pk=session.pk
            )
            if session.capacity is not None and session.capacity < session.seats_taken:
                session.capacity = session.seats_taken
        session.slot = slot
        session.save()
        form.save_m2m()
        session.contributors.all().delete()
        Contributor.objects.bulk_create(
            _contributors_from_text(session, ContributorRole.SPEAKER, data.get("speakers", ""))
            + _contributors_from_text(
                session, ContributorRole.MODERATOR, data.get("moderators", "")
            )
        )
        if old_slot_id and old_slot_id != slot.pk:
            TimeSlot.objects.filter(pk=old_slot_id, sessions__isnull=True).delete()
        promoted = _fill_from_waiting_list(Session, session.pk, session.registrations.waiting())
        log_action(
            actor=actor,
            action=f"event.session_{'create' if creating else 'update'}",
            obj=event,
            data={"session": session.pk, "title": session.title},
        )
    for session_registration in promoted:
        _mail_session(session_registration, base_url=base_url, template="session_promoted")
    return session


def session_delete(*, session: Session, actor) -> None:
    with transaction.atomic():
        event = session.slot.event
        slot_id = session.slot_id
        log_action(
            actor=actor,
            action="event.session_delete",
            obj=event,
            data={"session": session.pk, "title": session.title},
        )
        session.delete()
        TimeSlot.objects.filter(pk=slot_id, sessions__isnull=True).delete()


# --- Seats ---------------------------------------------------------------------------


def _take_seat(model, pk: int) -> bool:
    """Take one seat if one is left: a single conditional UPDATE, atomic in the database."""
    free = Q(capacity__isnull=True) | Q(seats_taken__lt=F("capacity"))
    return bool(model.objects.filter(free, pk=pk).update(seats_taken=F("seats_taken") + 1))


def _free_seat(model, pk: int) -> None:
    model.objects.filter(pk=pk, seats_taken__gt=0).update(seats_taken=F("seats_taken") - 1)


def _fill_from_waiting_list(model, pk: int, waiting) -> list:
    """Give the free seats to the waiting list, first come first served."""
    promoted = []
    for registration in waiting.select_for_update():
        if not _take_seat(model, pk):
            break
        registration.status = RegistrationStatus.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        promoted.append(registration)
    return promoted


# --- Registrations -------------------------------------------------------------------


def cancel_token(registration: Registration) -> str:
    """The signed token of the cancellation link sent by e-mail."""
    return signing.dumps({"r": registration.pk, "k": registration.key.hex[:12]}, salt=CANCEL_SALT)


def registration_from_token(token: str) -> Registration | None:
    """The registration a cancellation token names, or None if it is forged or stale."""
    try:
        data = signing.loads(token, salt=CANCEL_SALT)
        pk, key = int(data["r"]), str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    registration = Registration.objects.select_related("event", "user").filter(pk=pk).first()
    if registration is None or registration.key.hex[:12] != key:
        return None
    return registration


@dataclass
class Outcome:
    registration: Registration | SessionRegistration
    created: bool
    promoted: list = field(default_factory=list)


def registration_create(*, event: Event, user, needs: str = "", base_url: str = "") -> Outcome:
    """Register `user`: a seat if one is left, else the waiting list. Registering again
    while registered changes nothing."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if not event.accepts_registrations:
            raise ValidationError(_("Les inscriptions à cette rencontre sont fermées."))
        registration = (
            Registration.objects.select_for_update().filter(event=event, user=user).first()
        )
        if registration is not None and registration.status != RegistrationStatus.CANCELLED:
            if needs != registration.needs:
                registration.needs = needs
                registration.save(update_fields=["needs", "updated_at"])
            return Outcome(registration, created=False)
        seated = _take_seat(Event, event.pk)
        status = RegistrationStatus.CONFIRMED if seated else RegistrationStatus.WAITING
        if registration is None:
            registration = Registration(event=event, user=user)
        registration.status = status
        registration.needs = needs
        registration.queued_at = timezone.now()
        registration.key = uuid.uuid4()
        registration.attended = None
        registration.reminded_at = None
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            # Only possible without row locks (SQLite serialises writers instead).
            raise ValidationError(_("Vous êtes déjà inscrit·e.")) from None
        log_action(
            actor=user,
            action="event.register",
            obj=event,
            data={"registration": registration.pk, "status": status},
        )
    _mail_registration(
        registration, base_url=base_url, template="confirmed" if seated else "waiting"
    )
    return Outcome(registration, created=True)


def registration_cancel(*, registration: Registration, actor, base_url: str = "") -> Outcome:
    """Cancel a registration (and the person's workshops); the freed seat goes to the
    head of the waiting list, who is told by e-mail."""
    promoted: list[Registration] = []
    session_promoted: list[SessionRegistration] = []
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            return Outcome(registration, created=False)
        was_confirmed = registration.is_confirmed
        registration.status = RegistrationStatus.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        for seat in SessionRegistration.objects.active().filter(
            session__slot__event_id=registration.event_id, user_id=registration.user_id
        ):
            session_promoted += _cancel_session_seat(seat)
        if was_confirmed:
            _free_seat(Event, registration.event_id)
            promoted = _fill_from_waiting_list(
                Event,
                registration.event_id,
                Registration.objects.filter(event_id=registration.event_id).waiting(),
            )
        log_action(
            actor=actor,
            action="event.unregister",
            obj=registration.event,
            data={"registration": registration.pk, "promoted": [r.pk for r in promoted]},
        )
    for other in promoted:
        _mail_registration(other, base_url=base_url, template="promoted")
    for other in session_promoted:
        _mail_session(other, base_url=base_url, template="session_promoted")
    return Outcome(registration, created=False, promoted=promoted)


def _cancel_session_seat(seat: SessionRegistration) -> list[SessionRegistration]:
    session = Session.objects.select_for_update().get(pk=seat.session_id)
    was_confirmed = seat.is_confirmed
    seat.status = RegistrationStatus.CANCELLED
    seat.save(update_fields=["status", "updated_at"])
    if not was_confirmed:
        return []
    _free_seat(Session, session.pk)
    return _fill_from_waiting_list(Session, session.pk, session.registrations.waiting())


def session_registration_create(*, session: Session, user, base_url: str = "") -> Outcome:
    """Sign up for a workshop with a capacity. One must be registered at the event, and
    in one workshop per time slot at most."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=session.slot.event_id)
        session = Session.objects.select_for_update().select_related("slot").get(pk=session.pk)
        if not session.takes_registrations or not event.accepts_registrations:
            raise ValidationError(_("Cet atelier ne prend pas d'inscriptions."))
        if not Registration.objects.confirmed().filter(event=event, user=user).exists():
            raise ValidationError(
                _("Inscrivez-vous d'abord à la rencontre pour choisir un atelier.")
            )
        clash = (
            SessionRegistration.objects.active()
            .filter(user=user, session__slot=session.slot)
            .exclude(session=session)
            .exists()
        )
        if clash:
            raise ValidationError(_("Vous êtes déjà inscrit·e à un autre atelier sur ce créneau."))
        seat = SessionRegistration.objects.filter(session=session, user=user).first()
        if seat is not None and seat.status != RegistrationStatus.CANCELLED:
            return Outcome(seat, created=False)
        seated = _take_seat(Session, session.pk)
        seat = seat or SessionRegistration(session=session, user=user)
        seat.status = RegistrationStatus.CONFIRMED if seated else RegistrationStatus.WAITING
        seat.queued_at = timezone.now()
        seat.save()
        log_action(
            actor=user,
            action="event.session_register",
            obj=event,
            data={"session": session.pk, "status": seat.status},
        )
    return Outcome(seat, created=True)


def session_registration_cancel(*, seat: SessionRegistration, actor, base_url: str = "") -> Outcome:
    with transaction.atomic():
        event_id = Session.objects.values_list("slot__event_id", flat=True).get(pk=seat.session_id)
        event = Event.objects.select_for_update().get(pk=event_id)
        seat = SessionRegistration.objects.select_for_update().get(pk=seat.pk)
        if seat.status == RegistrationStatus.CANCELLED:
            return Outcome(seat, created=False)
        promoted = _cancel_session_seat(seat)
        log_action(
            actor=actor,
            action="event.session_unregister",
            obj=event,
            data={"session": seat.session_id},
        )
    for other in promoted:
        _mail_session(other, base_url=base_url, template="session_promoted")
    return Outcome(seat, created=False, promoted=promoted)


def attendance_mark(*, event: Event, present_ids: set[int], actor) -> int:
    """Mark who came among the confirmed registrations (the others as absent)."""
    with transaction.atomic():
        confirmed = Registration.objects.confirmed().filter(event=event)
        came = confirmed.filter(pk__in=present_ids).update(attended=True)
        confirmed.exclude(pk__in=present_ids).update(attended=False)
        log_action(actor=actor, action="event.attendance", obj=event, data={"present": came})
    return came


# --- E-mails and the reminder --------------------------------------------------------


def _absolute(base_url: str, path: str) -> str:
    return f"{base_url.rstrip('/')}{path}"


def _mail_registration(registration: Registration, *, base_url: str, template: str) -> None:
    from django.urls import reverse

    event = registration.event
    context = {
        "event": event,
        "registration": registration,
        "event_url": _absolute(base_url, event.get_absolute_url()),
        "cancel_url": _absolute(
            base_url, reverse("events:cancel", args=[cancel_token(registration)])
        ),
        "location": ical.location_of(event),
    }
    subject = " ".join(render_to_string(f"events/email/{template}_subject.txt", context).split())
    message = EmailMessage(
        subject=subject,
        body=render_to_string(f"events/email/{template}.txt", context),
        to=[registration.user.email],
    )
    if registration.is_confirmed and event.status == EventStatus.PUBLISHED:
        message.attach(
            "rencontre.ics",
            ical.calendar_bytes(
                [event], name=event.title, base_url=base_url, with_online_link=True
            ),
            "text/calendar",
        )
    message.send()


def _mail_session(seat: SessionRegistration, *, base_url: str, template: str) -> None:
    session = Session.objects.select_related("slot__event").get(pk=seat.session_id)
    context = {
        "session": session,
        "event": session.slot.event,
        "event_url": _absolute(base_url, session.slot.event.get_absolute_url()),
    }
    subject = " ".join(render_to_string(f"events/email/{template}_subject.txt", context).split())
    EmailMessage(
        subject=subject,
        body=render_to_string(f"events/email/{template}.txt", context),
        to=[seat.user.email],
    ).send()


def reminder_schedule(*, event: Event, base_url: str = ""):
    """Enqueue the reminder for `REMINDER_BEFORE` the start (the db_worker runs it).

    Rescheduling leaves the old task in the queue: it compares the start it was given
    with the event's and does nothing if they differ.
    """
    from .tasks import send_reminders

    if not event.is_published or event.starts_at <= timezone.now():
        return None
    if not send_reminders.get_backend().supports_defer:
        logger.warning("events: the task backend cannot defer tasks; no reminder scheduled")
        return None
    run_after = max(event.starts_at - REMINDER_BEFORE, timezone.now())
    return send_reminders.using(run_after=run_after).enqueue(
        event_id=event.pk, starts_at=event.starts_at.isoformat(), base_url=base_url
    )


def reminders_send(*, event_id: int, starts_at: str, base_url: str = "") -> int:
    """Send the reminder to every confirmed person not reminded yet. Idempotent."""
    event = Event.objects.filter(pk=event_id, status=EventStatus.PUBLISHED).first()
    try:
        scheduled_for = datetime.fromisoformat(starts_at)
    except (TypeError, ValueError):
        return 0
    if event is None or event.starts_at != scheduled_for or event.is_past:
        return 0
    sent = 0
    pending = Registration.objects.confirmed().filter(event=event, reminded_at__isnull=True)
    for registration in pending.select_related("user", "event"):
        # Mark first: a crash after sending must not send the reminder twice.
        if not Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(
            reminded_at=timezone.now()
        ):
            continue
        _mail_registration(registration, base_url=base_url, template="reminder")
        sent += 1
    return sent
