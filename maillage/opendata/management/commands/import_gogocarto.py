"""`manage.py import_gogocarto FILE_OR_JSON [--source NAME] [--create-themes]`: bring a
GoGoCarto export (JSON or CSV file, or JSON text) into the directory; re-runnable."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maillage.opendata import gogocarto


class Command(BaseCommand):
    help = "Importe les éléments d'une carte GoGoCarto (JSON ou CSV) comme initiatives."

    def add_arguments(self, parser):
        parser.add_argument("source_file", help="chemin d'un fichier JSON/CSV, ou du JSON")
        parser.add_argument("--source", default="", help="nom de la carte d'origine")
        parser.add_argument("--create-themes", action="store_true")

    def handle(self, *args, source_file: str, source: str, create_themes: bool, **options):
        text = source_file
        if not source_file.lstrip().startswith(("{", "[")):
            path = Path(source_file)
            if not path.is_file():
                raise CommandError(f"Fichier introuvable : {source_file}")
            text = path.read_bytes()
        try:
            elements = gogocarto.parse(text)
        except gogocarto.ImportError_ as error:
            raise CommandError(str(error)) from error
        if not source:
            keys = {str(e.get("sourceKey", "")) for e in elements} - {""}
            source = keys.pop() if len(keys) == 1 else "gogocarto"
        report = gogocarto.gogocarto_import(
            elements=elements, source=source, create_themes=create_themes
        )
        self.stdout.write(
            f"{report.created} créées, {report.updated} mises à jour, {report.linked} "
            f"rattachées, {report.skipped} ignorées, {report.unlocated} sans commune."
        )
        if report.unmapped:
            self.stdout.write("Catégories sans thématique : " + ", ".join(sorted(report.unmapped)))
