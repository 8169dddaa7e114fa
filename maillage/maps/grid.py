"""The clustering grid: Web Mercator coordinates cut into square cells per zoom level.

A point's position is stored once as two integers, `x` and `y`, on a grid of 2**26
units per side over the world (the pixels of zoom 18 in Leaflet's 256-pixel tiles, about
60 cm at the equator). Its cell at zoom `z` is `(x >> shift(z), y >> shift(z))`: a cell
is `CELL_PX` screen pixels wide at that zoom, whatever the zoom. A viewport of
1,280 × 800 pixels thus always spans about 20 × 13 cells, which is what bounds the
number of clusters in an answer.
"""

import math
from dataclasses import dataclass

GRID_BITS = 26
GRID_SIZE = 1 << GRID_BITS
MAX_ZOOM = 18
CELL_PX = 64  # 2**6 pixels: a cell is 64 × 64 screen pixels at every zoom
_CELL_BITS = 6
LEVELS = range(MAX_ZOOM + 1)
# Clusters per theme, département or région are precomputed up to this zoom only: closer
# in, a viewport holds a few thousand points at most, which the database groups live in
# a few milliseconds, and these levels would be the largest (one row per place and theme).
FACET_MAX_ZOOM = 12
# Web Mercator stops at ±85.05°; beyond, points are pinned to the edge.
MAX_LATITUDE = 85.0511287798
EARTH_KM_PER_DEGREE = 111.32


def shift(zoom: int) -> int:
    """Bits dropped from x or y to get the cell at `zoom` (24 at zoom 0, 6 at zoom 18)."""
    return GRID_BITS - 8 - zoom + _CELL_BITS


def to_xy(latitude: float, longitude: float) -> tuple[int, int]:
    """Latitude/longitude in degrees -> integer grid coordinates, y growing southwards."""
    lat = max(-MAX_LATITUDE, min(MAX_LATITUDE, latitude))
    lon = max(-180.0, min(180.0, longitude))
    fx = (lon + 180.0) / 360.0
    sin = math.sin(math.radians(lat))
    fy = 0.5 - math.log((1 + sin) / (1 - sin)) / (4 * math.pi)
    return _clamp(fx), _clamp(fy)


def _clamp(fraction: float) -> int:
    return max(0, min(GRID_SIZE - 1, int(fraction * GRID_SIZE)))


def to_latlon(x: float, y: float) -> tuple[float, float]:
    """Grid coordinates -> latitude/longitude in degrees (the inverse of `to_xy`)."""
    lon = x / GRID_SIZE * 360.0 - 180.0
    n = math.pi - 2 * math.pi * y / GRID_SIZE
    return math.degrees(math.atan(math.sinh(n))), lon


def cell_of(x: int, y: int, zoom: int) -> tuple[int, int]:
    s = shift(zoom)
    return x >> s, y >> s


@dataclass(frozen=True)
class CellRange:
    """The cells at `zoom` that a bounding box touches, inclusive on both ends."""

    zoom: int
    cx0: int
    cy0: int
    cx1: int
    cy1: int

    @property
    def cells(self) -> int:
        return (self.cx1 - self.cx0 + 1) * (self.cy1 - self.cy0 + 1)

    def xy_bounds(self) -> tuple[int, int, int, int]:
        """The grid rectangle covered by these whole cells: x0 <= x < x1, y0 <= y < y1."""
        s = shift(self.zoom)
        return self.cx0 << s, self.cy0 << s, (self.cx1 + 1) << s, (self.cy1 + 1) << s


def cell_range(bbox: tuple[float, float, float, float], zoom: int) -> CellRange:
    """Bounding box (west, south, east, north) in degrees -> the cells it touches."""
    west, south, east, north = bbox
    x0, y0 = to_xy(north, west)
    x1, y1 = to_xy(south, east)
    s = shift(zoom)
    return CellRange(zoom, x0 >> s, y0 >> s, x1 >> s, y1 >> s)


def around_bbox(
    latitude: float, longitude: float, radius_km: float
) -> tuple[float, float, float, float]:
    """The bounding box of a circle, for an indexed pre-filter before the exact distance."""
    dlat = radius_km / EARTH_KM_PER_DEGREE
    cos = max(math.cos(math.radians(latitude)), 0.01)
    dlon = min(radius_km / (EARTH_KM_PER_DEGREE * cos), 180.0)
    return (
        max(-180.0, longitude - dlon),
        max(-90.0, latitude - dlat),
        min(180.0, longitude + dlon),
        min(90.0, latitude + dlat),
    )


def viewport_bbox(
    latitude: float, longitude: float, zoom: int, width_px: int, height_px: int
) -> tuple[float, float, float, float]:
    """The bounding box of a `width_px` × `height_px` map centred on a place at `zoom`
    (what Leaflet's getBounds() gives), clipped to the world."""
    x, y = to_xy(latitude, longitude)
    units_per_px = 1 << (GRID_BITS - 8 - zoom)
    half_w, half_h = width_px * units_per_px / 2, height_px * units_per_px / 2
    north, west = to_latlon(max(0, x - half_w), max(0, y - half_h))
    south, east = to_latlon(min(GRID_SIZE, x + half_w), min(GRID_SIZE, y + half_h))
    return (max(-180.0, west), max(-90.0, south), min(180.0, east), min(90.0, north))
