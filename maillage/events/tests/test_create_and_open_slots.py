"""`event_create` (events from plain values, as an importer makes them), and programme
slots whose end is not known: shown with their start alone, never a made-up end."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillage.core.models import AuditEntry
from maillage.directory.tests.factories import OrganisationFactory
from maillage.events import services
from maillage.events.models import Event, EventStatus, TimeSlot

from .factories import EventFactory, SessionFactory, TimeSlotFactory, days_ahead

pytestmark = pytest.mark.django_db


def _create(actor, **kwargs) -> Event:
    values = {
        "title": "Forum des Hautes Terres",
        "kind": "forum_ouvert",
        "summary": "Forum ouvert importé.",
        "description": "",
        "starts_at": days_ahead(20),
        "ends_at": days_ahead(20) + timedelta(hours=8),
        "status": EventStatus.DRAFT,
    }
    return services.event_create(actor=actor, **(values | kwargs))


def test_event_create_checks_logs_and_keeps_a_draft_for_facilitators(facilitator, member):
    garage = OrganisationFactory(name="Garage Solidaire")
    event = _create(facilitator, organisers=[garage, None], address="Salle des fêtes")
    assert event.status == EventStatus.DRAFT
    assert event.created_by == facilitator
    assert list(event.organisers.all()) == [garage]
    entry = AuditEntry.objects.get(action="event.create")
    assert entry.object_id == str(event.pk) and entry.actor == facilitator
    # A draft: facilitators see it, nobody else.
    assert Client().get(event.get_absolute_url()).status_code == 404
    member_client = Client()
    member_client.force_login(member)
    assert member_client.get(event.get_absolute_url()).status_code == 404
    facilitator_client = Client()
    facilitator_client.force_login(facilitator)
    assert facilitator_client.get(event.get_absolute_url()).status_code == 200
    agenda = facilitator_client.get(reverse("events:agenda")).content.decode()
    assert "Forum des Hautes Terres" in agenda


def test_event_create_refuses_what_the_form_refuses(facilitator):
    with pytest.raises(ValidationError):
        _create(facilitator, title="")
    with pytest.raises(ValidationError):
        _create(facilitator, kind="pas-un-type")
    with pytest.raises(ValidationError):
        _create(facilitator, ends_at=days_ahead(19))
    assert not Event.objects.exists()


def test_a_published_event_created_from_values_gets_its_reminder(facilitator, monkeypatch):
    scheduled = []
    monkeypatch.setattr(services, "reminder_schedule", lambda **kw: scheduled.append(kw))
    draft = _create(facilitator)
    published = _create(facilitator, status=EventStatus.PUBLISHED, title="Publiée")
    assert [kw["event"] for kw in scheduled] == [draft, published]


def test_a_slot_without_an_end_shows_its_start_alone(client):
    event = EventFactory()
    day = timezone.localtime(event.starts_at).date()
    open_slot = TimeSlotFactory(event=event, day=day, starts=time(9, 30), ends=None)
    SessionFactory(slot=open_slot, title="Accueil café")
    closed = TimeSlotFactory(event=event, day=day, starts=time(10, 0), ends=time(11, 15))
    SessionFactory(slot=closed, title="Plénière")
    assert open_slot.hours == "09:30" and open_slot.ends_at is None
    assert closed.hours == "10:00–11:15"
    page = client.get(event.get_absolute_url()).content.decode()
    assert "<strong>09:30</strong>" in page
    assert "10:00–11:15" in page
    printable = client.get(reverse("events:programme", args=[event.pk])).content.decode()
    assert "<strong>09:30</strong>" in printable


def test_one_open_slot_per_start():
    event = EventFactory()
    day = timezone.localtime(event.starts_at).date()
    TimeSlot.objects.create(event=event, day=day, starts=time(9, 30), ends=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeSlot.objects.create(event=event, day=day, starts=time(9, 30), ends=None)


def test_an_end_before_the_start_is_refused():
    event = EventFactory()
    day = timezone.localtime(event.starts_at).date()
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeSlot.objects.create(event=event, day=day, starts=time(9, 30), ends=time(9, 0))


def test_a_session_may_be_saved_without_an_end_and_given_one_later(client, facilitator):
    event = EventFactory()
    client.force_login(facilitator)
    data = {
        "day": timezone.localtime(event.starts_at).date().isoformat(),
        "starts": "14:00",
        "ends": "",
        "kind": "atelier",
        "title": "Atelier mobilité",
    }
    response = client.post(reverse("events:session_create", args=[event.pk]), data)
    assert response.status_code == 302
    slot = TimeSlot.objects.get(event=event)
    assert slot.ends is None
    session = slot.sessions.get()
    response = client.post(
        reverse("events:session_edit", args=[session.pk]), data | {"ends": "15:30"}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.slot.ends == time(15, 30)
    assert not TimeSlot.objects.filter(ends__isnull=True).exists()
    data["ends"] = "13:00"
    response = client.post(reverse("events:session_create", args=[event.pk]), data)
    assert response.status_code == 200
    assert "La fin doit venir après le début" in response.content.decode()
