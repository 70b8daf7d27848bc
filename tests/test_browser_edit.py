"""Placing a place still to be placed (待定位) by a click on the map, in a real (headless, offline) Chromium.

The listed city of ``tests/cities.py`` (zones as a list, two compounds without a position): a clerk logs
in, opens 场所维护, clicks the map, sees the spot and what would be stored, saves, and the compound is
then drawn on the compounds page. The base map is off, so nothing may leave 127.0.0.1.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from geo import store
from geo.accounts import auth
from geo.store.engine import connect
from geo.upload import open_city
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
from tests.cities import UNPLACED, write_listed_city
from tests.test_browser_upload import PASSWORDS, log_in, nav_link

browser = pytest.fixture(scope="module")(chromium_session)
DOCS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


@pytest.fixture(scope="module")
def listed_server(browser, tmp_path_factory):
    """(server, store URL): the listed city, seeded with a clerk before the server starts."""
    folder = write_listed_city(tmp_path_factory.mktemp("browser-edit") / "city")
    url = f"sqlite:///{folder.parent / 'store.sqlite'}"
    auth.add_user(auth.SYSTEM, open_city(url, folder), "clerk", "staff", PASSWORDS["clerk"])
    with streamlit_server({"CMDMAP_DATA_DIR": str(folder), "CMDMAP_DATABASE_URL": url, "CMDMAP_BASEMAP": "none"},
                          name="server-edit") as server:
        yield server, url


@pytest.fixture
def open_page(browser, request):
    yield from page_opener(browser, request)


def test_a_click_on_the_map_places_a_compound_that_had_no_position(listed_server, open_page):
    server, url = listed_server
    name = UNPLACED[0][0]
    log = open_page(server, "/")
    page = log.page
    log_in(page, "clerk")
    nav_link(page, "场所维护").click()
    poll(lambda: page.get_by_role("heading", name="场所维护", exact=True).count() == 1, "the edit page")
    settle(page)
    assert page.get_by_text("2 个物业小区待定位").count() >= 1
    frame = map_frame(page, paths=2)  # the two compounds that have a position
    box = page.locator('iframe[title="streamlit_folium.st_folium"]').bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    poll(lambda: page.get_by_text(f"将把 {name} 定位到").count() == 1, "what the click would store")
    settle(page)
    poll(lambda: frame.locator("path.leaflet-interactive").count() >= 1, "the chosen spot drawn on the map")
    shutil.copyfile(screenshot(page, "edit_placed_by_click.png"), DOCS / "edit_place.png")  # the README shows it
    page.get_by_role("button", name="保存位置").click()
    poll(lambda: page.get_by_text("已保存为版本").count() == 1, "the saved version")
    assert_no_exception(page)
    placed = store.current(connect(url), "compounds").set_index("name").loc[name, "geometry"]
    assert placed is not None and 114.2 < placed.x < 114.4 and 29.7 < placed.y < 29.9
    nav_link(page, "物业小区").click()
    settle(page)
    compounds = map_frame(page, paths=3)
    poll(lambda: len(hit_points(compounds)) == 3, "three compounds drawn now")
    assert log.aborted == []
