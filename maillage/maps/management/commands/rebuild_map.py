"""`manage.py rebuild_map`: recompute the map's points and clusters from the directory."""

import time

from django.core.management.base import BaseCommand

from maillage.maps.models import Kind
from maillage.maps.rebuild import map_rebuild


class Command(BaseCommand):
    help = (
        "Recalcule les points et les agrégats de la carte à partir de l'annuaire, en une "
        "transaction (après un import en masse, ou pour réparer un écart)."
    )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        report = map_rebuild(progress=options["verbosity"] >= 1)
        for kind in Kind:
            self.stdout.write(f"  {kind.label:<12} {report.points.get(kind, 0):>8}")
        self.stdout.write(f"  {'Thématiques':<12} {report.theme_links:>8}")
        self.stdout.write(f"  {'Agrégats':<12} {report.clusters:>8}")
        self.stdout.write(
            self.style.SUCCESS(f"Carte recalculée en {time.perf_counter() - started:.1f} s.")
        )
