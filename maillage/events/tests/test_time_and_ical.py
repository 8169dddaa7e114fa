"""Time zones (Europe/Paris, both DST days), iCal feeds parsed back, the reminder task."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from maillage.accounts.tests.factories import UserFactory
from maillage.directory.tests.factories import ThemeFactory, aude_and_herault
from maillage.events import services
from maillage.events.models import Event, local_datetime, time_exists
from maillage.events.tests.factories import (
    EventFactory,
    SessionFactory,
    TimeSlotFactory,
    days_ahead,
)

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
# Last Sundays of March and October 2031: clocks go forward, then back.
SPRING = date(2031, 3, 30)
AUTUMN = date(2031, 10, 26)


def test_local_times_keep_their_wall_clock_across_dst():
    assert local_datetime(SPRING, time(1, 30)).utcoffset() == timedelta(hours=1)
    assert local_datetime(SPRING, time(9, 30)).utcoffset() == timedelta(hours=2)
    assert local_datetime(SPRING, time(9, 30)).astimezone(UTC).hour == 7
    assert local_datetime(AUTUMN, time(9, 30)).astimezone(UTC).hour == 8
    assert not time_exists(SPRING, time(2, 30))
    assert time_exists(SPRING, time(3, 0)) and time_exists(AUTUMN, time(2, 30))


def test_a_slot_on_the_spring_dst_day_stays_at_its_local_time(client):
    event = EventFactory(
        starts_at=local_datetime(SPRING, time(9, 0)), ends_at=local_datetime(SPRING, time(18, 0))
    )
    session = SessionFactory(
        slot=TimeSlotFactory(event=event, day=SPRING, starts=time(9, 30), ends=time(11, 0)),
        title="Atelier du changement d'heure",
    )
    assert session.slot.starts_at == datetime(2031, 3, 30, 7, 30, tzinfo=UTC)
    html = client.get(event.get_absolute_url()).content.decode()
    assert "09:30–11:00" in html and "09:00" in html


def test_session_form_refuses_a_time_that_does_not_exist(client, facilitator):
    event = EventFactory(
        starts_at=local_datetime(SPRING, time(0, 0)), ends_at=local_datetime(SPRING, time(23, 0))
    )
    client.force_login(facilitator)
    data = {"day": SPRING.isoformat(), "starts": "02:30", "ends": "04:00", "kind": "atelier"}
    response = client.post(
        reverse("events:session_create", args=[event.pk]), {**data, "title": "Nuit"}
    )
    assert response.status_code == 200
    assert "heure d" in response.content.decode()  # "… passage à l'heure d'été"
    data["starts"] = "03:00"
    response = client.post(
        reverse("events:session_create", args=[event.pk]), {**data, "title": "Nuit"}
    )
    assert response.status_code == 302
    assert event.slots.get().starts_at == datetime(2031, 3, 30, 1, 0, tzinfo=UTC)


def test_event_form_reads_local_time_on_the_autumn_dst_day(client, facilitator):
    client.force_login(facilitator)
    data = {
        "title": "Forum de l'heure d'hiver",
        "kind": "forum_ouvert",
        "summary": "Le jour où l'on gagne une heure.",
        "status": "published",
        "starts_at": f"{AUTUMN.isoformat()}T09:30",
        "ends_at": f"{AUTUMN.isoformat()}T17:00",
        "registration_open": "on",
    }
    assert client.post(reverse("events:event_create"), data).status_code == 302
    event = Event.objects.get(title="Forum de l'heure d'hiver")
    assert event.starts_at == datetime(2031, 10, 26, 8, 30, tzinfo=UTC)
    # 02:30 happens twice that night: refused, not guessed.
    data["title"], data["starts_at"] = "Ambigu", f"{AUTUMN.isoformat()}T02:30"
    assert client.post(reverse("events:event_create"), data).status_code == 200
    assert not Event.objects.filter(title="Ambigu").exists()


def _parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_feeds_parse_back_with_paris_times_and_filters(client):
    places = aude_and_herault()
    energy = ThemeFactory(name="Énergie", slug="energie")
    in_aude = EventFactory(
        title="Rencontre de printemps",
        commune=places["carcassonne"],
        address="2 place Carnot",
        starts_at=local_datetime(SPRING, time(9, 30)),
        ends_at=local_datetime(SPRING, time(17, 0)),
    )
    in_aude.themes.add(energy)
    in_herault = EventFactory(title="Rencontre héraultaise", commune=places["beziers"])
    EventFactory(title="Brouillon caché", status="draft")
    cancelled = EventFactory(title="Annulée", status="cancelled")

    calendar = _parse(client.get(reverse("events:feed_all")))
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Rencontre de printemps", "Rencontre héraultaise", "Annulée"}
    spring = events["Rencontre de printemps"]
    start = spring.decoded("dtstart")
    assert start == datetime(2031, 3, 30, 7, 30, tzinfo=UTC)
    assert (
        start.tzinfo.key == "Europe/Paris"
        or str(spring["dtstart"].params["TZID"]) == "Europe/Paris"
    )
    assert str(spring["location"]) == "2 place Carnot, Carcassonne"
    assert calendar.walk("VTIMEZONE"), "the zone is described for calendar clients"
    assert str(events["Annulée"]["status"]) == "CANCELLED"
    assert len({str(e["uid"]) for e in calendar.walk("VEVENT")}) == 3

    by_theme = _parse(client.get(reverse("events:feed_theme", args=["energie"])))
    assert [str(e["summary"]) for e in by_theme.walk("VEVENT")] == ["Rencontre de printemps"]
    by_place = _parse(client.get(reverse("events:feed_territory", args=["departement", "34"])))
    assert [str(e["summary"]) for e in by_place.walk("VEVENT")] == ["Rencontre héraultaise"]
    single = _parse(client.get(reverse("events:feed_event", args=[in_herault.pk])))
    assert len(single.walk("VEVENT")) == 1
    assert client.get(reverse("events:feed_theme", args=["inconnue"])).status_code == 404
    assert client.get(reverse("events:feed_event", args=[cancelled.pk + 100])).status_code == 404


def test_reminder_is_scheduled_before_the_event(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.tasks import default_task_backend

    default_task_backend.clear()
    event = EventFactory(starts_at=days_ahead(5), ends_at=days_ahead(5) + timedelta(hours=3))
    result = services.reminder_schedule(event=event, base_url="https://reseau.example.org/")
    assert result is not None
    assert result.task.run_after == event.starts_at - services.REMINDER_BEFORE
    assert result.args == [] and result.kwargs["event_id"] == event.pk
    past = EventFactory(starts_at=days_ahead(-5), ends_at=days_ahead(-5) + timedelta(hours=3))
    assert services.reminder_schedule(event=past) is None


def test_reminder_task_sends_once_to_confirmed_people_only():
    event = EventFactory(
        capacity=1, starts_at=days_ahead(1), ends_at=days_ahead(1) + timedelta(hours=2)
    )
    confirmed = services.registration_create(event=event, user=UserFactory()).registration
    services.registration_create(event=event, user=UserFactory())  # waiting
    mail.outbox.clear()
    starts = event.starts_at.isoformat()
    assert services.reminders_send(event_id=event.pk, starts_at=starts) == 1
    assert [m.to for m in mail.outbox] == [[confirmed.user.email]]
    assert mail.outbox[0].subject.startswith("Rappel")
    assert services.reminders_send(event_id=event.pk, starts_at=starts) == 0, "idempotent"
    # A task scheduled for an old start time does nothing.
    assert services.reminders_send(event_id=event.pk, starts_at="2000-01-01T00:00:00+00:00") == 0


def test_event_dates_display_in_paris_time(client):
    event = EventFactory(
        starts_at=datetime(2031, 7, 14, 8, 0, tzinfo=UTC),
        ends_at=datetime(2031, 7, 14, 15, 0, tzinfo=UTC),
    )
    assert timezone.localtime(event.starts_at).hour == 10
    html = client.get(event.get_absolute_url()).content.decode()
    assert "10:00–17:00" in html
