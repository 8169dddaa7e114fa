"""Exports, the read API, feeds, licence and privacy, through HTTP."""

import csv
import io
import json

import feedparser
import pytest
from django.urls import reverse

from maillage.directory.tests.factories import (
    InitiativeFactory,
    OrganisationFactory,
    PersonFactory,
    ThemeFactory,
    aude_and_herault,
)
from maillage.events.tests.factories import EventFactory
from maillage.opendata.models import OpenDataSettings

pytestmark = pytest.mark.django_db

SECRET = "secret-ne-pas-publier"


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def records():
    places = aude_and_herault()
    food = ThemeFactory(name="Alimentation", slug="alimentation")
    organisation = OrganisationFactory(
        name="Épicerie solidaire",
        commune=places["carcassonne"],
        email="public-structure@example.org",
        email_visibility="public",
        phone=f"01 {SECRET} 02",
        phone_visibility="members",
        address=f"1 rue {SECRET}",
        address_visibility="private",
    )
    organisation.themes.add(food)
    limoux = InitiativeFactory(
        title="Jardin de Limoux",
        commune=places["limoux"],
        latitude=places["limoux"].latitude,
        longitude=places["limoux"].longitude,
    )
    limoux.themes.add(food)
    InitiativeFactory(title="Atelier vélo de Béziers", commune=places["beziers"])
    InitiativeFactory(title=f"Proposition {SECRET}", status="proposed")
    PersonFactory(
        name="Personne publique",
        email="pub@example.org",
        email_visibility="public",
        phone=SECRET,
        phone_visibility="members",
    )
    PersonFactory(
        name=f"Profil {SECRET}",
        visibility="members",
        email=f"{SECRET}@example.org",
        email_visibility="public",
    )
    EventFactory(
        title="Forum ouvert",
        online_url=f"https://visio.example.org/{SECRET}",
        commune=places["carcassonne"],
    )
    EventFactory(title=f"Brouillon {SECRET}", status="draft")
    return {"places": places, "food": food}


EXPORT_URLS = [
    (name, key)
    for key in ("structures", "initiatives", "personnes", "rencontres")
    for name in ("opendata:export_csv", "opendata:export_json", "opendata:export_geojson")
]
API_URLS = [
    "list_datasets",
    "list_structures",
    "list_initiatives",
    "list_personnes",
    "list_rencontres",
]


def test_privacy_sweep_over_every_export_feed_and_endpoint(client, records):
    urls = [reverse(name, args=[key]) for name, key in EXPORT_URLS]
    urls += [reverse(f"opendata:api:{name}") for name in API_URLS]
    urls += [reverse("opendata:feed_rss", args=[f.key]) for f in _feeds()]
    urls += [reverse("opendata:feed_atom", args=[f.key]) for f in _feeds()]
    urls += [reverse("opendata:gogocarto"), reverse("opendata:index")]
    public_seen = False
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = _body(response).decode()
        assert SECRET not in body, url
        public_seen |= "public-structure@example.org" in body
    assert public_seen  # what the owner made public does go out


def _feeds():
    from maillage.opendata import registry

    return registry.feeds()


def test_json_export_carries_the_licence_in_body_and_headers(client, records):
    settings_row = OpenDataSettings.objects.create(licence="etalab-2.0", attribution="Réseau test")
    response = client.get(reverse("opendata:export_json", args=["initiatives"]))
    data = json.loads(_body(response))
    assert data["licence"]["id"] == settings_row.licence
    assert data["licence"]["attribution"] == "Réseau test"
    assert response["X-Data-Licence"] == "etalab-2.0"
    assert 'rel="license"' in response["Link"]
    assert {r["title"] for r in data["results"]} == {"Jardin de Limoux", "Atelier vélo de Béziers"}


def test_csv_export_has_the_documented_columns_and_filters(client, records):
    response = client.get(
        reverse("opendata:export_csv", args=["initiatives"]), {"territoire": "departement:11"}
    )
    assert response["X-Data-Licence"] == "ODbL-1.0"
    rows = list(csv.DictReader(io.StringIO(_body(response).decode("utf-8-sig"))))
    assert [r["title"] for r in rows] == ["Jardin de Limoux"]
    assert rows[0]["themes"] == "Alimentation"
    response = client.get(
        reverse("opendata:export_csv", args=["initiatives"]), {"theme": "inconnu"}
    )
    assert len(list(csv.reader(io.StringIO(_body(response).decode("utf-8-sig"))))) == 1
    response = client.get(reverse("opendata:export_csv", args=["initiatives"]), {"depuis": "hier"})
    assert response.status_code == 400


