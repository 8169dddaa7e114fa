"""Imports: a document read into a draft, reviewed, then accepted into records.

`DocumentImport` keeps the text read from the document (never the file itself), the
draft extracted from it (JSON, every value pointing to its source lines), and, once a
facilitator accepts it, the records it created. `content_hash` (of the text's letters
and digits, accents and case folded, so that bullets, spacing, wrapping and hyphenation
do not count) makes a second import of the same report visible instead of creating it
twice; `folded_length` (how many letters and digits) narrows the search for near
duplicates to texts of a similar length.

`ImportedContact` remembers which directory `Person` came from which import, and where
the invitation to claim the profile (or to be forgotten) stands. `ImportedFollowUp` keeps
the follow-up sign-ups of a report: the people have no account yet, so they cannot be
forum follow-ups (which need the person's own consent); they become so if they claim.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .querysets import DocumentImportQuerySet


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Lecture en cours")
    REVIEW = "review", _("À relire")
    ACCEPTED = "accepted", _("Accepté")
    FAILED = "failed", _("Échec")


class SourceFormat(models.TextChoices):
    TXT = "txt", _("Texte ou Markdown")
    DOCX = "docx", _("Word (docx)")
    ODT = "odt", _("OpenDocument (odt)")
    PDF = "pdf", _("PDF")


class DocumentImport(models.Model):
    file_name = models.CharField(_("fichier"), max_length=255, blank=True)
    source_format = models.CharField(_("format"), max_length=10, choices=SourceFormat)
    content_hash = models.CharField(max_length=64, unique=True)
    folded_length = models.PositiveIntegerField(default=0, db_index=True, editable=False)
    text = models.TextField(_("texte lu"))
    kind = models.CharField(_("type de document"), max_length=30, blank=True)
    title = models.CharField(_("titre"), max_length=200, blank=True)
    draft = models.JSONField(_("brouillon"), default=dict, blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=ImportStatus, default=ImportStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    result = models.JSONField(default=dict, blank=True)
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("rencontre créée"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = DocumentImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("import de document")
        verbose_name_plural = _("imports de documents")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title or self.file_name or str(_("Texte collé"))

    def get_absolute_url(self) -> str:
        return reverse("imports:review", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status == ImportStatus.PENDING

    @property
    def is_accepted(self) -> bool:
        return self.status == ImportStatus.ACCEPTED

    def numbered_lines(self) -> list[tuple[int, str]]:
        return list(enumerate(self.text.split("\n"), start=1))


class ClaimStatus(models.TextChoices):
    IMPORTED = "imported", _("Importée, pas encore invitée")
    INVITED = "invited", _("Invitée à confirmer")
    CLAIMED = "claimed", _("Profil confirmé")


class ImportedContact(models.Model):
    document = models.ForeignKey(DocumentImport, on_delete=models.CASCADE, related_name="contacts")
    # Forgetting a person deletes the Person, and this row with it.
    person = models.ForeignKey(
        "directory.Person", on_delete=models.CASCADE, related_name="import_links"
    )
    status = models.CharField(
        _("état"), max_length=10, choices=ClaimStatus, default=ClaimStatus.IMPORTED
    )
    # Part of the signed link: a new invitation makes the previous link useless.
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    invited_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("contact importé")
        verbose_name_plural = _("contacts importés")
        ordering = ["person__search_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["document", "person"], name="imports_one_link")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.document}"


class ImportedFollowUp(models.Model):
    """Someone the report lists as willing to follow up a group's work: a person, an
    organisation, or only an e-mail address (a line with no name: nothing is made up for
    it, and the address stays with the facilitators, on the import's page)."""

    document = models.ForeignKey(DocumentImport, on_delete=models.CASCADE, related_name="followups")
    group = models.ForeignKey(
        "forums.Group", on_delete=models.CASCADE, related_name="imported_followups"
    )
    person = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    email = models.EmailField(_("adresse seule"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("suite à donner importée")
        verbose_name_plural = _("suites à donner importées")
        ordering = ["group", "position", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return str(self.person or self.organisation or self.email)
