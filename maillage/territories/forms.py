"""Form fields to choose territories, with or without JavaScript.

Usage in another app's form::

    from maillage.territories.forms import TerritoryChoiceField, TerritoryMultipleChoiceField

    class InitiativeForm(forms.ModelForm):
        territories = TerritoryMultipleChoiceField(label=_("Territoires d'action"))
        commune = TerritoryChoiceField(label=_("Commune"), required=False, kinds=["commune"])

The fields are ModelChoiceField / ModelMultipleChoiceField over `Territory` (optionally
restricted with `kinds=[...]` or `queryset=`), so they fit a ForeignKey or a
ManyToManyField of a ModelForm as well as a GET filter form; `cleaned_data` holds
territories. `TerritoryChoiceField(empty_label=_("Tous les territoires"))` names the
"none" choice of an optional single field.

The widget, `TerritoryPicker`, is a search box followed by the chosen territories as
ticked boxes (radio buttons for a single choice):

- without JavaScript, one types names, labels or codes ("Aude (département)",
  "Carcassonne", "11069", "11000"; several separated by « ; ») and submits. A text that
  names one territory selects it (and no other candidate is offered); an ambiguous one
  ("Sainte-Colombe") gives an error and its candidates as boxes to tick; unticking a box
  removes that territory;
- with htmx, suggestions appear as boxes while one types (`territories:autocomplete`);
  ticking one selects it, empties the search box and clears the suggestions.

What it submits, for a field named `territories`: `territories` = the ticked ids ("123"
for a territory chosen before, "+123" for one just picked among suggestions),
`territories_search` = the typed text, `territories_shown` = the search whose suggestions
are on screen. A text is ignored when a territory was picked among its suggestions.

The "none" choice of an optional single field reads « Aucune commune » when the field
only takes communes, « Aucun territoire » otherwise, unless `empty_label` names it.

The page needs nothing more than `{{ form }}` (or `{{ form.territories }}`) and the base
template's htmx script.
"""

import json
import re

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Territory
from .querysets import best_matches

MAX_CHOSEN = 100
MAX_PARTS = 10
SUGGESTIONS = 10
SEARCH_SUFFIX = "_search"
SHOWN_SUFFIX = "_shown"
PICKED = "+"
_VALUE = re.compile(r"(\+?)(\d{1,18})")


class PickerValue(list):
    """What the picker submits: the ticked values, the typed text, the search shown."""

    def __init__(self, values=(), text: str = "", shown: str = "") -> None:
        super().__init__(values)
        self.text = text
        self.shown = shown


def text_parts(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(";") if part.strip()][:MAX_PARTS]


def parse_ticked(values) -> tuple[list[int], list[int], list[str]]:
    """Ticked values -> (ids chosen before, ids just picked, values that are no id)."""
    kept, picked, invalid = [], [], []
    for value in values:
        value = getattr(value, "pk", value)
        if value in ("", None):
            continue
        match = _VALUE.fullmatch(str(value))
        if match is None:
            invalid.append(str(value)[:20])
            continue
        (picked if match.group(1) else kept).append(int(match.group(2)))
    return kept, picked, invalid


def _unique(ids) -> list[int]:
    return list(dict.fromkeys(ids))


def default_empty_label(kinds) -> str:
    """The name of the "none" choice of an optional single picker of these kinds."""
    if list(kinds or []) == ["commune"]:
        return _("Aucune commune")
    return TerritoryPicker.empty_label


def _named(part: str, found: list[Territory]) -> list[Territory]:
    """The territories a typed part names: its exact matches, or its only result."""
    return best_matches(part, found) or (found if len(found) == 1 else [])


