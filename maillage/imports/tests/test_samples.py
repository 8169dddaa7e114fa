"""The project's own corpus (`corpus/`), in every format a network sends: the text as
stored (txt, md, with its byte order mark and CRLF), then docx, odt and pdf generated
from it and read through the same child process as an upload. Each document must meet
its `*.expected.json` (`maillage.imports.expected`)."""

import pytest

from maillage.imports.expected import compare
from maillage.imports.extract import extract
from maillage.imports.readers import read_document

from . import documents
from .corpus import DOCUMENTS

NAMES = [name for name, *_rest in DOCUMENTS]
FORMATS = ["plain", "docx", "odt", "pdf"]


def _document(name: str):
    return next(d for d in DOCUMENTS if d[0] == name)


def _as(fmt: str, text: str, markdown: bool) -> bytes:
    if fmt == "plain":
        return text.encode("utf-8")
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    if fmt == "docx":
        return documents.to_docx(text)
    if fmt == "odt":
        return documents.to_odt(text)
    return documents.to_pdf(text, markdown=markdown)


def test_the_corpus_covers_every_kind_of_document():
    kinds = {expected["kind"] for _name, _text, _md, expected in DOCUMENTS}
    assert kinds == {
        "open_forum_synthesis",
        "workshop_report",
        "webinar_report",
        "programme",
        "launch_report",
    }


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", NAMES)
def test_document_gives_expected_structure(name, fmt):
    _name, text, markdown, expected = _document(name)
    document = read_document(_as(fmt, text, markdown))
    assert document.format == {"plain": "txt"}.get(fmt, fmt)
    assert compare(extract(document.text), expected) == []


def test_a_wrong_expectation_is_reported():
    """The comparison itself can fail: a draft never meets another document's file."""
    _name, text, _md, expected = _document("forum-pdf-puces")
    other = _document("forum-word-outre-mer")[3]
    draft = extract(text)
    assert compare(draft, expected) == []
    differences = compare(draft, other)
    assert any("group 1 title" in d for d in differences)
    assert any("distinct e-mails" in d for d in differences)
