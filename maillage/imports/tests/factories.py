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


# --- Drafts written by hand, in the shape of docs/import-draft.md -----------------------
# Tests of what accepting creates use them, so that they do not depend on what the
# extractor reads from a given sample.

_node_ids = itertools.count(1)


def node(value, line: int = 1) -> dict:
    return {"id": f"t{next(_node_ids)}", "value": value, "lines": [line]}


def contact(name=None, *, organisation=None, email=None, phone=None, **extra) -> dict:
    return {
        "id": f"c{next(_node_ids)}",
        "name": node(name),
        "also_known_as": node(extra.pop("also_known_as", None)),
        "organisation": node(organisation),
        "email": node(email),
        "other_emails": [node(e) for e in extra.pop("other_emails", [])],
        "phone": node(phone),
        "interests": node(extra.pop("interests", None)),
        "lines": [1],
        **extra,
    }


def group(number: int, title: str, *, follow_up=(), role=None, sections=(), **extra) -> dict:
    return {
        "id": f"g{next(_node_ids)}",
        "number": node(number),
        "title": node(title),
        "question": node(extra.pop("question", None)),
        "resource_person": node(extra.pop("resource_person", None)),
        "sections": list(sections),
        "role": role or {"continue": [], "stop": [], "with": [], "uncertain": False},
        "follow_up_declared": node(extra.pop("declared", None)),
        "follow_up": list(follow_up),
        **extra,
    }


def section(title: str, category: str, *items: str) -> dict:
    return {
        "id": f"s{next(_node_ids)}",
        "title": title,
        "category": category,
        "items": [node(i) for i in items],
    }


def experience(actor: str, *, obstacles=(), tips=(), description="") -> dict:
    return {
        "id": f"x{next(_node_ids)}",
        "actor": node(actor),
        "organisation": None,
        "description": node(description or None),
        "obstacles": [node(o) for o in obstacles],
        "tips": [node(t) for t in tips],
        "questions": [],
    }


def slot(start: str, title: str, *, end=None, workshops=()) -> dict:
    found = {
        "id": f"l{next(_node_ids)}",
        "time": node(start),
        "title": node(title),
        "workshops": [node(w) for w in workshops],
        "speakers": [],
        "moderators": [],
    }
    if end is not None:
        found["end_time"] = node(end)
    return found


def programme_day(date: str, *slots: dict) -> dict:
    return {
        "id": f"d{next(_node_ids)}",
        "label": node(date),
        "date": node(date),
        "title": node(None),
        "slots": list(slots),
    }


def draft(
    *,
    kind="open_forum_synthesis",
    title="Forum des Hautes Terres",
    day="2025-04-12",
    place="Millau",
    organisers=(),
    groups=(),
    experiences=(),
    days=(),
) -> dict:
    labels = {
        "open_forum_synthesis": "Synthèse de forum ouvert",
        "webinar_report": "Compte rendu de webinaire",
        "programme": "Programme",
    }
    return {
        "kind": kind,
        "kind_label": labels.get(kind, kind),
        "event": {
            "title": node(title),
            "date": node(day),
            "end_date": node(None),
            "place": node(place),
            "organisers": [node(o) for o in organisers],
            "participants_count": node(None),
            "excused_count": node(None),
        },
        "groups": list(groups),
        "participants": [],
        "experiences": list(experiences),
        "days": list(days),
        "reviewer_questions": [],
        "ignored": [],
        "unplaced": [],
    }


def draft_import(the_draft: dict, *, text: str | None = None, created_by=None) -> DocumentImport:
    """An import awaiting review whose draft is `the_draft` (not read from `text`)."""
    text = text or f"Document écrit à la main pour un test n° {next(_copies)}"
    return DocumentImport.objects.create(
        file_name="essai.txt",
        source_format="txt",
        content_hash=content_hash(text),
        folded_length=len(fold(text)),
        text=text,
        kind=the_draft["kind"],
        title=the_draft["event"]["title"]["value"] or "",
        draft=the_draft,
        status=ImportStatus.REVIEW,
        progress=100,
        created_by=created_by,
    )
