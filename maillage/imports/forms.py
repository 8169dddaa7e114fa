"""The upload form: a file or pasted text, read safely (see `readers.py`)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .readers import MAX_UPLOAD_BYTES, UnreadableDocument, read_document

ACCEPTED_EXTENSIONS = (".txt", ".md", ".markdown", ".docx", ".odt", ".pdf")
MAX_PASTED_CHARS = 500_000


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Document"),
        required=False,
        help_text=_("Fichier .txt, .md, .docx, .odt ou .pdf, jusqu'à 10 Mo."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
    )
    text = forms.CharField(
        label=_("… ou texte collé"),
        required=False,
        max_length=MAX_PASTED_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        pasted = (data.get("text") or "").strip()
        if upload and pasted:
            raise ValidationError(_("Envoyez un fichier ou collez un texte, pas les deux."))
        if not upload and not pasted:
            if not self.errors:
                raise ValidationError(_("Choisissez un fichier ou collez le texte du document."))
            return data
        if pasted:
            data["read_text"], data["read_format"] = pasted.replace("\r\n", "\n"), "txt"
            data["file_name"] = ""
            return data
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("Le fichier dépasse 10 Mo."))
        content = upload.read(MAX_UPLOAD_BYTES + 1)
        try:
            document = read_document(content)
        except UnreadableDocument as error:
            raise ValidationError(str(error)) from None
        data["read_text"], data["read_format"] = document.text, document.format
        data["file_name"] = (upload.name or "")[:255]
        return data
