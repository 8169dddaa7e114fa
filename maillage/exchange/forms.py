"""Forms of exchange: ads, replies, reports, consents, introductions, list criteria."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.forms import SafeModelChoiceField
from maillage.directory.forms import ThemesField
from maillage.directory.models import Organisation, Theme
from maillage.territories.forms import TerritoryChoiceField

from .models import Ad, AdAnswer, AdKind, AdReply, AdReport, Introduction, MatchPreferences

MAX_DURATION = timedelta(days=365)
DEFAULT_DURATION = timedelta(days=60)


class AdForm(forms.ModelForm):
    themes = ThemesField()
    commune = TerritoryChoiceField(label=_("Commune"), required=False, kinds=["commune"])
    organisation = SafeModelChoiceField(
        label=_("Au nom de"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("En mon nom"),
    )
    expires_on = forms.DateField(
        label=_("Date d'expiration"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text=_("Passé ce jour, l'annonce quitte les listes d'elle-même."),
    )

    class Meta:
        model = Ad
        fields = ["kind", "title", "text", "themes", "commune", "expires_on", "organisation"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6}), "kind": forms.RadioSelect}

    def __init__(self, *args, author, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.published().filter(
            memberships__person__user=author
        )
        if not self.instance.pk:
            self.initial.setdefault("expires_on", timezone.localdate() + DEFAULT_DURATION)

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if day < today:
            raise forms.ValidationError(_("La date d'expiration est déjà passée."))
        if day > today + MAX_DURATION:
            raise forms.ValidationError(_("Une annonce dure un an au plus."))
        return day


class AdFilterForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Tous"))] + list(AdKind.choices)
    )
    theme = forms.ModelChoiceField(
        label=_("Thématique"),
        queryset=Theme.objects.all(),
        required=False,
        empty_label=_("Toutes"),
        to_field_name="slug",
    )
    territoire = TerritoryChoiceField(
        label=_("Territoire"), required=False, empty_label=_("Tous les territoires")
    )

    def filter(self, queryset):
        # An invalid criterion is shown on the form and ignored; valid ones still apply.
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("type"):
            queryset = queryset.of_kind(data["type"])
        if data.get("theme"):
            queryset = queryset.with_theme(data["theme"])
        if data.get("territoire"):
            queryset = queryset.in_territory(data["territoire"])
        return queryset


class AtlasFilterForm(forms.Form):
    theme = forms.ModelChoiceField(
        label=_("Thématique"),
        queryset=Theme.objects.all(),
        required=False,
        empty_label=_("Toutes"),
        to_field_name="slug",
    )
    territoire = TerritoryChoiceField(
        label=_("Territoire"), required=False, empty_label=_("Tous les territoires")
    )

    def criteria(self) -> dict:
        self.is_valid()
        return getattr(self, "cleaned_data", {})


class ReplyForm(forms.ModelForm):
    class Meta:
        model = AdReply
        fields = ["message", "share_email"]
        widgets = {"message": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "share_email": _("Sinon, l'auteur·rice vous répondra par le site."),
        }


class AnswerForm(forms.ModelForm):
    class Meta:
        model = AdAnswer
        fields = ["message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 5})}


class ReportForm(forms.ModelForm):
    class Meta:
        model = AdReport
        fields = ["message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = MatchPreferences
        fields = ["suggestable", "introductions", "digest"]


class IntroductionForm(forms.ModelForm):
    class Meta:
        model = Introduction
        fields = ["message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}
