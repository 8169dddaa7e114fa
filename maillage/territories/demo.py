"""Demo territories: all of France, loaded unless it already is (the loader is idempotent
but takes seconds, so a complete table is left as it is)."""

from maillage.core.demo import DemoContext, register

from .models import Territory
from .services import territories_load, territories_loaded


def generate(ctx: DemoContext) -> None:
    if territories_loaded():
        ctx.say(f"Territoires : {Territory.objects.communes().count()} communes déjà chargées.")
        return
    report = territories_load(progress=True)
    ctx.say(
        f"Territoires : {report.communes} communes chargées, coordonnées connues pour "
        f"{report.match_rate:.2%}."
    )


register("territories", generate)
