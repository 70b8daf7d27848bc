"""The base map from a tile file, served by the app itself: over HTTP, in a real (headless, offline) Chromium,
and only to a browser with a live login when viewing needs one.

A tiny MBTiles file of PNG tiles around the tiny city (zoom 0 to 14) is the base map
(``CMDMAP_BASEMAP=file``); ``streamlit run serve.py`` serves it at ``/tiles/{z}/{x}/{y}``.

Run: ``python -m pytest tests/test_browser_tiles.py -q`` (the browser test needs Chromium, see tests/browser.py).
"""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from tests.browser import chromium_session, map_frame, page_opener, poll, streamlit_server
from tests.conftest import write_tiny_city
from tests.tilefiles import tile_of, tiles_around, write_mbtiles

CENTRE = (114.32, 29.84)  # the tiny city
ZOOMS = range(0, 15)
PASSWORD = "reader-pass-2020"

browser = pytest.fixture(scope="module")(chromium_session)


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    folder = write_tiny_city(tmp_path_factory.mktemp("tiles") / "city")
    tiles = tiles_around(*CENTRE, ZOOMS, margin=3)
    path = write_mbtiles(folder.parent / "city.mbtiles", tiles, scheme="tms")  # as the MBTiles spec writes rows
    return folder, path, tiles


def _env(city, **more) -> dict[str, str]:
    folder, path, _ = city
    return {"CMDMAP_DATA_DIR": str(folder), "CMDMAP_DATABASE_URL": f"sqlite:///{folder.parent / 'store.sqlite'}",
            "CMDMAP_BASEMAP": "file", "CMDMAP_TILE_FILE": str(path), "CMDMAP_TILE_CRS": "wgs84", **more}


@pytest.fixture(scope="module")
def open_server(city):
    with streamlit_server(_env(city), name="server-tiles") as running:
        yield running


@pytest.fixture(scope="module")
def login_server(city):
    from geo.accounts import auth
    from geo.upload import open_city

    folder, _, _ = city
    env = _env(city, CMDMAP_REQUIRE_LOGIN="true", CMDMAP_DATABASE_URL=f"sqlite:///{folder.parent / 'login.sqlite'}")
    engine = open_city(env["CMDMAP_DATABASE_URL"], folder)
    auth.add_user(auth.SYSTEM, engine, "reader", "viewer", PASSWORD)
    with streamlit_server(env, name="server-tiles-login") as running:
        yield running


@pytest.fixture
def open_page(browser, request):
    yield from page_opener(browser, request)


def fetch(url: str, cookie: str | None = None) -> tuple[int, str, str, bytes]:
    """(status, content type, cache-control, body) of a GET."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("content-type", ""), \
                response.headers.get("cache-control", ""), response.read()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers.get("content-type", ""), answer.headers.get("cache-control", ""), \
            answer.read()


def a_tile(city, z: int = 12) -> tuple[str, bytes]:
    _, _, tiles = city
    x, y = tile_of(*CENTRE, z)
    return f"/tiles/{z}/{x}/{y}", tiles[(z, x, y)]


def test_a_tile_of_the_file_is_served_as_a_png_and_a_missing_one_is_404(open_server, city):
    path, data = a_tile(city)
    status, kind, cache, body = fetch(open_server.base_url + path)
    assert (status, kind, body) == (200, "image/png", data) and "max-age" in cache
    assert fetch(open_server.base_url + path + ".png")[3] == data  # the downloaders' {y}.png form too
    for missing in ("/tiles/12/0/0", "/tiles/15/0/0", "/tiles/12/99999999/1", "/tiles/12/1", "/tiles/a/b/c",
                    "/tiles/12/1/2/../3"):
        status, _, _, body = fetch(open_server.base_url + missing)
        assert status == 404 and not body.startswith(b"\x89PNG") and b"Traceback" not in body, missing


def test_the_compounds_map_shows_the_tiles_of_the_file(open_server, open_page):
    log = open_page(open_server, "/compounds")
    page = log.page
    frame = map_frame(page, paths=1)
    loaded = poll(lambda: frame.evaluate(
        """() => [...document.querySelectorAll('img.leaflet-tile')]
                   .filter(img => new URL(img.src).pathname.startsWith('/tiles/') && img.complete
                                  && img.naturalWidth === 256).map(img => img.src)"""),
        "a base-map tile from /tiles/ loaded", page=page)
    assert all(src.startswith(open_server.base_url + "/tiles/") for src in loaded)
    tiles = [r for r in log.responses if "/tiles/" in r[1]]
    assert tiles and all(status in (200, 404) for status, _, _ in tiles) and any(s == 200 for s, _, _ in tiles)
    assert log.aborted == []  # nothing asked of anything but 127.0.0.1


def test_with_login_required_tiles_go_only_to_a_browser_holding_a_live_login(login_server, city, open_page):
    path, data = a_tile(city)
    with urllib.request.urlopen(login_server.base_url + "/", timeout=30) as response:  # a page: a browser cookie
        cookie = response.headers.get("Set-Cookie").split(";", 1)[0]
    for asking in (None, cookie, "cmdmap_browser=" + "x" * 43):
        status, _, _, body = fetch(login_server.base_url + path, asking)
        assert status == 403 and data not in body and not body.startswith(b"\x89PNG"), asking
    log = open_page(login_server, "/compounds")
    page = log.page
    poll(lambda: page.get_by_label("用户名").count() > 0, "the login form", page=page)
    page.get_by_label("用户名").fill("reader")
    page.get_by_label("密码").fill(PASSWORD)
    page.keyboard.press("Enter")
    poll(lambda: page.get_by_text("已登录").count() > 0, "reader logged in", page=page)
    answer = page.context.request.get(login_server.base_url + path)
    assert (answer.status, answer.headers["content-type"], answer.body()) == (200, "image/png", data)
    assert answer.headers["cache-control"].startswith("private")
    assert fetch(login_server.base_url + path, cookie)[0] == 403  # another browser's cookie still gets none


def test_a_tile_file_that_is_not_there_is_named_at_start_and_the_app_goes_on_without_tiles(city, open_page):
    env = _env(city, CMDMAP_TILE_FILE=str(city[1].parent / "gone.mbtiles"))
    with streamlit_server(env, name="server-tiles-gone") as running:
        assert fetch(running.base_url + a_tile(city)[0])[0] == 404
        log = open_page(running, "/compounds")
        page = log.page
        map_frame(page, paths=1)
        poll(lambda: page.get_by_text("gone.mbtiles").count() > 0, "the notice naming the file", page=page)
        said = running.stderr_path.read_text(encoding="utf-8")
    assert "gone.mbtiles" in said and "不存在" in said and "does not exist" in said and "Traceback" not in said
