"""The picker as a browser drives it, through the Django test client: the page, the htmx
requests its attributes describe (typing, ticking a suggestion), then the form's POST."""

import json
from html.parser import HTMLParser

from django import forms
from django.http import HttpResponse
from django.test import TestCase, override_settings
from django.urls import include, path

from maillage.territories.forms import TerritoryChoiceField, TerritoryMultipleChoiceField
from maillage.territories.models import Territory
from maillage.territories.services import territories_load

NOTHING_MATCHES = "Aucun territoire ne correspond"
HTMX = {"HX-Request": "true"}


class InitiativeForm(forms.Form):
    territories = TerritoryMultipleChoiceField(label="Territoires d'action", required=False)
    commune = TerritoryChoiceField(label="Commune principale", required=False, kinds=["commune"])
    territoire = TerritoryChoiceField(
        label="Territoire", required=False, empty_label="Tous les territoires"
    )


def form_view(request):
    form = InitiativeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        saved = {
            "territories": sorted(t.pk for t in form.cleaned_data["territories"]),
            "commune": getattr(form.cleaned_data["commune"], "pk", None),
            "territoire": getattr(form.cleaned_data["territoire"], "pk", None),
        }
        return HttpResponse(json.dumps(saved), content_type="application/json")
    return HttpResponse(f'<form method="post">{form.as_div()}</form>')


urlpatterns = [
    path("territoires/", include("maillage.territories.urls")),
    path("formulaire/", form_view),
]


class Elements(HTMLParser):
    """The <input>s of some HTML, and the attributes of its elements that have an id."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.inputs: list[dict] = []
        self.by_id: dict[str, dict] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = {key: value if value is not None else "" for key, value in attrs}
        if "id" in attrs:
            self.by_id[attrs["id"]] = attrs
        if tag == "input":
            self.inputs.append(attrs)


class Picker:
    """One picker of a page, as a browser with htmx holds it."""

    def __init__(self, client, page: str, field: str) -> None:
        self.client = client
        self.field = field
        elements = Elements(page)
        self.search = elements.by_id[f"id_{field}"]
        self.choices_div = elements.by_id[f"id_{field}-choices"]
        self.choices = self._own(elements.inputs)
        self.last_fragment = ""

    def _own(self, inputs: list[dict]) -> list[dict]:
        return [i for i in inputs if i.get("name") in (self.field, f"{self.field}_shown")]

    def submitted(self) -> dict[str, list[str]]:
        """What the picker's inputs send: the search box, the ticked boxes, the hidden."""
        data: dict[str, list[str]] = {self.search["name"]: [self.search.get("value", "")]}
        for element in self.choices:
            if element.get("type") in ("radio", "checkbox") and "checked" not in element:
                continue
            data.setdefault(element["name"], []).append(element.get("value", ""))
        return data

    def _htmx(self, url: str, vals: str) -> None:
        response = self.client.get(url, {**self.submitted(), **json.loads(vals)}, headers=HTMX)
        assert response.status_code == 200
        fragment = response.content.decode()
        self.last_fragment = fragment
        elements = Elements(fragment)
        self.choices = self._own(elements.inputs)
        for element in elements.inputs:
            if "hx-swap-oob" in element:
                self.search = element

    def type(self, text: str) -> None:
        """Type in the search box: htmx asks for the suggestions (hx-trigger=input)."""
        self.search["value"] = text
        self._htmx(self.search["hx-get"], self.search["hx-vals"])

    def suggestions(self) -> list[str]:
        return [i["value"] for i in self.choices if i.get("value", "").startswith("+")]

    def tick(self, value: str, *, htmx: bool = True) -> None:
        """Click a box: a radio unticks the others; htmx asks again (hx-trigger=change),
        unless the form is submitted before."""
        box = next(i for i in self.choices if i.get("value") == value)
        if box["type"] == "radio":
            for other in self.choices:
                if other.get("name") == box["name"]:
                    other.pop("checked", None)
        box["checked"] = ""
        if htmx:
            self._htmx(self.choices_div["hx-get"], self.choices_div["hx-vals"])


