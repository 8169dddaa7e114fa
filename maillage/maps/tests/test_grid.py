"""The clustering grid: coordinates to cells and back."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maillage.maps import grid


@given(
    st.floats(min_value=-85, max_value=85, allow_nan=False),
    st.floats(min_value=-180, max_value=179.999, allow_nan=False),
)
def test_xy_round_trip(lat, lon):
    x, y = grid.to_xy(lat, lon)
    assert 0 <= x < grid.GRID_SIZE and 0 <= y < grid.GRID_SIZE
    back_lat, back_lon = grid.to_latlon(x + 0.5, y + 0.5)
    assert back_lat == pytest.approx(lat, abs=1e-4)
    assert back_lon == pytest.approx(lon, abs=1e-4)


def test_a_cell_is_64_pixels_at_every_zoom():
    assert grid.shift(0) == 24  # 4 cells across the world at zoom 0 (256 px / 64)
    assert grid.shift(grid.MAX_ZOOM) == 6
    for zoom in grid.LEVELS:
        assert grid.GRID_SIZE >> grid.shift(zoom) == 4 << zoom


@pytest.mark.parametrize("zoom", [5, 8, 11, 14, 18])
def test_a_viewport_spans_a_screenful_of_cells(zoom):
    # A 1,280 × 800 screen: 20 × 12.5 cells, plus the cells cut at the edges.
    bbox = grid.viewport_bbox(43.21, 2.35, zoom, 1280, 800)
    assert 20 * 12 <= grid.cell_range(bbox, zoom).cells <= 22 * 15


def test_north_is_up():
    x0, y_north = grid.to_xy(51.0, 2.0)
    _x, y_south = grid.to_xy(42.0, 2.0)
    assert y_north < y_south


def test_poles_are_pinned_to_the_edge():
    assert grid.to_xy(90, 0)[1] == 0
    assert grid.to_xy(-90, 0)[1] == grid.GRID_SIZE - 1


def test_around_bbox_contains_the_circle():
    west, south, east, north = grid.around_bbox(43.21, 2.35, 20)
    assert south < 43.21 - 0.17 < 43.21 + 0.17 < north
    assert west < 2.35 - 0.24 and east > 2.35 + 0.24
