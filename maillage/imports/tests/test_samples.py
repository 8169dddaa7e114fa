"""The samples' expected structure, in every format: txt/md as given, docx, odt and pdf
generated from them (read through the same child process as an upload)."""

import json
from pathlib import Path

import pytest

from maillage.imports.extract import extract
from maillage.imports.readers import read_document

from . import documents
from .expected import check

SAMPLES = Path(__file__).resolve().parents[4] / "shared" / "samples"
NAMES = sorted(p.name.removesuffix(".expected.json") for p in SAMPLES.glob("*.expected.json"))


def _source(name: str) -> tuple[str, bool]:
    for suffix, markdown in ((".md", True), (".txt", False)):
        path = SAMPLES / f"{name}{suffix}"
        if path.exists():
            return path.read_text(encoding="utf-8"), markdown
    raise FileNotFoundError(name)


def _as(fmt: str, text: str, markdown: bool) -> bytes:
    if fmt == "plain":
        return text.encode("utf-8")
    if fmt == "cp1252":
        # What an old Windows editor saves: its bullets instead of the missing arrows.
        return text.replace("►", "-").encode("cp1252")
    if fmt == "docx":
        return documents.to_docx(text)
    if fmt == "odt":
        return documents.to_odt(text)
    return documents.to_pdf(text, markdown=markdown)


def test_every_sample_is_covered():
    assert len(NAMES) == 5


@pytest.mark.parametrize("fmt", ["plain", "cp1252", "docx", "odt", "pdf"])
@pytest.mark.parametrize("name", NAMES)
def test_sample_gives_expected_structure(name, fmt):
    text, markdown = _source(name)
    expected = json.loads((SAMPLES / f"{name}.expected.json").read_text(encoding="utf-8"))
    document = read_document(_as(fmt, text, markdown))
    assert document.format == {"plain": "txt", "cp1252": "txt"}.get(fmt, fmt)
    check(extract(document.text), expected)
