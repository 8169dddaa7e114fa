"""`manage.py import_document`."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from maillage.imports.models import DocumentImport

from . import hostile

SAMPLES = Path(__file__).resolve().parents[4] / "shared" / "samples"


@pytest.mark.django_db
def test_dry_run_prints_the_draft_as_json_and_saves_nothing():
    out = StringIO()
    call_command(
        "import_document", str(SAMPLES / "synthese-forum-ouvert.txt"), "--dry-run",
        "--format", "json", stdout=out,
    )  # fmt: skip
    draft = json.loads(out.getvalue())
    assert draft["kind"] == "open_forum_synthesis"
    assert len(draft["groups"]) == 4
    assert DocumentImport.objects.count() == 0


@pytest.mark.django_db
def test_without_dry_run_the_import_awaits_review(capsys):
    out = StringIO()
    call_command("import_document", str(SAMPLES / "journee-lancement.txt"), stdout=out)
    assert "Castres" in out.getvalue()
    assert DocumentImport.objects.get().status == "review"
    call_command("import_document", str(SAMPLES / "journee-lancement.txt"), stdout=out)
    assert DocumentImport.objects.count() == 1


@pytest.mark.django_db
def test_hostile_file_is_a_command_error(tmp_path):
    path = tmp_path / "bombe.docx"
    path.write_bytes(hostile.entity_bomb_docx())
    with pytest.raises(CommandError, match="entités"):
        call_command("import_document", str(path), "--dry-run")
    with pytest.raises(CommandError, match="introuvable"):
        call_command("import_document", str(tmp_path / "absent.txt"))
