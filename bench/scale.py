"""City-scale benchmark: this product's maps against geopandas' ``explore()``, side by side, in one run.

For each size it generates a city with the demo generator, stores it, and measures on the compounds map:

* server build time of a map that is not cached (both sides start from the same compound status view);
* payload: every byte the browser gets for that map, apart from the Leaflet library both use;
* a rerun that changes only a filter, then only the date, with the data cached: the whole page script's
  server time, run by Streamlit's AppTest;
* browser time from navigation until the compounds are drawn, in headless Chromium (explore's page is
  served as a plain file, with Leaflet from the app's static folder: a lower bound for it);
* the app server's memory (peak RSS) after serving that page to one session;
* importing and checking a status table with a row per compound (the upload path).

With ``--points`` it measures instead the same city with every compound a point (most bureaus have no
outlines) against itself with its outlines, side by side: payload, server build, navigation to drawn and
the wall's refresh, the visits to the two alternating so that the machine's mood weighs on both alike.

Run it from the project root (after ``./run.sh test`` has installed the packages and Chromium)::

    .venv/bin/python bench/scale.py                      # 1,000, 10,000 and 100,000 compounds
    .venv/bin/python bench/scale.py --sizes 200 --quick  # a smoke run on a tiny city
    .venv/bin/python bench/scale.py --points --sizes 10000 100000
    CMDMAP_UPLOAD_MAX_ROWS=2000000 .venv/bin/python bench/scale.py --nation --sizes 1000000  # tiles, dots

Cities and stores are kept in ``bench/out`` between runs.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.server
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
WALL_REFRESH = 5  # seconds between two refreshes of the wall display, for the benchmark
WINDOW_SETTLE = 1  # seconds given to a new browser window before a timed visit


def run_json(*args: str, env: dict | None = None) -> dict:
    """Run one measurement in a fresh Python process (so memory and caches are its own); its JSON answer."""
    done = subprocess.run([sys.executable, __file__, *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})})
    if done.returncode != 0:
        raise RuntimeError(f"{args[0]} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------------- workers (one process each)


def _latest_view(url: str):
    from geo.analysis.views import compound_view, report_dates
    from geo.store.dataset import load_store
    from geo.store.engine import connect

    ds = load_store(connect(url))
    date = report_dates(ds)[-1]
    return ds, compound_view(ds, date)


def explore_map(view):
    """explore() of the compound view: coloured by status, the same tooltip fields as the product's."""
    frame = view[["name", "category", "zone_name", "residents", "fever_reports", "geometry"]].copy()
    frame["category"] = frame["category"].astype(str)
    return frame.explore(column="category", categorical=True, tooltip=["name", "category", "zone_name", "residents",
                                                                       "fever_reports"], tiles=None)


def offline(html: str) -> str:
    """explore()'s page with Leaflet from the app's static folder and the other CDN assets dropped (the
    polygons need none of them): it must draw on this closed network."""
    html = re.sub(r'<script src="https://[^"]*leaflet[^"]*\.js"></script>',
                  '<script src="/app/static/vendor/leaflet/leaflet.js"></script>', html)
    html = re.sub(r'<link rel="stylesheet" href="https://[^"]*leaflet[^"]*\.css"/>',
                  '<link rel="stylesheet" href="/app/static/vendor/leaflet/leaflet.css"/>', html)
    html = re.sub(r'<script src="https://[^"]*"></script>', "", html)
    return re.sub(r'<link rel="stylesheet" href="https://[^"]*"/>', "", html)


def worker_explore(url: str, html_path: str) -> dict:
    _, view = _latest_view(url)
    explore_map(view.iloc[:10]).get_root().render()  # imports and templates warmed up, as ours are
    start = time.perf_counter()
    html = explore_map(view).get_root().render()
    build = time.perf_counter() - start
    html = offline(html)
    Path(html_path).write_text(html, encoding="utf-8")
    return {"build": build, "bytes": len(html.encode("utf-8")), "features": len(view), "peak_mib": peak_mib()}


