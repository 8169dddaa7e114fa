"""`manage.py import_document`."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from maillage.imports.models import DocumentImport

from . import hostile

CORPUS = Path(__file__).resolve().parent / "corpus"


@pytest.mark.django_db
def test_dry_run_prints_the_draft_as_json_and_saves_nothing():
    out = StringIO()
    call_command(
        "import_document", str(CORPUS / "forum-pdf-puces.txt"), "--dry-run",
        "--format", "json", stdout=out,
    )  # fmt: skip
    draft = json.loads(out.getvalue())
    assert draft["kind"] == "open_forum_synthesis"
    assert len(draft["groups"]) == 3
    assert draft["source_format"] == "txt"
    assert DocumentImport.objects.count() == 0


@pytest.mark.django_db
def test_expect_passes_on_a_met_file_and_lists_the_differences_otherwise(tmp_path):
    out = StringIO()
    source = str(CORPUS / "forum-pdf-puces.txt")
    call_command(
        "import_document", source, "--dry-run", "--expect",
        str(CORPUS / "forum-pdf-puces.expected.json"), stdout=out,
    )  # fmt: skip
    assert "Habiter autrement" in out.getvalue()
    wrong = json.loads((CORPUS / "forum-pdf-puces.expected.json").read_text(encoding="utf-8"))
    wrong["groups"][0]["title"] = "Un autre titre"
    wrong["distinct_email_addresses"] = 99
    path = tmp_path / "faux.expected.json"
    path.write_text(json.dumps(wrong), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_document", source, "--dry-run", "--expect", str(path), stdout=out)
    assert "2 écart(s)" in str(error.value)
    assert "group 1 title" in str(error.value)
    assert DocumentImport.objects.count() == 0


def test_questions_print_as_sentences_in_the_text_format():
    out = StringIO()
    call_command("import_document", str(CORPUS / "forum-pdf-colonnes.txt"), "--dry-run", stdout=out)
    text = out.getvalue()
    assert "thilan.ngyuen@example.org" in text and "faute de frappe" in text
    assert "'code'" not in text


@pytest.mark.django_db
def test_without_dry_run_the_import_awaits_review(capsys):
    out = StringIO()
    call_command("import_document", str(CORPUS / "lancement-formulaire.txt"), stdout=out)
    assert "Montbrac" in out.getvalue()
    assert DocumentImport.objects.get().status == "review"
    call_command("import_document", str(CORPUS / "lancement-formulaire.txt"), stdout=out)
    assert DocumentImport.objects.count() == 1


@pytest.mark.django_db
def test_hostile_file_is_a_command_error(tmp_path):
    path = tmp_path / "bombe.docx"
    path.write_bytes(hostile.entity_bomb_docx())
    with pytest.raises(CommandError, match="entités"):
        call_command("import_document", str(path), "--dry-run")
    with pytest.raises(CommandError, match="introuvable"):
        call_command("import_document", str(tmp_path / "absent.txt"))
