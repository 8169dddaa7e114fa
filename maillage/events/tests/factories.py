"""factory_boy factories for events, and the event of the access matrix's `world`."""

from datetime import time, timedelta

import factory
from django.utils import timezone

from maillage.events.models import Event, Session, TimeSlot, local_datetime


def days_ahead(days: int, at: time = time(9, 30)):
    return local_datetime(timezone.localdate() + timedelta(days=days), at)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Rencontre n°{n}")
    summary = "Une rencontre du réseau."
    status = "published"
    starts_at = factory.LazyFunction(lambda: days_ahead(10))
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + timedelta(hours=7))


class TimeSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeSlot

    event = factory.SubFactory(EventFactory)
    day = factory.LazyAttribute(lambda s: timezone.localtime(s.event.starts_at).date())
    starts = time(10, 0)
    ends = time(12, 0)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    slot = factory.SubFactory(TimeSlotFactory)
    kind = "atelier"
    title = factory.Sequence(lambda n: f"Atelier n°{n}")


def world_event(owner) -> dict:
    """An upcoming event in Carcassonne with a video link, a workshop with a capacity,
    and the owner's registration (for the cancellation link)."""
    from maillage.directory.tests.factories import aude_and_herault
    from maillage.events.services import cancel_token, registration_create

    places = aude_and_herault()
    event = EventFactory(
        commune=places["carcassonne"],
        online_url="https://visio.example.org/rencontre-secrete",
        capacity=30,
    )
    session = SessionFactory(slot=TimeSlotFactory(event=event), capacity=10)
    registration = registration_create(event=event, user=owner).registration
    return {
        "event": event,
        "session": session,
        "registration": registration,
        "token": cancel_token(registration),
    }