class TerritoryPicker(forms.Widget):
    """A search box and the territories chosen so far (see the module's docstring)."""

    template_name = "territories/widgets/territory_picker.html"
    empty_label = _("Aucun territoire")

    def __init__(self, attrs=None, *, multiple: bool = True, kinds=None) -> None:
        super().__init__(attrs)
        self.multiple = multiple
        self.kinds = list(kinds or [])
        self.queryset = Territory.objects.of_kinds(self.kinds)
        self.empty_label = default_empty_label(self.kinds)

    def value_from_datadict(self, data, files, name) -> PickerValue:
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if values is None or isinstance(values, str):
            values = [] if values in (None, "") else [values]
        text = data.get(name + SEARCH_SUFFIX) or ""
        shown = data.get(name + SHOWN_SUFFIX) or ""
        return PickerValue(
            values, text if isinstance(text, str) else "", shown if isinstance(shown, str) else ""
        )

    def value_omitted_from_data(self, data, files, name) -> bool:
        # Unticking every box sends nothing: that means "none", not "unchanged".
        return False

    def format_value(self, value):
        return value

    def use_required_attribute(self, initial) -> bool:
        return False  # the search box may stay empty when boxes are ticked

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if isinstance(value, PickerValue):
            picker = self.submitted_context(value)
        else:
            if value in (None, "") or isinstance(value, str | int) or hasattr(value, "pk"):
                value = [] if value in (None, "") else [value]
            kept, picked, _invalid = parse_ticked(value)
            picker = self.picker_context(selected=kept + picked)
        context["widget"].update(picker)
        self._finish(context["widget"])
        return context

    def submitted_context(self, value: PickerValue) -> dict:
        """After a submission: a typed text that names one territory joins the ticked ones,
        an ambiguous one turns into boxes to tick, an unknown one stays in the search box.
        A text that names one territory offers no other candidate."""
        kept, picked, _invalid = parse_ticked(value)
        resolved: list[int] = []
        candidates: list[Territory] = []
        unknown = []
        parts = text_parts(value.text)
        if not self.multiple:
            parts = parts[:1]  # as TerritoryChoiceField.clean() reads it
        for part in parts:
            found = list(self.queryset.search(part))
            if set(picked) & {t.pk for t in found}:
                continue  # a territory was picked among this text's suggestions
            hits = _named(part, found)
            if len(hits) == 1:
                resolved.append(hits[0].pk)
            elif found:
                candidates.extend(hits or found[:SUGGESTIONS])
            else:
                unknown.append(part)
        # The order of precedence of the fields' clean(), for a single choice.
        selected = resolved + picked + kept if not self.multiple else kept + picked + resolved
        return self.picker_context(
            selected=selected, suggestions=candidates, pending="; ".join(unknown)
        )

    def picker_context(
        self,
        *,
        selected: list[int],
        suggestions=(),
        pending: str = "",
        shown: str = "",
        oob_search: bool = False,
    ) -> dict:
        selected = _unique(selected)[:MAX_CHOSEN]
        if not self.multiple:
            selected = selected[:1]
        chosen = (
            {t.pk: t for t in self.queryset.filter(pk__in=selected).with_postal_code()}
            if selected
            else {}
        )
        suggestions = list(dict.fromkeys(suggestions))
        return {
            "selected": [chosen[pk] for pk in selected if pk in chosen],
            "suggestions": [t for t in suggestions if t.pk not in chosen],
            "pending": pending,
            "shown": shown,
            # "Nothing matches": not when what matches is chosen already.
            "nothing_found": bool(shown) and not suggestions,
            "multiple": self.multiple,
            "allow_empty": not self.is_required and not self.multiple,
            "empty_label": self.empty_label,
            "picked_prefix": PICKED,
            "oob_search": oob_search,
            "autocomplete_url": reverse("territories:autocomplete"),
        }

    def render_context(self, name: str, element_id: str, picker: dict) -> dict:
        """The template context of the picker named `name`, for the autocomplete view."""
        attrs = self.build_attrs(self.attrs, {"id": element_id})
        widget = {"name": name, "attrs": attrs, "required": self.is_required, **picker}
        return {"widget": self._finish(widget)}

    def _finish(self, widget: dict) -> dict:
        name = widget["name"]
        element_id = widget["attrs"].get("id") or f"id_{name}"
        widget["attrs"]["id"] = element_id
        widget["search_name"] = name + SEARCH_SUFFIX
        widget["shown_name"] = name + SHOWN_SUFFIX
        widget["choices_id"] = f"{element_id}-choices"
        widget["communes_only"] = self.kinds == ["commune"]
        vals = {"field": name, "id": element_id, "multiple": "1" if self.multiple else ""}
        if self.kinds:
            vals["kinds"] = ",".join(self.kinds)
        if not self.is_required:
            vals["optional"] = "1"
        if str(self.empty_label) != str(default_empty_label(self.kinds)):
            vals["empty_label"] = str(self.empty_label)
        widget["hx_vals_search"] = json.dumps({**vals, "event": "search"})
        widget["hx_vals_change"] = json.dumps({**vals, "event": "change"})
        return widget


