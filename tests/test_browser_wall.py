"""The wall display (大屏, ``/wall?kiosk=1``) in a real (headless, offline) Chromium against `streamlit run app.py`.

One server for the module on the shipped demo ``data/`` and a fresh SQLite store,
seeded (with a staff account ``clerk`` for imports) before the server starts. It
refreshes every 5 s (``CMDMAP_WALL_REFRESH_SECONDS=5``, the smallest it allows)
and does not rotate (``CMDMAP_WALL_ROTATE_SECONDS=0``: always the compounds; the attention list
pages at each refresh),
without a base map (``CMDMAP_BASEMAP=none``: nothing at all may leave 127.0.0.1).

- 1920x1080 and 3840x2160: no sidebar, header or toolbar; six tiles and a row of
  five smaller ones (the other places: markets, sales offices, agencies, parks,
  plants open of so many), the map, the legend and the attention list all on one
  screen with no scrolling; the tiles' figures twice as big on the 4K screen. The
  shared view of the other places, with its two legends, fits too. The 1080p screenshot is also
  ``docs/screenshots/wall.png`` (the README links it).
- a new day imported through the command line appears by itself within a
  refresh: new date, new figures, the changed compounds outlined, with no page
  reload and the map's frame kept (not re-created, so it does not flash). While
  only part of the places have reported it, the wall stays on the day before and
  shows the new day's progress ("2020-02-26 已报告 202/402"): the screenshot
  ``docs/screenshots/wall_morning.png``.
- a store that cannot be read (a server of its own on a fresh store): the last good picture stays with a discreet
  notice and no traceback; once the file is back the notice goes by itself.
- a full rotation (a second server that turns every 2 s and reads data every 5 s): every view in
  its fixed order, none skipped, on the rotation's own clock; the attention list through all its
  pages ("第 2/6 页"), every item once; the map never remounted. Found in a real browser: the
  rotation advanced only at the data refresh, so the wall alternated two views.
- a bounded soak on that server: refreshes with JavaScript heap and DOM size in the browser and the
  server's RSS sampled each time, which must level off.

Screenshots go to ``tests/artifacts/wall_*.png``; the soak's samples to
``tests/artifacts/wall_soak.txt``. On a failure each page is saved as
``FAILED-<test>-<n>.png`` and the server's log tail is printed.

Waiting: Playwright's route handler (every request is routed to block the
internet) only runs while the test calls into Playwright, so the waits here use
``page.wait_for_timeout`` between checks, never ``time.sleep``.

Run: ``python -m pytest tests/test_browser_wall.py -q`` (needs Chromium, see tests/browser.py); about 5 minutes.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, TypeVar

import pytest

from geo.accounts import User, auth
from geo.analysis import other_kinds
from geo.domain import TABLES, kinds
from geo.maps import HIGHLIGHT_STYLE, initial_bounds
from geo.store import current, load_store
from geo.store.engine import connect
from geo.upload import check_file, commit
from tests.browser import (
    ARTIFACTS,
    ROOT,
    chromium_session,
    drawn,
    evaluate,
    exception_text,
    highlighted,
    map_frames,
    no_exception,
    page_opener,
    poll,
    screenshot,
    streamlit_server,
)
from tests.filled_stores import DEMO_DATA, demo_store
from tests.uploads import next_day_rows

T = TypeVar("T")

REFRESH = 5  # seconds, CMDMAP_WALL_REFRESH_SECONDS (the wall's minimum)
ROTATE = 2  # seconds, CMDMAP_WALL_ROTATE_SECONDS of the rotating server: shorter than the refresh, on purpose
VIEWS = ["物业小区", "在建工地", "防疫物资", "网格片区", "其他监管场所"]  # the demo city's, in the wall's order
ATTENTION_ROWS = 5
WALL = "/wall?kiosk=1"
HD = {"width": 1920, "height": 1080}
UHD = {"width": 3840, "height": 2160}
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
MIN_PATHS = 150  # the demo city has about 200 compounds
PASSWORD = "clerk-pass-2020"
SUB = re.compile(r"数据截至\s*(\d{4}-\d{2}-\d{2})\s*·\s*数据(刚刚| \d+ (分钟|小时|天)前)更新")
SOAK_CYCLES = 9  # three per third: enough to see growth, and CI stays under its 20 minutes

# Filled by the 1080p test, compared with by the 4K one.
MEASURED: dict[str, dict] = {}


# --------------------------------------------------------------------------- fixtures


browser = pytest.fixture(scope="module")(chromium_session)


def seeded_store(folder: Path) -> tuple[str, Path]:
    """(URL, file) of a fresh SQLite store filled from the demo data, with the staff account ``clerk``."""
    path = folder / "store.sqlite"
    url = demo_store(path)
    engine = connect(url)
    auth.add_user(auth.SYSTEM, engine, "clerk", "staff", PASSWORD)
    engine.dispose()  # no connection of the test process stays open on the store
    return url, path


def wall_env(url: str, rotate: int = 0) -> dict[str, str]:
    return {"CMDMAP_DATA_DIR": str(DEMO_DATA), "CMDMAP_DATABASE_URL": url, "CMDMAP_BASEMAP": "none",
            "CMDMAP_WALL_REFRESH_SECONDS": str(REFRESH), "CMDMAP_WALL_ROTATE_SECONDS": str(rotate)}


@pytest.fixture(scope="module")
def wall_store(tmp_path_factory):
    return seeded_store(tmp_path_factory.mktemp("wall-store"))


@pytest.fixture(scope="module")
def wall_server(browser, wall_store):
    url, _ = wall_store
    with streamlit_server(wall_env(url), name="server-wall") as server:
        yield server


@pytest.fixture(scope="module")
def rotating_server(browser, tmp_path_factory):
    """A wall that turns every ``ROTATE`` seconds and reads data every ``REFRESH``, on a store of its own."""
    url, _ = seeded_store(tmp_path_factory.mktemp("wall-rotating-store"))
    with streamlit_server(wall_env(url, rotate=ROTATE), name="server-wall-rotating") as server:
        yield server


@pytest.fixture
def open_wall(browser, request):
    """open_wall(server, viewport) -> PageLog with /wall?kiosk=1 loading; diagnostics are printed on failure."""
    opener = page_opener(browser, request, WALL, HD)
    open_page = next(opener)
    yield lambda server, viewport=HD, path=None: open_page(server, path, viewport=viewport)
    next(opener, None)


# --------------------------------------------------------------------------- helpers


def wait_for(page, check: Callable[[], T], what: str, timeout: float = 60.0, interval_ms: int = 250) -> T:
    """:func:`tests.browser.poll`, waiting with ``page.wait_for_timeout`` in between."""
    return poll(check, what, timeout, interval_ms / 1000, page=page)


def wall_map(page, paths: int = MIN_PATHS, timeout: float = 60.0):
    """The frame holding the wall's Leaflet map once at least ``paths`` interactive paths are drawn."""
    def ready():
        for frame in map_frames(page):
            if drawn(frame) >= paths:
                return frame
        return None

    return wait_for(page, ready, f"the wall map with at least {paths} places drawn", timeout)


