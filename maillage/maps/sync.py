"""Keeping the map tables in step with the directory.

- `point_sync(kind, object_id)` reads one record afresh and makes its `MapPoint` (and the
  clusters that count it) match: created, moved, retitled or removed. The directory's
  signals call it (see `signals.py`), inside the transaction of the change.
- `rebuild.map_rebuild()` recomputes everything from scratch, in one transaction: after
  bulk imports (which send no signals), or to repair any drift. `manage.py rebuild_map`.

What may appear (`describe`): published organisations and initiatives that have a place;
people who chose to be on the map (`on_map`), whose profile is public or for members,
whose account (if any) is active, placed at the centre of their first commune; published
events that have not ended yet and have a commune (at its centre); published experience
sheets (public or for members) at the centre of their most local territory that has
coordinates (a commune rather than a département; none: off the map). Nothing else ever
gets a row, so no read can leak it. An event leaves the map when it ends: nothing is
saved then, so `ended_events_remove()` (`manage.py rebuild_map --ended-events`, run
daily) takes it off.
"""

import functools
import operator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from maillage.core.text import normalise

from . import grid
from .models import Audience, Kind, MapCluster, MapPoint, MapPointTheme, theme_facet

BATCH = 5000
# Any constant: it names the lock that serialises cluster updates on PostgreSQL.
_PG_LOCK_KEY = 7_304_611


@dataclass
class Placement:
    """What the map keeps of a record that may appear on it."""

    kind: int
    object_id: int
    title: str
    sort_key: str
    audience: int
    latitude: float
    longitude: float
    commune_id: int | None
    epci_id: int | None
    departement_id: int | None
    region_id: int | None
    theme_ids: set[int] = field(default_factory=set)

    def fields(self) -> dict:
        x, y = grid.to_xy(self.latitude, self.longitude)
        return {
            "kind": self.kind,
            "object_id": self.object_id,
            "title": self.title[:200],
            "sort_key": self.sort_key[:200],
            "audience": self.audience,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "x": x,
            "y": y,
            "commune_id": self.commune_id,
            "epci_id": self.epci_id,
            "departement_id": self.departement_id,
            "region_id": self.region_id,
        }


def _models():
    from maillage.directory.models import Initiative, Organisation, Person
    from maillage.events.models import Event
    from maillage.knowledge.models import ExperienceSheet

    return {
        Kind.ORGANISATION: Organisation,
        Kind.INITIATIVE: Initiative,
        Kind.PERSON: Person,
        Kind.EVENT: Event,
        Kind.SHEET: ExperienceSheet,
    }


def model_of(kind: int):
    return _models()[kind]


def kind_of(model) -> int | None:
    for kind, candidate in _models().items():
        if issubclass(model, candidate):
            return kind
    return None


_PLACE = ("commune_id", "commune__epci_id", "commune__departement_id", "commune__region_id")


def eligible(kind: int):
    """The records of `kind` that may appear on the map, as a queryset."""
    model = model_of(kind)
    if kind == Kind.PERSON:
        from maillage.directory.models import Visibility

        return model.objects.filter(
            Q(user__isnull=True) | Q(user__is_active=True),
            on_map=True,
            visibility__in=[Visibility.PUBLIC, Visibility.MEMBERS],
        )
    if kind == Kind.SHEET:
        from maillage.knowledge.models import Audience as SheetAudience

        located = model.territories.through.objects.filter(
            experiencesheet_id=OuterRef("pk"),
            territory__latitude__isnull=False,
            territory__longitude__isnull=False,
        )
        return model.objects.published().filter(
            Exists(located),
            visibility__in=[SheetAudience.PUBLIC, SheetAudience.MEMBERS],
        )
    if kind == Kind.EVENT:
        from maillage.events.models import EventStatus

        records = model.objects.filter(status=EventStatus.PUBLISHED, ends_at__gte=timezone.now())
    else:
        records = model.objects.published()
    # The record's own coordinates (copied from its commune when saved), or else its
    # commune's centre: a record saved by other means (the admin, an import) still shows.
    return records.annotate(
        map_lat=Coalesce("latitude", "commune__latitude"),
        map_lon=Coalesce("longitude", "commune__longitude"),
    ).filter(map_lat__isnull=False, map_lon__isnull=False)


