"""`manage.py rebuild_search_index`: rewrite the search index from every registered app."""

import time

from django.core.management.base import BaseCommand, CommandError

from maillage.search import registry
from maillage.search.index import BATCH, rebuild


class Command(BaseCommand):
    help = (
        "Reconstruit l'index de recherche à partir des fiches de chaque application "
        "(après un import en masse, par exemple)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--kind",
            action="append",
            dest="kinds",
            metavar="TYPE",
            help="ne reconstruire que ce type de document (répétable) : "
            + ", ".join(t.kind for t in registry.types()),
        )
        parser.add_argument("--batch", type=int, default=BATCH, help="taille des lots")

    def handle(self, *args, **options) -> None:
        kinds = options["kinds"]
        known = {t.kind for t in registry.types()}
        if kinds and set(kinds) - known:
            raise CommandError(f"Types inconnus : {', '.join(sorted(set(kinds) - known))}")
        started = time.monotonic()
        counts = rebuild(
            kinds=kinds, progress=options["verbosity"] >= 1, batch=max(1, options["batch"])
        )
        for kind, count in counts.items():
            self.stdout.write(f"  {registry.get(kind).label:<20} {count:>8}")
        self.stdout.write(
            self.style.SUCCESS(f"Index reconstruit en {time.monotonic() - started:.1f} s.")
        )
