"""Answering "what is in this viewport": clusters and points, never the whole dataset.

Two paths give the same shape of answer:

- **precomputed** (no filter, or one theme, or one département or région, each with or
  without a type; the facets up to zoom `grid.FACET_MAX_ZOOM`): sums the few
  `MapCluster` rows of the cells in view — a few hundred rows at any zoom, whatever the
  size of the network;
- **live** (around a place, a commune or an EPCI, a theme with a territory): groups the
  matching `MapPoint` rows of the cells in view by cell, in the database, using the
  bounding-box and filter indexes.

A cell holding one point is answered as that point (title, link); a cell holding more is
a cluster at the mean position of its points. At the last zoom level, where points at
the same address can no longer be told apart, a cluster lists its first entries.
At most `MAX_FEATURES` features are returned: the largest clusters first.
"""

from dataclasses import dataclass
from itertools import groupby

from django.db.models import Count, F, Max, Min, Sum
from django.urls import reverse

from . import grid
from .forms import Around
from .models import KIND_SLUGS, Kind, MapCluster, MapPoint, territory_facet, theme_facet

MAX_FEATURES = 2000
STACK_ITEMS = 10
STACK_FETCH = 1000
_SENTINEL = "987654321"
DETAIL_URLS = {
    Kind.ORGANISATION: "directory:organisation",
    Kind.INITIATIVE: "directory:initiative",
    Kind.PERSON: "directory:person",
    Kind.EVENT: "events:event",
    Kind.SHEET: "knowledge:sheet",
}


@dataclass(frozen=True)
class MapQuery:
    """What a viewer asks the map: a viewport and the criteria of `MapFilterForm`."""

    viewer: object
    cells: grid.CellRange
    kind: int | None = None
    theme: object | None = None
    territory: object | None = None
    around: Around | None = None

    @property
    def facet(self) -> str | None:
        """The precomputed facet that answers this query, or None: aggregate live."""
        if self.around:
            return None
        territory = self.territory
        if territory is not None and territory.kind == "national":
            territory = None  # France: no filter
        if (territory or self.theme) and self.cells.zoom > grid.FACET_MAX_ZOOM:
            return None
        if territory is not None and self.theme is not None:
            return None
        if territory is not None:
            return territory_facet(territory)
        if self.theme is not None:
            return theme_facet(self.theme.pk)
        return ""

    def points(self, *, box_index: bool = True):
        """The visible points matching the criteria, in the cells in view.

        `box_index=False` keeps the database from reading them through the bounding-box
        index: for a list in alphabetical order of a view that holds thousands of points,
        walking the title index and skipping the few outside is far cheaper than sorting
        them all. SQLite needs the hint (it sorted 300,000 rows at national zoom: 0.5 s);
        PostgreSQL chooses well by itself.
        """
        points = MapPoint.objects.visible_to(self.viewer).in_cells(self.cells, index=box_index)
        points = points.of_kind(self.kind)
        points = points.with_theme(self.theme).in_territory(self.territory)
        if self.around:
            a = self.around
            points = points.around(a.latitude, a.longitude, a.radius_km)
        return points


class DetailUrls:
    """Links to detail pages without one `reverse()` per point (2,000 of them cost 20 ms)."""

    def __init__(self) -> None:
        self._parts = {
            kind: reverse(name, args=[_SENTINEL]).split(_SENTINEL)
            for kind, name in DETAIL_URLS.items()
        }

    def __call__(self, kind: int, object_id: int) -> str:
        before, after = self._parts[kind]
        return f"{before}{object_id}{after}"


def _clusters(query: MapQuery):
    rows = MapCluster.objects.visible_to(query.viewer).in_cells(query.cells)
    rows = rows.filter(facet=query.facet)
    return rows.filter(kind=query.kind) if query.kind else rows


def _precomputed(query: MapQuery):
    return (
        _clusters(query)
        .values("cx", "cy")
        .annotate(n=Sum("count"), slat=Sum("sum_lat"), slon=Sum("sum_lon"), pid=Max("point_id"))
    )


def _live(query: MapQuery):
    divisor = 1 << grid.shift(query.cells.zoom)
    return (
        query.points()
        .annotate(cx=F("x") / divisor, cy=F("y") / divisor)
        .values("cx", "cy")
        .annotate(n=Count("id"), slat=Sum("latitude"), slon=Sum("longitude"), pid=Min("id"))
    )


def _point(row: dict, urls: DetailUrls) -> dict:
    return {
        "lat": round(row["latitude"], 5),
        "lon": round(row["longitude"], 5),
        "kind": KIND_SLUGS[row["kind"]],
        "id": row["object_id"],
        "title": row["title"],
        "url": urls(row["kind"], row["object_id"]),
    }


_POINT_FIELDS = ("pk", "kind", "object_id", "title", "latitude", "longitude", "x", "y")


def _stacks(query: MapQuery, urls: DetailUrls) -> dict[tuple[int, int], list[dict]]:
    """At the last zoom: the first entries of each cell, to list in the cluster's popup."""
    s = grid.shift(query.cells.zoom)
    rows = query.points().order_by("x", "y", "sort_key").values(*_POINT_FIELDS)[:STACK_FETCH]
    stacks = {}
    for cell, members in groupby(rows, key=lambda r: (r["x"] >> s, r["y"] >> s)):
        stacks.setdefault(cell, []).extend(_point(r, urls) for r in members)
    return {cell: items[:STACK_ITEMS] for cell, items in stacks.items()}


def count_in_view(query: MapQuery) -> int:
    """How many points `query` finds in view (what the map's clusters add up to)."""
    if query.facet is not None:
        return _clusters(query).aggregate(n=Sum("count"))["n"] or 0
    return query.points().count()


def answer(query: MapQuery) -> dict:
    """The JSON answer for `query`: clusters, points, and how many points are in view."""
    grouped = _precomputed(query) if query.facet is not None else _live(query)
    rows = list(grouped.order_by("-n", "cx", "cy")[: MAX_FEATURES + 1])
    truncated = len(rows) > MAX_FEATURES
    rows = rows[:MAX_FEATURES]
    total = sum(row["n"] for row in rows)
    if truncated:
        total = count_in_view(query)
    urls = DetailUrls()
    single_ids = [row["pid"] for row in rows if row["n"] == 1]
    singles = {
        p["pk"]: p
        for p in MapPoint.objects.visible_to(query.viewer)
        .filter(pk__in=single_ids)
        .values(*_POINT_FIELDS)
    }
    stacks = {}
    if query.cells.zoom == grid.MAX_ZOOM and len(single_ids) < len(rows):
        stacks = _stacks(query, urls)
    clusters, points = [], []
    for row in rows:
        if row["n"] == 1 and row["pid"] in singles:
            points.append(_point(singles[row["pid"]], urls))
            continue
        cluster = {
            "lat": round(row["slat"] / row["n"], 5),
            "lon": round(row["slon"] / row["n"], 5),
            "count": row["n"],
        }
        items = stacks.get((row["cx"], row["cy"]))
        if items:
            cluster["items"] = items
        clusters.append(cluster)
    return {
        "zoom": query.cells.zoom,
        "total": total,
        "truncated": truncated,
        "clusters": clusters,
        "points": points,
    }
