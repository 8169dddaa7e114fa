"""Upcoming events on the map: published, not ended, with a commune; at the commune's
centre, with a link to the event; gone when unpublished, moved, deleted or ended."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillage.directory.tests.factories import ThemeFactory
from maillage.events.models import EventStatus
from maillage.events.tests.factories import EventFactory, days_ahead
from maillage.maps.models import Kind, MapPoint
from maillage.maps.sync import ended_events_remove

from .test_sync import assert_same_as_rebuild

pytestmark = pytest.mark.django_db

# Carcassonne, Limoux and Béziers fall in cells of their own at this zoom.
AROUND_AUDE = {"bbox": "0.5,42.5,5.0,44.5", "zoom": 10}


def event_at(commune, **kwargs):
    """An event placed at its commune, as the events' service saves it."""
    return EventFactory(
        commune=commune, latitude=commune.latitude, longitude=commune.longitude, **kwargs
    )


def map_titles(client=None, **params) -> dict[str, dict]:
    response = (client or Client()).get(reverse("maps:data"), AROUND_AUDE | params)
    assert response.status_code == 200
    body = json.loads(response.content)
    found = {p["title"]: p for p in body["points"]}
    for cluster in body["clusters"]:
        found |= {item["title"]: item for item in cluster.get("items", [])}
    return found


def test_upcoming_published_event_is_a_point_linking_to_it(places):
    event = event_at(places["carcassonne"], title="Forum de la transition")
    point = map_titles()["Forum de la transition"]
    assert point["kind"] == "rencontre"
    assert point["url"] == reverse("events:event", args=[event.pk])
    assert (point["lat"], point["lon"]) == (
        round(places["carcassonne"].latitude, 5),
        round(places["carcassonne"].longitude, 5),
    )
    stored = MapPoint.objects.get(kind=Kind.EVENT, object_id=event.pk)
    assert stored.get_absolute_url() == point["url"]
    assert stored.sort_key == "forum de la transition"
    assert_same_as_rebuild()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"status": EventStatus.DRAFT},
        {"status": EventStatus.CANCELLED},
        {"starts_at": days_ahead(-3), "ends_at": days_ahead(-2)},
    ],
    ids=["draft", "cancelled", "past"],
)
def test_never_on_the_map(places, facilitator, kwargs):
    event_at(places["limoux"], title="Rencontre invisible", **kwargs)
    client = Client()
    client.force_login(facilitator)
    assert "Rencontre invisible" not in map_titles(client)
    assert not MapPoint.objects.filter(kind=Kind.EVENT).exists()
    assert_same_as_rebuild()


def test_online_only_event_has_no_point(places):
    EventFactory(title="Webinaire en ligne", online_url="https://visio.example.org/x")
    assert not MapPoint.objects.filter(kind=Kind.EVENT).exists()


def test_follows_publication_move_and_deletion(places):
    event = event_at(places["limoux"], title="Assemblée du réseau", status=EventStatus.DRAFT)
    assert "Assemblée du réseau" not in map_titles()
    event.status = EventStatus.PUBLISHED
    event.save()
    assert "Assemblée du réseau" in map_titles()
    beziers = places["beziers"]
    event.commune, event.latitude, event.longitude = beziers, beziers.latitude, beziers.longitude
    event.save()
    assert map_titles()["Assemblée du réseau"]["lat"] == round(beziers.latitude, 5)
    assert_same_as_rebuild()
    event.status = EventStatus.CANCELLED
    event.save()
    assert "Assemblée du réseau" not in map_titles()
    event.status = EventStatus.PUBLISHED
    event.save()
    event.delete()
    assert not MapPoint.objects.filter(kind=Kind.EVENT).exists()
    assert_same_as_rebuild()


def test_type_and_theme_filters(places):
    theme = ThemeFactory(name="Mobilités", slug="mobilites")
    event = event_at(places["carcassonne"], title="Atelier vélo-école")
    event.themes.add(theme)
    assert set(map_titles(type="rencontre")) == {"Atelier vélo-école"}
    assert "Atelier vélo-école" not in map_titles(type="initiative")
    assert set(map_titles(theme="mobilites")) == {"Atelier vélo-école"}  # precomputed
    aude = places["aude"].pk
    assert set(map_titles(theme="mobilites", territoire=aude)) == {"Atelier vélo-école"}  # live
    assert_same_as_rebuild()


def test_ended_events_leave_the_map(places):
    soon = event_at(places["carcassonne"], title="Se termine bientôt")
    later = event_at(places["limoux"], title="Dans un mois", starts_at=days_ahead(30))
    assert ended_events_remove() == 0
    # Time passes: the first event ends (nothing is saved, no signal is sent).
    type(soon).objects.filter(pk=soon.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    assert "Se termine bientôt" in map_titles()
    call_command("rebuild_map", "--ended-events", verbosity=0)
    assert set(map_titles()) == {"Dans un mois"}
    assert MapPoint.objects.get(kind=Kind.EVENT).object_id == later.pk
    assert_same_as_rebuild()
