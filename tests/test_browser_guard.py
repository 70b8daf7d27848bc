"""Nobody gets in, nothing leaks (issue #17 items 3 and 5), with real clients against a running server that
requires a login.

- the wall's timed refresh checks the login on every tick: an account disabled while its wall is
  on screen stops showing data at the next refresh;
- a wall display runs unattended: its address carries a display token that opens the wall and
  nothing else, survives a reload and a server restart, and stops at the next refresh once revoked;
- the packs of places (``/app/static/cache/``) and Streamlit's media files (``/media/``: exports,
  original uploads) go only to a logged-in browser, without ``Access-Control-Allow-Origin: *``;
  ``/_stcore/metrics`` only to an admin's.

Run: ``python -m pytest tests/test_browser_guard.py -q`` (needs Chromium, see tests/browser.py).
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest

from tests.browser import app_idle, chromium_session, page_opener, poll, streamlit_server
from tests.conftest import write_tiny_city
from tests.streamlit_client import RawSession
from tests.test_browser_identity import PASSWORDS, ROLES, cookies_of, fresh_cookies, log_in, put_file

REFRESH = 5  # seconds between two of the wall's timed refreshes (the least the wall allows)
TICK = 4 * REFRESH + 10  # time allowed for "at the next refresh" on a loaded machine

browser = pytest.fixture(scope="module")(chromium_session)


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    from geo.accounts import auth
    from geo.upload import open_city

    folder = write_tiny_city(tmp_path_factory.mktemp("guard") / "city")
    url = f"sqlite:///{folder.parent / 'store.sqlite'}"
    engine = open_city(url, folder)
    for name, password in PASSWORDS.items():
        auth.add_user(auth.SYSTEM, engine, name, ROLES[name], password)
    env = {"CMDMAP_DATA_DIR": str(folder), "CMDMAP_DATABASE_URL": url, "CMDMAP_BASEMAP": "none",
           "CMDMAP_REQUIRE_LOGIN": "true", "CMDMAP_WALL_REFRESH_SECONDS": str(REFRESH)}
    return engine, env


@pytest.fixture(scope="module")
def server(city):
    with streamlit_server(city[1], name="server-guard") as running:
        yield running


@pytest.fixture
def open_page(browser, request):
    yield from page_opener(browser, request)


def wall_shown(page) -> bool:
    return page.locator(".wall-tile").count() > 0 and page.get_by_label("用户名").count() == 0


def login_form_instead_of_the_wall(page) -> bool:
    return page.get_by_label("用户名").count() > 0 and page.locator(".wall-tile").count() == 0


def fetch(url: str, cookies: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET ``url`` with ``cookies``: (status, headers in lower case, body)."""
    request = urllib.request.Request(url)
    if cookies:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def export(page, button) -> str | None:
    """Click an export button once the page is idle; the address of its download, or None (none came).

    The file of an export is made when it is clicked, for the run that drew the button: a click while the
    page reruns (the map reporting its view) finds it gone (Streamlit logs "Deferred file … not found").
    """
    if not app_idle(page) or button.count() == 0:
        return None
    with page.expect_download(timeout=20_000) as download:
        button.click()
    return download.value.url


def jar(page) -> dict[str, str]:
    return {name: c["value"] for name, c in cookies_of(page).items()}


# --------------------------------------------------------------------------- the wall's timed refresh


def test_the_walls_refresh_stops_at_the_next_tick_when_its_account_is_disabled(city, server, open_page):
    from geo.accounts import auth

    engine, _ = city
    page = open_page(server, "/").page
    log_in(page, "reader")
    page.get_by_role("link", name="大屏").click()
    poll(lambda: wall_shown(page), "the wall with its figures", page=page)
    read_at = page.locator(".wall-sub").get_attribute("data-read-at")  # the time of the wall's last read
    poll(lambda: page.locator(".wall-sub").get_attribute("data-read-at") != read_at, "a timed refresh", timeout=TICK,
         page=page)
    auth.set_disabled(auth.SYSTEM, engine, "reader", True)
    try:
        # nobody touches the page: the next tick finds the account disabled and shows the login form instead
        poll(lambda: login_form_instead_of_the_wall(page), "the login form at the next refresh", timeout=TICK,
             page=page)
    finally:
        auth.set_disabled(auth.SYSTEM, engine, "reader", False)


# --------------------------------------------------------------------------- wall displays


