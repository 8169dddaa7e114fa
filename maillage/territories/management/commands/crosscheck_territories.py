"""`manage.py crosscheck_territories [DIR]`: compare the loaded communes with Etalab's
`@etalab/decoupage-administratif` data (installed by `make install` from npm)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from maillage.territories.crosscheck import crosscheck

DEFAULT_DIR = Path(settings.BASE_DIR) / "node_modules/@etalab/decoupage-administratif/data"


class Command(BaseCommand):
    help = "Compare les communes chargées avec les données d'Etalab (découpage administratif)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("data_dir", nargs="?", default=str(DEFAULT_DIR))

    def handle(self, *args, **options) -> None:
        data_dir = Path(options["data_dir"])
        if not (data_dir / "communes.json").exists():
            raise CommandError(f"{data_dir}/communes.json introuvable (lancez make install).")
        r = crosscheck(data_dir)
        self.stdout.write(
            f"Communes chargées : {r.ours} ; chez Etalab : {r.theirs} ; "
            f"communes aux deux : {r.both}"
        )
        self.stdout.write(f"Même nom : {r.same_name} ({r.rate(r.same_name):.2%})")
        self.stdout.write(
            f"Même département : {r.same_departement} ({r.rate(r.same_departement):.2%})"
        )
        if r.epci_compared:
            self.stdout.write(
                f"Même intercommunalité : {r.same_epci}/{r.epci_compared} "
                f"({r.rate(r.same_epci, r.epci_compared):.2%})"
            )
        self.stdout.write(f"Seulement ici : {len(r.only_ours)} {' '.join(r.only_ours[:10])}")
        self.stdout.write(
            f"Seulement chez Etalab : {len(r.only_theirs)} {' '.join(r.only_theirs[:10])}"
        )
        for code, ours, theirs in r.other_name[:10]:
            self.stdout.write(f"  {code} : « {ours} » ici, « {theirs} » chez Etalab")
