"""Registrations: capacity, waiting list, workshops, e-mails, cancellation link,
participants list, attendance, personal data."""

import csv
import io
from datetime import timedelta

import icalendar
import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.urls import reverse

from maillage.accounts import personal_data
from maillage.accounts.tests.factories import UserFactory
from maillage.events import services
from maillage.events.models import Event, Registration, Session
from maillage.events.tests.factories import (
    EventFactory,
    SessionFactory,
    TimeSlotFactory,
    days_ahead,
)

pytestmark = pytest.mark.django_db


def _register(event, user=None, **kwargs):
    return services.registration_create(event=event, user=user or UserFactory(), **kwargs)


def _seats(event) -> int:
    return Event.objects.get(pk=event.pk).seats_taken


# --- Capacity and waiting list -------------------------------------------------------


def test_capacity_then_waiting_list_in_order():
    event = EventFactory(capacity=2)
    outcomes = [_register(event) for _ in range(4)]
    assert [o.registration.status for o in outcomes] == [
        "confirmed",
        "confirmed",
        "waiting",
        "waiting",
    ]
    assert _seats(event) == 2


def test_unlimited_event_counts_seats():
    event = EventFactory(capacity=None)
    for _ in range(5):
        assert _register(event).registration.is_confirmed
    assert _seats(event) == 5


def test_cancelling_promotes_the_head_of_the_waiting_list():
    event = EventFactory(capacity=1)
    first = _register(event).registration
    second = _register(event).registration
    third = _register(event).registration
    mail.outbox.clear()
    outcome = services.registration_cancel(registration=first, actor=first.user)
    assert [r.pk for r in outcome.promoted] == [second.pk]
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.is_confirmed and third.is_waiting
    assert _seats(event) == 1
    assert [m.to for m in mail.outbox] == [[second.user.email]]
    assert mail.outbox[0].attachments, "the promoted person gets the .ics too"


def test_cancelling_a_waiting_registration_frees_no_seat():
    event = EventFactory(capacity=1)
    _register(event)
    waiting = _register(event).registration
    services.registration_cancel(registration=waiting, actor=waiting.user)
    assert _seats(event) == 1


def test_registering_twice_changes_nothing_and_coming_back_goes_to_the_end():
    event = EventFactory(capacity=1)
    user = UserFactory()
    first = _register(event, user).registration
    again = _register(event, user)
    assert not again.created and again.registration.pk == first.pk and _seats(event) == 1
    waiting = _register(event).registration
    services.registration_cancel(registration=first, actor=user)
    back = _register(event, user).registration
    assert back.pk == first.pk and back.is_waiting
    waiting.refresh_from_db()
    assert waiting.is_confirmed


