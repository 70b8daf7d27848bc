"""Every string the app shows is escaped: a city whose every text field carries a script, in a real browser.

Zone, district, street, leader, compound, address, company, site, kind, developer,
contractor, notes and an uploaded file's name all hold :data:`HOSTILE`. Every page
(maps with the tooltips of their places hovered, tables, legends, filters, the wall,
the history with its file names) is opened; no dialog may appear, no script may set
``window.__pwned`` in the page or any frame, no injected element may exist, and the
parent page keeps its title.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.browser import (
    ROOT,
    app_idle,
    chromium_session,
    hit_points,
    map_frame,
    no_exception,
    page_opener,
    poll,
    screenshot,
    streamlit_server,
)
from tests.conftest import write_tiny_city

HOSTILE = ("<img src=x onerror=\"window.top.__pwned=1;alert(1)\"><script>window.top.__pwned=2</script>"
           "<svg onload=\"alert(3)\"></svg>[link](javascript:alert(4))")
TITLE = "住建局疫情防控指挥图"
PASSWORD = "boss-pass-2020"
PAGES = ["/", "/compounds", "/zones", "/sites", "/supplies", "/wall"]  # the wall's screen has no tooltips: below


def hostile_city(folder):
    """The tiny city with every text field of every layer and table replaced by :data:`HOSTILE`."""
    write_tiny_city(folder)
    text_fields = {"zones": ("name", "district", "street", "leader", "phone"),
                   "compounds": ("name", "address", "property_company"),
                   "sites": ("name", "kind", "developer", "contractor")}
    for layer, fields in text_fields.items():
        path = folder / f"{layer}.geojson"
        collection = json.loads(path.read_text(encoding="utf-8"))
        for n, feature in enumerate(collection["features"]):
            # distinct per feature (a zone's district and street are filter choices)
            feature["properties"].update({f: f"{HOSTILE}{n}" for f in fields})
        path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    for table in ("compound_status", "site_status"):
        path = folder / f"{table}.csv"
        lines = path.read_text(encoding="utf-8").splitlines()
        quoted = '"' + HOSTILE.replace('"', '""') + '"'
        path.write_text("\n".join([lines[0]] + [line.rsplit(",", 1)[0] + "," + quoted for line in lines[1:]]) + "\n",
                        encoding="utf-8")
    return folder


browser = pytest.fixture(scope="module")(chromium_session)


@pytest.fixture
def open_page(browser, request):
    yield from page_opener(browser, request)


@pytest.fixture(scope="module")
def hostile_server(browser, tmp_path_factory):
    from geo.accounts import auth
    from geo.upload import open_city

    folder = hostile_city(tmp_path_factory.mktemp("hostile") / "city")
    url = f"sqlite:///{folder.parent / 'store.sqlite'}"
    engine = open_city(url, folder)
    auth.add_user(auth.SYSTEM, engine, "boss", "admin", PASSWORD)
    # an upload whose file name is hostile too: the history lists it
    upload = folder.parent / f"{HOSTILE[:60].replace('/', '_')}.csv"
    upload.write_text("小区编号,日期,封闭状态,备注\n0501,2020-02-25,全封闭,\"" + HOSTILE.replace('"', '""') + "\"\n",
                      encoding="utf-8")
    env = {"CMDMAP_DATA_DIR": str(folder), "CMDMAP_DATABASE_URL": url, "CMDMAP_BASEMAP": "none"}
    subprocess.run([sys.executable, "-m", "geo", "import", "compound_status", str(upload), "--user", "boss"],
                   cwd=ROOT, env={**env, "PATH": "/usr/bin:/bin"}, check=True, capture_output=True)
    with streamlit_server({**env, "CMDMAP_WALL_ROTATE_SECONDS": "0"}, name="server-hostile") as server:
        yield server


_INJECTED = """
() => [window.__pwned, document.querySelectorAll('img[src="x"], svg[onload], a[href^="javascript"]').length]
"""


def _settle(page) -> None:
    page.wait_for_timeout(500)
    poll(lambda: app_idle(page), "Streamlit to finish running the script")
    page.wait_for_timeout(800)


def _log_in(page) -> None:
    page.get_by_text("登录", exact=False).first.click()
    page.get_by_label("用户名").fill("boss")
    page.get_by_label("密码").fill(PASSWORD)
    page.keyboard.press("Enter")
    poll(lambda: page.get_by_text("boss").count() > 0, "the login")


def _hover_every_place(page, frame, most: int = 12) -> int:
    """Hover places of the map (the map draws on a canvas; its tooltips are HTML): how many showed the text."""
    shown = 0
    for point in hit_points(frame)[:most]:
        page.mouse.move(point["x"], point["y"])
        page.wait_for_timeout(250)
        tips = frame.locator(".leaflet-tooltip")
        if tips.count() and "window.top.__pwned" in tips.last.inner_text():
            shown += 1
            assert tips.last.locator("img, script, svg").count() == 0
    page.mouse.move(0, 0)
    return shown


def _assert_nothing_ran(page, where: str) -> None:
    assert no_exception(page), where
    for frame in page.frames:
        if not frame.is_detached():
            pwned, injected = frame.evaluate(_INJECTED)
            assert pwned is None and injected == 0, (where, frame.url, pwned, injected)
    assert page.evaluate("() => window.__pwned") is None
    assert TITLE in page.title(), page.title()  # the parent page is untouched


def test_script_bearing_names_never_run_anywhere(hostile_server, open_page):
    log = open_page(hostile_server, "/")
    page = log.page
    shown = {}
    for path in PAGES:
        page.goto(hostile_server.base_url + path, wait_until="domcontentloaded")
        _settle(page)
        # hover again until a tooltip has shown the text (a map still updating may miss the first pass)
        shown[path] = poll(lambda: _hover_every_place(page, map_frame(page)),
                           f"a tooltip of {path} showing the hostile text", timeout=40, interval=1.0)
        _assert_nothing_ran(page, path)
    page.goto(hostile_server.base_url + "/wall?kiosk=1", wait_until="domcontentloaded")  # nobody points at it
    _settle(page)
    frame = map_frame(page)
    assert _hover_every_place(page, frame) == 0 and frame.locator(".leaflet-tooltip").count() == 0
    _assert_nothing_ran(page, "/wall?kiosk=1")
    # the history, logged in (a reload would log out: navigate inside the app)
    page.goto(hostile_server.base_url + "/", wait_until="domcontentloaded")
    _settle(page)
    _log_in(page)
    page.get_by_role("link", name="历史版本").click()
    _settle(page)
    poll(lambda: "window.top.__pwned" in page.locator("body").inner_text(), "the history with the hostile file")
    _assert_nothing_ran(page, "/history")
    screenshot(page, "hostile-history.png")
    assert log.dialogs == [], f"a script ran: {log.dialogs}"
    assert all(shown.values()), shown  # every map showed the hostile text in its tooltips, as text
