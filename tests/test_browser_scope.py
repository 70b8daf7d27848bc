"""A scoped account's browser (issue #21, item 1), against a running ``streamlit run serve.py`` that requires a login.

A real Chromium logs in as the officer of zone Z1 of the tiny city: its map's packs come from its scope's own
folder and hold none of the places outside it, its CSV export neither; the whole city's packs, which the
admin's browser fetched a moment before, are refused to the officer's cookie (403) and to no cookie at all.

Run: ``python -m pytest tests/test_browser_scope.py -q`` (needs Chromium, see tests/browser.py); some 20 s.
"""

from __future__ import annotations

import http.client
import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser import chromium_session, page_opener, poll, settle, streamlit_server
from tests.conftest import write_tiny_city

PASSWORDS = {"boss": "boss-pass-2020", "officer": "officer-pass-2020"}
OUTSIDE = ("0503", "浮山小区", "学校建设工程")
CACHE = "/app/static/cache/"

browser = pytest.fixture(scope="module")(chromium_session)


@pytest.fixture(scope="module")
def server(browser, tmp_path_factory):
    from geo.accounts import Scope, auth
    from geo.upload import open_city

    folder = write_tiny_city(tmp_path_factory.mktemp("scope") / "city")
    url = f"sqlite:///{folder.parent / 'store.sqlite'}"
    engine = open_city(url, folder)
    auth.add_user(auth.SYSTEM, engine, "boss", "admin", PASSWORDS["boss"])
    auth.add_user(auth.SYSTEM, engine, "officer", "viewer", PASSWORDS["officer"])
    auth.set_scope(auth.SYSTEM, engine, "officer", Scope.parse("zone:Z1"))
    env = {"CMDMAP_DATA_DIR": str(folder), "CMDMAP_DATABASE_URL": url, "CMDMAP_BASEMAP": "none",
           "CMDMAP_REQUIRE_LOGIN": "true"}
    with streamlit_server(env, name="server-scope") as running:
        yield running


@pytest.fixture
def open_page(browser, request):
    yield from page_opener(browser, request)


def log_in(page, name: str) -> None:
    poll(lambda: page.get_by_label("用户名").count() > 0, "the login form", page=page)
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(PASSWORDS[name])
    page.keyboard.press("Enter")
    poll(lambda: page.get_by_text("已登录").count() > 0, f"{name} logged in", page=page)


def leaks(text: str) -> list[str]:
    """The names and ids of places outside the scope in ``text``, each whole (not a part of a hash)."""
    return [word for word in OUTSIDE if re.search(rf"(?<![0-9A-Za-z]){word}(?![0-9A-Za-z])", text)]


def packs_fetched(log) -> list[tuple[int, str]]:
    return [(status, urlsplit(url).path) for status, url, _ in log.responses
            if urlsplit(url).path.startswith(CACHE) and "places-" in url]


def test_a_scoped_browser_gets_its_scope_and_nothing_of_the_whole_city(server, open_page):
    boss = open_page(server, "/compounds")
    log_in(boss.page, "boss")
    city_packs = poll(lambda: [p for s, p in packs_fetched(boss) if s == 200 and p.count("/") == 4],
                      "the whole city's packs", page=boss.page)

    officer = open_page(server, "/compounds")
    log_in(officer.page, "officer")
    page = officer.page
    poll(lambda: page.get_by_text("范围：温泉街道第一片区").count() > 0, "the officer's area", page=page)
    own = poll(lambda: [p for s, p in packs_fetched(officer) if s == 200], "the officer's packs", page=page)
    assert all(path.startswith(CACHE + "s-") for path in own), own  # the scope's folder, nothing else
    assert not [(s, p) for s, p in packs_fetched(officer) if not p.startswith(CACHE + "s-")]
    for path in own:
        answer = page.request.get(server.base_url + path)
        assert answer.status == 200
        text = answer.text() if not path.endswith(".gz") else ""
        assert not leaks(text), path
    assert not leaks(page.content())

    for path in city_packs:  # what the admin's browser was given, asked for with the officer's cookie
        assert page.request.get(server.base_url + path).status == 403, path
        assert boss.page.request.get(server.base_url + path).status == 200, path
        with pytest.raises(urllib.error.HTTPError) as refused:  # and with no cookie at all
            urllib.request.urlopen(server.base_url + path, timeout=30)
        assert refused.value.code == 403
    # round the gate through the officer's own folder, sent as it is (a browser would tidy the path up)
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
    folder = own[0][len(CACHE):].split("/")[0]
    for path in city_packs:
        forged = path.replace(CACHE, f"{CACHE}{folder}/../", 1)
        connection = http.client.HTTPConnection(urlsplit(server.base_url).hostname, urlsplit(server.base_url).port)
        connection.request("GET", forged, headers={"Cookie": cookie})
        assert connection.getresponse().status == 403, forged
        connection.close()

    settle(page)  # the button of the page's last run: a click while a run replaces it may be lost
    with page.expect_download(timeout=30_000) as download:  # the export holds the scope's rows only
        page.get_by_role("button", name="导出 CSV").click()
    exported = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "0501" in exported and "金桂花园" in exported
    assert not leaks(exported)
