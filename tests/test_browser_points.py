"""A city whose compounds are points, in a real (headless, offline) Chromium with no base map.

The point city of ``tests/cities.py``: four compounds known only by a point (one 20 km out of town, in no
zone). Each is drawn as a circle that can be hovered and clicked; a search that finds one jumps the map
to it and paints it at once (a jump of many zoom levels is a view reset, whose last clearing of the canvas
used to wipe the places until the next manual zoom; one point alone used to be fitted at the zoom Infinity).
"""

from __future__ import annotations

import pytest

from tests.browser import (
    chromium_session,
    exception_text,
    hit_points,
    map_frame,
    map_frames,
    no_exception,
    page_opener,
    poll,
    screenshot,
    settle,
    streamlit_server,
)
from tests.cities import POINTS, write_point_city
from tests.test_browser import details_column, hover

browser = pytest.fixture(scope="module")(chromium_session)

#: The alpha of the canvases' pixels at a point of the map's frame (client coordinates): > 0 where drawn.
PAINTED = """([x, y]) => {
  let alpha = 0;
  document.querySelectorAll(".leaflet-pane canvas").forEach((canvas) => {
    const box = canvas.getBoundingClientRect();
    const px = Math.round((x - box.left) * canvas.width / box.width);
    const py = Math.round((y - box.top) * canvas.height / box.height);
    if (px < 0 || py < 0 || px >= canvas.width || py >= canvas.height) { return; }
    alpha = Math.max(alpha, canvas.getContext("2d").getImageData(px, py, 1, 1).data[3]);
  });
  return alpha;
}"""


@pytest.fixture(scope="module")
def point_server(browser, tmp_path_factory):
    folder = write_point_city(tmp_path_factory.mktemp("points") / "city")
    with streamlit_server({"CMDMAP_DATA_DIR": str(folder), "CMDMAP_BASEMAP": "none",
                           "CMDMAP_DATABASE_URL": f"sqlite:///{folder.parent / 'store.sqlite'}"},
                          name="server-points") as server:
        yield server


@pytest.fixture
def open_page(browser, request):
    yield from page_opener(browser, request)


def in_frame(point: dict, frame) -> tuple[float, float]:
    """A point of :func:`tests.browser.hit_points` (page coordinates) in the map frame's own coordinates."""
    box = frame.frame_element().bounding_box()
    return point["x"] - box["x"], point["y"] - box["y"]


def test_a_point_compound_is_drawn_hovered_and_clicked_for_its_details(point_server, open_page):
    log = open_page(point_server, "/compounds?date=2020-02-25")  # chosen: 2 of its 6 places have not reported
    page = log.page
    frame = map_frame(page, paths=4)
    settle(page)
    assert no_exception(page), exception_text(page)
    points = {p["id"]: p for p in poll(lambda: len(hit_points(frame)) == 4 and hit_points(frame), "four points")}
    assert all(frame.evaluate(PAINTED, in_frame(p, frame)) > 0 for p in points.values())
    lines = hover(page, frame, points["0503"]).splitlines()
    assert lines[0].strip() == "浮山小区" and "未报告" in lines[1], lines  # no report on 2020-02-25
    page.mouse.click(points["0503"]["x"], points["0503"]["y"])
    panel = details_column(page)
    poll(lambda: panel.locator("strong").first.inner_text().strip() == "浮山小区", "the details of 浮山小区")
    settle(page)
    fields = panel.locator(".st-key-place_details")  # the details, a line per field
    poll(lambda: fields.count() > 0 and "浮山街道第一片区" in fields.first.inner_text(),
         "the zone that holds the point among its details")
    page.mouse.move(2, 2)
    screenshot(page, "points_clicked.png")
    assert not [e for e in log.console_errors if "pageerror" in e or "LatLng" in e], log.console_errors
    assert log.dialogs == []


def test_a_search_that_finds_one_point_jumps_to_it_and_paints_it(point_server, open_page):
    log = open_page(point_server, "/compounds")
    page = log.page
    frame = map_frame(page, paths=4)
    settle(page)
    zoom_js = "window.cmdmap.zoom()"
    wide = frame.evaluate(zoom_js)
    search = page.get_by_label("按名称或编号搜索")
    search.fill("浮山小区")
    search.press("Enter")

    def jumped():
        for candidate in map_frames(page):
            zoom = candidate.evaluate(zoom_js)
            if candidate.evaluate("window.cmdmap.shown()") == 1 and zoom >= wide + 4:
                return candidate
        return None

    frame = poll(jumped, "the map to jump to the one compound found (a view reset: four zoom levels or more)")
    settle(page)
    zoom = frame.evaluate(zoom_js)
    assert zoom <= 18, zoom  # a finite zoom, not Infinity
    (point,) = poll(lambda: hit_points(frame), "the point on screen")
    assert point["id"] == "0503"
    # painted now, without a manual zoom
    poll(lambda: frame.evaluate(PAINTED, in_frame(point, frame)) > 0, "the point painted after the jump", timeout=10)
    x, y = POINTS["0503"]
    assert frame.evaluate("window.cmdmap.center()") == pytest.approx([y, x], abs=0.003)
    assert not [e for e in log.console_errors if "LatLng" in e or "NaN" in e], log.console_errors
    screenshot(page, "points_search_one.png")
