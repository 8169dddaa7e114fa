"""`manage.py import_document FILE [--dry-run] [--format json] [--expect EXPECTED.json]`:
print a document's draft (its JSON shape is described in `docs/import-draft.md`).

With --expect, the draft is also compared with an `*.expected.json` file (what a good
import of the document yields) and the command fails, listing the differences, when it
does not meet it.

Without --dry-run, the import is also recorded, awaiting review on the site (nothing else
is created until a facilitator accepts it). The file is read exactly as an upload is: in
a child process with limits.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maillage.imports import review
from maillage.imports.extract import extract
from maillage.imports.readers import MAX_UPLOAD_BYTES, UnreadableDocument, read_document


class Command(BaseCommand):
    help = "Lit un document (txt, md, docx, odt, pdf) et affiche le brouillon structuré."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="N'enregistre rien.")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--expect", metavar="EXPECTED_JSON", help="Compare with a *.expected.json file."
        )

    def handle(self, *args, file: str, dry_run: bool, format: str, expect=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        if path.stat().st_size > MAX_UPLOAD_BYTES:
            raise CommandError("Le fichier dépasse 10 Mo.")
        try:
            document = read_document(path.read_bytes())
        except UnreadableDocument as error:
            raise CommandError(str(error)) from None
        draft = extract(document.text)
        draft["source_format"] = document.format
        if not dry_run:
            from maillage.imports.services import DuplicateImport, import_start

            try:
                saved = import_start(
                    text=document.text,
                    source_format=document.format,
                    file_name=path.name,
                    actor=None,
                )
            except DuplicateImport as duplicate:
                self.stderr.write(f"Déjà importé : import n° {duplicate.existing.pk}")
            else:
                self.stderr.write(f"Import n° {saved.pk} enregistré, à relire sur le site.")
        if format == "json":
            self.stdout.write(json.dumps(draft, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(_as_text(draft))
        if expect:
            _check(draft, Path(expect))


def _check(draft: dict, path: Path) -> None:
    from maillage.imports.expected import compare

    try:
        expected = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CommandError(f"Fichier attendu illisible : {path} ({error})") from None
    differences = compare(draft, expected)
    if differences:
        raise CommandError(f"{path.name} : {len(differences)} écart(s)\n" + "\n".join(differences))


def _as_text(draft: dict) -> str:
    out = [f"Type : {draft['kind_label']}"]
    event = draft["event"]
    for label, key in (("Titre", "title"), ("Date", "date"), ("Lieu", "place")):
        out.append(f"{label} : {review.display(event[key]) or '—'}{_ref(event[key])}")
    for group in draft["groups"]:
        out.append(f"\nGroupe {review.display(group['number'])} : {review.display(group['title'])}")
        declared = review.display(group["follow_up_declared"])
        if declared or group["follow_up"]:
            out.append(
                f"  Suites à donner : {declared or '?'} annoncé(s), "
                f"{len(group['follow_up'])} listé(s)"
            )
        for contact in group["follow_up"]:
            fields = review.contact_fields(contact)
            out.append("   - " + ", ".join(v for v in fields.values() if v))
    for experience in draft["experiences"]:
        out.append(
            f"\nExpérience : {review.display(experience['actor'])} — "
            f"{len(experience['obstacles'])} obstacle(s), {len(experience['tips'])} astuce(s)"
        )
    for day in draft["days"]:
        out.append(f"\nJour : {review.display(day['label'])} — {len(day['slots'])} créneau(x)")
    for question in draft["reviewer_questions"]:
        out.append(f"? {review.question_text(question)}")
    if draft["unplaced"]:
        out.append(f"\nLignes non reprises : {len(draft['unplaced'])}")
        out += [f"  {u['line']}: {u['text']}" for u in draft["unplaced"]]
    return "\n".join(out)


def _ref(node) -> str:
    lines = node.get("lines") if isinstance(node, dict) else None
    return f"  (l. {', '.join(map(str, lines))})" if lines else ""