def worker_ours(url: str) -> dict:
    """The product's compounds map from the same view, nothing cached: packs, layer, base map and update.

    Past ``map_places_at_once`` compounds the packs are tiles and dots (geo/maps/tiles.py), as the app makes
    them: the payload is then what the first view fetches (the dots), and ``tile_bytes`` all the tiles."""
    from dataclasses import replace

    from geo.maps import TILE_SHARE, Source, base_map, map_update, pack_tiles
    from geo.maps.layers import category_legend, compound_layer, zone_outline_layer
    from geo.maps.pack import compressed, pack_places
    from geo.settings import load

    ds, view = _latest_view(url)
    settings = replace(load(), basemap="none")  # CMDMAP_MAP_PLACES_AT_ONCE as the app would read it
    small = view.iloc[:10]  # imports and templates warmed up, as explore()'s are
    base_map([compound_layer(small, "zh")], {"compounds": [Source(pack_places(ds.compounds.iloc[:10]))]},
             settings).get_root().render()
    start = time.perf_counter()
    tiles = []
    if len(ds.compounds) > settings.map_places_at_once:
        tiled = pack_tiles(ds.compounds, int(settings.map_places_at_once * TILE_SHARE))
        folder = Path(tempfile.mkdtemp(prefix="bench-fields-"))  # the tiles' tooltip columns are written beside
        tiles = [Source(t.pack, f"/app/static/cache/t{i}.json", "tile", t.box, folder)
                 for i, t in enumerate(tiled.tiles)]
        compounds = [Source(tiled.dots, "/app/static/cache/d.json", "dots"), *tiles]
    else:
        compounds = [Source(pack_places(ds.compounds), "/app/static/cache/c.json")]
    sources = {"compounds": compounds, "outlines": [Source(pack_places(ds.zones), "/app/static/cache/z.json")]}
    layers = [zone_outline_layer(ds.zones, "zh"), compound_layer(view, "zh")]
    legend = category_legend("小区封闭状态", "closure", view["category"], "zh")
    html = base_map(layers, sources, settings).get_root().render()
    update = map_update(layers, sources, [legend]).message
    build = time.perf_counter() - start
    # the packs as the browser fetches them: gzipped once when written (see geo.maps.pack.write_pack)
    packs = sum(len(compressed(s.pack)) for group in sources.values() for s in group if s.role != "tile")
    fields = sum(f.stat().st_size for f in folder.glob("fields-*.json.gz")) if tiles else 0
    if tiles:
        shutil.rmtree(folder)
    return {"build": build, "bytes": len(html.encode()) + len(update.encode()) + packs, "pack_bytes": packs,
            "update_bytes": len(update.encode()), "tiles": len(tiles), "field_bytes": fields,
            "tile_bytes": sum(len(compressed(s.pack)) for s in tiles), "peak_mib": peak_mib()}


