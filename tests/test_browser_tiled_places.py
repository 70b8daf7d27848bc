"""A nation's compounds in tiles (geo/maps/tiles.py), in a real (headless, offline) Chromium.

The demo city stands in for a nation: with ``map_places_at_once`` at 160, its 200 compounds are more than a
map draws at once, so they come as tiles of 5 and as dots. Seen whole, every compound is a dot of its
status's colour and no tile is fetched; zoomed in with the mouse wheel, only the tiles in view are fetched and
their compounds are drawn whole, pointed at (the tooltip's lines from the tile's own file of columns) and
clicked for their details as on any map.
"""

from __future__ import annotations

import pytest

from tests.browser import (
    chromium_session,
    evaluate,
    exception_text,
    hit_points,
    map_frame,
    no_exception,
    page_opener,
    poll,
    settle,
    streamlit_server,
)
from tests.test_browser import DEMO_DATA, demo_store, details_column, hover

browser = pytest.fixture(scope="module")(chromium_session)

TILES = "() => window.cmdmap ? window.cmdmap.tiles() : {}"


def tiling_server(url: str, name: str):
    """A server of the store at ``url`` whose maps draw at most 160 places at once: more come as tiles and dots."""
    return streamlit_server({"CMDMAP_DATA_DIR": str(DEMO_DATA), "CMDMAP_BASEMAP": "none", "CMDMAP_DATABASE_URL": url,
                             "CMDMAP_MAP_PLACES_AT_ONCE": "160"}, name=name)


@pytest.fixture(scope="module")
def tiled_server(browser, tmp_path_factory):
    with tiling_server(demo_store(tmp_path_factory.mktemp("tiled-store") / "store.sqlite"), "server-tiled") as server:
        yield server


@pytest.fixture
def open_page(browser, request):
    yield from page_opener(browser, request)


def tile_requests(log) -> list[str]:
    return [url for status, url, _ in log.responses if "/static/cache/places-" in url and status == 200]


def test_far_out_compounds_are_dots_and_closer_in_only_the_tiles_in_view_come(tiled_server, open_page):
    log = open_page(tiled_server, "/compounds")
    page = log.page
    frame = map_frame(page, paths=100)
    settle(page)
    assert no_exception(page), exception_text(page)
    seen = evaluate(frame, TILES)["compounds"]
    assert seen["dots"] and seen["fetched"] == 0 and seen["of"] >= 40, seen  # tiles of at most 5
    assert hit_points(frame) == []  # a dot is not pointed at
    fetched_far = len(tile_requests(log))

    box = frame.frame_element().bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    def drawn_whole():
        now = evaluate(frame, TILES)["compounds"]
        if now["dots"] and not now["fetched"]:
            page.mouse.wheel(0, -60)  # a zoom level in (Leaflet: 60 pixels of wheel a level)
        return not now["dots"] and now["drawn"] > 0 and now

    seen = poll(drawn_whole, "the compounds in view drawn whole after zooming in", interval=1.5)
    assert 0 < seen["fetched"] < seen["of"], seen  # the tiles in view, not the nation
    assert len(tile_requests(log)) - fetched_far <= seen["fetched"] * 2  # each once (plain or gzipped)
    points = poll(lambda: hit_points(frame), "a compound to point at")
    assert all(p["key"] == "compounds" for p in points)
    tooltip = hover(page, frame, points[0])
    assert tooltip.splitlines()[0].strip(), tooltip  # the compound's name, from its tile
    name = tooltip.splitlines()[0].strip()
    # its lines (片区, 状态 …) come from the tile's file of tooltip columns, not with the page's update
    tip = frame.locator(".leaflet-tooltip").first

    def tooltip_lines():
        lines = tip.inner_text().splitlines()[1:]
        return len(lines) > 1 and not any("…" in line for line in lines) and lines  # "…": on their way

    lines = poll(tooltip_lines, "the tooltip's lines from the tile's columns")
    assert all("：" in line for line in lines) and any(line.split("：", 1)[1].strip() for line in lines), lines
    columns = [url for status, url, _ in log.responses if "/static/cache/fields-" in url and status == 200]
    seen = evaluate(frame, TILES)["compounds"]
    assert 0 < len(columns) <= seen["fetched"] * 2 and 0 < seen["fields"] <= seen["fetched"], (columns, seen)
    page.mouse.click(points[0]["x"], points[0]["y"])
    panel = details_column(page)
    poll(lambda: panel.locator("strong").first.inner_text().strip() == name, f"the details of {name}")
    assert no_exception(page), exception_text(page)
    assert evaluate(frame, "() => window.cmdmap.errors()") == []
    failed = [r for r in log.responses if r[0] >= 400 and "/static/" in r[1]]
    assert not failed, failed


