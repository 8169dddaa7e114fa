"""The map page without JavaScript, the list fragment the script refreshes, the menu,
and the Leaflet files served from node_modules."""

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from maillage.core.navigation import get_pillar
from maillage.maps.finders import NodeModulesFinder

URL = reverse("maps:map")


@pytest.mark.django_db
def test_without_javascript_the_page_lists_the_results(network):
    response = Client().get(URL, {"type": "initiative"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "3 fiches" in page
    for title in ("Cantine solidaire", "Centrale villageoise", "Jardin partagé"):
        assert title in page
    assert "Épicerie coopérative" not in page
    assert 'id="map-note"' in page
    assert 'id="map-config"' in page
    # The embed snippet carries the criteria.
    assert "/carte/embed?type=initiative" in page


@pytest.mark.django_db
def test_the_list_follows_the_viewport(network, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = Client().get(
            URL, {"bbox": "2.1,43.0,2.3,43.1", "zoom": "11"}, headers={"HX-Request": "true"}
        )
    page = response.content.decode()
    assert not page.lstrip().startswith("<!DOCTYPE")
    assert 'id="results"' in page
    assert "2 fiches dans cette zone" in page
    assert "Centrale villageoise" in page and "Paule Publique" in page
    assert "Cantine solidaire" not in page


@pytest.mark.django_db
def test_members_see_more_people(network, member):
    client = Client()
    assert "Marc Membres" not in client.get(URL).content.decode()
    client.force_login(member)
    page = client.get(URL).content.decode()
    assert "Marc Membres" in page
    assert "Pia Privée" not in page


@pytest.mark.django_db
def test_bad_criteria_show_an_error_not_a_500(network):
    response = Client().get(URL, {"theme": "n-existe-pas", "lat": "x"})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()


def test_the_map_is_in_the_menu():
    entries = [entry.url_name for entry in get_pillar("se-connaitre").entries]
    assert "maps:map" in entries


def test_leaflet_comes_from_node_modules_and_only_what_is_needed():
    assert finders.find("vendor/leaflet/leaflet.js")
    assert finders.find("vendor/leaflet/leaflet.css")
    assert finders.find("vendor/leaflet/images/marker-icon.png")
    assert finders.find("vendor/leaflet/leaflet-src.js") is None
    assert finders.find("vendor/leaflet/../package.json") is None
    listed = {path for path, _storage in NodeModulesFinder().list([])}
    assert "leaflet.js" in listed and "images/layers.png" in listed
    assert not any(path.startswith("leaflet-src") for path in listed)


def test_collectstatic_with_the_production_storage(settings, tmp_path):
    # The manifest storage follows url() and sourceMappingURL references: every file
    # they name must be served too.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    assert list(tmp_path.glob("vendor/leaflet/leaflet.*.js"))
    assert list(tmp_path.glob("maps/map.*.js"))
    assert not list(tmp_path.glob("vendor/leaflet/leaflet-src*"))


def _config(response) -> dict:
    import json
    import re

    found = re.search(
        r'<script id="map-config" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(found.group(1))


@pytest.mark.django_db
def test_the_embedded_map_takes_its_criteria_and_view_from_the_url(network):
    response = Client().get(
        reverse("maps:embed"), {"type": "initiative", "centre": "43.2,2.35", "zoom": "9"}
    )
    assert response.status_code == 200
    config = _config(response)
    assert config["embed"] is True
    assert config["criteria"] == {"type": "initiative", "public": "1"}
    assert config["view"] == {"centre": [43.2, 2.35], "zoom": 9}
    assert "/carte/?type=initiative" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"centre": "nord"}, {"zoom": "30"}, {"theme": "x"}])
def test_the_embedded_map_refuses_bad_criteria(network, params):
    response = Client().get(reverse("maps:embed"), params)
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()


@pytest.mark.django_db
def test_around_a_commune_without_javascript(network):
    response = Client().get(URL, {"autour_search": "Limoux", "rayon": "5"})
    page = response.content.decode()
    assert "2 fiches" in page
    assert "Centrale villageoise" in page and "Paule Publique" in page
    assert _config(response)["view"] == {"around": [43.05, 2.22, 5]}


@pytest.mark.django_db
@pytest.mark.parametrize("threshold", [1, 10_000])
def test_the_list_is_the_same_whichever_index_it_walks(network, monkeypatch, threshold):
    from maillage.maps import views

    monkeypatch.setattr(views, "LIST_BOX_INDEX_BELOW", threshold)
    response = Client().get(
        URL, {"bbox": "0.5,42.5,5.0,44.5", "zoom": "9", "theme": "alimentation"}
    )
    page = response.content.decode()
    assert "3 fiches dans cette zone" in page
    titles = ["Cantine solidaire", "Épicerie coopérative", "Paule Publique"]
    positions = [page.index(title) for title in titles]
    assert positions == sorted(positions)  # alphabetical (accents folded)
