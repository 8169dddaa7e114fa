"""The territory fields, as another app's form uses them, with and without JavaScript."""

from django import forms
from django.http import QueryDict
from django.test import TestCase

from maillage.territories.forms import TerritoryChoiceField, TerritoryMultipleChoiceField
from maillage.territories.models import Territory
from maillage.territories.services import territories_load


class PlacesForm(forms.Form):
    territories = TerritoryMultipleChoiceField(label="Territoires d'action", required=False)
    commune = TerritoryChoiceField(label="Commune", required=False, kinds=["commune"])


class RequiredForm(forms.Form):
    territories = TerritoryMultipleChoiceField(label="Territoires")


class FilterForm(forms.Form):
    territoire = TerritoryChoiceField(
        label="Territoire", required=False, empty_label="Tous les territoires"
    )
    epci = TerritoryChoiceField(label="Intercommunalité", required=False, kinds=["epci"])


def get(kind: str, code: str) -> Territory:
    return Territory.objects.get(kind=kind, code=code)


def data(**values) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in values.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return query


class TerritoryFieldsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        territories_load(departements=["11", "05", "69", "75"])
        cls.aude = get("departement", "11")
        cls.carcassonne = get("commune", "11069")

    def test_labels_and_codes_without_javascript(self):
        form = PlacesForm(
            data(
                territories_search="Aude (département); Carcassonne ; 69189",
                commune_search="Gap",
            )
        )
        assert form.is_valid(), form.errors
        assert set(form.cleaned_data["territories"]) == {
            self.aude,
            self.carcassonne,
            get("commune", "69189"),
        }
        assert form.cleaned_data["commune"] == get("commune", "05061")

    def test_ticked_boxes(self):
        form = PlacesForm(data(territories=[str(self.aude.pk), str(self.carcassonne.pk)]))
        assert form.is_valid(), form.errors
        assert set(form.cleaned_data["territories"]) == {self.aude, self.carcassonne}
        assert form.cleaned_data["commune"] is None

    def test_ambiguous_text_offers_its_candidates(self):
        form = PlacesForm(
            data(territories=[str(self.aude.pk)], territories_search="sainte colombe")
        )
        assert not form.is_valid()
        assert "plusieurs territoires" in str(form.errors["territories"])
        html = str(form["territories"])
        # The ticked territory stays ticked; the candidates are offered, unticked.
        assert f'value="{self.aude.pk}" checked' in html
        for code in ["05135", "69189"]:
            assert f'value="+{get("commune", code).pk}">' in html
        # The search box is emptied of what became boxes.
        assert 'name="territories_search" id="id_territories" value=""' in html

    def test_a_pick_among_the_suggestions_settles_the_text(self):
        sainte_colombe = get("commune", "05135")
        form = PlacesForm(
            data(
                territories=[str(self.aude.pk), f"+{sainte_colombe.pk}"],
                territories_search="sainte col",
                commune=[f"+{sainte_colombe.pk}"],
                commune_search="sainte col",
            )
        )
        assert form.is_valid(), form.errors
        assert set(form.cleaned_data["territories"]) == {self.aude, sainte_colombe}
        assert form.cleaned_data["commune"] == sainte_colombe

    def test_a_territory_chosen_before_does_not_settle_the_text(self):
        # The Agglo was chosen before; "carcassonne" now adds the commune.
        agglo = get("epci", "200035715")
        form = PlacesForm(data(territories=[str(agglo.pk)], territories_search="carcassonne"))
        assert form.is_valid(), form.errors
        assert set(form.cleaned_data["territories"]) == {agglo, self.carcassonne}
        # Picked among the suggestions of "carcassonne": the Agglo only.
        form = PlacesForm(data(territories=[f"+{agglo.pk}"], territories_search="carcassonne"))
        assert form.is_valid(), form.errors
        assert list(form.cleaned_data["territories"]) == [agglo]

    def test_unknown_text_stays_in_the_search_box(self):
        form = PlacesForm(data(territories_search="Carcassonne; Zzyzx"))
        assert not form.is_valid()
        assert "Zzyzx" in str(form.errors["territories"])
        html = str(form["territories"])
        assert 'value="Zzyzx"' in html
        assert f'value="{self.carcassonne.pk}" checked' in html  # what did resolve is kept

    def test_unticking_everything_means_none(self):
        form = PlacesForm(data(), initial={"territories": [self.aude]})
        assert form.is_valid()
        assert list(form.cleaned_data["territories"]) == []
        assert form.has_changed()

    def test_required(self):
        assert not RequiredForm(data()).is_valid()
        assert RequiredForm(data(territories_search="Aude (département)")).is_valid()

    def test_kinds_restrict_the_choice(self):
        form = PlacesForm(data(commune=str(self.aude.pk)))
        assert not form.is_valid()
        form = PlacesForm(data(commune_search="Aude (département)"))
        assert not form.is_valid()

    def test_single_choice_typed_text_wins(self):
        form = PlacesForm(data(commune=str(self.carcassonne.pk), commune_search="05061"))
        assert form.is_valid(), form.errors
        assert form.cleaned_data["commune"].name == "Gap"

    def test_initial_rendering(self):
        form = PlacesForm(initial={"territories": [self.aude], "commune": self.carcassonne})
        html = form.as_div()
        assert f'type="checkbox" name="territories" value="{self.aude.pk}" checked' in html
        assert f'type="radio" name="commune" value="{self.carcassonne.pk}" checked' in html
        assert '<label for="id_territories">' in html
        assert 'hx-get="/territoires/autocompletion/"' in html
        assert "&quot;kinds&quot;: &quot;commune&quot;" in html

    def test_garbage_is_refused_cleanly(self):
        for bad in [
            data(territories=["abc"]),
            data(territories=["\x00"]),
            data(territories=["9" * 30]),
            data(territories=["999999999"]),
            data(territories=[str(i) for i in range(500)]),
            data(commune="x"),
            data(commune="999999999"),
            data(territories_search="%%%; \x00; " + "x" * 5000),
        ]:
            form = PlacesForm(bad)
            assert not form.is_valid()
            form.as_div()  # renders

    def test_a_model_form_with_a_many_to_many(self):
        # The fields accept model instances as initial values, as ModelForms give them.
        form = PlacesForm(initial={"territories": Territory.objects.filter(pk=self.aude.pk)})
        assert "Aude (département)" in form.as_div()

    def test_the_only_suggestion_picked(self):
        # Regression: « Limoux » has one commune. Picked among the suggestions (htmx
        # empties the search box), then submitted, before or after htmx re-rendered it.
        limoux = get("commune", "11206")
        for ticked, text in [
            (f"+{limoux.pk}", ""),
            (f"+{limoux.pk}", "Limoux"),  # submitted before htmx emptied the box
            (str(limoux.pk), ""),
        ]:
            form = PlacesForm(data(commune=[ticked], commune_search=text, commune_shown="Limoux"))
            assert form.is_valid(), form.errors
            assert form.cleaned_data["commune"] == limoux
            html = str(form["commune"])
            assert "ne correspond" not in html
            assert f'value="{limoux.pk}" checked' in html
            assert "territory-suggestions" not in html

    def test_a_resolved_text_offers_no_other_candidate(self):
        # "Carcassonne" names the commune: the Agglo is not offered besides it.
        form = PlacesForm(data(territories_search="Carcassonne; Zzyzx", commune_search="Limoux"))
        assert not form.is_valid()
        html = form.as_div()
        assert f'value="{self.carcassonne.pk}" checked' in html
        assert "territory-suggestions" not in html
        assert "Carcassonne Agglo" not in html
        # A single choice reads its first text only, and offers nothing for the others.
        form = FilterForm(data(territoire_search="Aude (département); sainte col; Zzyzx"))
        assert form.is_valid(), form.errors
        assert form.cleaned_data["territoire"] == self.aude
        assert "territory-suggestions" not in str(form["territoire"])

    def test_empty_labels(self):
        html = PlacesForm().as_div()
        assert "Aucune commune</label>" in html  # kinds=["commune"]
        assert "Aucun territoire" not in html
        html = FilterForm().as_div()
        assert "Tous les territoires</label>" in html  # given
        assert "Aucun territoire</label>" in html  # any other kinds
        assert "&quot;empty_label&quot;: &quot;Tous les territoires&quot;" in html
        # The default is the autocomplete's own: it is not sent.
        assert html.count("empty_label") == 2  # the two hx-vals of the first picker

    def test_help_and_placeholder(self):
        html = PlacesForm().as_div()
        assert "JavaScript" not in html
        assert "point-virgule" in str(PlacesForm()["territories"])
        assert "point-virgule" not in str(PlacesForm()["commune"])
        assert "code postal de la commune" in str(PlacesForm()["commune"])
        assert html.count('placeholder="Nom ou code postal"') == 2
