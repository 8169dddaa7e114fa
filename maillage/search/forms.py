"""The search form: every criterion is a GET parameter, so a search can be shared.

Any input is accepted: an invalid criterion is ignored (the others still apply) rather
than answered with an error, and overlong text is cut.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.core.forms import SafeModelChoiceField
from maillage.directory.models import Theme
from maillage.territories.models import Territory

from . import registry, text
from .query import Filters

_YEAR_OR_RECENT = re.compile(r"^(30j|\d{4})$")


class TruncatedCharField(forms.CharField):
    """Cut what is too long instead of refusing it; drop NUL and control characters."""

    def to_python(self, value):
        value = super().to_python(value)
        return re.sub(r"[\x00-\x1f\x7f]", " ", value)[: text.MAX_QUERY_LENGTH]


class SearchForm(forms.Form):
    q = TruncatedCharField(label=_("Rechercher"), required=False, strip=True)
    type = forms.ChoiceField(label=_("Type"), required=False)
    theme = forms.ModelChoiceField(
        label=_("Thématique"), queryset=Theme.objects.all(), to_field_name="slug", required=False
    )
    territoire = SafeModelChoiceField(
        label=_("Territoire"),
        queryset=Territory.objects.select_related("departement", "region"),
        required=False,
    )
    statut = forms.ChoiceField(label=_("Avancement"), required=False)
    date = forms.CharField(label=_("Date"), required=False, max_length=4)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        types = registry.types()
        self.fields["type"].choices = [("", "")] + [(t.kind, t.label) for t in types]
        self.fields["statut"].choices = [("", "")] + [
            item for t in types for item in t.status_labels.items()
        ]

    def clean_date(self) -> str:
        value = self.cleaned_data.get("date") or ""
        return value if _YEAR_OR_RECENT.match(value) else ""

    def value(self, name: str, default=None):
        """A criterion's cleaned value, or `default` when missing or invalid."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        if name in self.errors:
            return default
        return self.cleaned_data.get(name) or default

    def filters(self) -> Filters:
        return Filters(
            kind=self.value("type", ""),
            theme=self.value("theme"),
            territory=self.value("territoire"),
            status=self.value("statut", ""),
            date=self.value("date", ""),
        )
