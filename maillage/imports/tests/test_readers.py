"""Reading documents: formats told by content, text kept, hostile files refused in time."""

import time

import pytest

from maillage.imports import readers
from maillage.imports.readers import UnreadableDocument, read_document

from . import documents, hostile


def _refused(data: bytes) -> str:
    started = time.monotonic()
    with pytest.raises(UnreadableDocument) as error:
        read_document(data)
    assert time.monotonic() - started < 10
    return str(error.value)


def test_utf8_and_cp1252_text_are_decoded():
    text = "Compte rendu — réunion à Albi, élu·es\n"
    assert read_document(text.encode("utf-8")).text == text
    assert read_document(text.replace("·", ".").encode("cp1252")).text.startswith(
        "Compte rendu — réunion à Albi"
    )
    assert read_document(b"\xef\xbb\xbf" + text.encode()).text == text
    assert read_document(text.encode("utf-16")).text == text


def test_docx_keeps_headings_and_tables_as_lines():
    data = documents.to_docx("# Titre\nPremier paragraphe\nColonne A     Colonne B\n")
    document = read_document(data)
    assert document.format == "docx"
    lines = document.text.split("\n")
    assert "# Titre" in lines
    assert "Premier paragraphe" in lines
    row = next(line for line in lines if "Colonne A" in line)
    assert row.index("Colonne B") >= readers.CELL_WIDTH


def test_odt_is_read_by_content_whatever_the_name():
    document = read_document(documents.to_odt("## Section\nUn   texte espacé"))
    assert document.format == "odt"
    assert "## Section" in document.text
    assert "Un   texte espacé" in document.text


def test_pdf_words_cut_at_line_end_are_joined():
    data = documents.to_pdf("La coopé-\nration entre communes")
    text = read_document(data).text
    assert "coopération" in text


def test_empty_file():
    assert "vide" in _refused(b"")
    assert "vide" in _refused(b"   \n\n ")


def test_binary_renamed_txt():
    assert "n'est pas un document" in _refused(hostile.png_bytes())


def test_random_bytes():
    import random

    rng = random.Random(4)
    noise = bytes(rng.randrange(256) for _ in range(5000))
    assert _refused(noise)


def test_zip_bomb_is_refused():
    assert "bombe" in _refused(hostile.zip_bomb_docx())


def test_zip_bomb_lying_about_its_size_is_refused():
    assert _refused(hostile.lying_zip_bomb_docx())


def test_xml_entity_bomb_is_refused():
    assert "entités" in _refused(hostile.entity_bomb_docx())


def test_external_entity_is_refused():
    message = _refused(hostile.external_entity_odt())
    assert "entités" in message
    assert "root:" not in message


def test_malformed_pdf():
    assert _refused(hostile.malformed_pdf())


def test_looping_pdf():
    assert _refused(hostile.looping_pdf())


def test_zip_without_document_is_not_a_document():
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("photo.txt", "x")
    assert "n'est pas un document" in _refused(out.getvalue())


def test_too_big():
    assert "10 Mo" in _refused(b"a" * (readers.MAX_UPLOAD_BYTES + 1))


def test_a_child_that_takes_too_long_is_stopped(monkeypatch):
    monkeypatch.setattr(readers, "CHILD_TIMEOUT_SECONDS", 0.01)
    assert "trop de temps" in _refused(b"Un texte ordinaire")


def test_the_child_cannot_use_more_than_its_memory():
    import subprocess
    import sys

    code = (
        "from maillage.imports.readers import _limit_child; _limit_child(); "
        "x = bytearray(1024 * 1024 * 1024); print('survived')"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        capture_output=True,
        timeout=10,
        check=False,
        cwd=readers.Path(readers.__file__).resolve().parents[2],
    )
    assert b"survived" not in done.stdout
    assert done.returncode != 0
