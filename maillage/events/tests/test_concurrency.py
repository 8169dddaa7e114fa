"""No overbooking when several people take the last seats at the same moment.

Real concurrent requests from threads, each with its own database connection: this needs
PostgreSQL (row locks, several writers). SQLite serialises every writer of the file, and
the in-memory test database is a single connection shared by all threads, so the test
would prove nothing there: it is skipped, and CI runs it on PostgreSQL.
"""

import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from maillage.accounts.tests.factories import UserFactory
from maillage.events import services
from maillage.events.models import Event, Registration, Session, SessionRegistration
from maillage.events.tests.factories import EventFactory, SessionFactory, TimeSlotFactory

pytestmark = [
    # serialized_rollback: put back the rows that migrations insert (France, themes…),
    # which the flush after a transactional test would otherwise remove for later tests.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # Concurrent writers need PostgreSQL's row locks (SQLite serialises whole-database
    # writes); conftest.py deselects these on SQLite and CI runs them on PostgreSQL.
    pytest.mark.postgresql,
]


def _all_at_once(clients, url_for) -> list[int]:
    """POST from every client at the same instant (a barrier releases the threads)."""
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def run(client):
        try:
            barrier.wait(timeout=30)
            statuses.append(client.post(url_for(client)).status_code)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return statuses


def _clients(n: int) -> list[Client]:
    clients = []
    for _ in range(n):
        client = Client(raise_request_exception=True)
        client.user = UserFactory()
        client.force_login(client.user)
        clients.append(client)
    return clients


@pytest.mark.parametrize("capacity,people", [(1, 8), (3, 12)])
def test_concurrent_registrations_never_overbook(capacity, people):
    event = EventFactory(capacity=capacity)
    url = reverse("events:register", args=[event.pk])
    statuses = _all_at_once(_clients(people), lambda _client: url)
    assert statuses == [302] * people
    registrations = Registration.objects.filter(event=event)
    assert registrations.filter(status="confirmed").count() == capacity
    assert registrations.filter(status="waiting").count() == people - capacity
    assert Event.objects.get(pk=event.pk).seats_taken == capacity


def test_concurrent_cancellations_and_registrations_keep_the_count_right():
    event = EventFactory(capacity=4)
    holders = [services.registration_create(event=event, user=UserFactory()) for _ in range(4)]
    waiting = [services.registration_create(event=event, user=UserFactory()) for _ in range(2)]
    assert all(w.registration.is_waiting for w in waiting)
    cancelling = []
    for outcome in holders[:2]:
        client = Client()
        client.force_login(outcome.registration.user)
        cancelling.append(client)
    newcomers = _clients(4)
    register = reverse("events:register", args=[event.pk])
    unregister = reverse("events:unregister", args=[event.pk])
    _all_at_once(cancelling + newcomers, lambda c: unregister if c in cancelling else register)
    confirmed = Registration.objects.filter(event=event, status="confirmed")
    assert confirmed.count() == 4 == Event.objects.get(pk=event.pk).seats_taken
    # The two freed seats went to the people who were already waiting.
    for outcome in waiting:
        outcome.registration.refresh_from_db()
        assert outcome.registration.is_confirmed
    assert Registration.objects.filter(event=event, status="waiting").count() == 4


def test_concurrent_last_workshop_seat():
    event = EventFactory(capacity=None)
    session = SessionFactory(slot=TimeSlotFactory(event=event), capacity=2)
    clients = _clients(6)
    for client in clients:
        services.registration_create(event=event, user=client.user)
    url = reverse("events:session_register", args=[session.pk])
    _all_at_once(clients, lambda _client: url)
    seats = SessionRegistration.objects.filter(session=session)
    assert seats.filter(status="confirmed").count() == 2
    assert seats.filter(status="waiting").count() == 4
    assert Session.objects.get(pk=session.pk).seats_taken == 2
