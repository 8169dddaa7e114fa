"""`manage.py rebuild_map`: recompute the map's points and clusters from the directory.

`--ended-events` only takes off the map the events that have ended (a daily job: an
event ending sends no signal)."""

import time

from django.core.management.base import BaseCommand

from maillage.maps.models import Kind
from maillage.maps.rebuild import map_rebuild
from maillage.maps.sync import ended_events_remove


class Command(BaseCommand):
    help = (
        "Recalcule les points et les agrégats de la carte à partir de l'annuaire, en une "
        "transaction (après un import en masse, ou pour réparer un écart)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--ended-events",
            action="store_true",
            help="retirer seulement les rencontres terminées (à lancer chaque jour)",
        )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        if options["ended_events"]:
            removed = ended_events_remove()
            self.stdout.write(self.style.SUCCESS(f"Rencontres terminées retirées : {removed}."))
            return
        report = map_rebuild(progress=options["verbosity"] >= 1)
        for kind in Kind:
            self.stdout.write(f"  {kind.label:<18} {report.points.get(kind, 0):>8}")
        self.stdout.write(f"  {'Thématiques':<18} {report.theme_links:>8}")
        self.stdout.write(f"  {'Agrégats':<18} {report.clusters:>8}")
        self.stdout.write(
            self.style.SUCCESS(f"Carte recalculée en {time.perf_counter() - started:.1f} s.")
        )