def worker_rerun(url: str, city: str) -> dict:
    """Server time of the compounds page script: first run, a run with warm caches, a filter, a date."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    os.environ.update({"CMDMAP_DATABASE_URL": url, "CMDMAP_DATA_DIR": city, "CMDMAP_BASEMAP": "none"})
    real_init = PagesManager.__init__

    def after_navigation(self, *args, **kwargs):  # as a served app after its first page (see tests/conftest.py)
        real_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = after_navigation
    at = AppTest.from_file(str(ROOT / "pages" / "compounds.py"), default_timeout=600)
    times = {}
    for label in ("first", "warm"):
        start = time.perf_counter()
        at.run()
        times[label] = time.perf_counter() - start
    assert not at.exception, at.exception
    start = time.perf_counter()
    at.multiselect(key="status").set_value(["sealed"]).run()
    times["filter"] = time.perf_counter() - start
    date = at.selectbox(key="date")
    start = time.perf_counter()
    date.set_value(date.options[1]).run()
    times["date"] = time.perf_counter() - start
    assert not at.exception, at.exception
    return {**times, "peak_mib": peak_mib()}


def worker_import(url: str, rows_out: str) -> dict:
    """Check and store a compound status table with one row per compound, for the day after the last."""
    from geo.accounts import auth
    from geo.settings import load
    from geo.store.engine import connect
    from geo.upload import check as upload
    from tests.uploads import next_day_report

    engine = connect(url)
    report = next_day_report(url)[0]
    content = report.to_csv(index=False).encode("utf-8")
    Path(rows_out).write_bytes(content)
    user = auth.User("bench", "staff")
    start = time.perf_counter()
    check = upload.check_file(engine, "compound_status", content, "bench.csv", max_rows=load().upload_max_rows)
    checked = time.perf_counter() - start
    assert check.ok, [p.message("en") for p in check.problems[:5]]
    upload.commit(engine, check, user)
    total = time.perf_counter() - start
    return {"rows": len(check.frame), "check": checked, "total": total, "peak_mib": peak_mib(),
            "date": str(report["date"].max())}


def worker_seed(url: str, city: str) -> dict:
    from geo.settings import load
    from geo.upload import open_city

    start = time.perf_counter()
    open_city(url, city, load().upload_max_rows)  # CMDMAP_UPLOAD_MAX_ROWS: a nation's million
    return {"seed": time.perf_counter() - start, "peak_mib": peak_mib()}


# --------------------------------------------------------------------------- browser


@contextlib.contextmanager
def static_site(folder: Path):
    """Serve ``folder`` at / and the app's static folder at /app/static/ (explore's page, offline)."""
    class Handler(http.server.SimpleHTTPRequestHandler):
        def translate_path(self, path):
            if path.startswith("/app/static/"):
                return str(ROOT / "static" / path[len("/app/static/"):].split("?")[0])
            return super().translate_path(path)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


#: Run in the page from its first line: on each frame the browser renders, test the ready expression (of a
#: window ``w``) in the page and in its frames, and note the first time it held. Polling from Playwright
#: instead waits for a free main thread (it came 0.3 s late at 100,000 compounds); a frame rendered is what
#: the user sees. The page's frames are checked from the page: Chromium did not run them an animation frame.
READY_WATCH = """
(() => {
  if (window.top !== window) { return; }
  const ready = (w) => {
    try { if (%s) { return true; } } catch (e) {}
    for (let i = 0; i < w.frames.length; i++) { if (ready(w.frames[i])) { return true; } }
    return false;
  };
  const watch = () => {
    if (ready(window)) { window.__readyAt = performance.timeOrigin + performance.now(); return; }
    requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
})();
"""


def open_window(browser, ready_js: str):
    """A new browser context's page that notes when ``ready_js`` (of a window ``w``) first holds, in the page or in
    one of its frames, opened :data:`WINDOW_SETTLE` seconds before a visit; nothing cached yet."""
    from tests.browser import VIEWPORT

    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(READY_WATCH % ready_js)
    page = context.new_page()
    # As a user's browser is: a window already open (a new window of Chromium 156 also starts an address-bar
    # popup, a web page of its own, 1.4 s of CPU taken from the first visit: tests.browser turns it off).
    page.goto("about:blank")
    page.wait_for_timeout(WINDOW_SETTLE * 1000)
    return page


def timed_visit(page, url: str, timeout: float) -> float:
    """Seconds from navigating ``page`` (of :func:`open_window`) to ``url`` until its first rendered frame in which
    the window's ``ready_js`` is true (nan after ``timeout``). What the page's context fetched before is cached."""
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    while time.perf_counter() < start + timeout:
        with contextlib.suppress(Exception):  # the page may be between two documents
            if ready_at := page.evaluate("window.__readyAt"):
                return (ready_at - page.evaluate("performance.timeOrigin")) / 1000
        page.wait_for_timeout(100)
    return float("nan")


def drawn_then_dated(browser, url: str, ready_js: str, date: str, timeout: float) -> tuple[float, float]:
    """Seconds from navigation until the map is drawn (:func:`time_to_drawn`), and until the page says ``date``,
    by itself (a page drawn from the version before an import follows the new one once the server has built it)."""
    page = open_window(browser, ready_js)
    try:
        start = time.perf_counter()
        drawn = timed_visit(page, url, timeout)
        page.wait_for_function(f"document.body.innerText.includes({json.dumps(date)})",
                               timeout=max(1.0, start + timeout - time.perf_counter()) * 1000)
        return drawn, time.perf_counter() - start
    finally:
        page.context.close()


def time_to_drawn(browser, url: str, ready_js: str, timeout: float, returning: bool = False) -> float:
    """Seconds from navigation until the first rendered frame in which ``ready_js`` (of a window ``w``) is
    true, in the page or in one of its frames.

    A new browser context each time, so nothing is cached (:func:`open_window`); ``returning``: the page is
    opened once first in that context, as by a user who came before (the browser keeps the app's scripts and
    the packs).
    """
    page = open_window(browser, ready_js)
    try:
        if returning:
            timed_visit(page, url, timeout)
            page.goto("about:blank")
        return timed_visit(page, url, timeout)
    finally:
        page.context.close()


def rss_mib(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of a process and its children, in MiB."""
    now = peak = 0.0
    for p in [pid, *children(pid)]:
        with contextlib.suppress(OSError):
            status = Path(f"/proc/{p}/status").read_text()
            now += int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
            peak += int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024
    return now, peak


def children(pid: int) -> list[int]:
    with contextlib.suppress(OSError):
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return []


@contextlib.contextmanager
def explore_server(env: dict):
    """Streamlit serving bench/explore_page.py, from a folder whose ``static`` is the app's own."""
    import urllib.request

    from tests.browser import free_port

    folder = OUT / "explore_app"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "bench" / "explore_page.py", folder / "explore_page.py")
    if not (folder / "static").exists():
        (folder / "static").symlink_to(ROOT / "static")
    (folder / ".streamlit").mkdir(exist_ok=True)
    shutil.copy(ROOT / ".streamlit" / "config.toml", folder / ".streamlit" / "config.toml")
    port = free_port()
    log = open(OUT / "explore_server.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "explore_page.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--server.maxMessageSize", "1000",
         "--browser.gatherUsageStats", "false"],
        cwd=folder, env={**os.environ, **env, "CMDMAP_ROOT": str(ROOT)}, stdout=log, stderr=log,
        start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            with contextlib.suppress(OSError):
                if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).status == 200:
                    break
            time.sleep(0.3)
        yield base
    finally:
        os.killpg(process.pid, 9)
        process.wait()
        log.close()