#: The headline tiles: six big ones, and five small ones for the other places.
TILES, SMALL_TILES = 6, 5


def open_and_wait(open_wall, server, viewport: dict = HD, path: str | None = None):
    """Open the wall; wait for the title, the tiles and a drawn map. Returns (log, page, map frame)."""
    log = open_wall(server, viewport, path)
    page = log.page
    wait_for(page, lambda: page.locator(".wall-title").count() == 1, "the wall title")
    wait_for(page, lambda: page.locator(".wall-tile").count() == TILES + SMALL_TILES, "the KPI tiles")
    frame = wall_map(page)
    wait_for(page, lambda: sub_text(page), "the 数据截至 … 数据 … 更新 line")
    assert_clean(page)
    return log, page, frame


def sub_text(page) -> tuple[str, str] | None:
    """(as-of date, read time) from the top bar's ``数据截至 DATE · 数据 N 分钟前更新``: the time the data arrived is
    shown, the time of the wall's last read (``HH:MM:SS``) kept in ``data-read-at``."""
    loc = page.locator(".wall-sub")
    if loc.count() != 1:
        return None
    found = SUB.search(loc.inner_text())
    read_at = loc.get_attribute("data-read-at")
    return (found.group(1), read_at) if found and read_at else None


def tile_values(page) -> dict[str, str]:
    """Tile label -> the value as shown, e.g. {'全封闭小区': '87', '工地复工率': '62.5%', …}."""
    return page.evaluate("""() => Object.fromEntries(Array.from(document.querySelectorAll('.wall-tile')).map(
        t => [t.querySelector('.label').innerText.trim(), t.querySelector('.value').innerText.trim()]))""")


def next_refresh(page, after: str, timeout: float = 3 * REFRESH + 20) -> tuple[str, str]:
    """Wait until the read time differs from ``after``; returns the new (date, time)."""
    return wait_for(page, lambda: (s := sub_text(page)) and s[1] != after and s,
                    f"a refresh after {after}", timeout)


LAYOUT_JS = """(sel) => {
  const de = document.documentElement;
  const box = (el) => { if (!el) return null; const r = el.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height}; };
  const iframes = document.querySelectorAll(sel);
  const value = document.querySelector('.wall-tile .value');
  return {
    innerWidth: window.innerWidth, innerHeight: window.innerHeight,
    scrollHeight: de.scrollHeight, scrollWidth: de.scrollWidth,
    // Streamlit scrolls inside its own containers, not the document: how far each of them can scroll.
    overflow: Object.fromEntries(['.stApp', '[data-testid="stAppViewContainer"]', '[data-testid="stMain"]',
      '[data-testid="stMainBlockContainer"]'].map(s => [s, Array.from(document.querySelectorAll(s)).reduce(
        (m, el) => Math.max(m, el.scrollHeight - el.clientHeight), 0)])),
    iframes: iframes.length, map: box(iframes[0]),
    tiles: Array.from(document.querySelectorAll('.wall-tile')).map(box),
    legend: box(document.querySelector('.wall-legend')),
    attention: box(document.querySelector('.wall-attention')),
    title: box(document.querySelector('.wall-title')),
    valueFont: value ? parseFloat(getComputedStyle(value).fontSize) : null,
    labelFont: parseFloat(getComputedStyle(document.querySelector('.wall-tile .label')).fontSize),
  };
}"""


def layout(page) -> dict:
    return page.evaluate(LAYOUT_JS, MAP_IFRAME)


def assert_clean(page) -> None:
    assert no_exception(page), f"Streamlit shows an exception:\n{exception_text(page)}"
    assert "Traceback" not in page.locator("body").inner_text()


