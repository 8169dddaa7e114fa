"""What each app publishes: datasets (exports and the read API), feeds and webhook events.

Apps register from their `ready()` (or a module it imports), as they do for search::

    from maillage.opendata import registry

    registry.register_dataset(
        "initiatives", _("Initiatives"), queryset=lambda: Initiative.objects.published(),
        row=initiative_row, point=lambda i: (i.longitude, i.latitude),
        fields=[("id", _("identifiant")), ...], date_field="created_at",
    )
    registry.register_feed("initiatives", _("Nouvelles initiatives"), items=latest_items)
    registry.register_event("initiative.published", _("Nouvelle initiative publiée"))

`queryset()` returns **public** records only; `row(obj)` returns a flat JSON-able dict in
which a personal field (e-mail, phone, address…) appears only if its owner made it public
(`visible_contacts(AnonymousUser())`). If the queryset has `with_theme(theme)` and
`in_territory(territory)`, the exports and the API filter on them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.functional import Promise


@dataclass
class Dataset:
    key: str
    label: str | Promise
    queryset: Callable
    row: Callable[[object], dict]
    fields: list[tuple[str, str | Promise]]
    point: Callable[[object], tuple[float | None, float | None] | None] | None = None
    date_field: str = "created_at"
    description: str | Promise = ""


@dataclass
class FeedItem:
    title: str
    url: str  # a path on the site
    description: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    categories: list[str] = field(default_factory=list)


@dataclass
class Feed:
    key: str
    title: str | Promise
    items: Callable[[], Iterable[FeedItem]]
    description: str | Promise = ""


@dataclass
class WebhookEvent:
    key: str
    label: str | Promise


_datasets: dict[str, Dataset] = {}
_feeds: dict[str, Feed] = {}
_events: dict[str, WebhookEvent] = {}


def register_dataset(key: str, label, **kwargs) -> None:
    _datasets[key] = Dataset(key, label, **kwargs)


def register_feed(key: str, title, items, description="") -> None:
    _feeds[key] = Feed(key, title, items, description)


def register_event(key: str, label) -> None:
    _events[key] = WebhookEvent(key, label)


def datasets() -> list[Dataset]:
    return list(_datasets.values())


def dataset(key: str) -> Dataset | None:
    return _datasets.get(key)


def feeds() -> list[Feed]:
    return list(_feeds.values())


def feed(key: str) -> Feed | None:
    return _feeds.get(key)


def events() -> list[WebhookEvent]:
    return list(_events.values())