def test_a_display_token_opens_the_wall_only_survives_reload_and_restart_and_stops_when_revoked(
        city, server, open_page):
    from geo.accounts import SYSTEM, add_display, revoke_display, wall_path

    engine, env = city
    token = add_display(SYSTEM, engine, "指挥大厅")
    log = open_page(server, wall_path(token))
    page = log.page
    poll(lambda: wall_shown(page), "the wall from its display address", page=page)
    assert page.get_by_text("已登录").count() == 0 and page.locator('[data-testid="stSidebarNav"]').count() == 0

    # the map's packs come to this browser, and only to it
    packs = poll(lambda: [r for r in log.responses if "/app/static/cache/places-" in r[1]], "a pack", page=page)
    assert {status for status, _, _ in packs} == {200}
    pack_url = packs[0][1]
    status, headers, body = fetch(pack_url, jar(page))
    assert status == 200 and body and headers.get("access-control-allow-origin") is None
    assert fetch(pack_url)[0] == 403 and fetch(pack_url, fresh_cookies(server.base_url))[0] == 403

    # another page in the address: still the wall, no other page exists for a display; no upload either
    page.goto(f"{server.base_url}/upload?kiosk=1&display={token}", wait_until="domcontentloaded")
    poll(lambda: wall_shown(page), "the wall, not the upload page", page=page)
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    cookies = fresh_cookies(server.base_url)
    with RawSession(server.base_url, cookies=cookies) as screen:
        seen = screen.run("wall", query=f"kiosk=1&display={token}")
        assert "wall-tile" in seen and "auth_login_main" not in seen
        assert put_file(server.base_url, screen.session_id, cookies, b"0501\n") == 403
        for other in ("upload", "users", "history", "overview"):
            assert "auth_add_name" not in screen.run(other, query=f"display={token}")
    with RawSession(server.base_url, cookies=cookies) as stranger:  # a wrong token is no display
        seen = stranger.run("wall", query="kiosk=1&display=" + "x" * 43)
        assert "auth_login_main" in seen and "wall-tile" not in seen

    # a reload, and a server restart (another process on the same store), keep the screen going
    page.reload(wait_until="domcontentloaded")
    poll(lambda: wall_shown(page), "the wall after a reload", page=page)
    with streamlit_server(env, name="server-guard-restart") as restarted:
        again = open_page(restarted, wall_path(token)).page
        poll(lambda: wall_shown(again), "the wall from a restarted server", page=again)

    # revoked: the screen stops at its next refresh, with the reason; a reload does not bring it back
    revoke_display(SYSTEM, engine, "指挥大厅")
    poll(lambda: login_form_instead_of_the_wall(page), "the login form at the next refresh", timeout=TICK, page=page)
    assert page.get_by_text("授权无效或已被撤销").count() > 0
    page.reload(wait_until="domcontentloaded")
    poll(lambda: login_form_instead_of_the_wall(page), "the login form after a reload", page=page)
    assert fetch(pack_url, jar(page))[0] == 403  # and its browser gets no more packs


# --------------------------------------------------------------------------- files and metrics


def test_packs_media_and_metrics_go_only_to_a_logged_in_browser(server, open_page):
    log = open_page(server, "/")
    page = log.page
    anonymous = fresh_cookies(server.base_url)
    for path in ("/_stcore/metrics", "/app/static/cache/places-anything.json", "/media/anything.csv"):
        status, headers, body = fetch(server.base_url + path, anonymous)
        assert status == 403 and "登录" in body.decode(), path
    log_in(page, "boss")
    page.get_by_role("link", name="物业小区").click()
    packs = poll(lambda: [r for r in log.responses if "/app/static/cache/places-" in r[1]], "a pack", page=page)
    pack_url = packs[0][1]
    status, headers, body = fetch(pack_url, jar(page))
    assert status == 200 and len(body) > 100
    assert headers.get("access-control-allow-origin") is None and "public" not in headers.get("cache-control", "")
    for cookies in (None, anonymous, {"cmdmap_browser": "x" * 43}):
        status, headers, body = fetch(pack_url, cookies)
        assert status == 403 and headers.get("access-control-allow-origin") is None and b"features" not in body

    # an export (a media file): the admin's browser downloads it, the same address gives nobody else a byte
    button = page.locator('[data-testid="stDownloadButton"] button').first
    media = poll(lambda: export(page, button), "an export downloaded", page=page)
    assert "/media/" in urlsplit(media).path
    status, _, body = fetch(media, jar(page))
    assert status == 200 and body
    assert fetch(media)[0] == 403 and fetch(media, anonymous)[0] == 403

    # metrics: the admin's browser only
    assert fetch(server.base_url + "/_stcore/metrics", jar(page))[0] == 200
    assert re.search(r"403", str(fetch(server.base_url + "/_stcore/metrics", anonymous)[0]))