def assert_fits(page, frame) -> dict:
    """Everything on one screen, nothing of Streamlit's chrome; returns the measured layout."""
    for selector in ('[data-testid="stSidebar"]', '[data-testid="stSidebarCollapsedControl"]',
                     'header[data-testid="stHeader"]', '[data-testid="stToolbar"]', '[data-testid="stDecoration"]',
                     '[data-testid="stSidebarNav"]'):
        loc = page.locator(selector)
        assert all(not loc.nth(i).is_visible() for i in range(loc.count())), f"{selector} is visible"
    tiles = page.locator(".wall-tile")
    assert tiles.count() == TILES + SMALL_TILES and page.locator(".wall-tile.minor").count() == SMALL_TILES
    for i in range(TILES + SMALL_TILES):
        assert tiles.nth(i).is_visible()
        assert re.search(r"\d", tiles.nth(i).locator(".value").inner_text()), tiles.nth(i).inner_text()
    for selector in (".wall-title", ".wall-sub", ".wall-legend", ".wall-attention", MAP_IFRAME):
        assert page.locator(selector).first.is_visible(), f"{selector} is not visible"
    assert frame.locator(".leaflet-container").is_visible()

    box = layout(page)
    width, height = box["innerWidth"], box["innerHeight"]
    assert box["scrollHeight"] <= height + 8, f"the page scrolls: {box['scrollHeight']} > {height}: {box}"
    assert box["scrollWidth"] <= width + 8, f"the page scrolls sideways: {box}"
    assert max(box["overflow"].values()) <= 8, f"Streamlit's containers scroll: {box['overflow']}: {box}"
    assert box["iframes"] == 1, box
    assert 0 <= box["map"]["top"] and box["map"]["bottom"] <= height + 1, f"the map runs off the screen: {box}"
    assert box["map"]["height"] >= 0.5 * height, f"the map is small: {box['map']}"
    for name in ("legend", "attention"):
        assert box[name]["bottom"] <= height + 1 and box[name]["right"] <= width + 1, f"{name} off screen: {box}"
    for tile in box["tiles"]:
        assert tile["bottom"] <= box["map"]["top"] + 1 and tile["right"] <= width + 1, f"tile off screen: {box}"
    return box


MAP_JS = """() => { const map = Object.values(window).find(v => v && v._leaflet_id && v.getBounds);
  const b = map.getBounds();
  return {west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth(),
          zoomButtons: document.querySelectorAll('.leaflet-control-zoom').length}; }"""

ATTENTION_JS = """() => { const box = document.querySelector('.wall-attention');
  return {page: Number(box.dataset.page), pages: Number(box.dataset.pages), head: box.querySelector('h4').innerText,
          items: Array.from(box.querySelectorAll('.item')).map(item => {
            const name = item.querySelector('.name');
            return {name: name.innerText, facts: item.querySelector('.facts').innerText,
                    cut: name.scrollWidth > name.clientWidth + 1 || item.scrollWidth > item.clientWidth + 1
                         || getComputedStyle(name).textOverflow === 'ellipsis',
                    px: parseFloat(getComputedStyle(name).fontSize)}; })}; }"""

#: Each place's own freshness: the day it reported, or (silent) when it last did.
FRESHNESS = re.compile(r"(\d{2}-\d{2} 报|上次 \d{2}-\d{2}|从未报告)$")


def places_box(url: str) -> tuple[float, float, float, float]:
    """Where the wall's places are: the central 90 % of every kind's, as the wall computes it."""
    import pandas as pd

    engine = connect(url)
    try:
        ds = load_store(engine)
    finally:
        engine.dispose()
    layers = dict.fromkeys(layer for view in kinds.wall_views() if view != "zones" for kind in kinds.wall_kinds(view)
                           for layer in kinds.kind(kind).place_layers)
    return initial_bounds(pd.concat([ds.layer(layer)[["geometry"]] for layer in layers], ignore_index=True))


def assert_kiosk_map(frame, box: tuple[float, float, float, float]) -> dict:
    """No zoom buttons; the places' box inside the map and filling it one way (not the whole county around it)."""
    shown = frame.evaluate(MAP_JS)
    assert shown["zoomButtons"] == 0, "the kiosk map has zoom buttons"
    west, south, east, north = box
    slack = 0.002
    assert shown["west"] <= west + slack and shown["east"] >= east - slack, (shown, box)
    assert shown["south"] <= south + slack and shown["north"] >= north - slack, (shown, box)
    filled = max((east - west) / (shown["east"] - shown["west"]), (north - south) / (shown["north"] - shown["south"]))
    assert filled >= 0.85, f"the places fill {filled:.0%} of the map: {shown}, {box}"
    return shown


