"""Suggestions ready to show: stored rows joined to the records the viewer may see."""

from dataclasses import dataclass
from datetime import datetime

from maillage.directory.models import Initiative, Person

from .models import Ad, ItemType, Suggestion
from .reasons import reasons_text

SHOWN = 10


@dataclass
class Shown:
    pk: int
    kind: str
    kind_label: str
    label: str
    url: str
    reasons_text: str
    score: float
    created_at: datetime
    record: object


def targets_visible_to(viewer, items: list[tuple[str, int]]) -> dict[tuple[str, int], object]:
    """The records behind `items` that `viewer` may see (one query per kind)."""
    ids: dict[str, list[int]] = {}
    for t, i in items:
        ids.setdefault(t, []).append(i)
    found: dict[tuple[str, int], object] = {}
    if ids.get(ItemType.PERSON):
        people = Person.objects.visible_to(viewer).filter(
            pk__in=ids[ItemType.PERSON], user__match_preferences__suggestable=True
        )
        found.update({(ItemType.PERSON, p.pk): p for p in people})
    if ids.get(ItemType.INITIATIVE):
        initiatives = Initiative.objects.published().filter(pk__in=ids[ItemType.INITIATIVE])
        found.update({(ItemType.INITIATIVE, i.pk): i for i in initiatives})
    if ids.get(ItemType.AD):
        ads = Ad.objects.live().filter(pk__in=ids[ItemType.AD])
        found.update({(ItemType.AD, a.pk): a for a in ads})
    return found


def label_of(record) -> str:
    return getattr(record, "name", None) or getattr(record, "title", "")


def suggestions_for_display(
    source_type: str, source_id: int, *, viewer, subject: str | None = None, limit: int = SHOWN
) -> list[Shown]:
    rows = list(Suggestion.objects.for_source(source_type, source_id)[: limit * 3])
    records = targets_visible_to(viewer, [(s.target_type, s.target_id) for s in rows])
    kinds = dict(ItemType.choices)
    shown = []
    for s in rows:
        record = records.get((s.target_type, s.target_id))
        if record is None:
            continue
        label = label_of(record)
        shown.append(
            Shown(
                pk=s.pk,
                kind=s.target_type,
                kind_label=str(kinds[s.target_type]),
                label=label,
                url=record.get_absolute_url(),
                reasons_text=reasons_text(s.reasons, other=label, subject=subject),
                score=s.score,
                created_at=s.created_at,
                record=record,
            )
        )
        if len(shown) >= limit:
            break
    return shown
