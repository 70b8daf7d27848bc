"""The overview on a phone (390x844, a touch screen), and a zone clicked on a desktop, in a real (headless,
offline) Chromium: what only a browser shows of finding and reading (issue #18, items 5 and 6).

As issue #18 found it: a one-finger swipe over the map must scroll the page, not pan the map (two fingers
move the map); the legend and the layer list start folded, so they do not cover the places; the headline
figures are a strip that leaves most of the first screen to the rest. The swipes are real touch events
(Chrome's input pipeline, through the DevTools protocol), so the browser itself decides what scrolls.
Its first screen is the README's ``docs/screenshots/phone_overview.png``. On the zones page a click on a zone
zooms the map to it and keeps only that zone (the drill), which only a real click on the map can show.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.browser import (
    assert_no_exception,
    chromium_session,
    hit_points,
    map_frame,
    page_opener,
    poll,
    screenshot,
    settle,
    streamlit_server,
)
from tests.filled_stores import DEMO_DATA, demo_store

browser = pytest.fixture(scope="module")(chromium_session)
ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}
MAP = 'iframe[title="streamlit_folium.st_folium"]'
# Streamlit scrolls its main area, not the window (whose scrollY stays 0): the page's scroll is this one's.
SCROLLED = "() => document.querySelector('[data-testid=\"stMain\"]').scrollTop"


@pytest.fixture(scope="module")
def demo_server(browser, tmp_path_factory):
    url = demo_store(tmp_path_factory.mktemp("phone-store") / "store.sqlite")
    with streamlit_server({"CMDMAP_DATA_DIR": str(DEMO_DATA), "CMDMAP_BASEMAP": "none",
                           "CMDMAP_DATABASE_URL": url}, name="server-phone") as server:
        yield server


@pytest.fixture
def open_page(browser, request):
    yield from page_opener(browser, request)


@pytest.fixture
def open_phone(browser, request):
    yield from page_opener(browser, request, default_viewport=PHONE, has_touch=True, is_mobile=True,
                           device_scale_factor=2)


def swipe(touch, page, fingers: list[tuple[float, float]], dy: float, steps: int = 10) -> None:
    """Fingers put down at ``fingers`` (page coordinates) and moved ``dy`` pixels down together."""
    def points(share):
        return [{"x": x, "y": y + dy * share, "id": n} for n, (x, y) in enumerate(fingers)]

    touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": points(0)})
    for step in range(1, steps + 1):
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": points(step / steps)})
        page.wait_for_timeout(16)
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(400)


def map_at(page, top: float) -> dict:
    """The page scrolled to have the map's top ``top`` pixels from the screen's; the map's box."""
    box = page.locator(MAP).bounding_box()
    page.evaluate(f"() => document.querySelector('[data-testid=\"stMain\"]').scrollBy(0, {box['y'] - top})")
    page.wait_for_timeout(300)
    return page.locator(MAP).bounding_box()


def test_a_phone_scrolls_past_the_map_with_one_finger_and_moves_it_with_two(demo_server, open_phone):
    log = open_phone(demo_server, "/")
    page = log.page
    frame = map_frame(page, paths=5)
    settle(page)
    assert_no_exception(page)
    tiles = page.locator(".st-key-kpi_tiles").bounding_box()
    assert tiles["height"] < PHONE["height"] / 3, f"the headline figures take {tiles['height']:.0f} px"
    assert page.locator(MAP).bounding_box()["height"] < 0.6 * PHONE["height"]  # shorter than the screen
    assert frame.evaluate("() => window.cmdmap.legendFolded()")
    assert frame.locator(".leaflet-control-layers-expanded").count() == 0
    page.wait_for_timeout(500)  # the tiles' and map's last paint
    shutil.copyfile(screenshot(page, "phone_overview.png"), DOCS / "phone_overview.png")  # the README shows it

    touch = page.context.new_cdp_session(page)
    box = map_at(page, 120)
    centre, scrolled = frame.evaluate("() => window.cmdmap.center()"), page.evaluate(SCROLLED)
    swipe(touch, page, [(box["x"] + box["width"] / 2, box["y"] + box["height"] - 60)], -200)
    assert page.evaluate(SCROLLED) > scrolled + 100, "a one-finger swipe over the map did not scroll the page"
    assert frame.evaluate("() => window.cmdmap.center()") == centre, "a one-finger swipe moved the map"
    assert frame.locator(".cmdmap-touch-hint.shown").inner_text() == "两指移动地图"

    page.wait_for_timeout(1000)  # the page's fling has stopped (a touch meanwhile would only stop it)
    box = map_at(page, 120)
    scrolled = page.evaluate(SCROLLED)
    y = box["y"] + box["height"] / 3
    swipe(touch, page, [(box["x"] + 100, y), (box["x"] + 250, y)], 120)
    assert frame.evaluate("() => window.cmdmap.center()") != centre, "two fingers did not move the map"
    assert page.evaluate(SCROLLED) == scrolled

    frame.locator(".cmdmap-legend-toggle").tap()  # the legend opens with a tap, and no details are asked for
    poll(lambda: not frame.evaluate("() => window.cmdmap.legendFolded()"), "the legend to open")
    assert "未报告" in frame.locator(".cmdmap-legend").inner_text()
    assert log.console_errors == []


def test_a_click_on_a_zone_zooms_to_it_and_keeps_only_it(demo_server, open_page):
    log = open_page(demo_server, "/zones")
    page = log.page
    frame = map_frame(page, paths=5)
    settle(page)
    zoom = frame.evaluate("() => window.cmdmap.zoom()")
    zone = hit_points(frame)[0]
    page.mouse.click(zone["x"], zone["y"])
    poll(lambda: page.get_by_text("显示 1 / 共").count() == 1, "the list to keep the clicked zone only")
    poll(lambda: frame.evaluate("() => window.cmdmap.zoom()") > zoom, "the map zoomed to the zone")
    settle(page)
    assert_no_exception(page)
    assert "zone=" in page.url  # the link says it
