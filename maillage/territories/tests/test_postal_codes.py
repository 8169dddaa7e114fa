"""The picker and a postal code: the communes that have it first, labelled with it.

13001 is the postal code of Marseille 1er Arrondissement (and so one of Marseille's), and
the INSEE code of Aix-en-Provence: someone who types it means Marseille.
"""

from django.test import TestCase

from maillage.territories.forms import TerritoryChoiceField, TerritoryMultipleChoiceField
from maillage.territories.models import Territory
from maillage.territories.services import territories_load

URL = "/territoires/autocompletion/"


def get(kind: str, code: str) -> Territory:
    return Territory.objects.get(kind=kind, code=code)


class PostalCodeTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        territories_load(departements=["13", "11"])
        cls.marseille_1 = get("arrondissement", "13201")
        cls.marseille = get("commune", "13055")
        cls.aix = get("commune", "13001")

    def labels(self, q, **params) -> list[str]:
        response = self.client.get(URL, {"q": q, **params})
        assert response.status_code == 200
        return [r["label"] for r in response.json()]

    def test_a_postal_code_ranks_its_communes_before_an_insee_code(self):
        labels = self.labels("13001")
        assert labels[:3] == [
            "Marseille 1er Arrondissement (13001)",
            "Marseille (13001…)",
            "Aix-en-Provence (13080…)",
        ]
        found = list(Territory.objects.search("13001"))
        assert found[:3] == [self.marseille_1, self.marseille, self.aix]

    def test_communes_only_picker_offers_marseille(self):
        assert self.labels("13001", kinds="commune")[0] == "Marseille (13001…)"

    def test_labels_show_the_postal_code(self):
        assert self.labels("carcassonne")[0] == "Carcassonne (11000)"
        assert self.labels("aude")[0] == "Aude (département)"  # no postal code there
        # A prefix shows the code it matched.
        assert "Marseille 2e Arrondissement (13002)" in self.labels("1300")

    def test_the_picker_fragment_shows_postal_codes(self):
        html = self.client.get(
            URL,
            {
                "field": "territories",
                "multiple": "1",
                "event": "search",
                "territories_search": "13001",
            },
            headers={"HX-Request": "true"},
        ).content.decode()
        first = html.index("Marseille 1er Arrondissement (13001)")
        assert first < html.index("Aix-en-Provence (13080…)")
        # Once ticked, the territory keeps its postal code in its label.
        html = self.client.get(
            URL,
            {"field": "territories", "multiple": "1", "event": "change"}
            | {"territories": f"+{self.marseille_1.pk}"},
            headers={"HX-Request": "true"},
        ).content.decode()
        assert f'value="{self.marseille_1.pk}" checked> Marseille 1er Arrondissement (13001)' in (
            html
        )

    def test_typed_postal_codes_and_labels_resolve_without_javascript(self):
        field = TerritoryMultipleChoiceField()
        widget = field.widget
        value = widget.value_from_datadict(
            {"territories_search": "13001; Carcassonne (11000); Marseille (13001…)"},
            {},
            "territories",
        )
        assert set(field.clean(value)) == {
            self.marseille_1,
            get("commune", "11069"),
            self.marseille,
        }
        commune = TerritoryChoiceField(kinds=["commune"])
        value = commune.widget.value_from_datadict({"commune_search": "13001"}, {}, "commune")
        assert commune.clean(value) == self.marseille
        # A postal code two communes share stays a choice to make, named by its code.
        assert [t.postal_label for t in Territory.objects.resolve("11000")] == [
            "Carcassonne (11000)",
            "Berriac (11000)",
        ]
