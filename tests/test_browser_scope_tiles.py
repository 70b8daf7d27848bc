"""A scoped account's nation-sized layer (issue #22, item 4, with #21's scopes): the tiles' tooltip lines are files
beside the tiles in the scope's own folder, and the web server hands them to that scope's browser only.

With ``map_places_at_once`` at 1 the tiny city's compounds of zone Z1 stand for a province: they come as tiles,
and the page writes each tile's tooltip columns as ``fields-<digest>.json`` next to it (``geo/maps/fastlayer.py``).
A browser logged in as the officer of Z1 may fetch them; one without a login may not (403).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.browser import chromium_session, map_frame, page_opener, poll, streamlit_server
from tests.conftest import write_tiny_city
from tests.test_browser_scope import CACHE, PASSWORDS, leaks, log_in

browser = pytest.fixture(scope="module")(chromium_session)


@pytest.fixture(scope="module")
def server(browser, tmp_path_factory):
    from geo.accounts import Scope, auth
    from geo.upload import open_city

    folder = write_tiny_city(tmp_path_factory.mktemp("scope-tiles") / "city")
    url = f"sqlite:///{folder.parent / 'store.sqlite'}"
    engine = open_city(url, folder)
    auth.add_user(auth.SYSTEM, engine, "officer", "viewer", PASSWORDS["officer"])
    auth.set_scope(auth.SYSTEM, engine, "officer", Scope.parse("zone:Z1"))
    env = {"CMDMAP_DATA_DIR": str(folder), "CMDMAP_DATABASE_URL": url, "CMDMAP_BASEMAP": "none",
           "CMDMAP_REQUIRE_LOGIN": "true", "CMDMAP_MAP_PLACES_AT_ONCE": "1"}
    with streamlit_server(env, name="server-scope-tiles") as running:
        yield running


@pytest.fixture
def open_page(browser, request):
    yield from page_opener(browser, request)


def test_a_scoped_browser_gets_the_tooltip_lines_of_its_own_tiles(server, open_page):
    from geo.accounts import Scope
    from ui.packs import PACK_DIR, scope_folder

    officer = open_page(server, "/compounds")
    page = officer.page
    log_in(page, "officer")
    frame = map_frame(page)
    update = poll(lambda: frame.evaluate("() => window.cmdmap && window.cmdmap.tiles().compounds"),
                  "the officer's compounds as tiles", page=page)
    assert update["of"] >= 2, update  # tiles of one compound each
    folder = scope_folder(Scope.parse("zone:Z1"))
    written = poll(lambda: sorted((PACK_DIR / folder).glob("fields-*.json.gz")), "the tiles' tooltip lines written")
    for path in written:
        url = f"{server.base_url}{CACHE}{folder}{path.name}"
        answer = page.request.get(url)
        assert answer.status == 200, url  # the scope's own: the officer's browser may have it
        lines = json.loads((PACK_DIR / folder / path.name[:-3]).read_text(encoding="utf-8"))
        assert lines and not leaks(json.dumps(lines, ensure_ascii=False))
        with pytest.raises(urllib.error.HTTPError) as refused:  # no login: nothing
            urllib.request.urlopen(url, timeout=30)
        assert refused.value.code == 403
