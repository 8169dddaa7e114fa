"""Filtering a dataset the same way for the exports and the read API: theme, territory,
date window."""

from datetime import date, datetime, time

from django.db.models import Q
from django.utils import timezone

from maillage.directory.models import Theme
from maillage.territories.models import Territory

from .registry import Dataset


def find_theme(slug: str | None) -> Theme | None | bool:
    """The theme, None if no slug was given, False if it names no theme."""
    if not slug:
        return None
    if "\x00" in slug:
        return False
    return Theme.objects.filter(slug=slug[:80]).first() or False


def find_territory(text: str | None) -> Territory | None | bool:
    """`departement:11`, `commune:11069`, or an INSEE commune code alone."""
    if not text:
        return None
    if "\x00" in text:
        return False
    kind, _sep, code = text.rpartition(":")
    kind = kind or "commune"
    return Territory.objects.filter(kind=kind[:16], code=code[:10]).first() or False


def _aware(day: date, *, end: bool) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


def filtered(
    dataset: Dataset,
    *,
    theme: str | None = None,
    territory: str | None = None,
    since: date | None = None,
    until: date | None = None,
):
    """The dataset's public queryset with the filters applied; None if a filter names
    nothing (an unknown theme or territory gives an empty result, not everything)."""
    queryset = dataset.queryset()
    found_theme = find_theme(theme)
    found_territory = find_territory(territory)
    if found_theme is False or found_territory is False:
        return None
    if found_theme is not None and hasattr(queryset, "with_theme"):
        queryset = queryset.with_theme(found_theme)
    if found_territory is not None and hasattr(queryset, "in_territory"):
        # Acting in the territory, or located there (the commune of the main place).
        condition = Q(pk__in=queryset.in_territory(found_territory).values("pk"))
        if any(f.name == "commune" for f in queryset.model._meta.get_fields()):
            inside = Territory.objects.within(found_territory).values("pk")
            condition |= Q(commune_id__in=inside)
        queryset = queryset.filter(condition)
    if since:
        queryset = queryset.filter(**{f"{dataset.date_field}__gte": _aware(since, end=False)})
    if until:
        queryset = queryset.filter(**{f"{dataset.date_field}__lte": _aware(until, end=True)})
    return queryset.order_by("pk")
