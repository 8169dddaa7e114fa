"""The GeoJSON export: RFC 7946, public points only, no personal field, page by page."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from maillage.maps import views

pytestmark = pytest.mark.django_db

URL = reverse("maps:geojson")
PUBLIC = {
    "Cantine solidaire",
    "Centrale villageoise",
    "Jardin partagé",
    "Épicerie coopérative",
    "Atelier vélo",
    "Paule Publique",
}


def fetch(client, url=URL, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)


def test_shape(network):
    assert Client().get(URL)["Access-Control-Allow-Origin"] == "*"
    collection = fetch(Client())
    assert collection["type"] == "FeatureCollection"
    assert "links" not in collection  # one page
    for feature in collection["features"]:
        assert set(feature) == {"type", "id", "geometry", "properties"}
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]  # RFC 7946: longitude first
        assert -5 < lon < 10 and 41 < lat < 52
        assert set(feature["properties"]) == {"kind", "title", "url"}
        assert feature["properties"]["url"].startswith("http://testserver/annuaire/")
    limoux = next(
        f for f in collection["features"] if f["properties"]["title"] == "Centrale villageoise"
    )
    assert limoux["geometry"]["coordinates"] == [2.22, 43.05]
    assert limoux["id"] == f"initiative-{network['i2'].pk}"


def test_public_points_only_whoever_asks(network, member, facilitator):
    for user in (None, member, facilitator):
        client = Client()
        if user:
            client.force_login(user)
        collection = fetch(client)
        assert {f["properties"]["title"] for f in collection["features"]} == PUBLIC


def test_no_personal_field(network):
    person = network["p_public"]
    person.email, person.email_visibility = "paule.perso@example.org", "public"
    person.phone, person.phone_visibility = "06 12 34 56 78", "public"
    person.save()
    content = Client().get(URL).content.decode()
    assert "paule.perso@example.org" not in content
    assert "06 12 34 56 78" not in content


def test_filters(network):
    collection = fetch(Client(), type="structure", territoire_search="Hérault")
    assert [f["properties"]["title"] for f in collection["features"]] == ["Atelier vélo"]
    collection = fetch(Client(), bbox="2.0,42.9,2.3,43.1")
    assert {f["properties"]["title"] for f in collection["features"]} == {
        "Centrale villageoise",
        "Paule Publique",
    }


def test_pages_follow_the_next_link(network, monkeypatch):
    monkeypatch.setattr(views, "GEOJSON_PAGE_SIZE", 4)
    client = Client()
    collection = fetch(client, theme="alimentation")
    assert len(collection["features"]) == 3 and "links" not in collection
    collection = fetch(client)
    titles = [f["properties"]["title"] for f in collection["features"]]
    [link] = collection["links"]
    assert link["rel"] == "next"
    collection = fetch(client, link["href"].removeprefix("http://testserver"))
    titles += [f["properties"]["title"] for f in collection["features"]]
    assert sorted(titles) == sorted(PUBLIC)
    assert "links" not in collection


@pytest.mark.parametrize("params", [{"apres": "-1"}, {"bbox": "x"}, {"type": "avion"}])
def test_bad_input_is_a_400(network, params):
    response = Client().get(URL, params)
    assert response.status_code == 400
    assert json.loads(response.content)["error"]