def wall_update(browser, base_url: str, refreshes: int) -> float:
    """The wall display moving to another view at every refresh (so that each refresh redraws the map: an
    unchanged refresh sends nothing to it): the longest time the page was busy applying one refresh."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    drawn_js = "window.cmdmap && window.cmdmap.drawn() > 0"
    try:
        page.goto(f"{base_url}/wall?kiosk=1")
        deadline = time.perf_counter() + 300
        frame = None
        while frame is None and time.perf_counter() < deadline:
            page.wait_for_timeout(200)
            for candidate in page.frames:
                with contextlib.suppress(Exception):
                    if candidate.evaluate(drawn_js):
                        frame = candidate
        if frame is None:
            return float("nan")
        page.wait_for_timeout(int((refreshes * WALL_REFRESH + 2) * 1000))
        return frame.evaluate("window.cmdmap.longestUpdate()") / 1000
    finally:
        context.close()


def browser_times(n: int, url: str, city: Path, explore_html: Path, quick: bool) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.browser import launch_chromium, streamlit_server

    drawn_ours = f"w.cmdmap && w.cmdmap.drawn() >= {max(1, int(n * 0.5))}"
    # a live collection: its length costs nothing on every frame, where a query would slow explore() down
    drawn_explore = f"w.document.getElementsByClassName('leaflet-interactive').length >= {max(1, int(n * 0.9))}"
    env = {"CMDMAP_DATABASE_URL": url, "CMDMAP_DATA_DIR": str(city), "CMDMAP_BASEMAP": "none",
           "CMDMAP_WALL_REFRESH_SECONDS": str(WALL_REFRESH), "CMDMAP_WALL_ROTATE_SECONDS": str(WALL_REFRESH)}
    # ours: the median of a few visits (one varies by about 0.3 s); explore() at 100,000 takes minutes a visit
    visits, explore_visits = 5, 1 if quick else 3
    limit = 300
    out = {}
    with sync_playwright() as p:
        browser = launch_chromium(p)
        with streamlit_server(env, name=f"bench-{n}", log_dir=OUT) as server:
            page_url = f"{server.base_url}/compounds"
            out["ours_cold"] = time_to_drawn(browser, page_url, drawn_ours, 600)
            out["ours"] = statistics.median(time_to_drawn(browser, page_url, drawn_ours, 120) for _ in range(visits))
            out["ours_return"] = statistics.median(time_to_drawn(browser, page_url, drawn_ours, 120, returning=True)
                                                   for _ in range(visits))
            out["server_rss"], out["server_peak"] = rss_mib(server.process.pid)
            out["wall_update"] = wall_update(browser, server.base_url, 3 if quick else 4)
        with explore_server(env) as base:
            time_to_drawn(browser, base, drawn_explore, limit)  # builds and caches the map
            out["explore"] = statistics.median(time_to_drawn(browser, base, drawn_explore, limit)
                                               for _ in range(explore_visits))
            out["explore_return"] = statistics.median(time_to_drawn(browser, base, drawn_explore, limit, returning=True)
                                                      for _ in range(explore_visits))
        with static_site(explore_html.parent) as site:
            out["explore_file"] = time_to_drawn(browser, f"{site}/{explore_html.name}", drawn_explore, limit)
        browser.close()
    return out


#: In the map's frame: jump to [lat, lng] at ``zoom`` from a view that shows dots; the milliseconds until the
#: compounds there are drawn whole from their tiles (fetched, decoded and drawn).
ZOOM_TO = """async ([lat, lng, zoom]) => {
  const map = window[Object.keys(window).find((k) => k.startsWith("map_") && window[k] instanceof L.Map)];
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const start = performance.now();
  map.setView([lat, lng], zoom, {animate: false});
  for (;;) {
    await frame();
    const t = window.cmdmap.tiles().compounds;
    if (t.drawn > 0 && !t.dots) { return performance.now() - start; }
    if (performance.now() - start > 20000) { return NaN; }
  }
}"""

#: In the map's frame: back to the first view (every compound a dot).
ZOOM_OUT = """async ([lat, lng, zoom]) => {
  const map = window[Object.keys(window).find((k) => k.startsWith("map_") && window[k] instanceof L.Map)];
  map.setView([lat, lng], zoom, {animate: false});
  for (let i = 0; i < 600; i++) {
    await new Promise((r) => requestAnimationFrame(r));
    if (window.cmdmap.tiles().compounds.dots) { return true; }
  }
  return false;
}"""


def zoom_times(browser, base_url: str, n: int, areas: int, zoom: int) -> list[float]:
    """Seconds from a jump to ``areas`` places spread through the nation (zoom ``zoom``, a few streets) until
    their compounds are drawn whole, each from the first view; the page opened once before."""
    from tests.browser import VIEWPORT

    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    try:
        page.goto(f"{base_url}/compounds")
        frame, deadline = None, time.perf_counter() + 300
        while frame is None and time.perf_counter() < deadline:
            page.wait_for_timeout(300)
            for candidate in page.frames:
                with contextlib.suppress(Exception):
                    if candidate.evaluate(f"window.cmdmap && window.cmdmap.drawn() >= {int(n * 0.5)}"):
                        frame = candidate
        if frame is None:
            return [float("nan")]
        page.wait_for_timeout(2000)  # the page's own reruns done
        home = frame.evaluate("[window.cmdmap.center(), window.cmdmap.zoom()]")
        times = []
        for lat, lng in frame.evaluate("window.cmdmap.tiledPlaces('compounds', %d)" % areas):
            frame.evaluate(ZOOM_OUT, [*home[0], home[1]])
            times.append(frame.evaluate(ZOOM_TO, [lat, lng, zoom]) / 1000)
        return times
    finally:
        context.close()


def nation_times(n: int, url: str, city: Path, imports: int, zoom: int, quick: bool) -> dict:
    """The browser's side of a nation (``--nation``): first visit after a start, later visits, a jump to a
    new area, the wall's refresh, the server's memory, and the first visit after an import."""
    from playwright.sync_api import sync_playwright

    from tests.browser import launch_chromium, streamlit_server

    drawn = f"w.cmdmap && w.cmdmap.drawn() >= {max(1, int(n * 0.5))}"
    env = {"CMDMAP_DATABASE_URL": url, "CMDMAP_DATA_DIR": str(city), "CMDMAP_BASEMAP": "none",
           "CMDMAP_WALL_REFRESH_SECONDS": str(WALL_REFRESH), "CMDMAP_WALL_ROTATE_SECONDS": str(WALL_REFRESH),
           **{k: v for k, v in os.environ.items() if k in ("CMDMAP_MAP_PLACES_AT_ONCE", "CMDMAP_UPLOAD_MAX_ROWS")}}
    out = {"jump_zoom": zoom}
    with sync_playwright() as p:
        browser = launch_chromium(p)
        with streamlit_server(env, name=f"bench-nation-{n}", log_dir=OUT, timeout=1800) as server:
            page_url = f"{server.base_url}/compounds"
            started = time.perf_counter()

            def done(what: str, value) -> None:
                print(f"[{time.perf_counter() - started:6.1f}s] {what}: {value}", file=sys.stderr, flush=True)

            out["cold"] = time_to_drawn(browser, page_url, drawn, 900)
            done("first visit", out["cold"])
            out["visit"] = statistics.median(time_to_drawn(browser, page_url, drawn, 300) for _ in range(1 if quick else 3))
            done("visits", out["visit"])
            out["zoom"] = zoom_times(browser, server.base_url, n, 2 if quick else 5, zoom)
            done("jumps", out["zoom"])
            out["server_rss"], out["server_peak"] = rss_mib(server.process.pid)
            out["wall_update"] = wall_update(browser, server.base_url, 1 if quick else 3)
            done("wall", out["wall_update"])
            out["after_import"] = []
            for i in range(imports):
                out.setdefault("import", []).append(run_json("import", url, str(OUT / f"import-{n}-{i}.csv")))
                done("import", out["import"][-1])
                shown, dated = drawn_then_dated(browser, page_url, drawn, out["import"][-1]["date"], 900)
                out["after_import"].append(shown)
                out.setdefault("new_day_shown", []).append(dated)
                done("first visit after the import, drawn / the new day shown", (shown, dated))
            out["server_rss_end"], out["server_peak_end"] = rss_mib(server.process.pid)
        browser.close()
    return out


def main_nation(sizes: list[int], days: int, imports: int, keep: bool, zoom: int, quick: bool) -> int:
    """A nation's compounds (``--nation``), drawn as tiles and dots: the table of :func:`report_nation`."""
    rows = []
    for n in sizes:
        city, url, seeded = prepare(n, days, keep)
        built = run_json("ours", url)
        rerun = run_json("rerun", url, str(city))
        seen = nation_times(n, url, city, imports, zoom, quick)
        rows.append((n, seeded, built, rerun, seen))
        print(f"… {n:,} compounds measured", file=sys.stderr, flush=True)
    print(report_nation(rows))
    return 0