def _title_field(kind: int) -> str:
    return "title" if kind in (Kind.INITIATIVE, Kind.EVENT, Kind.SHEET) else "name"


def _sort_key_field(kind: int) -> str:
    # Events have no stored search name: their title is folded here (see placements).
    return "title" if kind == Kind.EVENT else "search_name"


def _person_communes(person_ids) -> dict[int, tuple]:
    """Each person's first commune that has coordinates: id -> (lat, lon, commune, epci,
    département, région). "First" is the order in which they were added.

    Two plain indexed reads rather than a join: without statistics, SQLite would loop
    over every commune of France for each batch of people (minutes instead of ms)."""
    from maillage.directory.models import Person
    from maillage.territories.models import Territory

    links = list(
        Person.territories.through.objects.filter(person_id__in=person_ids)
        .order_by("person_id", "pk")
        .values_list("person_id", "territory_id")
    )
    places = {
        pk: place
        for pk, *place in Territory.objects.communes()
        .filter(
            pk__in={territory_id for _person, territory_id in links},
            latitude__isnull=False,
            longitude__isnull=False,
        )
        .values_list("pk", "latitude", "longitude", "pk", "epci_id", "departement_id", "region_id")
    }
    found: dict[int, tuple] = {}
    for person_id, territory_id in links:
        if person_id not in found and territory_id in places:
            found[person_id] = tuple(places[territory_id])
    return found


def _place_of(territory: tuple) -> tuple:
    """(lat, lon, commune, epci, département, région) of a territory, from its row
    (pk, kind, lat, lon, commune, epci, département, région): a territory counts as
    itself at its own level (a département is its own département)."""
    pk, kind, lat, lon, commune, epci, departement, region = territory
    own = {
        "commune": (pk, epci, departement, region),
        "arrondissement": (commune, epci, departement, region),
        "epci": (None, pk, departement, region),
        "departement": (None, None, pk, region),
        "region": (None, None, None, pk),
    }.get(kind, (None, None, None, None))
    return (lat, lon, *own)


# The most local territory places a sheet (its commune rather than its région).
_PRECISION = ["commune", "arrondissement", "epci", "departement", "region", "national"]


def _sheet_places(sheet_ids) -> dict[int, tuple]:
    """Each sheet's most local territory that has coordinates (among equals, the first
    linked): id -> (lat, lon, commune, epci, département, région). Two indexed reads, as
    for people."""
    from maillage.knowledge.models import ExperienceSheet
    from maillage.territories.models import Territory

    links = list(
        ExperienceSheet.territories.through.objects.filter(experiencesheet_id__in=sheet_ids)
        .order_by("experiencesheet_id", "pk")
        .values_list("experiencesheet_id", "territory_id")
    )
    rows = {
        row[0]: row
        for row in Territory.objects.filter(
            pk__in={territory_id for _sheet, territory_id in links},
            latitude__isnull=False,
            longitude__isnull=False,
        ).values_list(
            "pk",
            "kind",
            "latitude",
            "longitude",
            "commune_id",
            "epci_id",
            "departement_id",
            "region_id",
        )
    }
    best: dict[int, tuple] = {}
    for sheet_id, territory_id in links:
        row = rows.get(territory_id)
        if row is None:
            continue
        rank = _PRECISION.index(row[1]) if row[1] in _PRECISION else len(_PRECISION)
        if sheet_id not in best or rank < best[sheet_id][0]:
            best[sheet_id] = (rank, row)
    return {sheet_id: _place_of(row) for sheet_id, (_rank, row) in best.items()}


