"""Published experience sheets on the map: at the centre of their first located territory,
for their audience (public or members), linking to the sheet; drafts never; gone when
unpublished, moved off every located territory or deleted."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from maillage.directory.tests.factories import ThemeFactory
from maillage.knowledge import services
from maillage.knowledge.tests.factories import SheetFactory
from maillage.maps import clusters
from maillage.maps.models import Audience, Kind, MapPoint

from .test_data import get
from .test_events import AROUND_AUDE, map_titles
from .test_sync import assert_same_as_rebuild

pytestmark = pytest.mark.django_db


def sheet_in(*territories, **kwargs):
    sheet = SheetFactory(**kwargs)
    sheet.territories.add(*territories)
    return sheet


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_public_published_sheet_is_a_point_linking_to_it(places):
    sheet = sheet_in(places["limoux"], title="Une Cantine très locale")
    point = map_titles()["Une Cantine très locale"]
    assert point["kind"] == "fiche"
    assert point["url"] == reverse("knowledge:sheet", args=[sheet.pk])
    assert (point["lat"], point["lon"]) == (43.05, 2.22)
    stored = MapPoint.objects.get(kind=Kind.SHEET, object_id=sheet.pk)
    assert stored.audience == Audience.PUBLIC
    assert stored.get_absolute_url() == point["url"]
    assert stored.sort_key == "une cantine tres locale"
    assert (stored.commune_id, stored.departement_id, stored.region_id) == (
        places["limoux"].pk,
        places["aude"].pk,
        places["occitanie"].pk,
    )
    # The sheet page the popup links to opens for a visitor.
    assert Client().get(point["url"]).status_code == 200
    assert_same_as_rebuild()


def test_members_only_sheet_is_shown_to_members_only(places, member, facilitator):
    sheet_in(places["beziers"], title="Bilan interne du réseau", visibility="members")
    assert "Bilan interne du réseau" not in map_titles()
    assert "Bilan interne du réseau" in map_titles(logged_in(member))
    assert "Bilan interne du réseau" in map_titles(logged_in(facilitator))
    assert MapPoint.objects.get(kind=Kind.SHEET).audience == Audience.MEMBERS
    # The list beside the map too.
    page = Client().get(reverse("maps:map"), {"type": "fiche"})
    assert page.status_code == 200
    assert "Bilan interne du réseau" not in page.content.decode()
    page = logged_in(member).get(reverse("maps:map"), {"type": "fiche"})
    assert "Bilan interne du réseau" in page.content.decode()
    assert_same_as_rebuild()


def test_draft_is_never_on_the_map(places, member, facilitator):
    sheet_in(places["carcassonne"], title="Brouillon de fiche", status="draft")
    for client in (Client(), logged_in(member), logged_in(facilitator)):
        assert "Brouillon de fiche" not in map_titles(client)
    assert not MapPoint.objects.filter(kind=Kind.SHEET).exists()
    assert_same_as_rebuild()


def test_without_a_located_territory_stays_off_the_map(places):
    # The Aude of the fixtures has no coordinates; a sheet may have no territory at all.
    sheet_in(places["aude"], title="Fiche départementale")
    SheetFactory(title="Fiche sans territoire")
    assert not MapPoint.objects.filter(kind=Kind.SHEET).exists()
    assert_same_as_rebuild()


def test_placed_at_its_most_local_located_territory(places):
    aude = places["aude"]
    aude.latitude, aude.longitude = 43.1, 2.4
    aude.save()
    sheet = sheet_in(aude, title="Fiche de l'Aude")
    point = MapPoint.objects.get(kind=Kind.SHEET, object_id=sheet.pk)
    assert (point.latitude, point.longitude) == (43.1, 2.4)
    assert (point.commune_id, point.departement_id, point.region_id) == (
        None,
        aude.pk,
        places["occitanie"].pk,
    )
    assert set(map_titles(territoire=aude.pk)) == {"Fiche de l'Aude"}
    # A commune is more precise than its département: the sheet moves to Limoux.
    sheet.territories.add(places["limoux"])
    point = MapPoint.objects.get(kind=Kind.SHEET, object_id=sheet.pk)
    assert (point.latitude, point.longitude, point.commune_id) == (
        43.05,
        2.22,
        places["limoux"].pk,
    )
    assert_same_as_rebuild()
    # Limoux is taken off the sheet: back to the Aude.
    sheet.territories.remove(places["limoux"])
    assert MapPoint.objects.get(kind=Kind.SHEET, object_id=sheet.pk).commune_id is None
    assert_same_as_rebuild()


def test_follows_publication_unpublication_and_deletion(places, facilitator):
    sheet = services.sheet_create(
        actor=facilitator,
        title="Atelier de réparation itinérant",
        outcome="mixed",
        territories=[places["carcassonne"]],
    )
    assert "Atelier de réparation itinérant" not in map_titles()  # a draft
    services.sheet_publish(sheet=sheet, actor=facilitator)
    assert "Atelier de réparation itinérant" in map_titles()
    assert_same_as_rebuild()
    services.sheet_unpublish(sheet=sheet, actor=facilitator)
    assert "Atelier de réparation itinérant" not in map_titles(logged_in(facilitator))
    assert not MapPoint.objects.filter(kind=Kind.SHEET).exists()
    services.sheet_publish(sheet=sheet, actor=facilitator)
    services.sheet_update(sheet=sheet, actor=facilitator, visibility="members")
    assert "Atelier de réparation itinérant" not in map_titles()
    sheet.territories.clear()
    assert not MapPoint.objects.filter(kind=Kind.SHEET).exists()
    sheet.territories.add(places["limoux"])
    assert MapPoint.objects.filter(kind=Kind.SHEET).exists()
    sheet.delete()
    assert not MapPoint.objects.filter(kind=Kind.SHEET).exists()
    assert_same_as_rebuild()


def test_type_and_theme_filters(places):
    theme = ThemeFactory(name="Alimentation", slug="alimentation")
    sheet = sheet_in(places["carcassonne"], title="Légumerie partagée")
    sheet.themes.add(theme)
    assert set(map_titles(type="fiche")) == {"Légumerie partagée"}
    assert "Légumerie partagée" not in map_titles(type="initiative")
    assert set(map_titles(theme="alimentation")) == {"Légumerie partagée"}  # precomputed
    aude = places["aude"].pk
    assert set(map_titles(theme="alimentation", territoire=aude)) == {"Légumerie partagée"}
    sheet.themes.remove(theme)
    assert "Légumerie partagée" not in map_titles(theme="alimentation")
    assert_same_as_rebuild()


def test_map_page_offers_the_sheet_filter(places):
    body = Client().get(reverse("maps:map")).content.decode()
    assert 'value="fiche"' in body
    assert "Fiches d&#x27;expérience" in body


def test_rebuild_map_counts_the_sheets(places):
    sheet_in(places["carcassonne"], title="Fiche A")
    sheet_in(places["limoux"], title="Fiche B", visibility="members")
    sheet_in(places["beziers"], title="Fiche C", status="draft")
    MapPoint.objects.all().delete()
    call_command("rebuild_map", verbosity=0)
    assert set(MapPoint.objects.filter(kind=Kind.SHEET).values_list("title", flat=True)) == {
        "Fiche A",
        "Fiche B",
    }


def test_data_endpoint_never_returns_more_than_its_cap(places, member, monkeypatch):
    for commune in ("carcassonne", "limoux", "beziers"):
        sheet_in(places[commune], title=f"Fiche à {commune}")
        sheet_in(places[commune], title=f"Fiche réservée à {commune}", visibility="members")
    monkeypatch.setattr(clusters, "MAX_FEATURES", 2)
    client = logged_in(member)
    around = {"autour": places["carcassonne"].pk, "rayon": 100}  # the live path
    for params in (
        AROUND_AUDE,
        AROUND_AUDE | {"type": "fiche", "territoire": places["occitanie"].pk},
        AROUND_AUDE | around,
    ):
        status, body = get(client, **params)
        assert status == 200, body
        assert len(body["points"]) + len(body["clusters"]) == 2
        assert body["truncated"] is True
    status, body = get(client, **AROUND_AUDE)
    assert body["total"] == 6
    status, body = get(Client(), **AROUND_AUDE)
    assert body["total"] == 3