def heading(command: str, columns: list[str], align: str) -> list[str]:
    """A table's first lines: the command, when and where it ran, the columns' names and their alignment."""
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    return [f"{command}, {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}, {machine}", "",
            "| " + " | ".join(columns) + " |", "| " + " | ".join("---:" if a == "r" else "---" for a in align) + " |"]


def report_nation(rows) -> str:
    lines = heading("bench/scale.py --nation", ["compounds", "measure", "value", "target at 1,000,000"], "rlrl")
    for n, seeded, built, rerun, seen in rows:
        zoom = [z for z in seen["zoom"] if z == z]
        lines += [
            f"| {n:,} | first start: store filled from the demo files | {seeded['seed']:.0f} s | |",
            f"| {n:,} | packs: tiles / first view's payload / all tiles (gzipped) | {built['tiles']} / "
            f"{built['bytes'] / 1e6:.1f} MB / {built['tile_bytes'] / 1e6:.1f} MB | |",
            f"| {n:,} | the map's update / all tiles' tooltip columns (gzipped, fetched with the tiles) | "
            f"{built['update_bytes'] / 1e6:.2f} MB / {built.get('field_bytes', 0) / 1e6:.1f} MB | |",
            f"| {n:,} | server build of the map, not cached | {built['build']:.1f} s | |",
            f"| {n:,} | page script: first run / warm / filter / date | {rerun['first']:.1f} / {rerun['warm']:.1f} / "
            f"{rerun['filter']:.1f} / {rerun['date']:.1f} s | |",
            f"| {n:,} | browser: first visit after the server started | {seen['cold']:.1f} s | |",
            f"| {n:,} | browser: navigation to drawn (median) | {seen['visit']:.2f} s | ≤ 3 s |",
            f"| {n:,} | browser: a jump to a new area at zoom {seen['jump_zoom']} drawn whole (median, max of "
            f"{len(seen['zoom'])}) | "
            f"{statistics.median(zoom) if zoom else float('nan'):.2f} s, {max(zoom, default=float('nan')):.2f} s "
            f"| ≤ 0.5 s |",
            f"| {n:,} | wall display: longest busy time of one refresh | {seen['wall_update'] * 1000:.0f} ms "
            f"| no visible stall |",
            f"| {n:,} | app server memory after the visits (RSS / peak) | {seen['server_rss']:.0f} / "
            f"{seen['server_peak']:.0f} MiB | < 2 GB |",
        ]
        for done, after, dated in zip(seen.get("import", []), seen["after_import"], seen.get("new_day_shown", [])):
            lines += [f"| {n:,} | import and check {done['rows']:,} status rows (check / total) | "
                      f"{done['check']:.1f} s / {done['total']:.1f} s | ≤ 30 s |",
                      f"| {n:,} | browser: first visit after that import, map drawn / its new day shown | "
                      f"{after:.1f} s / {dated:.1f} s | |"]
        lines += [f"| {n:,} | app server memory at the end (RSS / peak) | {seen['server_rss_end']:.0f} / "
                  f"{seen['server_peak_end']:.0f} MiB | < 2 GB |"]
    return "\n".join(lines)


