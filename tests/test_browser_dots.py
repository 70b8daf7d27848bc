"""A nation's compounds seen as dots (static/cmdmap/fastlayer.js) leave no stripes, in a real (headless, offline)
Chromium.

Dots lie on a grid of about 100 m (geo/maps/tiles.py ``DOT_PRECISION``). Where that grid's step was a little more
than a dot's 3 pixels (at zoom 12 and latitude 30, 3.4 pixels from row to row), rounding each dot to its pixel
left a blank row every few rows: faint stripes across a province of dense compounds. Here a block of compounds,
one on each step of the grid, must be solid at that zoom, and show its dots apart where the step is wider.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely import box

from geo.store import apply_rows, connect, current
from tests.browser import (
    chromium_session,
    evaluate,
    exception_text,
    map_frame,
    no_exception,
    page_opener,
    poll,
    settle,
)
from tests.test_browser import demo_store
from tests.test_browser_tiled_places import JUMP, TILES, tiling_server

browser = pytest.fixture(scope="module")(chromium_session)

SIDE = 40  # compounds on each side of the block
STEP = 0.001  # degrees: the dots' grid


@pytest.fixture(scope="module")
def block(browser, tmp_path_factory):
    """A server on the demo city with a block of 40 × 40 small compounds south of it, one at each step of the dots'
    grid; past 160 places the compounds come as tiles and dots. The block's corners (south-west, north-east)."""
    url = demo_store(tmp_path_factory.mktemp("dots-store") / "store.sqlite")
    engine = connect(url)
    south = np.floor(current(engine, "compounds").total_bounds[1] * 1000) / 1000 - 0.05
    west = 114.3
    cells = [(west + i * STEP, south + j * STEP) for j in range(SIDE) for i in range(SIDE)]
    frame = gpd.GeoDataFrame({"id": [f"GRID{k:04d}" for k in range(len(cells))],
                              "name": [f"网格小区{k}" for k in range(len(cells))]},
                             geometry=[box(x - 0.0002, y - 0.0002, x + 0.0002, y + 0.0002) for x, y in cells], crs=4326)
    apply_rows(engine, "compounds", frame, "clerk")
    corners = ((south, west), (south + (SIDE - 1) * STEP, west + (SIDE - 1) * STEP))
    with tiling_server(url, "server-dots") as server:
        yield server, corners


@pytest.fixture
def open_page(browser, request):
    yield from page_opener(browser, request)


def _gaps_across(frame, corners, zoom: int) -> tuple[list[int], list[int]]:
    """The block seen at ``zoom`` as dots: the opacity of each pixel down and across its middle, its first and last
    rows and columns left out (a dot there is half inside)."""
    (south, west), (north, east) = corners
    middle = (south + SIDE // 2 * STEP, west + SIDE // 2 * STEP)  # on a row and a column of dots
    evaluate(frame, JUMP, [*middle, zoom])
    poll(lambda: evaluate(frame, TILES)["compounds"]["dots"] and evaluate(frame, "() => window.cmdmap.zoom()") == zoom,
         f"the block as dots at zoom {zoom}")
    inset = 1.5 * STEP
    down = evaluate(frame, "([f, t]) => window.cmdmap.alphas('compounds', f, t)",
                    [[north - inset, middle[1]], [south + inset, middle[1]]])
    across = evaluate(frame, "([f, t]) => window.cmdmap.alphas('compounds', f, t)",
                      [[middle[0], west + inset], [middle[0], east - inset]])
    return down, across


def test_a_block_of_compounds_one_on_each_step_of_the_dots_grid_shows_no_stripes(block, open_page):
    server, corners = block
    log = open_page(server, "/compounds")
    frame = map_frame(log.page, paths=100)
    settle(log.page)
    down, across = _gaps_across(frame, corners, 12)  # 3.4 pixels from row to row, 2.9 from column to column
    assert len(down) > 100 and len(across) > 100, (len(down), len(across))
    assert min(down) > 0 and min(across) > 0, (down, across)  # solid: no blank row nor column
    down, across = _gaps_across(frame, corners, 14)  # 13 and 12 pixels apart: dots, and blank between them
    assert min(down) == 0 and min(across) == 0 and max(down) > 0
    assert no_exception(log.page), exception_text(log.page)
