"""The same report imported again, in another format or laid out another way, is
recognised: nothing is created twice."""

import importlib
import re
import textwrap

import pytest
from django.apps import apps
from django.urls import reverse

from maillage.events.models import Event
from maillage.imports import services
from maillage.imports.models import DocumentImport
from maillage.imports.readers import read_document

from . import documents
from .corpus import DOCUMENTS
from .factories import review_import
from .test_views import _document, _keep_all, _upload

pytestmark = pytest.mark.django_db

LIST = reverse("imports:list")
# A forum of the corpus laid out as `pdftotext -layout` gives it: indented lines, which
# an export with bullets turns into « • » and U+F0B7 items.
FORUM = "forum-pdf-colonnes"


def _forum() -> str:
    return _document(FORUM).decode()


def _with_the_county(text: str) -> str:
    """The place of the forum, on its third line, followed by its county: a word more."""
    changed = text.replace("Montbrac", "Montbrac (Tarn)", 1)
    assert changed != text
    return changed


def _as_a_pdf_export(text: str, *, width: int = 48) -> str:
    """What a PDF export of the text reads like: Word's private-use bullet (U+F0B7) or
    « • » for dashes, lines wrapped at another width, long words hyphenated."""
    lines = []
    for number, line in enumerate(text.split("\n")):
        # Dashes and indented list lines become bullets.
        line = re.sub(r"^(\s*[-*]\s+|\s+(?=\S))", "\uf0b7 " if number % 2 else "• ", line)
        if len(line) <= width:
            lines.append(line)
            continue
        for part in textwrap.wrap(line, width, break_long_words=False):
            # « ressources » cut at the end of a line: « res- » / « sources ».
            words = part.split(" ")
            if len(words[-1]) > 8:
                cut = len(words[-1]) // 2
                lines.append(" ".join([*words[:-1], words[-1][:cut] + "-"]))
                lines.append(words[-1][cut:])
            else:
                lines.append(part)
    return "\n".join(lines)


def _with_page_furniture(text: str) -> str:
    """Running headers and page numbers, as a PDF reader returns them."""
    lines = text.split("\n")
    pages = [lines[i : i + 40] for i in range(0, len(lines), 40)]
    out = []
    for number, page in enumerate(pages, start=1):
        out += ["Collectif Transition Vallée — synthèse", *page, f"Page {number} / {len(pages)}"]
    return "\n".join(out)


def test_the_fingerprint_ignores_bullets_wrapping_hyphens_accents_and_case():
    text = _forum()
    exported = _as_a_pdf_export(text)
    assert exported != text
    # The export added bullets of both kinds and hyphenated words at line ends.
    assert exported.count("\uf0b7") > text.count("\uf0b7")
    assert exported.count("•") > text.count("•")
    assert "-\n" in exported and "-\n" not in text
    assert services.content_hash(exported) == services.content_hash(text)
    assert services.content_hash("Élodie  BRÛLÉE\n– Mobilité") == services.content_hash(
        "elodie brulee mobilite"
    )
    assert services.content_hash("Groupe 1") != services.content_hash("Groupe 2")


@pytest.mark.parametrize("layout", [_as_a_pdf_export, documents.to_pdf])
def test_the_same_report_laid_out_as_a_pdf_is_recognised(client, facilitator, layout):
    client.force_login(facilitator)
    text = _forum()
    _upload(client, text.encode(), "synthese.txt")
    first = DocumentImport.objects.get()
    client.post(reverse("imports:accept", args=[first.pk]), _keep_all(first))
    if layout is documents.to_pdf:
        response = _upload(client, documents.to_pdf(text), "synthese.pdf")
    else:
        response = client.post(LIST, {"text": layout(text)})
    assert response.status_code == 302
    assert response.url == first.get_absolute_url()
    assert "déjà été importé" in client.get(response.url).content.decode()
    assert DocumentImport.objects.count() == 1
    assert Event.objects.count() == 1


