"""Reads: labels, within(), containing(), search() and resolve()."""

from django.test import TestCase

from maillage.territories.models import Territory
from maillage.territories.services import territories_load

SUBSET = ["11", "34", "05", "17", "69", "75"]


def get(kind: str, code: str) -> Territory:
    return Territory.objects.get(kind=kind, code=code)


def labels(queryset) -> list[str]:
    return [t.label for t in queryset]


class TerritoryReadsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        territories_load(departements=SUBSET)
        cls.aude = get("departement", "11")
        cls.herault = get("departement", "34")
        cls.occitanie = get("region", "76")
        cls.france = get("national", "FR")
        cls.carcassonne = get("commune", "11069")
        cls.beziers = get("commune", "34032")

    def test_labels_tell_homonyms_apart(self):
        assert get("commune", "05135").label == "Sainte-Colombe (05)"
        assert get("commune", "69189").label == "Sainte-Colombe (69)"
        assert self.aude.label == "Aude (département)"
        assert self.occitanie.label == "Occitanie (région)"
        assert get("epci", "200035715").label == (
            "Communauté d'agglomération Carcassonne Agglo (intercommunalité)"
        )
        assert self.france.label == "France"
        assert str(self.carcassonne) == "Carcassonne (11)"

    def test_everything_in_the_aude(self):
        inside = Territory.objects.within(self.aude)
        assert self.aude in inside
        assert self.carcassonne in inside
        assert get("epci", "200035715") in inside
        assert self.beziers not in inside
        assert not inside.filter(departement=self.herault).exists()
        assert self.occitanie not in inside
        assert inside.communes().count() == 433

    def test_within_a_region_an_epci_and_a_city(self):
        occitanie = Territory.objects.within(self.occitanie)
        assert {self.aude, self.herault, self.carcassonne, self.beziers} <= set(occitanie)
        assert get("commune", "05135") not in occitanie
        agglo = get("epci", "200035715")
        assert set(Territory.objects.within(agglo).communes()) == set(
            Territory.objects.communes().filter(epci=agglo)
        )
        assert self.carcassonne in Territory.objects.within(agglo)
        paris = get("commune", "75056")
        assert Territory.objects.within(paris).arrondissements().count() == 20
        assert list(Territory.objects.within(self.carcassonne)) == [self.carcassonne]

    def test_france_contains_everything(self):
        assert Territory.objects.within(self.france).count() == Territory.objects.count()

    def test_containing(self):
        above = set(Territory.objects.containing(self.carcassonne))
        assert above == {
            self.carcassonne,
            self.carcassonne.epci,
            self.aude,
            self.occitanie,
            self.france,
        }
        paris11 = get("arrondissement", "75111")
        assert get("commune", "75056") in Territory.objects.containing(paris11)

    def test_search_by_name_prefix_and_words(self):
        found = labels(Territory.objects.search("sainte col"))
        assert "Sainte-Colombe (05)" in found
        assert "Sainte-Colombe (69)" in found
        assert all("Sainte-Colombe" in label for label in found)

    def test_search_folds_accents_case_and_abbreviations(self):
        assert labels(Territory.objects.search("beziers"))[0] == "Béziers (34)"
        assert labels(Territory.objects.search("BÉZIERS"))[0] == "Béziers (34)"
        assert labels(Territory.objects.search("ste colombe"))[0].startswith("Sainte-Colombe")

    def test_exact_name_first_then_population(self):
        found = list(Territory.objects.search("carcassonne"))
        assert found[0] == self.carcassonne
        found = list(Territory.objects.search("paris"))
        assert [t.label for t in found[:2]] == ["Paris (75)", "Paris (département)"]
        populations = [t.population for t in found[2:]]
        assert populations == sorted(populations, reverse=True)

    def test_search_by_postal_code(self):
        assert labels(Territory.objects.search("11000")) == ["Carcassonne (11)", "Berriac (11)"]
        found = list(Territory.objects.search("05"))
        assert found[0] == get("departement", "05")
        assert all(t.code.startswith("05") for t in found)
        found = list(Territory.objects.search("11"))
        assert found[0] == self.aude
        assert self.carcassonne in Territory.objects.search("110")

    def test_search_by_code(self):
        assert list(Territory.objects.search("11069")) == [self.carcassonne]
        assert list(Territory.objects.search("200035715")) == [get("epci", "200035715")]

    def test_search_a_label_back(self):
        assert list(Territory.objects.search("Aude (département)")) == [self.aude]
        assert labels(Territory.objects.search("Sainte-Colombe (05)"))[0] == "Sainte-Colombe (05)"

    def test_search_is_limited(self):
        assert len(Territory.objects.search("saint")) == 20
        assert len(Territory.objects.search("saint", limit=5)) == 5

    def test_search_on_bad_input_is_empty_or_harmless(self):
        for text in ["", "a", " ", "%%%", "___", "\x00", "%", None, 42, "x" * 5000, "🙂🙂"]:
            assert list(Territory.objects.search(text)) == [], repr(text)
        assert isinstance(list(Territory.objects.search("car\x00cassonne")), list)
        assert list(Territory.objects.search("carcassonne\x00"))[0] == self.carcassonne

    def test_search_can_be_restricted_to_kinds(self):
        found = Territory.objects.of_kinds(["commune"]).search("aude")
        assert all(t.kind == "commune" for t in found)

    def test_resolve(self):
        assert Territory.objects.resolve("Aude (département)") == [self.aude]
        assert Territory.objects.resolve("Sainte-Colombe (05)") == [get("commune", "05135")]
        assert Territory.objects.resolve("11069") == [self.carcassonne]
        assert Territory.objects.resolve("11") == [self.aude]
        assert Territory.objects.resolve("béziers") == [self.beziers]
        assert {t.label for t in Territory.objects.resolve("Paris")} == {
            "Paris (75)",
            "Paris (département)",
        }
        assert len(Territory.objects.resolve("sainte colombe")) == 3  # 05, 17, 69
        assert Territory.objects.resolve("zzzz") == []
