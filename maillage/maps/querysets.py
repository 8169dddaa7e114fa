"""Reads on the map tables, in the words of the map's filters.

`visible_to(viewer)` is the gate: anonymous visitors see the public points, members of
the network (and facilitators) also the people who show themselves to members only.
Private profiles and unpublished records never have a row (see `sync.py`).
"""

from django.db import models
from django.db.models import F, FloatField, Value
from django.db.models.functions import Cast

from . import grid


def audience_of(viewer) -> int:
    """The widest audience `viewer` belongs to (see `models.Audience`)."""
    from .models import Audience

    if getattr(viewer, "is_member", False) or getattr(viewer, "is_facilitator", False):
        return Audience.MEMBERS
    return Audience.PUBLIC


# Which column of MapPoint holds the territory of each kind that contains the point.
_TERRITORY_COLUMN = {
    "commune": "commune",
    "arrondissement": "commune",
    "epci": "epci",
    "departement": "departement",
    "region": "region",
}


class MapPointQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        return self.filter(audience__lte=audience_of(viewer))

    def public(self):
        from .models import Audience

        return self.filter(audience=Audience.PUBLIC)

    def of_kind(self, kind: int | None):
        return self.filter(kind=kind) if kind else self

    def in_cells(self, cells: grid.CellRange, *, index: bool = True):
        """Points in the whole cells of `cells` (a cluster is never cut in two).
        `index=False` compares `x + 0` and `y + 0`, which no index serves: a hint to the
        planner, the same on both databases (see `MapQuery.points`)."""
        x0, y0, x1, y1 = cells.xy_bounds()
        if index:
            return self.filter(x__gte=x0, x__lt=x1, y__gte=y0, y__lt=y1)
        return self.alias(box_x=F("x") + 0, box_y=F("y") + 0).filter(
            box_x__gte=x0, box_x__lt=x1, box_y__gte=y0, box_y__lt=y1
        )

    def in_bbox(self, bbox: tuple[float, float, float, float]):
        west, south, east, north = bbox
        return self.filter(
            latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
        )

    def with_theme(self, theme):
        return self.filter(theme_links__theme=theme) if theme else self

    def in_territory(self, territory):
        """Points located in `territory` (the Aude includes its communes)."""
        if territory is None:
            return self
        column = _TERRITORY_COLUMN.get(territory.kind)
        if column is None:  # France
            return self
        return self.filter(**{f"{column}_id": territory.pk})

    def around(self, latitude: float, longitude: float, radius_km: float):
        """Points within `radius_km` of a place: an indexed box, then the distance on an
        equirectangular projection (exact enough at the scale of a département)."""
        import math

        west, south, east, north = grid.around_bbox(latitude, longitude, radius_km)
        cos = math.cos(math.radians(latitude))
        km = grid.EARTH_KM_PER_DEGREE
        dlat = (F("latitude") - Value(latitude)) * Value(km)
        dlon = (F("longitude") - Value(longitude)) * Value(km * cos)
        # x0 <= x < x1 on the grid as well, so that the (x, y) index serves the box.
        x0, y0 = grid.to_xy(north, west)
        x1, y1 = grid.to_xy(south, east)
        return (
            self.filter(x__gte=x0, x__lte=x1, y__gte=y0, y__lte=y1)
            .alias(distance2=Cast(dlat * dlat + dlon * dlon, FloatField()))
            .filter(distance2__lte=radius_km * radius_km)
        )

    def for_list(self):
        return self.select_related("commune").order_by("sort_key", "pk")


class MapClusterQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        return self.filter(audience__lte=audience_of(viewer))

    def in_cells(self, cells: grid.CellRange):
        return self.filter(
            level=cells.zoom,
            cx__gte=cells.cx0,
            cx__lte=cells.cx1,
            cy__gte=cells.cy0,
            cy__lte=cells.cy1,
        )
