"""The map follows the directory: signals keep the points and clusters current, and the
incremental result is always what a full rebuild computes."""

import random

import pytest

from maillage.directory.models import Initiative, Organisation, Person
from maillage.directory.services import record_moderate
from maillage.directory.tests.factories import ThemeFactory
from maillage.maps import grid
from maillage.maps.models import Audience, Kind, MapCluster, MapPoint, MapPointTheme
from maillage.maps.rebuild import map_rebuild
from maillage.maps.sync import point_sync

from .conftest import initiative_at, person_at

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    """The clusters, comparable between two computations."""
    return {
        (c.level, c.facet, c.cx, c.cy, c.kind, c.audience): (
            c.count,
            round(c.sum_lat, 6),
            round(c.sum_lon, 6),
            c.point_id if c.count == 1 else None,
        )
        for c in MapCluster.objects.all()
    }


def point_snapshot() -> dict:
    return {
        (p.kind, p.object_id): (p.title, p.audience, p.x, p.y, p.departement_id)
        for p in MapPoint.objects.all()
    } | {
        ("theme", link.point.kind, link.point.object_id, link.theme_id): 1
        for link in MapPointTheme.objects.select_related("point")
    }


def counts() -> dict:
    """The clusters without their point ids (which a rebuild renumbers)."""
    return {key: value[:3] for key, value in snapshot().items()}


def assert_point_ids_valid() -> None:
    """A cluster of one names the point it holds."""
    for cluster in MapCluster.objects.filter(count=1):
        point = MapPoint.objects.get(pk=cluster.point_id)
        assert (point.kind, point.audience) == (cluster.kind, cluster.audience)
        assert grid.cell_of(point.x, point.y, cluster.level) == (cluster.cx, cluster.cy)


def assert_same_as_rebuild() -> None:
    assert_point_ids_valid()
    incremental, points = counts(), point_snapshot()
    map_rebuild()
    assert point_snapshot() == points
    assert counts() == incremental


def total(level: int = 0, facet: str = "", **filters) -> int:
    clusters = MapCluster.objects.filter(level=level, facet=facet, **filters)
    return sum(clusters.values_list("count", flat=True))


def test_only_what_may_appear_gets_a_point(network):
    shown = {(Kind(k).label, t) for k, t in MapPoint.objects.values_list("kind", "title")}
    assert {title for _kind, title in shown} == {
        "Cantine solidaire",
        "Centrale villageoise",
        "Jardin partagé",
        "Épicerie coopérative",
        "Atelier vélo",
        "Paule Publique",
        "Marc Membres",
    }
    assert MapPoint.objects.get(title="Marc Membres").audience == Audience.MEMBERS
    for level in grid.LEVELS:
        assert total(level) == 7


def test_publish_then_delete_an_initiative_updates_the_clusters(network, facilitator):
    before = counts()
    proposal = initiative_at(network["limoux"], title="Nouvelle idée", status="proposed")
    assert counts() == before
    assert not MapPoint.objects.filter(title="Nouvelle idée").exists()

    record_moderate(record=proposal, actor=facilitator, accept=True)
    for level in grid.LEVELS:
        assert total(level, kind=Kind.INITIATIVE) == 4
    point = MapPoint.objects.get(kind=Kind.INITIATIVE, object_id=proposal.pk)
    assert (point.latitude, point.longitude) == (43.05, 2.22)
    assert point.departement_id == network["aude"].pk
    assert_same_as_rebuild()

    Initiative.objects.get(pk=proposal.pk).delete()
    assert not MapPoint.objects.filter(object_id=proposal.pk, kind=Kind.INITIATIVE).exists()
    assert counts() == before
    assert_point_ids_valid()


def test_moving_and_renaming(network):
    initiative = network["i3"]
    initiative.commune = network["carcassonne"]
    initiative.latitude, initiative.longitude = 43.21, 2.35
    initiative.title = "Jardin partagé de la Cité"
    initiative.save()
    point = MapPoint.objects.get(kind=Kind.INITIATIVE, object_id=initiative.pk)
    assert point.title == "Jardin partagé de la Cité"
    assert point.departement_id == network["aude"].pk
    assert_same_as_rebuild()


def test_a_cell_left_with_one_point_shows_that_point(network):
    # Carcassonne holds i1 and o1 (different kinds) and, at zoom 0, the same cell as
    # every initiative. Removing i1 leaves the cells of initiatives with fewer points.
    i1, i2 = network["i1"], network["i2"]
    point = MapPoint.objects.get(kind=Kind.INITIATIVE, object_id=i1.pk)
    cell = MapCluster.objects.get(
        level=grid.MAX_ZOOM, facet="", kind=Kind.INITIATIVE, point_id=point.pk
    )
    Initiative.objects.get(pk=i1.pk).delete()
    assert not MapCluster.objects.filter(pk=cell.pk).exists()
    Initiative.objects.get(pk=network["i3"].pk).delete()
    remaining = MapPoint.objects.get(kind=Kind.INITIATIVE, object_id=i2.pk)
    for cluster in MapCluster.objects.filter(kind=Kind.INITIATIVE):
        assert (cluster.count, cluster.point_id) == (1, remaining.pk)


