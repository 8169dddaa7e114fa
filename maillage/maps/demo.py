"""Demo map: the directory's generator inserts in bulk (no signals), so the map is
recomputed once after it (maps comes after directory in INSTALLED_APPS)."""

from maillage.core.demo import DemoContext, register

from .rebuild import map_rebuild


def generate(ctx: DemoContext) -> None:
    report = map_rebuild(progress=sum(ctx.sizes.values()) > 10_000)
    ctx.say(f"Carte : {sum(report.points.values())} points, {report.clusters} agrégats.")


register("maps", generate)