def test_a_near_duplicate_is_recognised_and_said_so(client, facilitator):
    client.force_login(facilitator)
    text = _forum()
    client.post(LIST, {"text": text})
    first = DocumentImport.objects.get()
    # Headers and page numbers, and a word added: not the same letters any more.
    again = _with_the_county(_with_page_furniture(_as_a_pdf_export(text)))
    assert services.content_hash(again) != services.content_hash(text)
    with pytest.raises(services.DuplicateImport) as raised:
        services.import_start(text=again, source_format="pdf", file_name="s.pdf", actor=facilitator)
    assert raised.value.existing == first
    assert raised.value.near and 0.8 <= raised.value.similarity < 1
    response = client.post(LIST, {"text": again}, follow=True)
    assert "presque identique" in response.content.decode()
    assert DocumentImport.objects.count() == 1


def test_other_reports_are_not_duplicates(facilitator):
    forum = _forum()
    services.import_start(text=forum, source_format="txt", file_name="a.txt", actor=facilitator)
    # The other forums of the corpus (the same kind of report) and every other document,
    # read as an upload is read.
    others = [name for name, *_rest in DOCUMENTS if name != FORUM]
    assert len(others) == 6
    for other in others:
        services.import_start(
            text=read_document(_document(other)).text,
            source_format="txt",
            file_name=other,
            actor=facilitator,
        )
    # The same template, other groups and people: a report of its own.
    name = r"[A-ZÉ][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)*"
    other_forum = re.sub(rf"(?m)^(\s*[-•–]?\s*){name} {name}", r"\1Quelqu'un", forum)
    other_forum = other_forum.replace("Montbrac", "Rodez").replace("2025", "2026")
    other_forum = re.sub(r"Groupe n° (\d)", r"Atelier n° \1", other_forum)
    assert other_forum.count("Quelqu'un") == 7
    similarity = services.similarity(services.shingles(forum), services.shingles(other_forum))
    if similarity < services.NEAR_DUPLICATE:
        services.import_start(
            text=other_forum, source_format="txt", file_name="b.txt", actor=facilitator
        )
        assert DocumentImport.objects.count() == 8
    else:  # the rewrite was not different enough for this check to mean anything
        pytest.fail(f"the rewritten forum is {similarity:.0%} similar: change it more")


def test_the_near_duplicate_search_is_bounded(facilitator, monkeypatch):
    text = _forum()
    near = _with_the_county(text) + "\nPage 1 / 1"
    # Stored with a length far from this one's: never read.
    far = review_import(text=text)
    DocumentImport.objects.filter(pk=far.pk).update(folded_length=10 * far.folded_length)
    assert services.near_duplicate(near) is None
    # Within the length, but behind the newest NEAR_CANDIDATES imports: not read either.
    DocumentImport.objects.filter(pk=far.pk).update(folded_length=len(services.fold(text)))
    assert services.near_duplicate(near)[0] == far
    monkeypatch.setattr(services, "NEAR_CANDIDATES", 1)
    # The same words backwards: as long, nothing in common.
    review_import(text=" ".join(reversed(text.split())))
    read = []
    real = services.shingles
    monkeypatch.setattr(services, "shingles", lambda t, *a: read.append(t) or real(t, *a))
    assert services.near_duplicate(near) is None
    assert len(read) == 2  # this text, and the single newest candidate


def test_the_migration_recomputes_the_fingerprints(facilitator):
    import hashlib

    migration = importlib.import_module(
        "maillage.imports.migrations.0003_fingerprint_letters_and_digits"
    )

    def old_hash(text: str) -> str:
        return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()

    def imported_before(text: str) -> DocumentImport:
        return DocumentImport.objects.create(
            source_format="txt", content_hash=old_hash(text), text=text, status="accepted"
        )

    text = _forum()
    exported = _as_a_pdf_export(text)
    older = imported_before(text)
    newer = imported_before(exported)
    other = imported_before("Un autre compte rendu\n- une ligne")
    migration.recompute(apps, None)
    older.refresh_from_db()
    newer.refresh_from_db()
    other.refresh_from_db()
    assert older.content_hash == services.content_hash(text)
    assert older.folded_length == len(services.fold(text))
    # The same text, imported twice before: the newer keeps its old (unique) fingerprint.
    assert newer.content_hash == old_hash(exported)
    assert other.content_hash == services.content_hash(other.text)
    # A third export of the same report is now recognised.
    with pytest.raises(services.DuplicateImport) as raised:
        services.import_start(
            text=_as_a_pdf_export(text, width=60),
            source_format="pdf",
            file_name="c.pdf",
            actor=facilitator,
        )
    assert raised.value.existing == older
