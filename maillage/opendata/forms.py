"""Forms of open data: the export filters and the GoGoCarto upload."""

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD = 20 * 1024 * 1024


class ExportFilterForm(forms.Form):
    theme = forms.SlugField(required=False, max_length=80)
    territoire = forms.CharField(required=False, max_length=30)
    depuis = forms.DateField(required=False)
    jusqua = forms.DateField(required=False)


class GoGoCartoImportForm(forms.Form):
    file = forms.FileField(
        label=_("Export GoGoCarto (JSON ou CSV)"),
        help_text=_("Le fichier de /api/elements.json d'une carte GoGoCarto, ou son export CSV."),
    )
    source = forms.CharField(
        label=_("Nom de la carte d'origine"),
        max_length=200,
        help_text=_(
            "Par exemple « Carte des alternatives de l'Aude » : sert à reconnaître "
            "les éléments déjà importés."
        ),
    )
    create_themes = forms.BooleanField(
        label=_("Créer les thématiques qui n'existent pas encore"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Le fichier dépasse 20 Mo."))
        return upload
