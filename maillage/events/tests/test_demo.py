"""The demo agenda: past and upcoming events with programmes and registrations,
consistent seat counters, and idempotent."""

import io

import pytest
from django.db.models import Count, Q

from maillage.accounts.tests.factories import UserFactory
from maillage.core.demo import make_context
from maillage.directory.tests.factories import aude_and_herault
from maillage.events.models import Event, Session

pytestmark = pytest.mark.django_db


def _events_demo():
    # Import every app's demo module first, as demo_network does: generators run in
    # registration order, and importing ours alone would put it first.
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("demo")
    from maillage.events import demo

    return demo


def test_demo_agenda_is_consistent_and_idempotent():
    demo = _events_demo()
    aude_and_herault()
    for _ in range(20):
        UserFactory()
    ctx = make_context(seed=3, sizes={}, stdout=io.StringIO())
    demo.generate(ctx)
    count = Event.objects.count()
    assert count == len(demo.EVENTS)
    assert Event.objects.past().exists() and Event.objects.upcoming().exists()
    assert Session.objects.filter(capacity__isnull=False).exists()
    for event in Event.objects.annotate(
        confirmed=Count("registrations", filter=Q(registrations__status="confirmed"))
    ):
        assert event.seats_taken == event.confirmed
        assert event.capacity is None or event.seats_taken <= event.capacity
    assert Event.objects.filter(registrations__status="waiting").exists(), "a full event"
    demo.generate(make_context(seed=3, sizes={}, stdout=io.StringIO()))
    assert Event.objects.count() == count
