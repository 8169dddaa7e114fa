"""GoGoCarto exchange: the element endpoint, the import (JSON, CSV, command, page), and the
round trip into an empty database."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from maillage.directory.models import Initiative, Theme
from maillage.directory.tests.factories import InitiativeFactory, ThemeFactory, aude_and_herault
from maillage.opendata import gogocarto
from maillage.opendata.models import ImportedElement
from maillage.territories.models import PostalCode

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    places = aude_and_herault()
    PostalCode.objects.create(code="11300", commune=places["limoux"])
    PostalCode.objects.create(code="11000", commune=places["carcassonne"])
    PostalCode.objects.create(code="34500", commune=places["beziers"])
    return places


def _snapshot() -> list[tuple]:
    return sorted(
        (
            i.title,
            i.summary,
            i.description,
            i.website,
            i.commune.code if i.commune else None,
            i.latitude,
            tuple(sorted(t.name for t in i.themes.all())),
        )
        for i in Initiative.objects.published().select_related("commune")
    )


def test_elements_endpoint_speaks_gogocarto(client, places):
    food = ThemeFactory(name="Alimentation", slug="alimentation")
    initiative = InitiativeFactory(
        title="Jardin de Limoux", commune=places["limoux"], latitude=43.05, longitude=2.22
    )
    initiative.themes.add(food)
    InitiativeFactory(title="Pas encore validée", status="proposed")
    data = client.get(reverse("opendata:gogocarto")).json()
    assert data["ontology"] == "gogofull"
    assert data["licence"].startswith("https://")
    (element,) = data["data"]
    assert element["name"] == "Jardin de Limoux"
    assert element["geo"] == {"latitude": 43.05, "longitude": 2.22}
    assert element["address"]["postalCode"] == "11300"
    assert element["address"]["addressLocality"] == "Limoux"
    assert element["categories"] == ["Alimentation"]
    assert element["categoriesFull"] == [{"id": food.pk, "name": "Alimentation"}]


def test_round_trip_into_an_empty_database(client, places):
    food = ThemeFactory(name="Alimentation", slug="alimentation")
    mobility = ThemeFactory(name="Mobilité", slug="mobilite")
    first = InitiativeFactory(
        title="Jardin de Limoux",
        summary="Un jardin partagé.",
        description="Longue description.",
        website="https://jardin.example.org/",
        commune=places["limoux"],
        latitude=places["limoux"].latitude,
        longitude=places["limoux"].longitude,
    )
    first.themes.add(food, mobility)
    InitiativeFactory(
        title="Atelier vélo",
        commune=places["beziers"],
        latitude=places["beziers"].latitude,
        longitude=places["beziers"].longitude,
    ).themes.add(mobility)
    InitiativeFactory(title="Sans lieu")
    exported = client.get(reverse("opendata:gogocarto")).content
    before = _snapshot()

    # An empty database: no initiative, no theme (territories are reference data).
    Initiative.objects.all().delete()
    Theme.objects.all().delete()
    report = gogocarto.gogocarto_import(
        elements=gogocarto.parse(exported), source="autre-maillage", create_themes=True
    )
    assert report.created == 3
    assert _snapshot() == before

    # Running it again creates nothing.
    report = gogocarto.gogocarto_import(
        elements=gogocarto.parse(exported), source="autre-maillage", create_themes=True
    )
    assert (report.created, report.updated) == (0, 3)
    assert _snapshot() == before


def test_import_maps_categories_geocodes_and_detects_duplicates(places):
    ThemeFactory(name="Alimentation", slug="alimentation")
    existing = InitiativeFactory(title="Épicerie Solidaire", commune=places["carcassonne"])
    elements = [
        {
            "id": 1,
            "name": "Épicerie solidaire",  # same as an existing record (case aside)
            "address": {"postalCode": "11000", "addressLocality": "Carcassonne"},
            "categories": ["alimentation"],
        },
        {
            "id": "b2",
            "title": "AMAP du Razès",
            "lat": 43.0,
            "lng": 2.2,
            "address": {"postalCode": "", "addressLocality": "Limoux"},
            "taxonomy": ["Alimentation", "Inconnue"],
        },
        {"id": 3, "description": "sans nom"},
    ]
    report = gogocarto.gogocarto_import(elements=elements, source="carte-aude")
    assert (report.created, report.linked, report.skipped) == (1, 1, 1)
    assert report.unmapped == {"Inconnue"}
    assert Initiative.objects.filter(search_name="epicerie solidaire").count() == 1
    assert ImportedElement.objects.get(external_id="1").initiative == existing
    amap = Initiative.objects.get(title="AMAP du Razès")
    assert amap.commune == places["limoux"]
    assert [t.name for t in amap.themes.all()] == ["Alimentation"]


def test_csv_import_by_command(tmp_path, places, capsys):
    path = tmp_path / "carte.csv"
    path.write_text(
        "id,name,description,postalCode,addressLocality,categories,website\n"
        "7,Ressourcerie,Réemploi,34500,Béziers,Déchets,https://r.example.org\n",
        encoding="utf-8",
    )
    call_command("import_gogocarto", str(path), "--source", "csv", "--create-themes")
    call_command("import_gogocarto", str(path), "--source", "csv", "--create-themes")
    initiative = Initiative.objects.get()
    assert initiative.commune == places["beziers"]
    assert [t.name for t in initiative.themes.all()] == ["Déchets"]
    assert "1 mises à jour" in capsys.readouterr().out or Initiative.objects.count() == 1


def test_import_page_reports_and_refuses_bad_files(client, facilitator, places):
    client.force_login(facilitator)
    url = reverse("opendata:gogocarto_import")
    bad = SimpleUploadedFile("x.json", b"{pas du json", content_type="application/json")
    response = client.post(url, {"file": bad, "source": "carte"})
    assert response.status_code == 400
    assert "JSON illisible" in response.content.decode()
    good = SimpleUploadedFile(
        "x.json",
        json.dumps(
            {"data": [{"id": 1, "name": "Tiers-lieu", "address": {"postalCode": "11300"}}]}
        ).encode(),
        content_type="application/json",
    )
    response = client.post(url, {"file": good, "source": "carte"})
    assert response.status_code == 200
    assert Initiative.objects.get().commune == places["limoux"]
