"""Demo: once every other generator has run (search comes after them in INSTALLED_APPS),
rebuild the search index, since the generators insert in bulk and bypass signals."""

from maillage.core.demo import DemoContext, register

from .index import rebuild


def generate(ctx: DemoContext) -> None:
    counts = rebuild(progress=sum(ctx.sizes.values()) >= 10_000)
    total = sum(counts.values())
    ctx.say(f"Recherche : {total} documents indexés.")


register("search", generate)