def placements(kind: int, queryset) -> list[Placement]:
    """Placements (without themes) for the eligible records of `queryset`."""
    title = _title_field(kind)
    if kind == Kind.PERSON:
        from maillage.directory.models import Visibility

        rows = list(queryset.values_list("pk", title, "search_name", "visibility"))
        places = _person_communes([row[0] for row in rows])
        return [
            Placement(
                kind,
                pk,
                name,
                sort_key,
                Audience.PUBLIC if visibility == Visibility.PUBLIC else Audience.MEMBERS,
                *places[pk],
            )
            for pk, name, sort_key, visibility in rows
            if pk in places
        ]
    if kind == Kind.SHEET:
        from maillage.knowledge.models import Audience as SheetAudience

        rows = list(queryset.values_list("pk", "title", "visibility"))
        places = _sheet_places([row[0] for row in rows])
        return [
            Placement(
                kind,
                pk,
                title,
                normalise(title),
                Audience.PUBLIC if visibility == SheetAudience.PUBLIC else Audience.MEMBERS,
                *places[pk],
            )
            for pk, title, visibility in rows
            if pk in places
        ]
    sort_field = _sort_key_field(kind)
    rows = queryset.values_list("pk", title, sort_field, "map_lat", "map_lon", *_PLACE)
    fold = normalise if sort_field != "search_name" else str
    return [
        Placement(kind, pk, name, fold(sort_key), Audience.PUBLIC, *rest)
        for pk, name, sort_key, *rest in rows
    ]


def describe(kind: int, object_id: int) -> Placement | None:
    """How the record should appear on the map, or None if it may not appear."""
    found = placements(kind, eligible(kind).filter(pk=object_id))
    if not found:
        return None
    placement = found[0]
    through = model_of(kind).themes.through
    owner = f"{model_of(kind)._meta.model_name}_id"
    placement.theme_ids = set(
        through.objects.filter(**{owner: object_id}).values_list("theme_id", flat=True)
    )
    return placement


# Incremental maintenance of the clusters ------------------------------------------------


