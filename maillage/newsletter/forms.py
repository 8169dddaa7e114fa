"""Forms of the newsletter: subscribing, writing a letter, programming its sending."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.forms import SafeModelMultipleChoiceField
from maillage.directory.models import Theme
from maillage.territories.forms import TerritoryMultipleChoiceField

from .models import Letter


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Votre adresse électronique"), max_length=254)
    themes = SafeModelMultipleChoiceField(
        label=_("Thématiques qui vous intéressent"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucune cochée : toutes les thématiques."),
    )
    territories = TerritoryMultipleChoiceField(
        label=_("Territoires qui vous intéressent"),
        required=False,
        help_text=_("Aucun : toute la France."),
    )


class LetterForm(forms.ModelForm):
    themes = SafeModelMultipleChoiceField(
        label=_("Thématiques"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ne garder dans les rubriques que ces thématiques (aucune : toutes)."),
    )
    territories = TerritoryMultipleChoiceField(
        label=_("Territoires"),
        required=False,
        help_text=_("Ne garder dans les rubriques que ces territoires (aucun : tous)."),
    )

    class Meta:
        model = Letter
        fields = ["subject", "editorial", "themes", "territories"]
        widgets = {"editorial": forms.Textarea(attrs={"rows": 14})}


class ScheduleForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Envoyer le"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Laisser vide pour envoyer tout de suite."),
    )

    def clean_at(self):
        at = self.cleaned_data.get("at")
        if at is not None and at < timezone.now() - timedelta(minutes=1):
            raise forms.ValidationError(_("Cette date est passée."))
        return at


class DigestForm(forms.Form):
    weekly = forms.BooleanField(
        label=_("Recevoir chaque semaine un résumé personnel"),
        required=False,
        help_text=_(
            "Les rencontres à venir près de chez vous et les nouveautés de vos territoires "
            "et thématiques (celles de votre profil)."
        ),
    )
