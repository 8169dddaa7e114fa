"""The autocomplete (JSON and htmx) and the detail page: shapes, bad input, queries."""

import json

from django.test import Client, TestCase
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from maillage.territories.models import Territory
from maillage.territories.services import territories_load

SUBSET = ["11", "34", "05", "69", "75"]
URL = "/territoires/autocompletion/"


def get(kind: str, code: str) -> Territory:
    return Territory.objects.get(kind=kind, code=code)


class AutocompleteTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        territories_load(departements=SUBSET)

    def search(self, q, **params):
        response = self.client.get(URL, {"q": q, **params})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        return response.json()

    def test_url(self):
        assert reverse("territories:autocomplete") == URL

    def test_json_shape(self):
        results = self.search("carcassonne")
        carcassonne = get("commune", "11069")
        assert results[0] == {
            "id": carcassonne.pk,
            "label": "Carcassonne (11000)",
            "kind": "commune",
            "code": "11069",
        }
        for result in results:
            assert set(result) == {"id", "label", "kind", "code"}

    def test_at_most_twenty(self):
        assert len(self.search("saint")) == 20

    def test_short_queries_give_an_empty_list(self):
        assert self.search("") == []
        assert self.search("a") == []
        assert self.client.get(URL).json() == []

    def test_homonyms_are_told_apart(self):
        labels = [r["label"] for r in self.search("sainte colombe")]
        assert "Sainte-Colombe (05700)" in labels
        assert "Sainte-Colombe (69560)" in labels

    def test_accents_and_case_are_folded(self):
        assert self.search("beziers")[0]["label"] == "Béziers (34500)"
        assert self.search("BEZIERS")[0]["label"] == "Béziers (34500)"

    def test_postal_codes_and_departement_codes(self):
        assert [r["label"] for r in self.search("11000")] == [
            "Carcassonne (11000)",
            "Berriac (11000)",
        ]
        results = self.search("11")
        assert results[0]["label"] == "Aude (département)"
        assert any(r["code"] == "11069" for r in results)
        assert all(r["code"].startswith("05") for r in self.search("05"))

    def test_kinds(self):
        results = self.search("aude", kinds="departement,bogus")
        assert [r["label"] for r in results] == ["Aude (département)"]

    def test_bad_input_never_fails(self):
        for q in ["%%%", "___", "\x00", "a\x00b", "x" * 5000, "' OR 1=1 --", "🙂" * 50, "٣٤"]:
            assert isinstance(self.search(q), list)
        response = self.client.get(URL + "?q=%00%00&kinds=%00&q=a")
        assert response.status_code == 200

    def test_a_constant_number_of_queries(self):
        for q in ["sainte col", "05", "beziers", "Aude (département)", "x"]:
            with self.assertNumQueries(0 if q == "x" else 1):
                self.search(q)

    def test_htmx_gets_links(self):
        response = self.client.get(URL, {"q": "beziers"}, headers={"HX-Request": "true"})
        assert response.status_code == 200
        html = response.content.decode()
        assert '<a href="/territoires/commune/34032/">Béziers (34500)</a>' in html
        assert "HX-Request" in response["Vary"]

    def test_htmx_picker_suggestions(self):
        aude = get("departement", "11")
        response = self.client.get(
            URL,
            {
                "field": "territories",
                "id": "id_territories",
                "multiple": "1",
                "event": "search",
                "territories": [str(aude.pk)],
                "territories_search": "sainte col",
            },
            headers={"HX-Request": "true"},
        )
        html = response.content.decode()
        assert f'name="territories" value="{aude.pk}" checked' in html
        sainte_colombe = get("commune", "05135")
        assert f'name="territories" value="+{sainte_colombe.pk}">' in html
        assert 'type="checkbox"' in html
        assert 'name="territories_shown" value="sainte col"' in html
        assert "hx-swap-oob" not in html

    def test_htmx_picker_tick_empties_the_search_box(self):
        sainte_colombe = get("commune", "05135")
        with self.assertNumQueries(1):  # the ticked territories; no more suggestions
            response = self.client.get(
                URL,
                {
                    "field": "commune",
                    "id": "id_commune",
                    "kinds": "commune",
                    "event": "change",
                    "optional": "1",
                    "commune": [f"+{sainte_colombe.pk}"],
                    "commune_search": "Aude (département); sainte col",
                    "commune_shown": "sainte col",
                },
                headers={"HX-Request": "true"},
            )
        html = response.content.decode()
        assert f'type="radio" name="commune" value="{sainte_colombe.pk}" checked' in html
        assert 'hx-swap-oob="true"' in html
        assert 'value="Aude (département)"' in html  # the earlier part stays
        assert "Aude (département)</label>" not in html  # communes only
        # The choice is made: the other Sainte-Colombe are no longer offered.
        assert "territory-suggestions" not in html
        assert "commune_shown" not in html
        assert "Aucune commune</label>" in html

    def picker(self, **params):
        response = self.client.get(URL, params, headers={"HX-Request": "true"})
        assert response.status_code == 200
        return response.content.decode()

    def test_htmx_picker_the_only_suggestion_picked(self):
        # Regression: « Limoux » has one commune; once picked, the picker said
        # « Aucun territoire ne correspond à « Limoux ». »
        limoux = get("commune", "11206")
        common = {"field": "commune", "id": "id_commune", "kinds": "commune", "optional": "1"}
        html = self.picker(**common, event="search", commune=[""], commune_search="Limoux")
        assert f'value="+{limoux.pk}"> Limoux (11300)' in html
        html = self.picker(
            **common,
            event="change",
            commune=[f"+{limoux.pk}"],
            commune_search="Limoux",
            commune_shown="Limoux",
        )
        assert f'value="{limoux.pk}" checked> Limoux (11300)' in html
        assert "ne correspond" not in html
        assert 'id="id_commune" value=""' in html
        # Typed again, what is chosen already is not "nothing".
        html = self.picker(
            **common, event="search", commune=[str(limoux.pk)], commune_search="Limoux"
        )
        assert "ne correspond" not in html
        assert "territory-suggestions" not in html
        html = self.picker(**common, event="search", commune=[""], commune_search="Zzyzx")
        assert "Aucun territoire ne correspond à « Zzyzx »." in html

    def test_htmx_picker_untick_keeps_the_suggestions(self):
        aude = get("departement", "11")
        html = self.picker(
            field="territories",
            multiple="1",
            event="change",
            territories_search="sainte col",
            territories_shown="sainte col",
        )
        assert f'value="{aude.pk}"' not in html
        assert f'value="+{get("commune", "05135").pk}">' in html
        assert 'name="territories_shown" value="sainte col"' in html
        assert "hx-swap-oob" not in html  # the search box is left as it is

    def test_htmx_picker_bad_input(self):
        for params in [
            {"field": "<script>", "q": "aude"},
            {"field": "f", "id": '"><script>', "f": ["x", "\x00", "9" * 30], "f_search": "%"},
            {"field": "f", "event": "change", "f_shown": "\x00" * 10, "f_search": "a" * 5000},
        ]:
            response = self.client.get(URL, params, headers={"HX-Request": "true"})
            assert response.status_code == 200
            assert "<script>" not in response.content.decode()


