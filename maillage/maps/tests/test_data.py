"""The data endpoint: clusters and points for a viewport, for every role.

Never more than the cap, never a point the viewer may not see (not even counted in a
cluster), clusters that add up, filters, and a 400 — never a 500 — for bad input.
"""

import json

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maillage.directory.models import Initiative
from maillage.maps import clusters, grid
from maillage.maps.rebuild import map_rebuild

pytestmark = pytest.mark.django_db

URL = reverse("maps:data")
AQUITAINE_TO_PROVENCE = "0.5,42.5,5.0,44.5"
PUBLIC_TITLES = {
    "Cantine solidaire",
    "Centrale villageoise",
    "Jardin partagé",
    "Épicerie coopérative",
    "Atelier vélo",
    "Paule Publique",
}
MEMBER_TITLES = PUBLIC_TITLES | {"Marc Membres"}
NEVER = {"Projet en attente", "Fiche refusée", "Pia Privée", "Olga Horscarte"}
POINT_KEYS = {"lat", "lon", "kind", "id", "title", "url"}
CLUSTER_KEYS = {"lat", "lon", "count", "items"}


def get(client, **params):
    response = client.get(URL, params)
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content)


def titles(body) -> set[str]:
    found = {p["title"] for p in body["points"]}
    for cluster in body["clusters"]:
        found |= {item["title"] for item in cluster.get("items", [])}
    return found


@pytest.fixture
def viewers(member, facilitator):
    clients = {"anonymous": Client(), "member": Client(), "facilitator": Client()}
    clients["member"].force_login(member)
    clients["facilitator"].force_login(facilitator)
    return clients


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", PUBLIC_TITLES), ("member", MEMBER_TITLES), ("facilitator", MEMBER_TITLES)],
)
def test_each_role_sees_what_it_may_at_every_zoom(network, viewers, role, expected):
    client = viewers[role]
    for zoom in range(11):  # beyond, this box is too large for the zoom
        status, body = get(client, bbox=AQUITAINE_TO_PROVENCE, zoom=zoom)
        assert status == 200
        # Clusters add up to the points in view; private points are not even counted.
        assert body["total"] == len(expected)
        assert sum(c["count"] for c in body["clusters"]) + len(body["points"]) == len(expected)
        assert not titles(body) & NEVER
        assert titles(body) <= expected
        for point in body["points"]:
            assert set(point) == POINT_KEYS
        for cluster in body["clusters"]:
            assert set(cluster) <= CLUSTER_KEYS


@pytest.mark.parametrize("role", ["anonymous", "member", "facilitator"])
def test_close_up_every_visible_point_is_shown_and_no_other(network, viewers, role):
    # At the last zoom, points at the same place are listed in their cluster.
    expected = PUBLIC_TITLES if role == "anonymous" else MEMBER_TITLES
    seen = set()
    for lon, lat in [(2.35, 43.21), (2.22, 43.05), (3.22, 43.34)]:
        bbox = grid.viewport_bbox(lat, lon, grid.MAX_ZOOM, 1280, 800)
        status, body = get(viewers[role], bbox=",".join(map(str, bbox)), zoom=grid.MAX_ZOOM)
        assert status == 200
        seen |= titles(body)
    assert seen == expected


def test_a_single_point_links_to_its_page(network, viewers):
    _status, body = get(viewers["anonymous"], bbox=AQUITAINE_TO_PROVENCE, zoom=9, type="personne")
    [point] = body["points"]
    assert point["title"] == "Paule Publique"
    assert point["url"] == network["p_public"].get_absolute_url()
    assert viewers["anonymous"].get(point["url"]).status_code == 200


def test_no_personal_field_in_the_payload(network, viewers):
    person = network["p_public"]
    person.email, person.email_visibility = "paule.perso@example.org", "public"
    person.phone, person.address = "06 12 34 56 78", "3 rue des Lilas, Limoux"
    person.save()
    for zoom in (5, 12, grid.MAX_ZOOM):
        bbox = grid.viewport_bbox(43.05, 2.22, zoom, 1280, 800)
        response = viewers["member"].get(URL, {"bbox": ",".join(map(str, bbox)), "zoom": zoom})
        content = response.content.decode()
        for value in ("paule.perso@example.org", "06 12 34 56 78", "rue des Lilas", "email"):
            assert value not in content


