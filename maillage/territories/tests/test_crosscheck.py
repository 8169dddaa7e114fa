"""The cross-check against Etalab's data counts agreements and lists differences."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from maillage.territories.crosscheck import crosscheck
from maillage.territories.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def etalab_dir(tmp_path):
    communes = [
        {"code": "11069", "nom": "Carcassonne", "departement": "11", "type": "commune-actuelle"},
        {"code": "11206", "nom": "LIMOUX", "departement": "11", "type": "commune-actuelle"},
        {
            "code": "11999",
            "nom": "Nouvelle-Commune",
            "departement": "11",
            "type": "commune-actuelle",
        },
        {"code": "11500", "nom": "Déléguée", "departement": "11", "type": "commune-deleguee"},
    ]
    epci = [{"code": "241100221", "membres": [{"code": "11069"}, {"code": "11206"}]}]
    (tmp_path / "communes.json").write_text(json.dumps(communes), encoding="utf-8")
    (tmp_path / "epci.json").write_text(json.dumps(epci), encoding="utf-8")
    return tmp_path


def test_agreements_and_differences(etalab_dir):
    aude = TerritoryFactory(kind="departement", code="11", name="Aude")
    TerritoryFactory(code="11069", name="Carcassonne", departement=aude)
    TerritoryFactory(code="11206", name="Limoux", departement=aude)
    TerritoryFactory(code="11001", name="Ancienne-Commune", departement=aude)
    report = crosscheck(etalab_dir)
    assert (report.ours, report.theirs, report.both) == (3, 3, 2)
    assert report.same_name == 2  # case and accents are folded
    assert report.same_departement == 2
    assert report.only_ours == ["11001"] and report.only_theirs == ["11999"]
    assert (report.epci_compared, report.same_epci) == (2, 0)  # no EPCI loaded here


def test_the_command_prints_the_rates_and_refuses_a_missing_folder(etalab_dir, tmp_path):
    out = StringIO()
    call_command("crosscheck_territories", str(etalab_dir), stdout=out)
    assert "Même nom" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("crosscheck_territories", str(tmp_path / "absent"))


def test_commune_names_keep_their_article():
    from maillage.territories.sources import _commune_name

    assert _commune_name({"nom": "Lavandou", "type_nom": "2"}) == "Le Lavandou"
    assert _commune_name({"nom": "Abergement-Clémenciat", "type_nom": "5"}) == (
        "L'Abergement-Clémenciat"
    )
    assert _commune_name({"nom": "Cluses", "type_nom": "4"}) == "Les Cluses"
    assert _commune_name({"nom": "Carcassonne", "type_nom": "0"}) == "Carcassonne"
