"""Events in the search index: published ones only (drafts and cancelled ones are seen by
nobody, not even facilitators), found by words, type, theme and territory, following
their edits; the address and the video link never reach the index."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from maillage.directory.tests.factories import ThemeFactory, aude_and_herault
from maillage.events.models import Event, EventStatus
from maillage.events.tests.factories import EventFactory
from maillage.search.models import SearchDocument
from maillage.search.query import Filters, Search, Viewer

pytestmark = pytest.mark.django_db
FACILITATOR = Viewer(facilitator=True)


def found(q="", viewer=None, **filters) -> set[tuple[str, int]]:
    return Search(q, viewer=viewer or Viewer(), filters=Filters(**filters)).document_ids()


def test_published_event_found_by_words_type_theme_and_territory():
    places = aude_and_herault()
    theme = ThemeFactory()
    event = EventFactory(
        title="Forum ouvert des énergies citoyennes",
        summary="Une journée pour monter des centrales villageoises.",
        commune=places["carcassonne"],
    )
    event.themes.add(theme)
    expected = {("event", event.pk)}
    assert found("energie") == expected  # accents and plural folded
    assert found("centrales villageoises") == expected  # the summary is searched too
    assert found("forum", kind="event") == expected
    assert found(kind="initiative") == set()
    assert found(theme=theme.pk) == expected
    aude = places["carcassonne"].departement
    assert found(territory=aude) == expected  # the commune's département includes it
    assert found(territory=places["beziers"].departement) == set()


@pytest.mark.parametrize("status", [EventStatus.DRAFT, EventStatus.CANCELLED])
def test_unpublished_events_are_not_indexed(status):
    EventFactory(title="Rencontre secrète", status=status)
    assert found("secrete", FACILITATOR) == set()
    assert not SearchDocument.objects.exists()


def test_index_follows_publication_edits_and_deletion():
    event = EventFactory(title="Assemblée des jardins", status=EventStatus.DRAFT)
    assert found("jardins") == set()
    event.status = EventStatus.PUBLISHED
    event.save()
    assert found("jardins") == {("event", event.pk)}
    event.title = "Assemblée des vergers"
    event.save()
    assert found("jardins") == set()
    assert found("vergers") == {("event", event.pk)}
    event.status = EventStatus.CANCELLED
    event.save()
    assert found("vergers") == set()
    event.status = EventStatus.PUBLISHED
    event.save()
    event.delete()
    assert not SearchDocument.objects.exists()


def test_rebuild_catches_up_with_bulk_inserts():
    Event.objects.bulk_create(
        [
            EventFactory.build(title="Café des possibles"),
            EventFactory.build(title="Café réparation", status=EventStatus.DRAFT),
        ]
    )
    assert found("cafe") == set()
    call_command("rebuild_search_index", verbosity=0)
    assert {SearchDocument.objects.get().title} == {"Café des possibles"}


def test_results_page_links_to_the_event_without_its_place_details(client: Client):
    event = EventFactory(
        title="Rencontre des tiers-lieux",
        address="12 rue des Secrets, 11000 Carcassonne",
        online_url="https://visio.example.org/salle-cachee",
    )
    response = client.get(reverse("search:results"), {"q": "tiers-lieux"})
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("events:event", args=[event.pk]) in html
    assert "Rencontres" in html  # the type facet names the new kind
    document = SearchDocument.objects.get()
    for secret in ("rue des Secrets", "salle-cachee"):
        assert secret not in html
        assert secret not in document.title + document.body
