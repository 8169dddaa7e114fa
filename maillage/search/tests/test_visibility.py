"""Visibility: a private profile or an unvalidated proposal never reaches someone who
may not see it — not in results, not in facet counts, not in suggestions — for each
role, through the views."""

import pytest
from django.test import Client
from django.urls import reverse

from maillage.accounts.tests.factories import UserFactory

from .corpus import build

pytestmark = pytest.mark.django_db

PRIVATE = "Jean Secret"
PROPOSAL = "Coopérative funéraire en projet"
REJECTED = "Coopérative refusée"
MEMBERS_ONLY = "Élodie Brûlé"
# Sophie Giraud's profile is for members too (not part of EXPECTED: no query finds her).
OTHER_MEMBERS_ONLY = 1


@pytest.fixture
def corpus(owner):
    return build(owner=owner)


def _client(user=None) -> Client:
    client = Client()
    if user:
        client.force_login(user)
    return client


def _viewers(corpus, facilitator):
    return {
        "anonymous": _client(),
        "member": _client(UserFactory()),
        "owner": _client(corpus["owner"]),
        "private_owner": _client(corpus["secret_user"]),
        "facilitator": _client(facilitator),
    }


# Who sees what, among the records that are not public.
EXPECTED = {
    "anonymous": set(),
    "member": {MEMBERS_ONLY},
    "owner": {MEMBERS_ONLY, PROPOSAL},
    "private_owner": {MEMBERS_ONLY, PRIVATE},
    "facilitator": {MEMBERS_ONLY, PROPOSAL, PRIVATE},
}
HIDDEN = {PRIVATE, PROPOSAL, MEMBERS_ONLY, REJECTED}


def _shown(response) -> set[str]:
    return {item["hit"].title for item in response.context["results"]} & HIDDEN


@pytest.mark.parametrize("role", list(EXPECTED))
def test_results_counts_and_suggestions_follow_visibility(corpus, facilitator, role):
    client = _viewers(corpus, facilitator)[role]
    page = client.get(reverse("search:results"), {"q": "coopérative secrète funéraire"})
    assert page.status_code == 200
    # One word per hidden record, each alone, so that every record can match.
    seen = set()
    total = 0
    for q in ["secrète", "funéraire", "refusée", "Élodie"]:
        response = client.get(reverse("search:results"), {"q": q})
        seen |= _shown(response)
        total += response.context["facets"].total
    assert seen == EXPECTED[role]
    # A hidden record is not even counted: the counts equal what is shown.
    assert total == len(EXPECTED[role])
    suggested = set()
    for q in ["jean", "coopérative fun", "coopérative ref", "élodie"]:
        data = client.get(reverse("search:suggest"), {"q": q}).json()
        suggested |= {item["title"] for item in data["suggestions"]}
    assert suggested & HIDDEN == EXPECTED[role]


@pytest.mark.parametrize("role", list(EXPECTED))
def test_facet_counts_never_count_hidden_records(corpus, facilitator, role):
    client = _viewers(corpus, facilitator)[role]
    facets = client.get(reverse("search:results")).context["facets"]
    narbonne = corpus["places"]["narbonne"]
    aude = corpus["places"]["aude"]
    # Only the proposal acts in Narbonne; the private profile acts in the Aude.
    in_narbonne = client.get(reverse("search:results"), {"territoire": narbonne.pk})
    assert in_narbonne.context["facets"].total == (1 if PROPOSAL in EXPECTED[role] else 0)
    public_total = 15 + 5 + 2
    members = OTHER_MEMBERS_ONLY if role != "anonymous" else 0
    assert facets.total == public_total + members + len(EXPECTED[role])
    in_aude = client.get(reverse("search:results"), {"territoire": aude.pk}).context["facets"]
    assert sum(in_aude.kind.values()) == in_aude.total
    people_in_aude = in_aude.kind.get("person", 0)
    expected_people = 1 + (MEMBERS_ONLY in EXPECTED[role]) + (PRIVATE in EXPECTED[role])
    assert people_in_aude == expected_people


def test_personal_fields_are_never_indexed(corpus, facilitator):
    client = _client(facilitator)
    for q in ["personnes.example.org", "06 12 34 56 78", "rue des Coopératives", "contact"]:
        response = client.get(reverse("search:results"), {"q": q})
        # What the page shows below the search box (which repeats the query).
        html = response.content.decode()
        results = html.split('id="search-results"', 1)[1].split("<footer", 1)[0]
        assert "example.org" not in results
        assert "06 12 34 56 78" not in results
        assert "12 rue des" not in results


@pytest.mark.parametrize("role", ["anonymous", "member", "facilitator"])
def test_large_result_sets_are_estimated_from_visible_documents_only(
    corpus, facilitator, role, monkeypatch
):
    """Past EXACT_COUNT_LIMIT the counts come from a sample: with a "sample" of the whole
    index they must equal the exact counts, hidden records excluded, and the page must
    still put title matches first."""
    from maillage.search import query
    from maillage.search.backends import get_backend

    client = _viewers(corpus, facilitator)[role]
    exact = client.get(reverse("search:results"), {"q": "coopérative"}).context
    monkeypatch.setattr(query, "EXACT_COUNT_LIMIT", 2)
    backend = get_backend()
    monkeypatch.setattr(backend, "sample_sql", lambda table: (f"{table} d", "1 = 1", 1))
    large = client.get(reverse("search:results"), {"q": "coopérative"}).context
    assert large["facets"].estimated
    assert large["facets"].kind == exact["facets"].kind
    assert large["facets"].theme == exact["facets"].theme
    shown = [item["hit"] for item in large["results"]]
    assert {h.title for h in shown} == {item["hit"].title for item in exact["results"]}
    assert {h.title for h in shown} & HIDDEN == EXPECTED[role] & {PROPOSAL, PRIVATE}
    flags = [h.title_hit for h in shown]
    assert flags == sorted(flags, reverse=True)