def points_vs_outlines(n: int, cities: dict[str, tuple[Path, str]], visits: int = 5) -> dict:
    """Browser times of the compounds page and the wall for each city of ``cities`` (name -> folder, store
    URL), both served at once and visited in turn."""
    from playwright.sync_api import sync_playwright

    from tests.browser import launch_chromium, streamlit_server

    ready = f"w.cmdmap && w.cmdmap.drawn() >= {max(1, int(n * 0.5))}"
    out: dict[str, dict] = {name: {"visits": []} for name in cities}
    with sync_playwright() as p, contextlib.ExitStack() as stack:
        browser = launch_chromium(p)
        servers = {name: stack.enter_context(streamlit_server(
            {"CMDMAP_DATABASE_URL": url, "CMDMAP_DATA_DIR": str(city), "CMDMAP_BASEMAP": "none",
             "CMDMAP_WALL_REFRESH_SECONDS": str(WALL_REFRESH), "CMDMAP_WALL_ROTATE_SECONDS": str(WALL_REFRESH)},
            name=f"bench-{n}-{name}", log_dir=OUT)) for name, (city, url) in cities.items()}
        for name, server in servers.items():  # the first visit after the server starts builds its caches
            time_to_drawn(browser, f"{server.base_url}/compounds", ready, 600)
        for _ in range(visits):
            for name, server in servers.items():
                out[name]["visits"].append(time_to_drawn(browser, f"{server.base_url}/compounds", ready, 120))
        for name, server in servers.items():
            out[name]["ours"] = statistics.median(out[name]["visits"])
            out[name]["wall_update"] = wall_update(browser, server.base_url, 3)
        browser.close()
    return out


