"""The atlas: visibility, filters, suggestions for facilitators, figures, the cap."""

import pytest
from django.urls import reverse

from maillage.directory.models import Membership
from maillage.directory.tests.factories import (
    InitiativeFactory,
    OrganisationFactory,
    PersonFactory,
    ThemeFactory,
    aude_and_herault,
)
from maillage.exchange import atlas

from .test_matching import network  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _labels(data, kind=None):
    return {n["data"]["label"] for n in data["nodes"] if kind is None or n["data"]["kind"] == kind}


def test_private_people_are_never_nodes(client, member):
    PersonFactory(name="Paula Privée", visibility="private")
    PersonFactory(name="Marc Membres", visibility="members")
    PersonFactory(name="Pia Publique", visibility="public")
    data = client.get(reverse("exchange:atlas_data")).json()
    assert _labels(data, "person") == {"Pia Publique"}
    assert "figures" not in data
    client.force_login(member)
    data = client.get(reverse("exchange:atlas_data")).json()
    assert {"Pia Publique", "Marc Membres"} <= _labels(data, "person")
    assert "Paula Privée" not in _labels(data)


def test_edges_filters_and_figures(client, facilitator):
    places = aude_and_herault()
    theme = ThemeFactory(name="Énergie citoyenne test", slug="energie-test")
    lonely = ThemeFactory(name="Culture test", slug="culture-test")
    org = OrganisationFactory(name="Asso de Limoux", commune=places["limoux"])
    carrier = PersonFactory(name="Paul Porteur")
    carrier.territories.set([places["beziers"]])
    Membership.objects.create(person=carrier, organisation=org)
    initiative = InitiativeFactory(title="Centrale villageoise", commune=places["limoux"])
    initiative.themes.add(theme)
    initiative.carrier_people.add(carrier)
    PersonFactory(name="Iris Isolée")
    client.force_login(facilitator)
    data = client.get(reverse("exchange:atlas_data")).json()
    kinds = {e["data"]["kind"] for e in data["edges"]}
    assert {"membership", "carrier", "theme", "place"} <= kinds
    figures = data["figures"]
    assert "Iris Isolée" in figures["isolated"] and "Paul Porteur" not in figures["isolated"]
    # Paul acts in the Hérault and carries an initiative of the Aude; his association
    # (Aude) reaches the Hérault through him.
    assert {b["name"] for b in figures["bridges"]} == {"Paul Porteur", "Asso de Limoux"}
    assert "Culture test" in figures["themes_without_carriers"]
    assert "Énergie citoyenne test" not in figures["themes_without_carriers"]
    filtered = client.get(reverse("exchange:atlas_data"), {"theme": theme.slug}).json()
    assert _labels(filtered, "initiative") == {"Centrale villageoise"}
    assert "Asso de Limoux" not in _labels(filtered)
    by_place = client.get(
        reverse("exchange:atlas_data"), {"territoire": places["herault"].pk}
    ).json()
    assert _labels(by_place, "person") == {"Paul Porteur"}
    page = client.get(reverse("exchange:atlas"), {"theme": "nope"}).content.decode()
    assert "Iris Isolée" in page  # the table of figures, without JavaScript
    assert lonely.name in page


def test_suggestions_are_dashed_edges_for_facilitators_only(client, facilitator, member, network):  # noqa: F811
    client.force_login(member)
    data = client.get(reverse("exchange:atlas_data")).json()
    assert not [e for e in data["edges"] if e["data"]["kind"] == "suggestion"]
    client.force_login(facilitator)
    data = client.get(reverse("exchange:atlas_data")).json()
    pairs = {
        frozenset((e["data"]["source"], e["data"]["target"]))
        for e in data["edges"]
        if e["data"]["kind"] == "suggestion"
    }
    assert frozenset((f"p{network['alice'].pk}", f"p{network['claire'].pk}")) in pairs


def test_the_graph_is_capped(client, monkeypatch):
    monkeypatch.setattr(atlas, "MAX_NODES", 5)
    for i in range(8):
        PersonFactory(name=f"Personne {i}")
    data = client.get(reverse("exchange:atlas_data")).json()
    assert data["truncated"] is True
    assert len([n for n in data["nodes"] if n["data"]["kind"] != "territory"]) == 5
    assert "limité à 5 points" in client.get(reverse("exchange:atlas")).content.decode()


def test_atlas_query_count(client, facilitator, django_assert_max_num_queries):
    places = aude_and_herault()
    for i in range(20):
        person = PersonFactory(name=f"Personne {i}")
        person.territories.set([places["limoux"]])
        person.themes.add(ThemeFactory())
    client.force_login(facilitator)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("exchange:atlas_data")).status_code == 200


def test_working_groups_and_follow_ups_are_edges(client, facilitator):
    from django.utils import timezone

    from maillage.accounts.tests.factories import UserFactory
    from maillage.events.tests.factories import EventFactory
    from maillage.forums.models import FollowUp, Group, GroupMember

    joiner, follower = UserFactory(), UserFactory()
    p1 = PersonFactory(user=joiner, name="Jeanne Groupe")
    p2 = PersonFactory(user=follower, name="Fabien Suite")
    group = Group.objects.create(
        event=EventFactory(), number=1, title="Groupe compost", working_since=timezone.now()
    )
    GroupMember.objects.create(group=group, user=joiner)
    FollowUp.objects.create(group=group, user=follower, consented_at=timezone.now())
    client.force_login(facilitator)
    data = client.get(reverse("exchange:atlas_data")).json()
    assert "Groupe compost" in _labels(data, "group")
    edges = {(e["data"]["source"], e["data"]["target"], e["data"]["kind"]) for e in data["edges"]}
    assert (f"p{p1.pk}", f"g{group.pk}", "participation") in edges
    assert (f"p{p2.pk}", f"g{group.pk}", "followup") in edges
    assert "Jeanne Groupe" not in data["figures"]["isolated"]
