"""The letter's automatic sections, contributed by each app (as search's registry does).

An app calls, from its `ready()` (or a module its `ready()` imports)::

    from maillage.newsletter import registry

    registry.register("initiatives", _("Nouvelles initiatives"), collect, position=20)

`collect(since, until)` returns the public `Item`s that are new in that window (only what
an anonymous visitor may see: a letter is public once sent). Items carry their theme ids
and territory ids (with their ancestors, see `territory_keys`) so that the letter's and
each subscriber's choices of themes and territories can filter them without a query.
"""

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime

from django.utils.functional import Promise

MAX_ITEMS = 40


@dataclass
class Item:
    title: str
    url: str  # a path on the site; made absolute when the letter is rendered
    summary: str = ""
    when: str = ""  # a date as text for people ("samedi 14 mars, 9 h 30"), if it matters
    place: str = ""
    themes: list[int] = field(default_factory=list)
    territories: list[int] = field(default_factory=list)


@dataclass
class Section:
    key: str
    label: str | Promise
    collect: Callable[[datetime, datetime], Iterable[Item]]
    position: int = 100


_sections: dict[str, Section] = {}
# The personal weekly digest: collect(user, since, until) -> the items for that member.
_digest_sections: dict[str, Section] = {}


def register(
    key: str,
    label: str | Promise,
    collect: Callable[[datetime, datetime], Iterable[Item]],
    *,
    position: int = 100,
) -> None:
    _sections[key] = Section(key, label, collect, position)


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: (s.position, s.key))


def territory_keys(territories: Iterable) -> list[int]:
    """The ids of `territories` and of everything above them (EPCI, département, région),
    so that someone who follows the Aude gets what happens in Carcassonne."""
    keys: set[int] = set()
    for territory in territories:
        if territory is None:
            continue
        keys.add(territory.pk)
        for parent in ("commune_id", "epci_id", "departement_id", "region_id"):
            value = getattr(territory, parent, None)
            if value:
                keys.add(value)
    return sorted(keys)


def matches(item: dict, themes: set[int], territories: set[int]) -> bool:
    """An item passes a choice of themes (any of them) and of territories (inside any)."""
    if themes and not themes.intersection(item.get("themes", [])):
        return False
    return not (territories and not territories.intersection(item.get("territories", [])))


def collect(*, since: datetime, until: datetime) -> list[dict]:
    """Every section's items, as JSON-able dicts (what a letter freezes when sent)."""
    result = []
    for section in sections():
        items = [asdict(item) for item in section.collect(since, until)]
        result.append({"key": section.key, "label": str(section.label), "items": items})
    return result


def filtered(
    sections_data: list[dict],
    themes: set[int],
    territories: set[int],
    *,
    limit: int | None = MAX_ITEMS,
) -> list[dict]:
    """The sections keeping only the matching items, then at most `limit` of them each
    (all with `limit=None`), `more` saying how many matched beyond; empty sections are
    left out. Filter first, cut last: cutting first would drop matching items."""
    result = []
    for section in sections_data:
        items = [i for i in section["items"] if matches(i, themes, territories)]
        if not items:
            continue
        more = 0 if limit is None else max(0, len(items) - limit)
        if not themes and not territories:
            # Letters frozen before sections were kept whole say how many were cut.
            more += section.get("more", 0)
        result.append({**section, "items": items if limit is None else items[:limit], "more": more})
    return result


def register_digest(
    key: str, label: str | Promise, collect: Callable, *, position: int = 100
) -> None:
    """A section of the members' weekly digest: `collect(user, since, until)` returns the
    items for that member (what they may see: the digest is personal)."""
    _digest_sections[key] = Section(key, label, collect, position)


def collect_digest(*, user, since: datetime, until: datetime) -> list[dict]:
    result = []
    for section in sorted(_digest_sections.values(), key=lambda s: (s.position, s.key)):
        items = [asdict(item) for item in section.collect(user, since, until)][:MAX_ITEMS]
        if items:
            result.append({"key": section.key, "label": str(section.label), "items": items})
    return result
