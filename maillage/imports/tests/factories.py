"""Factories of imports: an import awaiting review, built from a real extraction."""

import itertools

from maillage.imports.extract import extract
from maillage.imports.models import DocumentImport, ImportedContact, ImportStatus
from maillage.imports.services import content_hash, fold

SMALL_FORUM = """Synthèse du forum ouvert
Rencontres du réseau des Hautes Terres — Millau, 12 avril 2025

Compte-rendu Groupe 1 : « Mobilité rurale »
Constats
Peu de transports à la demande

Suites à donner
2 personnes inscrites
Nina Rey (Mairie de Millau) nina.rey@example.org 06 11 22 33 44
Yves Caron yves.caron@example.net

mailto:nina.rey@example.org
"""


def review_import(*, text: str = SMALL_FORUM, created_by=None, file_name="forum.txt"):
    draft = extract(text)
    return DocumentImport.objects.create(
        file_name=file_name,
        source_format="txt",
        content_hash=content_hash(text),
        folded_length=len(fold(text)),
        text=text,
        kind=draft["kind"],
        title=draft["event"]["title"]["value"] or "",
        draft=draft,
        status=ImportStatus.REVIEW,
        progress=100,
        created_by=created_by,
    )


_copies = itertools.count(1)


def imported_contact(document=None, **person_fields):
    from maillage.directory.tests.factories import PersonFactory

    document = document or review_import(text=f"{SMALL_FORUM}\n(copie {next(_copies)})")
    fields = {
        "name": "Nina Rey",
        "email": "nina.rey@example.org",
        "visibility": "private",
        "imported": True,
        "confirmed": False,
        **person_fields,
    }
    person = PersonFactory(**fields)
    return ImportedContact.objects.create(document=document, person=person)