def assert_attention_readable(page) -> dict:
    """A page of the list: whole names, big enough, each with its place's last report; '第 k/n 页' when several."""
    box = page.evaluate(ATTENTION_JS)
    total = int(re.search(r"需要关注 \((\d+)\)", box["head"]).group(1))
    assert box["pages"] == -(-total // ATTENTION_ROWS) and 1 <= box["page"] <= box["pages"], box
    if box["pages"] > 1:
        assert f"第 {box['page']}/{box['pages']} 页" in box["head"], box["head"]
    assert "另有" not in page.locator(".wall-attention").inner_text()
    assert 1 <= len(box["items"]) <= ATTENTION_ROWS, box
    for item in box["items"]:
        assert not item["cut"], f"a name is cut: {item}"
        assert FRESHNESS.search(item["facts"]), f"no last report time: {item}"
    return box


def store_files(path: Path) -> list[Path]:
    return [path, Path(f"{path}-wal"), Path(f"{path}-shm")]


def overwrite_in_place(path: Path, data: bytes) -> None:
    """Write ``data`` into the file, truncated to it: in place when it exists (same inode, so the server's
    open handles see it), else a new file (SQLite deletes -wal and -shm when its last connection closes)."""
    with open(path, "r+b" if path.exists() else "wb") as handle:
        handle.write(data)
        handle.truncate(len(data))
        handle.flush()
        os.fsync(handle.fileno())


def next_day_file(url: str, folder: Path, to_seal: int = 25) -> tuple[Path, str, str, int]:
    """A compound daily report for the day after the newest: the newest day's rows, ``to_seal`` more 全封闭.

    Returns (file, newest date, new date, compounds sealed on the new date).
    """
    day, newest, new, phoned = next_day_rows(url, "compound_status")
    # the places reported from phones this morning keep their reports: the clerk's table completes the day
    controlled = day.index[(day["closure"] == "controlled") & ~day["compound_id"].isin(phoned)][:to_seal]
    assert len(controlled) == to_seal, "the demo city has fewer controlled compounds than expected"
    day.loc[controlled, "closure"] = "全封闭"  # Chinese labels are accepted wherever codes are
    sealed = int(day["closure"].isin(["sealed", "全封闭"]).sum())
    path = folder / f"compound_status_{new}.csv"
    day.to_csv(path, index=False, encoding="utf-8")
    return path, newest, new, sealed


def closures_changed(url: str, before: str, after: str) -> int:
    """How many compounds' state on the map (its closure, or not reported) differs between ``before`` and
    ``after`` in the store."""
    engine = connect(url)
    try:
        rows, ids = current(engine, "compound_status"), current(engine, "compounds")["id"].astype(str)
    finally:
        engine.dispose()
    states = rows.assign(date=rows["date"].astype(str)).pivot_table(index="compound_id", columns="date",
                                                                   values="closure", aggfunc="last")
    states = states.reindex(ids).fillna("not reported")
    return int((states[before] != states[after]).sum())


def next_day_sites(url: str, folder: Path, new: str) -> Path:
    """The sites' table dated ``new`` (see :func:`tests.uploads.next_day_rows`): with the compounds' it completes
    the new day."""
    day = next_day_rows(url, "site_status", new)[0]
    path = folder / f"site_status_{new}.csv"
    day[[c for c in day.columns if c in TABLES["site_status"].names]].to_csv(path, index=False, encoding="utf-8")
    return path


def import_other_places_day(url: str, new: str) -> None:
    """The other places' newest reports (markets, parks, …) dated ``new``, imported as staff would: they are a
    third of the demo's places, so without them the new day could not be complete."""

    engine = connect(url)
    try:
        for name in other_kinds():
            report = kinds.kind(name).report
            day = next_day_rows(url, report, new)[0]
            check = check_file(engine, report, day[TABLES[report].names].to_csv(index=False).encode("utf-8"),
                               f"{report}_{new}.csv")
            assert check.ok, [p.zh for p in check.problems]
            commit(engine, check, User("clerk", "staff"))
    finally:
        engine.dispose()


def run_cli(page, args: list[str], env: dict[str, str], timeout: float = 120.0) -> subprocess.CompletedProcess:
    """``python -m geo ARGS`` from the project root, waited for through Playwright (the page keeps working)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CMDMAP_")}
    full_env.update(env)
    process = subprocess.Popen([sys.executable, "-m", "geo", *args], cwd=ROOT, env=full_env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(page, lambda: process.poll() is not None, f"python -m geo {' '.join(args)}", timeout, 200)
    finally:
        if process.poll() is None:
            process.kill()
    out, err = process.communicate()
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


def thirds(values: list[float]) -> tuple[float, float, float]:
    n = len(values) // 3
    return (statistics.fmean(values[:n]), statistics.fmean(values[n:2 * n]), statistics.fmean(values[2 * n:]))


# --------------------------------------------------------------------------- tests


def test_wall_fits_and_shows_everything_1080p(wall_server, wall_store, open_wall):
    log, page, frame = open_and_wait(open_wall, wall_server, HD)
    box = assert_fits(page, frame)
    MEASURED["hd"] = box
    assert page.locator(".wall-view").inner_text().strip() == "物业小区"  # rotation is off: the compounds
    assert "未报告" in page.locator(".wall-legend").inner_text()
    # When data arrived (the seeding, moments ago), not when the wall read it.
    assert re.search(r"数据(刚刚| \d+ 分钟前)更新", page.locator(".wall-sub").inner_text())
    assert_kiosk_map(frame, places_box(wall_store[0]))
    attention = assert_attention_readable(page)
    # Text meant to be read across the room.
    assert box["valueFont"] >= 60 and box["labelFont"] >= 18, box
    assert all(item["px"] >= 18 for item in attention["items"]), attention
    page.mouse.move(0, 0)
    path = screenshot(page, "wall_1080p.png")
    docs = ROOT / "docs" / "screenshots" / "wall.png"
    docs.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, docs)
    assert log.aborted == [], f"requests to the internet: {log.aborted[:10]}"
    assert log.dialogs == []


def test_wall_shared_view_of_the_other_places_fits_1080p(wall_server, open_wall):
    log, page, frame = open_and_wait(open_wall, wall_server, HD, WALL + "&view=markets")
    assert_fits(page, frame)
    assert page.locator(".wall-view").inner_text().strip() == "其他监管场所"
    legends = page.locator(".wall-legend")
    assert legends.count() == 2 and "暂停开放" in legends.nth(0).inner_text() and "正常运行" in legends.nth(1).inner_text()
    small = page.evaluate("""() => Array.from(document.querySelectorAll('.wall-tile.minor')).map(t => [
        t.querySelector('.value').innerText.trim(), parseFloat(getComputedStyle(t.querySelector('.value')).fontSize),
        parseFloat(getComputedStyle(t.querySelector('.label')).fontSize)])""")
    assert all(re.fullmatch(r"\d+ / \d+", value) and value_px >= 36 and label_px >= 18
               for value, value_px, label_px in small), small  # "9 / 12", read across the room
    page.mouse.move(0, 0)
    shutil.copyfile(screenshot(page, "wall_others_1080p.png"), ROOT / "docs" / "screenshots" / "wall_others.png")
    assert log.aborted == [], f"requests to the internet: {log.aborted[:10]}"


def test_wall_4k(wall_server, open_wall):
    if "hd" not in MEASURED:  # run on its own: measure 1080p here
        _, hd_page, hd_frame = open_and_wait(open_wall, wall_server, HD)
        MEASURED["hd"] = assert_fits(hd_page, hd_frame)
    log, page, frame = open_and_wait(open_wall, wall_server, UHD)
    assert page.evaluate("window.devicePixelRatio") == 1
    box = assert_fits(page, frame)
    assert frame.evaluate(MAP_JS)["zoomButtons"] == 0
    assert all(item["px"] >= 36 for item in assert_attention_readable(page)["items"])
    hd = MEASURED["hd"]
    assert box["valueFont"] >= 2 * hd["valueFont"] - 0.5, (box["valueFont"], hd["valueFont"])
    assert box["labelFont"] >= 2 * hd["labelFont"] - 0.5, (box["labelFont"], hd["labelFont"])
    assert box["map"]["height"] >= 2 * hd["map"]["height"] - 2, (box["map"], hd["map"])
    page.mouse.move(0, 0)
    screenshot(page, "wall_2160p.png")
    assert log.aborted == [], f"requests to the internet: {log.aborted[:10]}"


def test_new_data_appears_without_reload(wall_server, wall_store, open_wall, tmp_path):

    url, _ = wall_store
    highlight = HIGHLIGHT_STYLE["color"]
    log, page, frame = open_and_wait(open_wall, wall_server, HD)
    iframe = page.locator(MAP_IFRAME).element_handle()
    assert iframe.content_frame() == frame
    page.evaluate("window.__marker = 1")
    frame.evaluate("window.__frameMarker = 1")

    # One refresh with the old data first, so that the wall has seen the old states.
    date_before, read_before = sub_text(page)
    next_refresh(page, read_before)
    before = tile_values(page)
    assert highlighted(frame) == 0
    csv, newest, new_date, sealed = next_day_file(url, tmp_path)
    assert date_before == newest, (date_before, newest)
    assert before["全封闭小区"] != str(sealed), before

    # The sites report the new day first: with the compounds still to come the day is not complete (fewer than
    # CMDMAP_COMPLETE_SHARE of the places), so the wall stays on the day before; the compounds complete it.
    import_other_places_day(url, new_date)
    sites = next_day_sites(url, tmp_path, new_date)
    for kind, path in (("site_status", sites), ("compound_status", csv)):
        done = run_cli(page, ["import", kind, str(path), "--user", "clerk"],
                       {"CMDMAP_DATABASE_URL": url, "CMDMAP_DATA_DIR": str(DEMO_DATA)})
        assert done.returncode == 0, f"import failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
        if kind == "site_status":  # mid-morning: the new day's progress shows, the figures stay on the day before
            # a refresh that began after this import (one before it may show the other places' progress already,
            # and their import's time: a minute or two before, when the command took that long on a busy machine)
            next_refresh(page, next_refresh(page, sub_text(page)[1])[1])  # the first may have begun before it
            progress = page.locator(".wall-progress")
            wait_for(page, lambda: progress.count() == 1 and f"{new_date} 已报告" in progress.inner_text(),
                     "the new day's reporting progress", timeout=3 * REFRESH + 10)
            reported, total = map(int, re.search(r"已报告 (\d+)/(\d+)", progress.inner_text()).groups())
            assert 0 < reported < total, progress.inner_text()
            assert sub_text(page)[0] == newest and tile_values(page) == before
            assert_fits(page, frame)
            assert re.search(r"数据(刚刚| 1 分钟前)更新", page.locator(".wall-sub").inner_text())
            page.mouse.move(0, 0)
            shutil.copyfile(screenshot(page, "wall_morning.png"), ROOT / "docs" / "screenshots" / "wall_morning.png")
    imported_at = time.monotonic()

    wait_for(page, lambda: sub_text(page)[0] == new_date, f"the wall to show {new_date}", timeout=30)
    wait_for(page, lambda: tile_values(page)["全封闭小区"] == str(sealed),
             f"the 全封闭小区 tile to show {sealed}", timeout=10)
    took = time.monotonic() - imported_at
    assert took <= REFRESH + 15, f"the new day took {took:.1f} s to appear"
    after = tile_values(page)
    assert after != before

    # The same page (no reload) and the same map frame (not re-created), with its compounds drawn.
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"
    assert iframe.evaluate("el => el.isConnected"), "the map's iframe was replaced"
    assert page.locator(MAP_IFRAME).count() == 1
    assert iframe.content_frame().evaluate("window.__frameMarker") == 1, "the map's frame was reloaded"
    assert drawn(frame) >= MIN_PATHS
    # The compounds that changed are outlined in the highlight colour.
    lit = wait_for(page, lambda: highlighted(frame), f"places outlined in {highlight}", timeout=REFRESH + 10)
    # the 25 sealed by the table and those the officers' phones changed this morning, none else
    assert 1 <= lit <= closures_changed(url, newest, new_date), lit
    assert_clean(page)
    page.mouse.move(0, 0)
    screenshot(page, "wall_after_import.png")
    print(f"\nnew day {new_date} shown {took:.1f} s after the import; 全封闭小区 {before['全封闭小区']} -> "
          f"{after['全封闭小区']}; {lit} compounds outlined")
    assert log.aborted == [] and log.dialogs == []


def test_unreadable_store_keeps_last_data_and_recovers(browser, tmp_path_factory, open_wall):
    """Garbage over the file's header, and over its -wal and -shm (in place: the server's open connections
    keep their file handles, so files moved aside would go unnoticed); then the original bytes back.

    A server of its own on a fresh store, so that the outcome does not depend on what earlier tests wrote
    (after the import test the -wal holds frames, and SQLite then happens to notice the repair by itself).
    """
    url, path = seeded_store(tmp_path_factory.mktemp("wall-broken-store"))
    with streamlit_server(wall_env(url), name="server-wall-broken") as server:
        damage_and_repair(open_wall, server, path)


def damage_and_repair(open_wall, server, path: Path) -> None:
    log, page, frame = open_and_wait(open_wall, server, HD)
    _, read_before = sub_text(page)
    date, last_good = next_refresh(page, read_before)
    values = tile_values(page)
    assert page.locator(".wall-banner.error").count() == 0

    saved = {p: p.read_bytes() for p in store_files(path) if p.exists()}
    try:
        db, wal, shm = store_files(path)
        overwrite_in_place(db, (b"NOT A DATABASE " * 7)[:100] + saved[db][100:])
        for extra in (wal, shm):
            if extra in saved:
                overwrite_in_place(extra, bytes(len(saved[extra])))
        broken_at = time.monotonic()
        banner = page.locator(".wall-banner.error")
        wait_for(page, lambda: banner.count() == 1 and banner.is_visible(), "the error notice",
                 timeout=3 * REFRESH + 15)
        seen = time.monotonic() - broken_at
        page.wait_for_timeout(2 * REFRESH * 1000 + 1000)  # two more refreshes, still broken
        assert banner.count() == 1 and banner.is_visible()
        assert "无法读取" in banner.inner_text(), banner.inner_text()
        assert tile_values(page) == values, "the tiles changed while the store could not be read"
        assert sub_text(page) == (date, last_good), "the top bar should still show the last good read"
        assert drawn(frame) >= MIN_PATHS
        assert_clean(page)
        page.mouse.move(0, 0)
        screenshot(page, "wall_store_error.png")
    finally:
        # The log first, then the file, then the index that points into both.
        for p in (Path(f"{path}-wal"), path, Path(f"{path}-shm")):
            if p in saved:
                overwrite_in_place(p, saved[p])
    restored_at = time.monotonic()
    wait_for(page, lambda: page.locator(".wall-banner.error").count() == 0,
             "the error notice to go away by itself", timeout=3 * REFRESH + 20)
    recovered = time.monotonic() - restored_at
    next_refresh(page, last_good)
    assert tile_values(page) == values
    assert_clean(page)
    assert drawn(frame) >= MIN_PATHS
    print(f"\nerror notice {seen:.1f} s after the damage; gone {recovered:.1f} s after the repair")
    assert log.aborted == [] and log.dialogs == []


SOAK_JS = """() => ({heap: performance.memory ? performance.memory.usedJSHeapSize : null,
                    nodes: document.getElementsByTagName('*').length})"""


TURN_JS = """() => { const view = document.querySelector('.wall-view'), box = document.querySelector('.wall-attention');
  return view && box ? [view.innerText.trim(), Number(box.dataset.page), Number(box.dataset.pages),
                        Array.from(box.querySelectorAll('.item .name')).map(n => n.innerText)] : null; }"""


def test_the_rotation_shows_every_view_in_turn_and_pages_the_attention_list(rotating_server, open_wall):
    """Watch the wall turn through every view and every page of its attention list, on its own clock."""
    log, page, frame = open_and_wait(open_wall, rotating_server, HD)
    page.evaluate("window.__marker = 1")
    frame.evaluate("window.__frameMarker = 1")
    total = int(re.search(r"需要关注 \((\d+)\)", page.locator(".wall-attention h4").inner_text()).group(1))
    pages = -(-total // ATTENTION_ROWS)
    assert pages >= 3, f"the demo city's {total} items make too few pages to watch"
    views, paged, turned_at = [], {}, []
    started = time.monotonic()
    # one turn more than both cycles need: every view, and every page from the first one seen back to it
    while len(views) <= len(VIEWS) or len(paged) < pages:
        assert time.monotonic() - started < (max(len(VIEWS), pages) + 4) * ROTATE + 20, (views, sorted(paged))
        page.wait_for_timeout(200)
        seen = page.evaluate(TURN_JS)
        if seen is None:
            continue
        view, number, count, names = seen
        if not views or views[-1] != view:
            views.append(view)
            turned_at.append(time.monotonic())
        assert count == pages, seen
        paged.setdefault(number, names)
    # Each view in the wall's order, none skipped, round again after the last.
    first = VIEWS.index(views[0])
    assert views == [VIEWS[(first + i) % len(VIEWS)] for i in range(len(views))], views
    # Every page, every item once (a place listed for two reasons is two items).
    assert sorted(paged) == list(range(1, pages + 1))
    last = total - ATTENTION_ROWS * (pages - 1)
    assert [len(paged[n]) for n in sorted(paged)] == [ATTENTION_ROWS] * (pages - 1) + [last]
    # The rotation's own clock, not the data refresh's (every REFRESH s: the bug this test was written for).
    gaps = [b - a for a, b in zip(turned_at, turned_at[1:])]
    assert statistics.median(gaps) < REFRESH - 0.5, f"the views turned every {gaps} s"
    assert_attention_readable(page)
    # Turned without reloading the page or remounting the map.
    assert page.evaluate("window.__marker") == 1 and frame.evaluate("window.__frameMarker") == 1
    assert page.locator(MAP_IFRAME).count() == 1 and drawn(frame) >= 1
    assert_clean(page)
    print(f"\nviews {views}; pages seen {sorted(paged)} of {pages}; turns every "
          f"{statistics.median(gaps):.1f} s (median) in {time.monotonic() - started:.0f} s")
    assert log.aborted == [] and log.dialogs == []


NOTE_VIEWS_JS = """() => { window.__views = new Set(); setInterval(() => {
    const view = document.querySelector('.wall-view'); if (view) window.__views.add(view.innerText.trim()); }, 200); }"""


#: In the map's frame: log, for the compounds' layer, each state it is given (shown or hidden after it) and each
#: picture drawn while it is shown.
WATCH_COMPOUNDS = """() => {
  const map = window[Object.keys(window).find((k) => k.startsWith("map_") && window[k] instanceof L.Map)];
  let layer = null;
  map.eachLayer((l) => { if (l._redrawAll && l.key === "compounds") { layer = l; } });
  const log = window.__compounds = [], redraw = layer._redrawAll, setState = layer.setState;
  layer._redrawAll = function () { if (!this.hidden) { log.push("draw"); } return redraw.apply(this, arguments); };
  const keys = window.__keys = [];  // the picture each state left on the canvas: statuses' serial, view, packs
  layer.setState = function () {
    const out = setState.apply(this, arguments);
    log.push(this.hidden ? "hidden" : "shown " + this.drawn + " " + this._container.style.visibility);
    keys.push(this._shown ? this._shown.key : "");
    return out;
  };
  return true;
}"""


def test_a_view_turned_back_to_shows_the_picture_its_layer_kept(rotating_server, open_wall):
    """Drawing 100,000 compounds again took 60 to 110 ms of a wall's refresh each time the rotation came back to
    them; with the same statuses and view their canvas keeps its picture while hidden and is shown as it is."""
    log, page, frame = open_and_wait(open_wall, rotating_server, HD)
    assert evaluate(frame, WATCH_COMPOUNDS)

    def turned_back():
        """(steps, the turn back, the kept picture's key, the key shown) of the first turn back to the compounds
        with the view the picture was kept with. A view moved meanwhile (the page's layout settling on a busy
        machine resizes the map, and Leaflet clears the canvas) is drawn again by right: the next turn is taken."""
        steps, keys = evaluate(frame, "() => [window.__compounds, window.__keys]")
        states = [(i, step) for i, step in enumerate(steps) if step != "draw"]  # a key each, in order
        for n, ((_, step), kept) in enumerate(zip(states, keys)):
            if step != "hidden" or n == 0 or states[n - 1][1] == "hidden":
                continue  # not a turn away
            back = next((m for m in range(n + 1, len(states)) if states[m][1].startswith("shown")), None)
            if back is None:
                return None
            if kept.split(",")[1:] == keys[back].split(",")[1:] or kept.split(",")[0] != keys[back].split(",")[0]:
                return steps[states[n][0]:states[back][0] + 1], states[back][0], kept, keys[back]
        return None

    steps, back, kept, shown = wait_for(page, turned_back, "the rotation to turn away from the compounds and back",
                                        timeout=(len(VIEWS) + 3) * ROTATE + 3 * REFRESH)
    assert kept == shown and "draw" not in steps, (steps, kept, shown)  # the same picture shown, not drawn again
    back = len(steps) - 1
    _, drawn_count, visibility = steps[back].split(" ") + [""] * (3 - len(steps[back].split(" ")))
    assert int(drawn_count) >= MIN_PATHS and visibility == "", steps[back]
    assert_clean(page)


#: In the map's frame: every layer drawn a place at a time when given a new state (as a layer of more than 5,000
#: places is at each refresh), and a log, at each animation frame, of the layers showing places and of how many
#: are still being drawn off screen.
SLICE_EVERYTHING = """() => {
  const map = window[Object.keys(window).find((k) => k.startsWith("map_") && window[k] instanceof L.Map)];
  const layers = window.__layers = [];
  map.eachLayer((l) => { if (l._redrawAll && l.slicing) { l.slicing = {above: 1, ms: 0, pause: 4}; layers.push(l); } });
  const frames = window.__frames = [];
  const look = () => {
    // on screen: its canvas in the page and not hidden, with a picture of places (a layer turned away keeps its
    // picture, hidden or not yet)
    const showing = layers.filter((l) => l._container.isConnected && l._container.style.visibility !== "hidden" &&
                                         l._shown && l._shown.drawn > 0).map((l) => l.key);
    frames.push([showing.join(" "), window.cmdmap.drawing()]);
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
  return layers.length;
}"""

#: In the map's frame: a digest of each shown layer's canvas pixels, then the same after each is drawn again at once.
PIXELS_NOW_AND_AT_ONCE = """() => {
  const digest = (canvas) => {
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let h = 0, painted = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3]) { painted++; h = (Math.imul(h, 31) + data[i] + 7 * data[i + 1] + 13 * data[i + 2] + 17 * data[i + 3] + i) | 0; }
    }
    return [h, painted];
  };
  const shown = window.__layers.filter((l) => !l.hidden && l.drawn > 0);
  const sliced = shown.map((l) => [l.key, digest(l._container)]);
  shown.forEach((l) => l._redrawAll());
  return [sliced, shown.map((l) => [l.key, digest(l._container)])];
}"""


def test_a_refresh_draws_big_layers_off_screen_in_slices_and_shows_them_whole(rotating_server, open_wall):
    """A wall's refresh drew 100,000 compounds in one go: 70-90 ms of a refresh during which the page did nothing
    else, 344 ms at a million. A big layer is now drawn off screen a few milliseconds at a time and swapped in when
    whole. Here every layer of the demo city is drawn a place at a time: the rotation must still show each view,
    never a map without places between two views, and each picture exactly as drawn at once."""
    log, page, frame = open_and_wait(open_wall, rotating_server, HD)
    assert evaluate(frame, SLICE_EVERYTHING) >= 5
    started = time.monotonic()

    def turned_through():
        frames = evaluate(frame, "() => window.__frames")
        views = {keys for keys, _ in frames if keys}
        return frames if len(views) >= 6 and any(busy for _, busy in frames) else None

    frames = wait_for(page, turned_through, "six views drawn in slices", timeout=(len(VIEWS) + 3) * ROTATE + 20)
    wait_for(page, lambda: evaluate(frame, "() => window.cmdmap.drawing()") == 0, "the drawings under way to end")
    busy = [drawing for _, drawing in frames]
    assert max(busy) >= 1 and sum(1 for b in busy if b) >= 3, busy  # drawn over several frames
    blank = [i for i, (keys, _) in enumerate(frames) if not set(keys.split()) - {"outlines"}]  # zones' lines only
    assert not blank, f"frames with no places shown: {blank[:10]} of {len(frames)}: {frames[:40]}"
    sliced, at_once = evaluate(frame, PIXELS_NOW_AND_AT_ONCE)
    assert sliced and all(painted for _, (_, painted) in sliced), sliced
    assert sliced == at_once
    assert_clean(page)
    print(f"\n{len(frames)} frames in {time.monotonic() - started:.0f} s, {sum(1 for b in busy if b)} of them "
          f"drawing; views {sorted({keys for keys, _ in frames})}")


def test_soak_memory_levels_off(rotating_server, open_wall):
    """The rotating server; refreshes with memory sampled after each, the views turning in between."""
    server = rotating_server
    log, page, frame = open_and_wait(open_wall, server, HD)
    page.evaluate("window.__marker = 1")
    frame.evaluate("window.__frameMarker = 1")
    # every view the board shows, noted as it turns: one sample at each refresh may keep meeting the same two
    # views on a slow machine, where two and three turns alternate between two refreshes
    page.evaluate(NOTE_VIEWS_JS)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    pid = server.process.pid

    samples = []
    started = time.monotonic()
    _, read = sub_text(page)
    for cycle in range(SOAK_CYCLES):
        _, read = next_refresh(page, read)
        page.wait_for_timeout(500)  # let the map apply the new layer
        cdp.send("HeapProfiler.collectGarbage")
        heap = cdp.send("Runtime.getHeapUsage")["usedSize"]  # the page's isolate: the map frame is same-origin
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        in_frame = frame.evaluate(SOAK_JS)
        samples.append({"cycle": cycle + 1, "t": time.monotonic() - started, "read": read,
                        "heap": heap / 2**20, "nodes": int(metrics["Nodes"]),
                        "listeners": int(metrics["JSEventListeners"]),
                        "frame_nodes": in_frame["nodes"],
                        "paths": drawn(frame),
                        "rss": rss_kib(pid) / 1024})
        assert no_exception(page), f"exception at cycle {cycle + 1}:\n{exception_text(page)}"

    lines = [f"{'cycle':>5} {'t/s':>6} {'read':>8} {'heap MiB':>9} {'nodes':>6} {'listen':>6} "
             f"{'frame el':>8} {'paths':>5} {'rss MiB':>8}"]
    lines += [f"{s['cycle']:>5} {s['t']:>6.1f} {s['read']:>8} {s['heap']:>9.2f} {s['nodes']:>6} "
              f"{s['listeners']:>6} {s['frame_nodes']:>8} {s['paths']:>5} {s['rss']:>8.1f}" for s in samples]
    heap3, rss3, nodes3 = (thirds([s[k] for s in samples]) for k in ("heap", "rss", "nodes"))
    views = set(page.evaluate("Array.from(window.__views)"))
    lines.append(f"thirds (mean): heap {heap3[0]:.2f} / {heap3[1]:.2f} / {heap3[2]:.2f} MiB; "
                 f"rss {rss3[0]:.1f} / {rss3[1]:.1f} / {rss3[2]:.1f} MiB; "
                 f"nodes {nodes3[0]:.0f} / {nodes3[1]:.0f} / {nodes3[2]:.0f}; views seen {sorted(views)}")
    table = "\n".join(lines)
    (ARTIFACTS / "wall_soak.txt").write_text(table + "\n", encoding="utf-8")
    print("\n" + table)

    assert page.evaluate("window.__marker") == 1, "the page was reloaded during the soak"
    assert frame.evaluate("window.__frameMarker") == 1, "the map frame was reloaded during the soak"
    assert len({s["read"] for s in samples}) == SOAK_CYCLES, "the wall stopped refreshing"
    assert len(views) >= 3, f"the views did not rotate: {views}"
    assert all(s["paths"] >= 1 for s in samples)
    assert heap3[2] <= 1.25 * heap3[1], f"the browser's heap keeps growing: {heap3}"
    assert rss3[2] <= 1.15 * rss3[1], f"the server's memory keeps growing: {rss3}"
    assert nodes3[2] <= 1.25 * nodes3[1], f"the page's DOM keeps growing: {nodes3}"
    assert_clean(page)
    screenshot(page, "wall_soak_end.png")
    assert log.aborted == [] and log.dialogs == []