def as_points(city: Path, target: Path) -> Path:
    """A copy of ``city`` whose compounds are points (each its outline's representative point)."""

    import geopandas as gpd

    from geo.io import to_geojson_bytes

    target.mkdir(parents=True, exist_ok=True)
    for path in city.iterdir():
        if path.name != "compounds.geojson":
            shutil.copy(path, target / path.name)
    frame = gpd.read_file(city / "compounds.geojson")
    frame["id"] = frame["id"].astype(str)  # ids as typed, the files hold them as text
    frame = frame.set_geometry(frame.geometry.representative_point())
    (target / "compounds.geojson").write_bytes(to_geojson_bytes(frame, [c for c in frame.columns if c != "geometry"]))
    return target


def main_points(sizes: list[int], days: int, browser: bool) -> int:
    """Point compounds against outlines (``--points``): the table of :func:`report_points`."""
    rows = []
    for n in sizes:
        city, url, _ = prepare(n, days)
        points = as_points(city, OUT / f"city-{n}-points")
        store = OUT / f"store-{n}-points.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{store}{suffix}").unlink(missing_ok=True)
        points_url = f"sqlite:///{store}"
        run_json("seed", points_url, str(points))
        built = {"outlines": run_json("ours", url), "points": run_json("ours", points_url)}
        seen = points_vs_outlines(n, {"outlines": (city, url), "points": (points, points_url)}) if browser else {}
        rows.append((n, built, seen))
        print(f"… {n:,} compounds, points and outlines measured", file=sys.stderr, flush=True)
    print(report_points(rows))
    return 0


def report_points(rows) -> str:
    lines = heading("bench/scale.py --points", ["compounds", "measure", "outlines", "points", "points / outlines"],
                    "rlrrr")
    for n, built, seen in rows:
        poly, pts = built["outlines"], built["points"]
        lines += [f"| {n:,} | payload for one map | {poly['bytes'] / 1e6:.2f} MB | {pts['bytes'] / 1e6:.2f} MB "
                  f"| {ratio(pts['bytes'], poly['bytes'])} |",
                  f"| {n:,} | server build, not cached | {poly['build']:.2f} s | {pts['build']:.2f} s "
                  f"| {ratio(pts['build'], poly['build'])} |"]
        if seen:
            poly, pts = seen["outlines"], seen["points"]
            lines += [f"| {n:,} | browser: navigation to drawn (median) | {poly['ours']:.2f} s | {pts['ours']:.2f} s "
                      f"| {ratio(pts['ours'], poly['ours'])} |",
                      f"| {n:,} | wall display: longest busy time of one refresh | {poly['wall_update'] * 1000:.0f} ms "
                      f"| {pts['wall_update'] * 1000:.0f} ms | {ratio(pts['wall_update'], poly['wall_update'])} |"]
    return "\n".join(lines)


# --------------------------------------------------------------------------- driver


def prepare(n: int, days: int, keep: bool = False) -> tuple[Path, str, dict]:
    """The demo city of ``n`` compounds and its store, filled anew (``keep``: a store left by an earlier run
    is used as it is; its fill is then not timed)."""
    city = OUT / f"city-{n}"
    store = OUT / f"store-{n}.sqlite"
    if not (city / "compound_status.csv").exists():
        subprocess.run([sys.executable, "-m", "geo", "demo", "--compounds", str(n), "--days", str(days),
                        "--out", str(city)], cwd=ROOT, check=True, capture_output=True)
    url = f"sqlite:///{store}"
    if keep and store.exists():
        return city, url, {"seed": float("nan")}
    for suffix in ("", "-wal", "-shm"):
        Path(f"{store}{suffix}").unlink(missing_ok=True)
    return city, url, run_json("seed", url, str(city))


def reference_seconds() -> float:
    """A fixed piece of CPU work (best of three), to compare runs: this machine's speed varies by half from
    one hour to the next, and a browser visit with it."""
    def once() -> float:
        start = time.perf_counter()
        sum(i * i % 7 for i in range(2_000_000))
        return time.perf_counter() - start
    return min(once() for _ in range(3))


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.3f}" if theirs else "—"


