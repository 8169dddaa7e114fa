"""Forms for accounts: sign-up, account settings, deletion, charter."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CharterVersion, User


class SignupForm(AllauthSignupForm):
    display_name = forms.CharField(
        label=_("Votre nom"),
        max_length=150,
        help_text=_("Tel qu'il apparaîtra aux autres membres, par exemple « Claire Duval »."),
    )

    field_order = ["display_name", "email", "password1", "password2"]

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Indiquez votre nom."))
        return name


class AccountForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name"]

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Indiquez votre nom."))
        return name


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label=_("Pour confirmer, écrivez SUPPRIMER"),
        max_length=20,
    )

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip()
        if value.upper() != "SUPPRIMER":
            raise forms.ValidationError(_("Écrivez SUPPRIMER pour confirmer la suppression."))
        return value


class CharterAcceptForm(forms.Form):
    accept = forms.BooleanField(
        label=_("J'ai lu la charte du réseau et je m'engage à la respecter."),
        required=True,
        error_messages={"required": _("Cochez la case pour accepter la charte.")},
    )


class CharterForm(forms.ModelForm):
    class Meta:
        model = CharterVersion
        fields = ["text", "summary"]
        widgets = {"text": forms.Textarea(attrs={"rows": 20})}