def test_facets_count_themes_and_territories(network):
    food, aude, herault = network["food"], network["aude"], network["herault"]
    occitanie = network["occitanie"]
    assert not MapCluster.objects.filter(level__gt=grid.FACET_MAX_ZOOM).exclude(facet="")
    for level in range(grid.FACET_MAX_ZOOM + 1):
        assert total(level, f"theme:{food.pk}") == 3  # i1, o1, p_public
        assert total(level, f"departement:{aude.pk}") == 4
        assert total(level, f"departement:{herault.pk}") == 3  # with Marc (members)
        assert total(level, f"region:{occitanie.pk}") == 7
    # Moving to the Hérault moves the point between département facets.
    initiative = network["i1"]
    beziers = network["beziers"]
    initiative.commune, initiative.latitude, initiative.longitude = beziers, 43.34, 3.22
    initiative.save()
    assert total(5, f"departement:{aude.pk}") == 3
    assert total(5, f"departement:{herault.pk}") == 4
    assert total(5, f"theme:{food.pk}") == 3
    assert_same_as_rebuild()


def test_people_follow_their_choices(network, member):
    person = network["p_public"]
    person.on_map = False
    person.save()
    assert not MapPoint.objects.filter(kind=Kind.PERSON, object_id=person.pk).exists()
    person.on_map = True
    person.visibility = "members"
    person.save()
    assert MapPoint.objects.get(kind=Kind.PERSON, object_id=person.pk).audience == 1
    person.visibility = "private"
    person.save()
    assert not MapPoint.objects.filter(kind=Kind.PERSON, object_id=person.pk).exists()
    assert_same_as_rebuild()


def test_a_person_is_placed_at_their_first_commune(network):
    person = person_at(network["beziers"], name="Nina Nomade")
    person.territories.add(network["carcassonne"])
    point = MapPoint.objects.get(kind=Kind.PERSON, object_id=person.pk)
    assert point.commune_id == network["beziers"].pk
    person.territories.remove(network["beziers"])
    point.refresh_from_db()
    assert point.commune_id == network["carcassonne"].pk
    person.territories.clear()
    assert not MapPoint.objects.filter(pk=point.pk).exists()
    # A département alone does not place a person.
    person.territories.add(network["aude"])
    assert not MapPoint.objects.filter(kind=Kind.PERSON, object_id=person.pk).exists()


def test_a_deactivated_account_leaves_the_map(network, member):
    person = person_at(network["limoux"], name="Camille Compte", user=member)
    assert MapPoint.objects.filter(kind=Kind.PERSON, object_id=person.pk).exists()
    member.is_active = False
    member.save()
    assert not MapPoint.objects.filter(kind=Kind.PERSON, object_id=person.pk).exists()


def test_themes_follow_from_both_sides(network):
    food, energy = network["food"], network["energy"]
    i3 = network["i3"]
    i3.themes.add(energy)
    point = MapPoint.objects.get(kind=Kind.INITIATIVE, object_id=i3.pk)
    assert set(point.theme_links.values_list("theme_id", flat=True)) == {energy.pk}
    food.initiatives.add(i3)
    assert set(point.theme_links.values_list("theme_id", flat=True)) == {energy.pk, food.pk}
    food.initiatives.clear()
    assert not MapPointTheme.objects.filter(theme=food, point__kind=Kind.INITIATIVE).exists()
    assert MapPointTheme.objects.filter(theme=food, point__kind=Kind.ORGANISATION).exists()
    energy.delete()
    assert not point.theme_links.exists()
    assert_same_as_rebuild()


def test_a_record_without_coordinates_uses_its_commune(network):
    organisation = Organisation.objects.create(
        name="Saisie dans l'admin",
        kind="association",
        status="published",
        commune=network["beziers"],
    )
    point = MapPoint.objects.get(kind=Kind.ORGANISATION, object_id=organisation.pk)
    assert (point.latitude, point.longitude) == (43.34, 3.22)


def test_sync_is_idempotent(network, django_assert_max_num_queries):
    before = snapshot()
    with django_assert_max_num_queries(6):  # read the record, its themes, its point
        point_sync(Kind.INITIATIVE, network["i1"].pk)
    assert snapshot() == before


def test_random_edits_always_match_a_rebuild(network):
    rng = random.Random(4)
    communes = [network["carcassonne"], network["limoux"], network["beziers"]]
    themes = [network["food"], network["energy"], ThemeFactory()]
    for step in range(60):
        action = rng.choice(["create", "publish", "move", "delete", "theme", "person"])
        initiatives = list(Initiative.objects.all())
        if action == "create" or not initiatives:
            initiative_at(
                rng.choice(communes),
                title=f"Initiative {step}",
                status=rng.choice(["published", "proposed"]),
            )
        elif action == "publish":
            record = rng.choice(initiatives)
            record.status = rng.choice(["published", "proposed", "rejected"])
            record.save()
        elif action == "move":
            record, commune = rng.choice(initiatives), rng.choice(communes)
            record.commune, record.latitude, record.longitude = (
                commune,
                commune.latitude + rng.uniform(-0.01, 0.01),
                commune.longitude,
            )
            record.save()
        elif action == "delete":
            rng.choice(initiatives).delete()
        elif action == "theme":
            rng.choice(initiatives).themes.set(rng.sample(themes, k=rng.randint(0, 2)))
        else:
            person = rng.choice(list(Person.objects.all()))
            person.on_map = rng.random() < 0.7
            person.visibility = rng.choice(["public", "members", "private"])
            person.save()
        if step % 20 == 19:
            assert_same_as_rebuild()
    assert_same_as_rebuild()


def test_rebuild_command(network, capsys):
    from django.core.management import call_command

    MapCluster.objects.all().delete()
    call_command("rebuild_map", verbosity=1)
    assert "Carte recalculée" in capsys.readouterr().out
    assert total(0) == 7