@override_settings(ROOT_URLCONF=__name__)
class PickerFlowTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        territories_load(departements=["11"])
        cls.limoux = Territory.objects.get(kind="commune", code="11206")
        cls.carcassonne = Territory.objects.get(kind="commune", code="11069")
        cls.aude = Territory.objects.get(kind="departement", code="11")

    def open(self) -> tuple[str, dict[str, Picker]]:
        page = self.client.get("/formulaire/").content.decode()
        fields = ["territories", "commune", "territoire"]
        return page, {field: Picker(self.client, page, field) for field in fields}

    def post(self, pickers: dict[str, Picker]):
        data: dict[str, list[str]] = {}
        for picker in pickers.values():
            data.update(picker.submitted())
        return self.client.post("/formulaire/", data)

    def pick(self, picker: Picker, text: str, territory: Territory) -> None:
        picker.type(text)
        assert f"+{territory.pk}" in picker.suggestions()
        picker.tick(f"+{territory.pk}")
        # The choice is made: it is ticked, the search box is empty, nothing else is offered.
        fragment = picker.last_fragment
        assert f'value="{territory.pk}" checked' in fragment
        assert picker.search["value"] == ""
        assert picker.suggestions() == []
        assert "territory-suggestions" not in fragment
        assert NOTHING_MATCHES not in fragment

    def test_the_only_suggestion_picked(self):
        # « Limoux » among communes has one suggestion: picking it left
        # « Aucun territoire ne correspond à « Limoux ». » on screen.
        _page, pickers = self.open()
        self.pick(pickers["commune"], "Limoux", self.limoux)
        response = self.post(pickers)
        assert response["Content-Type"] == "application/json", response.content.decode()
        assert response.json()["commune"] == self.limoux.pk

    def test_no_leftover_suggestions(self):
        _page, pickers = self.open()
        self.pick(pickers["territories"], "Carcassonne", self.carcassonne)  # not the Agglo
        self.pick(pickers["territories"], "Aude", self.aude)  # not the « …d'Aude » communes
        self.pick(pickers["territoire"], "Aude", self.aude)
        response = self.post(pickers)
        assert response["Content-Type"] == "application/json", response.content.decode()
        assert response.json() == {
            "territories": sorted([self.carcassonne.pk, self.aude.pk]),
            "commune": None,
            "territoire": self.aude.pk,
        }

    def test_submitted_before_the_answer_to_the_tick(self):
        # The text is still in the box and the box is "+id": the pick settles the text.
        _page, pickers = self.open()
        commune = pickers["commune"]
        commune.type("Limoux")
        commune.tick(f"+{self.limoux.pk}", htmx=False)
        assert commune.search["value"] == "Limoux"
        response = self.post(pickers)
        assert response.json()["commune"] == self.limoux.pk

    def test_without_javascript(self):
        _page, pickers = self.open()
        pickers["commune"].search["value"] = "Limoux"
        pickers["territories"].search["value"] = "Carcassonne; Aude"
        response = self.post(pickers)
        assert response["Content-Type"] == "application/json", response.content.decode()
        assert response.json()["commune"] == self.limoux.pk
        assert response.json()["territories"] == sorted([self.carcassonne.pk, self.aude.pk])

    def test_without_javascript_a_resolved_text_offers_no_other_candidate(self):
        _page, pickers = self.open()
        pickers["commune"].search["value"] = "Limoux"
        pickers["territories"].search["value"] = "Carcassonne; Zzyzx"
        response = self.post(pickers)
        html = response.content.decode()
        assert "Zzyzx" in html  # the error, and the text left in the box
        assert f'value="{self.carcassonne.pk}" checked' in html
        assert f'value="{self.limoux.pk}" checked' in html
        assert "territory-suggestions" not in html  # no Agglo, no other candidate