def test_public_asks_for_public_points_only(network, viewers):
    _status, body = get(viewers["member"], bbox=AQUITAINE_TO_PROVENCE, zoom=9, public="1")
    assert body["total"] == len(PUBLIC_TITLES)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "initiative"}, {"Cantine solidaire", "Centrale villageoise", "Jardin partagé"}),
        ({"type": "structure"}, {"Épicerie coopérative", "Atelier vélo"}),
        ({"type": "personne"}, {"Paule Publique"}),
        (
            {"theme": "alimentation"},
            {"Cantine solidaire", "Épicerie coopérative", "Paule Publique"},
        ),
        ({"theme": "alimentation", "type": "structure"}, {"Épicerie coopérative"}),
        ({"territoire_search": "Hérault"}, {"Jardin partagé", "Atelier vélo"}),
        (
            {"territoire_search": "Aude"},
            {"Cantine solidaire", "Centrale villageoise", "Épicerie coopérative", "Paule Publique"},
        ),
        ({"territoire_search": "Limoux"}, {"Centrale villageoise", "Paule Publique"}),
        ({"territoire_search": "Occitanie"}, PUBLIC_TITLES),
        # A theme and a territory: no precomputed facet, counted live.
        (
            {"theme": "alimentation", "territoire_search": "Aude"},
            {"Cantine solidaire", "Épicerie coopérative", "Paule Publique"},
        ),
        ({"autour_search": "Béziers", "rayon": "5"}, {"Jardin partagé", "Atelier vélo"}),
        # Carcassonne to Limoux is 20 km: in a 50 km circle, not in a 10 km one.
        (
            {"lat": "43.21", "lon": "2.35", "rayon": "10"},
            {"Cantine solidaire", "Épicerie coopérative"},
        ),
        (
            {"lat": "43.21", "lon": "2.35", "rayon": "50"},
            {"Cantine solidaire", "Épicerie coopérative", "Centrale villageoise", "Paule Publique"},
        ),
    ],
)
def test_filters(network, viewers, params, expected):
    for zoom in (5, grid.MAX_ZOOM):
        if zoom == grid.MAX_ZOOM:
            # Close up, visit each place; the filtered set is the union.
            found, total = set(), 0
            for lat, lon in [(43.21, 2.35), (43.05, 2.22), (43.34, 3.22)]:
                bbox = grid.viewport_bbox(lat, lon, zoom, 1280, 800)
                status, body = get(
                    viewers["anonymous"], bbox=",".join(map(str, bbox)), zoom=zoom, **params
                )
                assert status == 200, body
                found |= titles(body)
                total += body["total"]
            assert found == expected
            assert total == len(expected)
        else:
            status, body = get(
                viewers["anonymous"], bbox=AQUITAINE_TO_PROVENCE, zoom=zoom, **params
            )
            assert status == 200, body
            assert body["total"] == len(expected)


def test_never_more_than_the_cap(places):
    # 2,500 initiatives on a grid, each in its own cell at zoom 12.
    Initiative.objects.bulk_create(
        Initiative(
            title=f"Initiative {i}-{j}",
            search_name=f"initiative {i} {j}",
            summary="-",
            status="published",
            latitude=43.0 + 0.02 * i,
            longitude=1.0 + 0.025 * j,
        )
        for i in range(50)
        for j in range(50)
    )
    map_rebuild()
    client = Client()
    status, body = get(client, bbox="0.99,42.99,2.25,44.0", zoom=12)
    assert status == 200
    assert len(body["points"]) + len(body["clusters"]) == clusters.MAX_FEATURES
    assert body["truncated"] is True
    assert body["total"] == 2500
    # The same with a filter (the live path).
    status, body = get(
        client, bbox="0.99,42.99,2.25,44.0", zoom=12, lat="43.5", lon="1.6", rayon="100"
    )
    assert len(body["points"]) + len(body["clusters"]) <= clusters.MAX_FEATURES