def test_geojson_export_follows_rfc_7946(client, records):
    response = client.get(reverse("opendata:export_geojson", args=["initiatives"]))
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(_body(response))
    assert data["type"] == "FeatureCollection"
    assert data["licence"]["id"] == "ODbL-1.0"
    located = 0
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        if geometry is not None:
            located += 1
            assert geometry["type"] == "Point"
            lon, lat = geometry["coordinates"]  # longitude first
            assert -180 <= lon <= 180 and -90 <= lat <= 90
            assert lon == pytest.approx(2.22) and lat == pytest.approx(43.05)
    assert located == 1


def test_unknown_dataset_is_a_404(client):
    assert client.get(reverse("opendata:export_csv", args=["inconnu"])).status_code == 404
    assert client.get(reverse("opendata:feed_rss", args=["inconnu"])).status_code == 404


def test_api_paginates_filters_and_states_the_licence(client, records):
    url = reverse("opendata:api:list_initiatives")
    response = client.get(url, {"page_size": 1})
    data = response.json()
    assert response["X-Data-Licence"] == "ODbL-1.0"
    assert data["licence"]["url"].startswith("https://opendatacommons.org/")
    assert data["count"] == 2 and len(data["results"]) == 1 and data["previous"] is None
    second = client.get(data["next"]).json()
    assert second["page"] == 2 and second["next"] is None
    assert {data["results"][0]["title"], second["results"][0]["title"]} == {
        "Jardin de Limoux",
        "Atelier vélo de Béziers",
    }
    assert client.get(url, {"theme": "alimentation"}).json()["count"] == 1
    assert client.get(url, {"territory": "11206"}).json()["count"] == 1
    assert client.get(url, {"territory": "region:76"}).json()["count"] == 2
    assert client.get(url, {"since": "2999-01-01"}).json()["count"] == 0
    assert client.get(url, {"page_size": 10_000}).status_code == 422
    assert client.get(url, {"page": 2**70}).status_code == 422


def test_api_people_show_only_public_contacts(client, records):
    data = client.get(reverse("opendata:api:list_personnes")).json()
    assert [p["name"] for p in data["results"]] == ["Personne publique"]
    assert data["results"][0]["email"] == "pub@example.org"
    assert data["results"][0]["phone"] == ""


def test_api_list_query_count(client, records, django_assert_max_num_queries):
    for n in range(30):
        InitiativeFactory(title=f"Initiative {n}").themes.add(records["food"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("opendata:api:list_initiatives"), {"page_size": 50})
    assert len(response.json()["results"]) == 32


def test_openapi_description_is_stable_and_documented(client):
    response = client.get("/donnees/api/v1/openapi.json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/donnees/api/v1/initiatives" in schema["paths"]
    page = client.get(reverse("opendata:api_docs")).content.decode()
    assert "/donnees/api/v1/openapi.json" in page


def test_feeds_validate(client, records):
    for feed in _feeds():
        for name in ("opendata:feed_rss", "opendata:feed_atom"):
            parsed = feedparser.parse(client.get(reverse(name, args=[feed.key])).content)
            assert not parsed.bozo, (feed.key, parsed.bozo_exception)
    parsed = feedparser.parse(
        client.get(reverse("opendata:feed_rss", args=["initiatives"])).content
    )
    assert {e.title for e in parsed.entries} == {"Jardin de Limoux", "Atelier vélo de Béziers"}
    parsed = feedparser.parse(
        client.get(reverse("opendata:feed_atom", args=["rencontres"])).content
    )
    assert [e.title.split(" · ")[1] for e in parsed.entries] == ["Forum ouvert"]


def test_ical_feed_still_parses(client, records):
    import icalendar

    calendar = icalendar.Calendar.from_ical(client.get(reverse("events:feed_all")).content)
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["Forum ouvert"]


def test_exports_query_count_does_not_grow_with_rows(
    client, records, django_assert_max_num_queries
):
    for n in range(40):
        InitiativeFactory(title=f"Initiative {n}").themes.add(records["food"])
    for name in ("opendata:export_csv", "opendata:export_json", "opendata:export_geojson"):
        with django_assert_max_num_queries(8):
            body = _body(client.get(reverse(name, args=["initiatives"])))
        assert b"Initiative 39" in body


def test_index_lists_every_dataset_and_feed(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        page = client.get(reverse("opendata:index")).content.decode()
    for key in ("structures", "initiatives", "personnes", "rencontres"):
        assert reverse("opendata:export_csv", args=[key]) in page
    assert reverse("opendata:feed_rss", args=["lettres"]) in page


def test_event_jsonld_never_holds_the_video_link(rf, records):
    from maillage.events.models import Event
    from maillage.events.publish import event_jsonld

    event = Event.objects.get(title="Forum ouvert")
    data = json.loads(event_jsonld(event, rf.get("/")))
    assert data["@type"] == "Event"
    assert data["location"]["address"]["addressLocality"] == "Carcassonne"
    assert data["eventAttendanceMode"].endswith("MixedEventAttendanceMode")
    assert SECRET not in json.dumps(data)