def test_raising_the_capacity_promotes_waiting_people(client, facilitator):
    event = EventFactory(capacity=1)
    _register(event)
    waiting = _register(event).registration
    client.force_login(facilitator)
    data = {
        "title": event.title,
        "kind": event.kind,
        "summary": event.summary,
        "status": "published",
        "starts_at": "2031-05-10T09:30",
        "ends_at": "2031-05-10T17:00",
        "registration_open": "on",
        "capacity": "2",
    }
    response = client.post(reverse("events:event_edit", args=[event.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    waiting.refresh_from_db()
    assert waiting.is_confirmed and _seats(event) == 2


def test_capacity_cannot_go_below_the_seats_taken(client, facilitator):
    event = EventFactory(capacity=3)
    _register(event)
    _register(event)
    client.force_login(facilitator)
    data = {
        "title": event.title,
        "kind": event.kind,
        "summary": event.summary,
        "status": "published",
        "starts_at": "2031-05-10T09:30",
        "ends_at": "2031-05-10T17:00",
        "capacity": "1",
    }
    response = client.post(reverse("events:event_edit", args=[event.pk]), data)
    assert response.status_code == 200 and "jauge" in response.content.decode()


def test_database_refuses_overbooking():
    from django.db import IntegrityError, transaction

    event = EventFactory(capacity=1, seats_taken=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(seats_taken=2)


def test_closed_or_past_events_refuse_registrations():
    for event in (
        EventFactory(registration_open=False),
        EventFactory(starts_at=days_ahead(-3), ends_at=days_ahead(-3) + timedelta(hours=2)),
        EventFactory(status="draft"),
    ):
        with pytest.raises(ValidationError):
            _register(event)


# --- Workshops -----------------------------------------------------------------------


def test_workshop_capacity_waiting_list_and_slot_clash():
    event = EventFactory(capacity=None)
    slot = TimeSlotFactory(event=event)
    workshop = SessionFactory(slot=slot, capacity=1)
    other = SessionFactory(slot=slot, capacity=5)
    alice, bob = UserFactory(), UserFactory()
    with pytest.raises(ValidationError):  # registered at the event first
        services.session_registration_create(session=workshop, user=alice)
    _register(event, alice)
    _register(event, bob)
    assert services.session_registration_create(
        session=workshop, user=alice
    ).registration.is_confirmed
    bob_seat = services.session_registration_create(session=workshop, user=bob).registration
    assert bob_seat.is_waiting
    with pytest.raises(ValidationError):  # one workshop per slot
        services.session_registration_create(session=other, user=alice)
    # Alice leaves the event: her workshop seat goes to Bob.
    services.registration_cancel(
        registration=Registration.objects.get(event=event, user=alice), actor=alice
    )
    bob_seat.refresh_from_db()
    assert bob_seat.is_confirmed
    assert Session.objects.get(pk=workshop.pk).seats_taken == 1


# --- E-mails -------------------------------------------------------------------------


def test_confirmation_mail_has_a_valid_ics_with_the_video_link(client, member):
    event = EventFactory(online_url="https://visio.example.org/salle-42", title="Forum d'automne")
    client.force_login(member)
    mail.outbox.clear()
    response = client.post(reverse("events:register", args=[event.pk]), {"needs": "Fauteuil"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.email] and "Forum d'automne" in message.subject
    assert "/agenda/annulation/" in message.body
    assert "https://visio.example.org/salle-42" in message.body
    (filename, content, mimetype) = message.attachments[0]
    assert filename.endswith(".ics") and mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(content)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["summary"]) == "Forum d'automne"
    assert vevent.decoded("dtstart") == event.starts_at
    assert "salle-42" in str(vevent["description"])
    assert Registration.objects.get(event=event, user=member).needs == "Fauteuil"


def test_waiting_list_mail_has_no_attachment_and_no_link():
    event = EventFactory(capacity=0, online_url="https://visio.example.org/salle-43")
    mail.outbox.clear()
    _register(event)
    (message,) = mail.outbox
    assert not message.attachments and "salle-43" not in message.body


# --- Cancellation link ---------------------------------------------------------------


def test_signed_link_cancels_after_confirmation(client):
    event = EventFactory(capacity=1)
    registration = _register(event).registration
    waiting = _register(event).registration
    url = reverse("events:cancel", args=[services.cancel_token(registration)])
    assert client.get(url).status_code == 200
    registration.refresh_from_db()
    assert registration.is_confirmed, "GET only asks (mail scanners follow links)"
    assert client.post(url).status_code == 302
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert registration.status == "cancelled" and waiting.is_confirmed


def test_a_token_cannot_cancel_someone_else(client):
    event = EventFactory()
    mine = _register(event).registration
    theirs = _register(event).registration
    token = services.cancel_token(mine)
    # Someone else's number with my key, the right payload under another salt, a
    # tampered signature, rubbish.
    with_my_key = signing.dumps({"r": theirs.pk, "k": mine.key.hex[:12]}, salt=services.CANCEL_SALT)
    other_salt = signing.dumps({"r": theirs.pk, "k": theirs.key.hex[:12]}, salt="autre")
    for bad in (with_my_key, other_salt, token[:-2] + "xx", "nimporte-quoi", "a:b:c"):
        assert client.post(reverse("events:cancel", args=[bad])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_confirmed
    # A member logged in cannot cancel another's registration either: "unregister"
    # only ever reaches the logged-in person's own registration.
    client.force_login(mine.user)
    client.post(reverse("events:unregister", args=[event.pk]))
    theirs.refresh_from_db()
    assert theirs.is_confirmed


def test_old_link_is_stale_after_registering_again(client):
    event = EventFactory()
    user = UserFactory()
    registration = _register(event, user).registration
    old = services.cancel_token(registration)
    services.registration_cancel(registration=registration, actor=user)
    _register(event, user)
    assert client.post(reverse("events:cancel", args=[old])).status_code == 404
    assert Registration.objects.get(event=event, user=user).is_confirmed


# --- What each role sees -------------------------------------------------------------


def test_video_link_only_for_confirmed_participants_and_facilitators(client, member, facilitator):
    event = EventFactory(online_url="https://visio.example.org/salle-secrete", capacity=1)
    url = event.get_absolute_url()
    assert "salle-secrete" not in client.get(url).content.decode()
    client.force_login(member)
    assert "salle-secrete" not in client.get(url).content.decode()
    _register(event, member)
    assert "salle-secrete" in client.get(url).content.decode()
    waiting = UserFactory()
    _register(event, waiting)
    client.force_login(waiting)
    assert "salle-secrete" not in client.get(url).content.decode()
    client.force_login(facilitator)
    assert "salle-secrete" in client.get(url).content.decode()
    # Never in the public feeds.
    for feed in (reverse("events:feed_event", args=[event.pk]), reverse("events:feed_all")):
        assert "salle-secrete" not in client.get(feed).content.decode()


def test_participants_and_their_emails_are_for_facilitators_only(client, member, facilitator):
    event = EventFactory()
    person = UserFactory(email="participante.discrete@example.org", display_name="Inès =Calc")
    _register(event, person, needs="=HYPERLINK(1)")
    pages = [
        event.get_absolute_url(),
        reverse("events:agenda"),
        reverse("events:calendar"),
        reverse("events:programme", args=[event.pk]),
    ]
    for viewer in (None, member):
        if viewer:
            client.force_login(viewer)
        for page in pages:
            assert "participante.discrete" not in client.get(page).content.decode()
        assert client.get(reverse("events:participants_csv", args=[event.pk])).status_code in (
            302,
            403,
        )
    client.force_login(facilitator)
    assert (
        "participante.discrete"
        in client.get(reverse("events:participants", args=[event.pk])).content.decode()
    )
    response = client.get(reverse("events:participants_csv", args=[event.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][1] == "participante.discrete@example.org"
    assert rows[1][4] == "'=HYPERLINK(1)", "formulas are neutralised"


def test_attendance_marking(client, facilitator):
    event = EventFactory()
    came = _register(event).registration
    absent = _register(event).registration
    client.force_login(facilitator)
    response = client.post(
        reverse("events:attendance", args=[event.pk]), {"present": [str(came.pk), "x", "-1"]}
    )
    assert response.status_code == 302
    came.refresh_from_db()
    absent.refresh_from_db()
    assert came.attended is True and absent.attended is False


# --- Personal data -------------------------------------------------------------------


def test_registrations_are_exported_and_erased_with_the_account():
    event = EventFactory(capacity=1)
    user = UserFactory()
    _register(event, user, needs="Végétarien")
    waiting = _register(event).registration
    exported = {p.name: p.export(user) for p in personal_data.providers()}["rencontres"]
    assert exported[0]["event"] == event.title and exported[0]["needs"] == "Végétarien"
    {p.name: p for p in personal_data.providers()}["rencontres"].erase(user)
    mine = Registration.objects.get(event=event, user=user)
    assert mine.status == "cancelled" and mine.needs == ""
    waiting.refresh_from_db()
    assert waiting.is_confirmed, "the erased person's seat goes to the waiting list"


def test_cancelling_the_event_tells_everyone_registered(client, facilitator):
    event = EventFactory(capacity=1, title="Forum reporté")
    confirmed = _register(event).registration
    waiting = _register(event).registration
    mail.outbox.clear()
    client.force_login(facilitator)
    data = {
        "title": event.title,
        "kind": event.kind,
        "summary": event.summary,
        "status": "cancelled",
        "starts_at": "2031-05-10T09:30",
        "ends_at": "2031-05-10T17:00",
        "capacity": "5",
    }
    assert client.post(reverse("events:event_edit", args=[event.pk]), data).status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [confirmed.user.email, waiting.user.email]
    )
    assert all("annulée" in m.subject and not m.attachments for m in mail.outbox)
    waiting.refresh_from_db()
    assert waiting.is_waiting, "no one is promoted into a cancelled event"
