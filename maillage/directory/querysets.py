"""Reads on the directory, in the words people use.

`visible_to(viewer)` is the one gate for listing: a private profile or an unvalidated
proposal never reaches someone who may not see it, in lists, counts or exports.
"""

import hashlib
import json

from django.core.cache import cache
from django.db import connections, models
from django.db.models import Exists, OuterRef, Prefetch, Q

# Lists count their rows exactly up to this many; beyond, PostgreSQL's planner estimate
# gives the total (see `list_count`). Reading 10,000 profiles to learn that there are more
# cost 6 to 25 ms at 100,000 people; 2,000 cost a fifth of that.
EXACT_COUNT_LIMIT = 2_000


def _planner_rows(queryset) -> int | None:
    """PostgreSQL's estimate of how many rows `queryset` returns (from the statistics of
    ANALYZE, about a millisecond); None elsewhere."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


# Share of the table's pages read to estimate a count the planner cannot know.
SAMPLE_PERCENT = 2
SAMPLE_CACHE_SECONDS = 300


def _sampled_rows(queryset) -> int | None:
    """PostgreSQL: the matches in a fixed 2 % sample of the table's pages (REPEATABLE: the
    figure does not flicker between pages), scaled up; None elsewhere. For a territory
    criterion, a semi-join on skewed data, the planner is far off: 6,141 for the 47,809
    initiatives of Haute-Garonne in the 300,000 benchmark, where the sample says 48,500
    (+1.4 %) in about 20 ms."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    head = f"FROM {connection.ops.quote_name(queryset.model._meta.db_table)}"
    if head not in sql:
        return None
    # The model's own table comes first in the statement Django writes.
    sampled = sql.replace(head, f"{head} TABLESAMPLE SYSTEM ({SAMPLE_PERCENT}) REPEATABLE (7)", 1)
    # An estimate may be a few minutes old: the pages of one list share it.
    key = "directory:sampled:" + hashlib.sha256(repr((sampled, params)).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sampled}) AS sampled", params)  # noqa: S608
            found = round(cursor.fetchone()[0] * 100 / SAMPLE_PERCENT)
        cache.set(key, found, SAMPLE_CACHE_SECONDS)
    return found


def list_count(queryset, *, skewed: bool = False) -> tuple[int, bool]:
    """(how many rows `queryset` holds, whether that is an estimate) for a list page.

    Counting 285,000 published initiatives costs 200 ms on PostgreSQL (every row is
    read); counting at most `EXACT_COUNT_LIMIT` + 1 of them costs a few milliseconds.
    So: an exact count up to the limit — a small network, or a narrow criterion, sees
    exact figures — and beyond it the planner's estimate (never below the limit), or,
    when the criteria are `skewed` (a territory), a sample of the table.
    SQLite has no cheap estimate: it counts everything.
    """
    exact_up_to = EXACT_COUNT_LIMIT
    unordered = queryset.order_by()
    capped = unordered.values("pk")[: exact_up_to + 1].count()
    if capped <= exact_up_to:
        return capped, False
    estimate = (_sampled_rows(unordered) if skewed else None) or _planner_rows(unordered)
    if estimate is None:
        return unordered.count(), False
    return max(estimate, exact_up_to + 1), True


def _viewer_flags(viewer) -> tuple[bool, bool, int | None]:
    authenticated = bool(getattr(viewer, "is_authenticated", False))
    return (
        bool(getattr(viewer, "is_facilitator", False)),
        bool(getattr(viewer, "is_member", False)),
        viewer.pk if authenticated else None,
    )


class ThemeQuerySet(models.QuerySet):
    def with_counts(self):
        return self.annotate(
            initiative_count=models.Count(
                "initiatives", filter=Q(initiatives__status="published"), distinct=True
            )
        )


class TerritoryFilterMixin:
    """`in_territory(t)`: acting anywhere inside `t` (the Aude includes its communes)."""

    def in_territory(self, territory):
        from maillage.territories.models import Territory

        # `pk IN (links of those territories)` rather than a correlated EXISTS: SQLite
        # runs EXISTS once per row of the table (3.5 s for the initiatives of a
        # département at 300,000) but reads IN from the link table's territory index
        # (28 ms); PostgreSQL plans both as the same semi-join (measured 71 vs 74 ms).
        through = self.model.territories.through
        owner_field = f"{self.model._meta.model_name}_id"
        inside = Territory.objects.within(territory).values("pk")
        return self.filter(
            pk__in=through.objects.filter(territory_id__in=inside).values(owner_field)
        )

    def with_theme(self, theme):
        through = self.model.themes.through
        owner_field = f"{self.model._meta.model_name}_id"
        # EXISTS here: with a theme (an eighth of the table) SQLite is faster row by row
        # (94 ms against 214 ms for `pk IN`), PostgreSQL the same either way.
        return self.filter(
            Exists(through.objects.filter(**{owner_field: OuterRef("pk")}, theme=theme))
        )


def _territories_prefetch():
    from maillage.territories.models import Territory

    return Prefetch("territories", queryset=Territory.objects.order_by("name"))


class PersonQuerySet(TerritoryFilterMixin, models.QuerySet):
    def visible_to(self, viewer):
        facilitator, member, user_id = _viewer_flags(viewer)
        active = Q(user__isnull=True) | Q(user__is_active=True)
        if facilitator:
            return self.filter(active)
        allowed = ["public", "members"] if member else ["public"]
        mine = Q(user_id=user_id) if user_id else Q(pk__in=[])
        return self.filter(active).filter(Q(visibility__in=allowed) | mine)

    def resource_people(self):
        return self.filter(is_resource_person=True)

    def for_list(self):
        return self.prefetch_related("themes", _territories_prefetch())


class ModeratedQuerySet(TerritoryFilterMixin, models.QuerySet):
    def published(self):
        return self.filter(status="published")

    def proposed(self):
        return self.filter(status="proposed")

    def visible_to(self, viewer):
        """Published records, plus one's own proposals; facilitators see every proposal."""
        facilitator, _member, user_id = _viewer_flags(viewer)
        if facilitator:
            return self.exclude(status="rejected")
        if user_id:
            return self.filter(Q(status="published") | Q(status="proposed", created_by_id=user_id))
        return self.published()


class OrganisationQuerySet(ModeratedQuerySet):
    def of_kind(self, kind: str):
        return self.filter(kind=kind)

    def networks(self):
        return self.filter(kind="reseau")

    def for_list(self):
        return self.select_related("commune").prefetch_related("themes", _territories_prefetch())


class InitiativeQuerySet(ModeratedQuerySet):
    def with_progress(self, progress: str):
        return self.filter(progress=progress)

    def for_list(self):
        return self.select_related("commune").prefetch_related(
            "themes", _territories_prefetch(), "carrier_organisations"
        )
