"""Recomputing the map tables from scratch: `map_rebuild()`, `manage.py rebuild_map`.

After bulk imports (which send no signals), or to repair any drift. Everything happens
in one transaction, so readers see the old map until the new one is complete. The points
are copied in batches (a progress bar for the command); theme links and clusters are
computed by the database itself, one INSERT … SELECT per zoom level and facet.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from tqdm import tqdm

from . import grid
from .models import Kind, MapCluster, MapPoint, MapPointTheme
from .sync import BATCH, eligible, lock_clusters, model_of, placements


@dataclass
class RebuildReport:
    points: dict[int, int]
    theme_links: int
    clusters: int


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _insert_theme_links(kind: int) -> None:
    """Theme links of every point of `kind`, copied in the database by one statement."""
    through = model_of(kind).themes.through
    owner = f"{model_of(kind)._meta.model_name}"
    # Identifiers come from model metadata and `kind` is a parameter: nothing from outside.
    sql = (
        f"INSERT INTO {_table(MapPointTheme)} ({_column(MapPointTheme, 'point')}, "  # noqa: S608
        f"{_column(MapPointTheme, 'theme')}) "
        f"SELECT p.{_column(MapPoint, 'id')}, t.{_column(through, 'theme')} "
        f"FROM {_table(MapPoint)} p INNER JOIN {_table(through)} t "
        f"ON t.{_column(through, owner)} = p.{_column(MapPoint, 'object_id')} "
        f"WHERE p.{_column(MapPoint, 'kind')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [kind])


def _insert_clusters(level: int) -> None:
    """The clusters of one zoom level, for every facet, aggregated in the database: one
    statement for all points, one per territory level, one for the themes."""
    divisor = 1 << grid.shift(level)
    p = {name: _column(MapPoint, name) for name in ("x", "y", "kind", "audience", "id")}
    p["lat"], p["lon"] = _column(MapPoint, "latitude"), _column(MapPoint, "longitude")
    columns = ", ".join(
        _column(MapCluster, name)
        for name in (
            "level",
            "facet",
            "cx",
            "cy",
            "kind",
            "audience",
            "count",
            "sum_lat",
            "sum_lon",
            "point_id",
        )
    )
    cx, cy = f"p.{p['x']} / {int(divisor)}", f"p.{p['y']} / {int(divisor)}"
    cell = f"{cx}, {cy}, p.{p['kind']}, p.{p['audience']}"
    sums = f"COUNT(*), SUM(p.{p['lat']}), SUM(p.{p['lon']}), MIN(p.{p['id']})"
    links = _table(MapPointTheme)
    theme = f"t.{_column(MapPointTheme, 'theme')}"
    # (facet expression, FROM clause, WHERE, extra GROUP BY column)
    facets = [("''", f"{_table(MapPoint)} p", "", "")]
    for name in ("departement", "region"):
        column = f"p.{_column(MapPoint, name)}"
        facets.append(
            (
                f"'{name}:' || {column}",
                f"{_table(MapPoint)} p",
                f"WHERE {column} IS NOT NULL",
                column,
            )
        )
    facets.append(
        (
            f"'theme:' || {theme}",
            f"{_table(MapPoint)} p INNER JOIN {links} t "
            f"ON t.{_column(MapPointTheme, 'point')} = p.{p['id']}",
            "",
            theme,
        )
    )
    # Integers computed here and identifiers from model metadata: nothing from outside.
    # The divisor is written out (not a parameter) so that the grouped expression is the
    # same text in SELECT and GROUP BY.
    if level > grid.FACET_MAX_ZOOM:
        facets = facets[:1]  # all points only (see grid.FACET_MAX_ZOOM)
    with connection.cursor() as cursor:
        for facet, source, where, group in facets:
            cursor.execute(
                f"INSERT INTO {_table(MapCluster)} ({columns}) "  # noqa: S608
                f"SELECT {int(level)}, {facet}, {cell}, {sums} FROM {source} {where} "
                f"GROUP BY {group + ', ' if group else ''}{cell}"
            )


def _analyze() -> None:
    """Fresh statistics: the planner must know that the tables now hold 100,000s of rows
    (on PostgreSQL, stale ones made a filtered query choose a nested loop: 1.6 s)."""
    with connection.cursor() as cursor:
        for model in (MapPoint, MapPointTheme, MapCluster):
            cursor.execute(f"ANALYZE {_table(model)}")  # noqa: S608 (identifier only)


def _delete_all() -> None:
    # Plain DELETEs: the ORM would first fetch 400,000 ids to cascade by hand.
    with connection.cursor() as cursor:
        for model in (MapCluster, MapPointTheme, MapPoint):
            cursor.execute(f"DELETE FROM {_table(model)}")  # noqa: S608 (identifier only)


@contextmanager
def _large_cache(mebibytes: int = 256):
    """On SQLite, a page cache that holds the map's tables and indexes while they are
    rewritten: with the default 2 MB, the one big transaction rereads and rewrites its
    index pages from the WAL over and over (minutes instead of seconds)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-1024 * int(mebibytes)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def map_rebuild(*, progress: bool = False) -> RebuildReport:
    """Recompute the map tables from the directory, in one transaction: readers see the
    old map until the new one is complete."""
    counts: dict[int, int] = {}
    with transaction.atomic(), _large_cache():
        lock_clusters()
        _delete_all()
        for kind in Kind:
            records = eligible(kind).order_by("pk")
            total = records.count()
            counts[kind] = 0
            with tqdm(
                total=total,
                desc=f"carte : {kind.label.lower()}",
                unit="fiche",
                disable=not progress,
            ) as bar:
                last = 0
                while True:
                    chunk = records.filter(pk__gt=last)[:BATCH]
                    ids = list(chunk.values_list("pk", flat=True))
                    if not ids:
                        break
                    last = ids[-1]
                    rows = placements(kind, records.filter(pk__in=ids))
                    MapPoint.objects.bulk_create(
                        [MapPoint(**row.fields()) for row in rows], batch_size=BATCH
                    )
                    counts[kind] += len(rows)
                    bar.update(len(ids))
            _insert_theme_links(kind)
        for level in tqdm(grid.LEVELS, desc="carte : agrégats", unit="zoom", disable=not progress):
            _insert_clusters(level)
        _analyze()
        return RebuildReport(
            points=counts,
            theme_links=MapPointTheme.objects.count(),
            clusters=MapCluster.objects.count(),
        )