def lock_clusters() -> None:
    """Serialise cluster updates: two saves in the same new cell must not both create it.
    SQLite already runs one writing transaction at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])


def facets_of(point: MapPoint, theme_ids) -> list[str]:
    """Every facet that counts `point`: all points, its département, its région, its
    themes."""
    facets = [""]
    if point.departement_id:
        facets.append(f"departement:{point.departement_id}")
    if point.region_id:
        facets.append(f"region:{point.region_id}")
    return facets + [theme_facet(t) for t in sorted(theme_ids)]


def _facet_points(facet: str):
    """The points a facet counts (to find the one left in a cell)."""
    if not facet:
        return MapPoint.objects.all()
    name, pk = facet.split(":")
    if name == "theme":
        return MapPoint.objects.filter(theme_links__theme_id=int(pk))
    return MapPoint.objects.filter(**{f"{name}_id": int(pk)})


def _cells_of(point: MapPoint, facets: list[str]):
    keys = [
        Q(level=z, cx=cx, cy=cy)
        for z in grid.LEVELS
        for cx, cy in [grid.cell_of(point.x, point.y, z)]
    ]
    return MapCluster.objects.filter(
        functools.reduce(operator.or_, keys),
        facet__in=facets,
        kind=point.kind,
        audience=point.audience,
    )


def _add(point: MapPoint, facets: list[str]) -> None:
    """Count `point` (as it is now stored) in its cells, for each of `facets`."""
    if not facets:
        return
    cells = _cells_of(point, facets)
    existing = set(cells.values_list("level", "facet"))
    if existing:
        cells.update(
            count=F("count") + 1,
            sum_lat=F("sum_lat") + point.latitude,
            sum_lon=F("sum_lon") + point.longitude,
        )
    missing = []
    for z in grid.LEVELS:
        cx, cy = grid.cell_of(point.x, point.y, z)
        missing += [
            MapCluster(
                level=z,
                facet=facet,
                cx=cx,
                cy=cy,
                kind=point.kind,
                audience=point.audience,
                count=1,
                sum_lat=point.latitude,
                sum_lon=point.longitude,
                point_id=point.pk,
            )
            for facet in facets
            if (z, facet) not in existing and (not facet or z <= grid.FACET_MAX_ZOOM)
        ]
    MapCluster.objects.bulk_create(missing)


def _remove(point: MapPoint, facets: list[str]) -> None:
    """Take `point` (as it is still stored) out of its cells, for each of `facets`."""
    if not facets:
        return
    cells = _cells_of(point, facets)
    cells.update(
        count=F("count") - 1,
        sum_lat=F("sum_lat") - point.latitude,
        sum_lon=F("sum_lon") - point.longitude,
    )
    cells.filter(count__lte=0).delete()
    # A cell left with one point shows that point: find which one it is.
    for cluster in cells.filter(count=1):
        cell = grid.CellRange(cluster.level, cluster.cx, cluster.cy, cluster.cx, cluster.cy)
        remaining = (
            _facet_points(cluster.facet)
            .filter(kind=point.kind, audience=point.audience)
            .in_cells(cell)
            .exclude(pk=point.pk)
            .values_list("pk", flat=True)
            .first()
        )
        if remaining is not None and remaining != cluster.point_id:
            cluster.point_id = remaining
            cluster.save(update_fields=["point_id"])


# A change of these moves the point from cells to cells (or from facet to facet).
_PLACEMENT_FIELDS = (
    "x",
    "y",
    "audience",
    "latitude",
    "longitude",
    "departement_id",
    "region_id",
)


def _theme_ids(point: MapPoint) -> set[int]:
    return set(MapPointTheme.objects.filter(point=point).values_list("theme_id", flat=True))


def _set_theme_links(point: MapPoint, current: set[int], wanted: set[int]) -> None:
    if current - wanted:
        MapPointTheme.objects.filter(point=point, theme_id__in=current - wanted).delete()
    MapPointTheme.objects.bulk_create(
        [MapPointTheme(point=point, theme_id=t) for t in sorted(wanted - current)]
    )


def point_sync(kind: int, object_id: int) -> MapPoint | None:
    """Make the map show the record `(kind, object_id)` as it now is. Idempotent."""
    with transaction.atomic():
        wanted = describe(kind, object_id)
        current = MapPoint.objects.filter(kind=kind, object_id=object_id).first()
        if wanted is None:
            if current is not None:
                lock_clusters()
                _remove(current, facets_of(current, _theme_ids(current)))
                current.delete()
            return None
        values = wanted.fields()
        if current is None:
            lock_clusters()
            current = MapPoint.objects.create(**values)
            _set_theme_links(current, set(), wanted.theme_ids)
            _add(current, facets_of(current, wanted.theme_ids))
            return current
        themes = _theme_ids(current)
        moved = any(getattr(current, name) != values[name] for name in _PLACEMENT_FIELDS)
        if moved or themes != wanted.theme_ids:
            lock_clusters()
        if moved:
            _remove(current, facets_of(current, themes))
        else:  # only the themes may have changed: move between theme facets
            _remove(current, [theme_facet(t) for t in sorted(themes - wanted.theme_ids)])
        if any(getattr(current, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(current, name, value)
            current.save()
        _set_theme_links(current, themes, wanted.theme_ids)
        if moved:
            _add(current, facets_of(current, wanted.theme_ids))
        else:
            _add(current, [theme_facet(t) for t in sorted(wanted.theme_ids - themes)])
        return current


def point_remove(kind: int, object_id: int) -> None:
    """The record is gone: take it off the map."""
    with transaction.atomic():
        current = MapPoint.objects.filter(kind=kind, object_id=object_id).first()
        if current is not None:
            lock_clusters()
            _remove(current, facets_of(current, _theme_ids(current)))
            current.delete()


def ended_events_remove() -> int:
    """Take off the map the events that have ended since they were placed; how many."""
    from maillage.events.models import Event

    placed = MapPoint.objects.filter(kind=Kind.EVENT).values_list("object_id", flat=True)
    ended = list(
        Event.objects.filter(pk__in=placed, ends_at__lt=timezone.now())
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in ended:
        point_remove(Kind.EVENT, pk)
    return len(ended)


def theme_removed(theme_id: int) -> None:
    """A theme is deleted (its links go with it, by cascade): so do its clusters."""
    MapCluster.objects.filter(facet=theme_facet(theme_id)).delete()