def main(argv: list[str] | None = None) -> int:
    global OUT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--days", type=int, default=2)
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: one visit of explore() instead of three; --nation: one visit, two jumps "
                        "and one wall refresh")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--out", type=Path, default=OUT, help="where cities, stores and pages are kept")
    parser.add_argument("--points", action="store_true", help="point compounds against outlines, not explore()")
    parser.add_argument("--nation", action="store_true",
                        help="tiles and dots past map_places_at_once, without explore() (minutes a visit at 100,000)")
    parser.add_argument("--imports", type=int, default=1, help="with --nation: imports, each then a first visit")
    parser.add_argument("--keep-stores", action="store_true", help="with --nation: use the stores of an earlier run")
    parser.add_argument("--jump-zoom", type=int, default=15, help="with --nation: the zoom of the jumps to new areas")
    args = parser.parse_args(argv)
    OUT = args.out
    OUT.mkdir(parents=True, exist_ok=True)
    if args.points:
        return main_points(args.sizes, args.days, not args.no_browser)
    if args.nation:
        return main_nation(args.sizes, args.days, args.imports, args.keep_stores, args.jump_zoom, args.quick)
    rows = []
    for n in args.sizes:
        city, url, seeded = prepare(n, args.days)
        explore_html = OUT / f"explore-{n}.html"
        theirs = run_json("explore", url, str(explore_html))
        ours = run_json("ours", url)
        rerun = run_json("rerun", url, str(city))
        imported = run_json("import", url, str(OUT / f"import-{n}.csv"))
        before = reference_seconds()
        seen = {} if args.no_browser else browser_times(n, url, city, explore_html, args.quick)
        rows.append((n, seeded, theirs, ours, rerun, imported, seen, (before, reference_seconds())))
        print(f"… {n:,} compounds measured", file=sys.stderr, flush=True)
    print(report(rows))
    return 0


def report(rows) -> str:
    lines = heading("bench/scale.py", ["compounds", "measure", "explore()", "this product", "ratio", "target"], "rlrrrl")
    for n, seeded, theirs, ours, rerun, imported, seen, speed in rows:
        mb = 1e6
        lines += [
            f"| {n:,} | payload for one map | {theirs['bytes'] / mb:.2f} MB | {ours['bytes'] / mb:.2f} MB "
            f"| {ratio(ours['bytes'], theirs['bytes'])} | ≤ 0.125 |",
            f"| {n:,} | server build, not cached | {theirs['build']:.2f} s | {ours['build']:.2f} s "
            f"| {ratio(ours['build'], theirs['build'])} | ≤ 0.2 |",
            f"| {n:,} | rerun: filter changed (page script) | | {rerun['filter']:.2f} s | | < 0.3 s at 10,000 |",
            f"| {n:,} | rerun: date changed (page script) | | {rerun['date']:.2f} s | | < 0.3 s at 10,000 |",
            f"| {n:,} | page script, first run / warm | | {rerun['first']:.2f} s / {rerun['warm']:.2f} s | | |",
        ]
        if seen:
            lines += [
                f"| {n:,} | browser: navigation to drawn, in Streamlit | {seen['explore']:.2f} s | {seen['ours']:.2f} s "
                f"| {ratio(seen['ours'], seen['explore'])} | ≤ 0.5 at 10,000; ≤ 3 s at 100,000 |",
                f"| {n:,} | browser: return visit (scripts and packs in the browser's cache) | "
                f"{seen['explore_return']:.2f} s | {seen['ours_return']:.2f} s "
                f"| {ratio(seen['ours_return'], seen['explore_return'])} | |",
                f"| {n:,} | browser: explore()'s page as a plain file | {seen['explore_file']:.2f} s | | | |",
                f"| {n:,} | browser, first visit after server start | | {seen['ours_cold']:.2f} s | | |",
                f"| {n:,} | wall display: longest busy time of one refresh | | {seen['wall_update'] * 1000:.0f} ms "
                f"| | no visible stall |",
                f"| {n:,} | app server memory after one session (RSS / peak) | | "
                f"{seen['server_rss']:.0f} / {seen['server_peak']:.0f} MiB | | < 1 GB |",
            ]
        lines += [
            f"| {n:,} | import and check {imported['rows']:,} status rows (check / total) | | "
            f"{imported['check']:.2f} s / {imported['total']:.2f} s | | < 10 s |",
            f"| {n:,} | first start: store filled from the demo files | | {seeded['seed']:.1f} s | | |",
            f"| {n:,} | machine: a fixed piece of Python work, before / after the browser | | "
            f"{speed[0]:.2f} s / {speed[1]:.2f} s | | |",
        ]
    return "\n".join(lines)


WORKERS = {"explore": worker_explore, "ours": worker_ours, "rerun": worker_rerun, "import": worker_import,
           "seed": worker_seed}

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in WORKERS:
        print(json.dumps(WORKERS[sys.argv[1]](*sys.argv[2:])))
    else:
        sys.exit(main())
