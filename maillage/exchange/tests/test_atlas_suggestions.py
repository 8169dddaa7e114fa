"""Suggested connections in the atlas beyond person ↔ person: people and initiatives,
initiatives between themselves, and ads (drawn from their author's profile) — for
facilitators only, and never towards someone the viewer may not see."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from maillage.accounts.tests.factories import UserFactory
from maillage.directory.tests.factories import InitiativeFactory, PersonFactory
from maillage.exchange import atlas
from maillage.exchange.models import ItemType, Suggestion

from .factories import AdFactory

pytestmark = pytest.mark.django_db


def _suggest(source_type, source_id, target_type, target_id, score=1.0) -> None:
    Suggestion.objects.update_or_create(
        source_type=source_type,
        source_id=source_id,
        target_type=target_type,
        target_id=target_id,
        defaults={"score": score, "dismissed": False},
    )


def _suggestion_edges(data) -> list[dict]:
    return [e["data"] for e in data["edges"] if e["data"]["kind"] == "suggestion"]


def _pairs(data) -> set[frozenset]:
    return {frozenset((e["source"], e["target"])) for e in _suggestion_edges(data)}


def _atlas_data(client, **params) -> dict:
    response = client.get(reverse("exchange:atlas_data"), params)
    assert response.status_code == 200
    return response.json()


def test_person_initiative_and_initiative_pairs_are_dashed_edges(client, facilitator):
    person = PersonFactory(name="Paula Potagère")
    garden = InitiativeFactory(title="Jardin partagé")
    compost = InitiativeFactory(title="Compost de quartier")
    _suggest(ItemType.PERSON, person.pk, ItemType.INITIATIVE, garden.pk, 0.9)
    # The mirror of the same pair: one edge only.
    _suggest(ItemType.INITIATIVE, garden.pk, ItemType.PERSON, person.pk, 0.8)
    _suggest(ItemType.INITIATIVE, garden.pk, ItemType.INITIATIVE, compost.pk, 0.7)
    dismissed = InitiativeFactory(title="Écartée")
    _suggest(ItemType.PERSON, person.pk, ItemType.INITIATIVE, dismissed.pk, 0.95)
    Suggestion.objects.filter(target_id=dismissed.pk, target_type=ItemType.INITIATIVE).update(
        dismissed=True
    )
    client.force_login(facilitator)
    data = _atlas_data(client)
    pairs = _pairs(data)
    assert frozenset((f"p{person.pk}", f"i{garden.pk}")) in pairs
    assert frozenset((f"i{garden.pk}", f"i{compost.pk}")) in pairs
    assert frozenset((f"p{person.pk}", f"i{dismissed.pk}")) not in pairs
    person_garden = [
        e
        for e in _suggestion_edges(data)
        if {e["source"], e["target"]} == {f"p{person.pk}", f"i{garden.pk}"}
    ]
    assert len(person_garden) == 1
    node_ids = {n["data"]["id"] for n in data["nodes"]}
    ends = {end for e in data["edges"] for end in (e["data"]["source"], e["data"]["target"])}
    assert ends <= node_ids


def test_an_ad_suggestion_links_its_author_to_the_target(client, facilitator):
    author = PersonFactory(name="Denis Annonceur", user=UserFactory())
    reader = PersonFactory(name="Alice Lectrice")
    initiative = InitiativeFactory(title="Repair café")
    ad = AdFactory(author=author.user, title="Ateliers d'animation")
    _suggest(ItemType.AD, ad.pk, ItemType.PERSON, reader.pk, 0.9)
    _suggest(ItemType.PERSON, reader.pk, ItemType.AD, ad.pk, 0.85)  # its mirror
    _suggest(ItemType.AD, ad.pk, ItemType.INITIATIVE, initiative.pk, 0.5)
    expired = AdFactory(
        author=author.user,
        title="Vieille annonce",
        expires_on=timezone.localdate() - timedelta(days=1),
    )
    _suggest(ItemType.AD, expired.pk, ItemType.INITIATIVE, initiative.pk, 0.95)
    closed = AdFactory(author=author.user, title="Annonce close", status="closed")
    _suggest(ItemType.AD, closed.pk, ItemType.PERSON, reader.pk, 0.95)
    client.force_login(facilitator)
    edges = [e for e in _suggestion_edges(_atlas_data(client)) if e.get("ad")]
    assert {(e["source"], e["target"], e["label"]) for e in edges} == {
        (f"p{author.pk}", f"p{reader.pk}", "Annonce : Ateliers d'animation"),
        (f"p{author.pk}", f"i{initiative.pk}", "Annonce : Ateliers d'animation"),
    }
    assert {e["url"] for e in edges} == {reverse("exchange:ad", args=[ad.pk])}
    page = client.get(reverse("exchange:atlas")).content.decode()
    assert 'id="atlas-detail"' in page  # where the JS writes the ad's title
    assert "<script>" not in page  # the CSP stays strict: no inline script


def test_ad_without_its_author_in_view_draws_nothing(client, facilitator):
    author = PersonFactory(name="Théo Parti", user=UserFactory(is_active=False))
    reader = PersonFactory(name="Alice Lectrice")
    ad = AdFactory(author=author.user, title="Annonce orpheline")
    _suggest(ItemType.AD, ad.pk, ItemType.PERSON, reader.pk, 0.9)
    own = AdFactory(author=UserFactory(), title="Sans profil")
    _suggest(ItemType.AD, own.pk, ItemType.PERSON, reader.pk, 0.9)
    client.force_login(facilitator)
    data = _atlas_data(client)
    assert not [e for e in _suggestion_edges(data) if e.get("ad")]
    assert f"p{author.pk}" not in {n["data"]["id"] for n in data["nodes"]}


@pytest.mark.parametrize("role", ["anonymous", "member", "owner"])
def test_no_suggestion_edges_but_for_facilitators(role_client, role):
    author = PersonFactory(user=UserFactory())
    a, b = PersonFactory(), PersonFactory()
    initiative = InitiativeFactory()
    ad = AdFactory(author=author.user)
    _suggest(ItemType.PERSON, a.pk, ItemType.PERSON, b.pk)
    _suggest(ItemType.PERSON, a.pk, ItemType.INITIATIVE, initiative.pk)
    _suggest(ItemType.AD, ad.pk, ItemType.PERSON, b.pk)
    assert _suggestion_edges(_atlas_data(role_client("facilitator")))
    assert _suggestion_edges(_atlas_data(role_client(role))) == []


def test_a_private_person_is_never_the_end_of_a_suggestion(client, facilitator, member):
    hidden = PersonFactory(name="Paula Privée", visibility="private", user=UserFactory())
    public = PersonFactory(name="Pia Publique")
    initiative = InitiativeFactory()
    ad = AdFactory(author=hidden.user, title="Annonce de Paula")
    _suggest(ItemType.PERSON, hidden.pk, ItemType.INITIATIVE, initiative.pk, 0.9)
    _suggest(ItemType.PERSON, public.pk, ItemType.PERSON, hidden.pk, 0.8)
    _suggest(ItemType.AD, ad.pk, ItemType.PERSON, public.pk, 0.7)
    _suggest(ItemType.PERSON, public.pk, ItemType.INITIATIVE, initiative.pk, 0.6)
    # Even asked for suggestions, a member's atlas has none towards Paula, whom she
    # may not see — while the public pair is drawn.
    for viewer in (member, AnonymousUser()):
        data = atlas.build(viewer, with_suggestions=True)
        ends = {end for pair in _pairs(data) for end in pair}
        assert f"p{hidden.pk}" not in ends
        assert frozenset((f"p{public.pk}", f"i{initiative.pk}")) in _pairs(data)
        assert not [e for e in _suggestion_edges(data) if e.get("ad")]
    client.force_login(facilitator)  # a facilitator sees every active profile
    assert frozenset((f"p{hidden.pk}", f"i{initiative.pk}")) in _pairs(_atlas_data(client))


def test_strongest_suggestions_first_within_the_cap(client, facilitator, monkeypatch):
    monkeypatch.setattr(atlas, "MAX_SUGGESTION_EDGES", 2)
    person = PersonFactory(user=UserFactory())
    weak, strong = InitiativeFactory(), InitiativeFactory()
    other = PersonFactory()
    ad = AdFactory(author=person.user)
    Suggestion.objects.all().delete()  # only ours: what matching found is not the point
    _suggest(ItemType.PERSON, person.pk, ItemType.INITIATIVE, weak.pk, 0.1)
    _suggest(ItemType.PERSON, person.pk, ItemType.INITIATIVE, strong.pk, 0.9)
    _suggest(ItemType.AD, ad.pk, ItemType.PERSON, other.pk, 0.8)
    client.force_login(facilitator)
    edges = _suggestion_edges(_atlas_data(client))
    assert len(edges) == 2
    assert {e["target"] for e in edges} == {f"i{strong.pk}", f"p{other.pk}"}
