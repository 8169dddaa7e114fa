"""Forms for accounts: sign-up, account settings, deletion, charter."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext
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


def delete_keyword() -> str:
    # Translators: the word a person types to confirm the deletion of their account.
    return gettext("SUPPRIMER")


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = _("Pour confirmer, écrivez %(word)s") % {
            "word": delete_keyword()
        }

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip().upper()
        # The French word always works, so that a switch of language never locks anyone in.
        if value not in {delete_keyword().upper(), "SUPPRIMER"}:
            raise forms.ValidationError(
                _("Écrivez %(word)s pour confirmer la suppression.") % {"word": delete_keyword()}
            )
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
