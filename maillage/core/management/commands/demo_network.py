"""`manage.py demo_network`: a realistic, fictional network, the same for the same seed."""

from django.core.management.base import BaseCommand
from django.utils.module_loading import autodiscover_modules

from maillage.core import demo


def _load() -> list[demo.Generator]:
    autodiscover_modules("demo")
    return demo.generators()


class Command(BaseCommand):
    help = "Crée (ou complète) un réseau de démonstration fictif et plausible."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seed", type=int, default=2024, help="graine du hasard")
        for generator in _load():
            for flag, (default, help_text) in generator.sizes.items():
                parser.add_argument(f"--{flag}", type=int, default=default, help=help_text)

    def handle(self, *args, **options) -> None:
        generators = _load()
        sizes = {
            flag.replace("-", "_"): options[flag.replace("-", "_")]
            for g in generators
            for flag in g.sizes
        }
        context = demo.make_context(seed=options["seed"], sizes=sizes, stdout=self.stdout)
        for generator in generators:
            generator.run(context)
        self.stdout.write(self.style.SUCCESS("Réseau de démonstration prêt."))