class _TerritoryFieldMixin:
    default_error_messages = {
        "not_found": _("Aucun territoire ne correspond à « %(text)s »."),
        "ambiguous": _(
            "« %(text)s » peut désigner plusieurs territoires : cochez le bon ci-dessous "
            "(%(choices)s…)."
        ),
        "too_many": _("Choisissez au plus %(max)s territoires."),
        "invalid_pk_value": _("« %(pk)s » ne désigne pas un territoire."),
    }

    def _setup(self, queryset, kinds, multiple: bool, kwargs: dict):
        if queryset is None:
            queryset = Territory.objects.all()
        kwargs.setdefault("widget", TerritoryPicker(multiple=multiple, kinds=kinds))
        return queryset.of_kinds(kinds)

    def _from_text(self, part: str, picked: list[int]) -> int | None:
        """The territory a typed part names; None when one was picked among its suggestions.
        Raises a ValidationError when it names none, or several."""
        found = list(self.queryset.search(part))
        if set(picked) & {t.pk for t in found}:
            return None
        hits = _named(part, found)
        if len(hits) == 1:
            return hits[0].pk
        if found:
            raise ValidationError(
                self.error_messages["ambiguous"],
                code="ambiguous",
                params={
                    "text": part[:80],
                    "choices": ", ".join(t.postal_label for t in (hits or found)[:4]),
                },
            )
        raise ValidationError(
            self.error_messages["not_found"], code="not_found", params={"text": part[:80]}
        )

    def _refuse_invalid(self, invalid: list[str]) -> None:
        if invalid:
            raise ValidationError(
                self.error_messages["invalid_pk_value"],
                code="invalid_pk_value",
                params={"pk": invalid[0]},
            )


class TerritoryMultipleChoiceField(_TerritoryFieldMixin, forms.ModelMultipleChoiceField):
    """Several territories (a ManyToManyField). `kinds` restricts them, e.g. ["commune"]."""

    def __init__(self, queryset=None, *, kinds=None, **kwargs) -> None:
        queryset = self._setup(queryset, kinds, True, kwargs)
        super().__init__(queryset, **kwargs)

    def _set_queryset(self, queryset) -> None:
        super()._set_queryset(queryset)
        self.widget.queryset = self._queryset

    queryset = property(forms.ModelMultipleChoiceField._get_queryset, _set_queryset)

    def prepare_value(self, value):
        if isinstance(value, PickerValue):
            return value
        return super().prepare_value(value)

    def clean(self, value):
        value = value if isinstance(value, PickerValue) else PickerValue(value or [])
        kept, picked, invalid = parse_ticked(value)
        self._refuse_invalid(invalid)
        ids = kept + picked
        errors = []
        for part in text_parts(value.text):
            try:
                found = self._from_text(part, picked)
            except ValidationError as error:
                errors.append(error)
            else:
                if found is not None:
                    ids.append(found)
        if errors:
            raise ValidationError(errors)
        ids = _unique(ids)
        if len(ids) > MAX_CHOSEN:
            raise ValidationError(
                self.error_messages["too_many"], code="too_many", params={"max": MAX_CHOSEN}
            )
        return super().clean([str(pk) for pk in ids])

    def has_changed(self, initial, data) -> bool:
        if isinstance(data, PickerValue):
            if data.text.strip():
                return True
            kept, picked, _invalid = parse_ticked(data)
            data = [str(pk) for pk in kept + picked]
        return super().has_changed(initial, data)


class TerritoryChoiceField(_TerritoryFieldMixin, forms.ModelChoiceField):
    """One territory (a ForeignKey, or a filter). `kinds` restricts it, e.g. ["commune"];
    `empty_label` names the "none" choice of an optional field ("Tous les territoires";
    by default « Aucune commune » for communes only, « Aucun territoire » otherwise).

    Precedence: a territory just picked among the suggestions of the typed text, then the
    typed text (what the person did last), then the territory chosen before."""

    def __init__(self, queryset=None, *, kinds=None, **kwargs) -> None:
        queryset = self._setup(queryset, kinds, False, kwargs)
        empty_label = kwargs.pop("empty_label", None)
        super().__init__(queryset, empty_label=None, **kwargs)
        if empty_label:
            self.widget.empty_label = empty_label

    def _set_queryset(self, queryset) -> None:
        super()._set_queryset(queryset)
        self.widget.queryset = self._queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def prepare_value(self, value):
        if isinstance(value, PickerValue):
            return value
        return super().prepare_value(value)

    def _chosen(self, value) -> int | None:
        if not isinstance(value, PickerValue):
            value = PickerValue([] if value in (None, "") else [value])
        kept, picked, invalid = parse_ticked(value)
        self._refuse_invalid(invalid)
        parts = text_parts(value.text)
        found = self._from_text(parts[0], picked) if parts else None
        return next(iter([*([found] if found else []), *picked, *kept]), None)

    def clean(self, value):
        chosen = self._chosen(value)
        return super().clean(str(chosen) if chosen is not None else None)

    def has_changed(self, initial, data) -> bool:
        if isinstance(data, PickerValue):
            if data.text.strip():
                return True
            kept, picked, _invalid = parse_ticked(data)
            data = next(iter(picked + kept), None)
        return super().has_changed(initial, data)