def test_the_cap_keeps_the_largest_clusters(network, viewers, monkeypatch):
    monkeypatch.setattr(clusters, "MAX_FEATURES", 2)
    _status, body = get(viewers["anonymous"], bbox=AQUITAINE_TO_PROVENCE, zoom=9)
    assert len(body["points"]) + len(body["clusters"]) == 2
    assert body["truncated"] is True
    assert body["total"] == len(PUBLIC_TITLES)
    assert [c["count"] for c in body["clusters"]] == [2, 2]  # Carcassonne, Béziers


def test_without_parameters_france_at_national_zoom(network, viewers):
    status, body = get(viewers["anonymous"])
    assert (status, body["zoom"], body["total"]) == (200, 5, len(PUBLIC_TITLES))


@pytest.mark.parametrize(
    "params",
    [
        {"bbox": "1,2,3"},
        {"bbox": "a,b,c,d"},
        {"bbox": "5,43,1,44"},  # west > east
        {"bbox": "1,43,2,95"},
        {"bbox": "nan,43,2,44"},
        {"bbox": "-inf,43,2,44"},
        {"zoom": "19"},
        {"zoom": "-1"},
        {"zoom": "douze"},
        {"bbox": "-180,-85,180,85", "zoom": "12"},  # the world, close up
        {"type": "avion"},
        {"theme": "n-existe-pas"},
        {"territoire": "999999999"},
        {"territoire": "abc"},
        {"territoire_search": "Nulle-Part-sur-Mer"},
        {"autour": "12", "rayon": "7"},
        {"lat": "43.2"},
        {"lat": "91", "lon": "2"},
        {"lat": "1e400", "lon": "2"},
        {"type": "initiative\x00"},
    ],
)
def test_bad_input_is_a_400_with_a_message(network, params):
    status, body = get(Client(), **params)
    assert status == 400
    assert body["error"]


KEYS = [
    "bbox",
    "zoom",
    "type",
    "theme",
    "territoire",
    "territoire_search",
    "autour",
    "autour_search",
    "rayon",
    "lat",
    "lon",
    "public",
    "page",
    "apres",
    "centre",
]


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.dictionaries(
        st.sampled_from(KEYS),
        st.one_of(
            st.text(max_size=40),
            st.from_regex(r"-?\d{1,3}(\.\d{1,8})?(,-?\d{1,3}(\.\d{1,8})?){3}", fullmatch=True),
            st.integers(min_value=-(10**20), max_value=10**20).map(str),
            st.floats().map(str),
        ),
        max_size=6,
    )
)
def test_no_input_makes_a_500(network, params):
    for other in ("maps:map", "maps:geojson", "maps:embed"):
        assert Client().get(reverse(other), params).status_code in (200, 400)
    response = Client().get(URL, params)
    assert response.status_code in (200, 400)
    body = json.loads(response.content)
    if response.status_code == 200:
        assert len(body["points"]) + len(body["clusters"]) <= clusters.MAX_FEATURES
        assert not titles(body) & NEVER
    else:
        assert body["error"]


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_precomputed_and_live_answers_agree(network, viewers, role, monkeypatch):
    """The precomputed clusters give exactly what the live aggregation gives."""
    from maillage.maps.clusters import MapQuery

    request_user = viewers[role].get(URL).wsgi_request.user
    food, aude = network["food"], network["aude"]
    for zoom in range(0, 11):
        cells = grid.cell_range(tuple(map(float, AQUITAINE_TO_PROVENCE.split(","))), zoom)
        if zoom == 10:  # and close up, around Carcassonne, where facets are live
            cells = grid.cell_range(grid.viewport_bbox(43.2, 2.3, 12, 1280, 800), 12)
        for criteria in (
            {},
            {"kind": 2},
            {"theme": food},
            {"territory": aude},
            {"kind": 1, "theme": food},
        ):
            query = MapQuery(viewer=request_user, cells=cells, **criteria)
            assert query.facet is not None
            precomputed = clusters.answer(query)
            monkeypatch.setattr(MapQuery, "facet", property(lambda self: None))
            live = clusters.answer(query)
            monkeypatch.undo()
            assert precomputed == live, (zoom, criteria)