ANYTHING = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=100, max_size=400),
    st.sampled_from(["", "\x00", "%", "_", "05", "2A", "x" * 5000, "Aude (département)"]),
)


class AutocompleteFuzzTest(HypothesisTestCase):
    @classmethod
    def setUpTestData(cls):
        territories_load(departements=["11"])

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(q=ANYTHING, htmx=st.booleans(), field=st.sampled_from(["", "t", "x y"]))
    def test_any_input_gives_a_list(self, q, htmx, field):
        headers = {"HX-Request": "true"} if htmx else {}
        params = {"q": q, "field": field, f"{field}_search": q, field or "t": q}
        response = Client().get(URL, params, headers=headers)
        assert response.status_code == 200
        if not htmx:
            results = json.loads(response.content)
            assert isinstance(results, list)
            assert len(results) <= 20


class DetailTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        territories_load(departements=["11", "15", "75"])

    def test_a_commune(self):
        carcassonne = get("commune", "11069")
        response = self.client.get(carcassonne.get_absolute_url())
        assert response.status_code == 200
        html = response.content.decode()
        assert "<h1>Carcassonne</h1>" in html
        assert 'href="/territoires/departement/11/"' in html
        assert 'href="/territoires/region/76/"' in html
        assert 'href="/territoires/epci/200035715/"' in html
        assert 'href="/territoires/national/FR/"' in html
        assert "11000" in html
        assert "43,2" in html  # latitude, French format
        assert "Licence Ouverte" in html

    def test_unknown_coordinates_are_said(self):
        response = self.client.get("/territoires/commune/15031/")
        assert "coordonnées inconnues" in response.content.decode()

    def test_a_departement_counts_what_it_contains(self):
        with self.assertNumQueries(3):  # the territory, France, the counts
            response = self.client.get("/territoires/departement/11/")
        html = response.content.decode()
        assert "433" in html
        assert "Occitanie (région)" in html

    def test_paris(self):
        html = self.client.get("/territoires/commune/75056/").content.decode()
        assert "Arrondissements municipaux" in html
        assert "<dd>20</dd>" in html

    def test_not_found(self):
        for url in [
            "/territoires/commune/00000/",
            "/territoires/planete/FR/",
            "/territoires/commune/" + "9" * 300 + "/",
            "/territoires/national/%00/",
        ]:
            assert self.client.get(url).status_code == 404, url