JUMP = """([lat, lng, zoom]) => {
  const map = window[Object.keys(window).find((k) => k.startsWith("map_") && window[k] instanceof L.Map)];
  map.setView([lat, lng], zoom, {animate: false});
}"""


def test_tiles_looked_at_long_ago_are_forgotten_and_fetched_again_when_looked_at_again(tiled_server, open_page):
    log = open_page(tiled_server, "/compounds")
    page = log.page
    frame = map_frame(page, paths=100)
    settle(page)
    ends = evaluate(frame, "() => window.cmdmap.tiledPlaces('compounds', 2)")  # two compounds far apart
    zoom = evaluate(frame, "() => window.cmdmap.zoom()") + 5

    def drawn_at(place):
        evaluate(frame, JUMP, [*place, zoom])
        return poll(lambda: (lambda t: not t["dots"] and t["drawn"] > 0 and t)(evaluate(frame, TILES)["compounds"]),
                    "the compounds there drawn whole")

    first = drawn_at(ends[0])
    evaluate(frame, "() => window.cmdmap.keepTiles('compounds', 5)")  # one tile: no more than a view's
    second = drawn_at(ends[1])
    assert second["forgotten"] >= first["fetched"] and second["fetched"] <= second["drawn"] + 1, (first, second)
    again = drawn_at(ends[0])  # fetched again, drawn and pointed at as before
    assert again["forgotten"] > second["forgotten"], again
    points = poll(lambda: hit_points(frame), "a compound to point at once more")
    assert hover(page, frame, points[0]).splitlines()[0].strip()
    assert evaluate(frame, "() => window.cmdmap.errors()") == [] and no_exception(page), exception_text(page)


def test_a_big_citys_tooltip_lines_come_beside_its_pack_after_the_map_is_drawn(browser, open_page, tmp_path):
    # 200 compounds drawn whole where a map draws 1,000 at once: past a tenth of that, their tooltip columns are a
    # file beside their pack, fetched once the map has stayed a moment, not a part of the page's update
    env = {"CMDMAP_DATA_DIR": str(DEMO_DATA), "CMDMAP_BASEMAP": "none", "CMDMAP_MAP_PLACES_AT_ONCE": "1000",
           "CMDMAP_DATABASE_URL": demo_store(tmp_path / "store.sqlite")}
    with streamlit_server(env, name="server-fields-apart") as server:
        log = open_page(server, "/compounds")
        page = log.page
        frame = map_frame(page, paths=100)
        assert evaluate(frame, TILES)["compounds"]["fetched"] == 0  # one whole pack, no tiles
        columns = poll(lambda: [url for status, url, _ in log.responses
                                if "/static/cache/fields-" in url and status == 200],
                       "the compounds' tooltip columns fetched without a hover", page=page)
        assert len(columns) == 1, columns  # the compounds' one pack's, once
        settle(page)
        points = poll(lambda: [p for p in hit_points(frame) if p["key"] == "compounds"], "a compound to point at")
        lines = hover(page, frame, points[0]).splitlines()
        assert lines[0].strip() and len(lines) > 2 and not any("…" in line for line in lines), lines
        assert any("片区：" in line and line.split("：", 1)[1].strip() for line in lines), lines
        assert evaluate(frame, "() => window.cmdmap.errors()") == [] and no_exception(page), exception_text(page)
