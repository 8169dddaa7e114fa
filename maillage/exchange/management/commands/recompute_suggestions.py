"""Rebuild the matching index and every stored suggestion (dismissed ones are kept).

Run after bulk writes that bypass signals (imports, the demo network); day to day, each
saved record refreshes its own suggestions through the task queue.
"""

import time

from django.core.management.base import BaseCommand

from maillage.exchange.matching import recompute_all


class Command(BaseCommand):
    help = "Recalcule l'index des mises en relation et toutes les suggestions."

    def handle(self, *args, **options):
        started = time.monotonic()
        result = recompute_all(say=lambda m: self.stdout.write(m))
        self.stdout.write(
            self.style.SUCCESS(
                f"{result['items']} éléments, {result['sources']} sources, "
                f"{result['suggestions']} suggestions en {time.monotonic() - started:.1f} s"
            )
        )
