"""The pages: results with facets (full page and htmx partial), suggestions (JSON and
fragment), the header box, query counts, and no server error whatever the input."""

import html as html_lib
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maillage.directory.tests.factories import InitiativeFactory, ThemeFactory

from .corpus import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(db):
    return build()


def test_results_page_highlights_and_counts(client, corpus):
    response = client.get(reverse("search:results"), {"q": "coopératives"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>Coopérative</mark>" in html
    assert "4 résultats" in html
    assert 'name="q"' in html and "Thématique" in html


def test_snippets_escape_html(client, db):
    InitiativeFactory(title="<script>alert(1)</script> Ressourcerie", summary="<b>gras</b>")
    html = client.get(reverse("search:results"), {"q": "ressourcerie"}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html and "<mark>Ressourcerie</mark>" in html
    assert "&lt;b&gt;gras&lt;/b&gt;" in html


def test_facet_links_combine_criteria(client, corpus):
    theme = corpus["themes"]["mobilites"]
    aude = corpus["places"]["herault"]
    response = client.get(
        reverse("search:results"), {"q": "vélo", "theme": theme.slug, "territoire": aude.pk}
    )
    assert response.context["facets"].total == 2
    html = response.content.decode()
    # Each criterion can be removed on its own, the others kept.
    assert f"?q=v%C3%A9lo&amp;territoire={aude.pk}" in html
    assert f'name="theme" value="{theme.slug}"' in html


def test_htmx_gets_the_partial(client, corpus):
    response = client.get(reverse("search:results"), {"q": "vélo"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="search-results"' in html
    assert "<html" not in html


def test_suggest_json_and_fragment(client, corpus):
    data = client.get(reverse("search:suggest"), {"q": "repair"}).json()
    assert data["suggestions"][0]["title"] == "Repair café de Carcassonne"
    assert data["suggestions"][0]["url"].startswith("/annuaire/initiatives/")
    fragment = client.get(reverse("search:suggest"), {"q": "repair"}, headers={"HX-Request": "1"})
    assert b"Repair caf" in fragment.content and b"<html" not in fragment.content
    assert client.get(reverse("search:suggest"), {"q": "re"}).json()["suggestions"] == []


def test_header_box_on_every_page(client, db):
    html = client.get(reverse("core:home")).content.decode()
    assert 'class="header-search"' in html
    assert reverse("search:suggest") in html


def test_search_is_in_the_menu(client, db):
    html = client.get(reverse("core:pillar", args=["se-connaitre"])).content.decode()
    assert reverse("search:results") in html and "Rechercher" in html


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("search:results"), params).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_results(client, corpus):
    params = {"q": "ressourcerie"}
    InitiativeFactory(title="Ressourcerie 0")
    few = _queries(client, params)
    for n in range(1, 25):
        InitiativeFactory(title=f"Ressourcerie {n}")
    assert _queries(client, params) == few
    aude = corpus["places"]["aude"]
    filtered = {"territoire": aude.pk, "theme": "energie", "date": "30j"}
    # + the theme and territory asked for, + the labels of their facets.
    assert _queries(client, filtered) <= few + 4


QUERY_PARAMS = st.dictionaries(
    st.sampled_from(["q", "type", "theme", "territoire", "statut", "date", "page", "format"]),
    st.one_of(
        st.text(max_size=300),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.sampled_from(["30j", "2024", "initiative", "person", "ongoing", "énergie", "*", "'"]),
    ),
)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(params=QUERY_PARAMS)
def test_no_server_error_on_any_input(corpus, params):
    client = Client(raise_request_exception=False)
    for name in ("search:results", "search:suggest"):
        response = client.get(reverse(name), params)
        assert response.status_code == 200, (name, params)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {}),
        ({"q": "jardin", "type": "initiative"}, {"type": ["initiative"]}),
        ({"type": "event"}, {"type": ["rencontre"]}),
        ({"type": "person"}, {"type": ["personne"]}),
    ],
)
def test_results_link_to_the_map_with_the_same_criteria(client, corpus, params, expected):
    from urllib.parse import parse_qs, urlsplit

    response = client.get(reverse("search:results"), params)
    url = urlsplit(response.context["map_url"])
    assert url.path == reverse("maps:map")
    assert parse_qs(url.query) == expected
    assert response.context["map_url"].replace("&", "&amp;") in response.content.decode()


def test_map_link_keeps_theme_and_territory(client, corpus):
    from maillage.directory.models import Theme
    from maillage.territories.models import Territory

    theme = Theme.objects.order_by("pk").first()
    aude = Territory.objects.get(kind="departement", code="11")
    response = client.get(reverse("search:results"), {"theme": theme.slug, "territoire": aude.pk})
    map_page = client.get(response.context["map_url"])
    form = map_page.context["form"]
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["theme"], form.cleaned_data["territoire"]) == (theme, aude)


def _link(html: str, rel: str) -> str:
    return html_lib.unescape(re.search(rf'<a rel="{rel}" href="([^"]*)"', html).group(1))


def test_page_two_keeps_the_words_and_the_criteria(client, db):
    food = ThemeFactory(name="Alimentation", slug="alimentation")
    for n in range(25):
        InitiativeFactory(title=f"Jardin partagé n°{n}").themes.add(food)
    url = reverse("search:results")
    first = client.get(url, {"q": "jardin", "theme": "alimentation"})
    assert first.context["pages"]["count"] == 2
    following = _link(first.content.decode(), "next")
    assert following.startswith("?") and not following.startswith("??")
    assert parse_qs(urlsplit(following).query) == {
        "q": ["jardin"],
        "theme": ["alimentation"],
        "page": ["2"],
    }

    second = client.get(url + following)
    assert second.context["pages"]["number"] == 2
    assert second.context["query"] == "jardin"
    assert second.context["facets"].total == 25
    titles = {item["hit"].title for item in second.context["results"]}
    assert len(titles) == 5
    assert not titles & {item["hit"].title for item in first.context["results"]}
    back = _link(second.content.decode(), "prev")
    assert parse_qs(urlsplit(back).query) == {
        "q": ["jardin"],
        "theme": ["alimentation"],
        "page": ["1"],
    }
