"""Our compounds map against lonboard's HTML export (deck.gl over GeoArrow), at 100,000 and 1,000,000 compounds.

Issue #22, item 5. Run it from the project root::

    python3 -m venv bench/out/compare-venv            # once (the script does these two itself when the venv
    bench/out/compare-venv/bin/pip install -r bench/requirements-compare.txt   # has no lonboard)
    .venv/bin/python bench/compare.py                  # 100,000 and 1,000,000 compounds (about 20 minutes;
                                                       # --lonboard-visits 1: about 13)
    .venv/bin/python bench/compare.py --sizes 2000 --visits 1   # a smoke run on 2,000 of the 100,000
    .venv/bin/python bench/compare.py --from-json results.json # the table again from a run's --json

lonboard runs in its own venv (``bench/out/compare-venv``, pinned in ``bench/requirements-compare.txt``) as a
subprocess, so the app's requirements stay as they are; everything else runs in the app's ``.venv``.

Data, read only: the compounds of the demo cities (``bench/out/city-100000``, ``city-1000000``:
``compounds.geojson``, or for a million without that file the store's ``rows_compounds``), each coloured by
its closure status of the latest date of ``compound_status.csv`` beside it ('missing' without a report). A
size below a city's is the first N compounds of the smallest city that has them. Both maps get the same
GeoParquet (``bench/out/compare/data``): id, name, category, zone name, residents, fever reports.

* **lonboard**: a ``PolygonLayer`` (fill and a 2-pixel outline in the status colour, as ours; pickable, the
  tooltip columns as ours) in a ``Map`` without a base map, exported by ``Map.to_html()``. Its page loads
  require.js, the widget manager and anywidget from CDNs, and lonboard's bundle fetches parquet-wasm's
  ``.wasm`` and geoarrow-js's earcut worker from jsDelivr: each is rewritten to a copy in ``bench/vendor``
  (see its README), served gzipped by a local HTTP server.
* **ours**: the product's compounds map as a plain page, the same way the app makes it (packs of places,
  compound layer, base map ``none``, update and legend; past ``map_places_at_once`` tiles and dots), the
  folium page in a frame of a wrapper page that starts the packs' early fetch and decode worker
  (``static/cmdmap/preload.js``) as the app's page does. No Streamlit: its page and scripts cost the app
  about 1.6 s of its 2.45 s at 100,000 (``bench/README.md``), so the app's own figures from that file are
  printed beside, labelled with their run.

Measured in headless Chromium (Debian's, via Playwright and ``tests.browser``'s flags, a 1600 × 1000
viewport, a new browser for each visit so that each process's memory and peak are the visit's own; the
visits to the two maps alternate):

* **navigation to drawn**: from navigation start (the page's ``performance.timeOrigin``) to

  - ours: the first animation frame in which half the compounds are drawn (``cmdmap.drawn()``, as in
    ``bench/scale.py``), noted by a script in the page on every frame;
  - lonboard: the start of the second animation frame after the frame of its last WebGL draw calls (every
    ``draw*`` of the WebGL contexts is wrapped by a script run before the page's own): the browser begins
    a frame only once the one before is drawn, so by then the picture is on screen (on SwiftShader that
    takes minutes after the calls). Taken once the picture is drawn and still: no draw call for 1.5 s and
    that frame shown, a screenshot of the page with more than 1 % of its pixels not white, and a second
    screenshot 1 s later the same with no draw call in between (deck.gl draws only when something
    changed). The time of its first draw call (its data fetched, parsed and handed to WebGL) is shown too;

* **JS heap** after drawn (CDP ``Performance.getMetrics``, ``JSHeapUsedSize``), the renderer process's
  resident memory after drawn and its peak (``/proc``: the largest renderer among this script's Chromium
  processes), and the GPU process's (WebGL runs there, on SwiftShader when there is no GPU);
* **bytes** the browser fetched, counted by the local server as sent (HTML, libraries, packs);
* **offline**: every request not for 127.0.0.1 is aborted and listed (there should be none);
* a crash of the tab, or no picture after ``--timeout`` seconds (420 below a million, 300 at a million), is a
  result, not an error. A page that still does not answer 30 s later (its main thread waits for the GPU
  process) has its browser ended; its memory is then the last reading of a thread that reads ``/proc`` every
  second.

The Python side: lonboard's layer from the GeoDataFrame plus ``to_html``, against our packs (written, as the
app writes them), layer, base map and update, each warmed up on ten compounds first, each in a fresh process
whose peak memory is reported.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import http.server
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
WORK = OUT / "compare"
SITE = WORK / "site"  # what the local server serves
VENV = OUT / "compare-venv"
VENDOR = ROOT / "bench" / "vendor"
REQUIREMENTS = ROOT / "bench" / "requirements-compare.txt"
CITIES = [100_000, 1_000_000]
TOOLTIP = ["name", "category", "zone_name", "residents", "fever_reports"]
WIDTH, HEIGHT = 1600, 1000
NAN = float("nan")

#: lonboard's export reaches for these; each is served from bench/vendor (file name -> content type).
VENDORED = {"require.js": "text/javascript", "embed-amd.js": "text/javascript", "anywidget.js": "text/javascript",
            "parquet_wasm_bg.wasm": "application/wasm", "earcut-worker.min.js": "text/javascript"}


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------------- workers (one process each)


def city_of(n: int) -> Path:
    for size in CITIES:
        if size >= n:
            return OUT / f"city-{size}"
    raise SystemExit(f"no demo city has {n:,} compounds (largest: {CITIES[-1]:,})")


def worker_prep(n: str, target: str) -> dict:
    """The compounds of the smallest demo city with ``n`` of them (its first ``n``), each with its latest
    status, as GeoParquet: the one input of both maps. Reads the city (or the store), writes nothing there."""
    import geopandas as gpd
    import pandas as pd
    import pyogrio
    import shapely

    n = int(n)
    city = city_of(n)
    start = time.perf_counter()
    geojson = city / "compounds.geojson"
    if geojson.exists():
        frame = pyogrio.read_dataframe(geojson, columns=["id", "name", "zone"], use_arrow=True, max_features=n)
        source = str(geojson.relative_to(ROOT))
    else:  # the store, opened read only: live rows of rows_compounds (geometry as WKB hex)
        import sqlite3

        store = OUT / f"store-{city.name.split('-')[1]}.sqlite"
        with contextlib.closing(sqlite3.connect(f"file:{store}?mode=ro", uri=True)) as db:
            rows = pd.read_sql_query(f"SELECT * FROM rows_compounds WHERE removed_in IS NULL LIMIT {n}", db)
        frame = gpd.GeoDataFrame(rows[[c for c in ("id", "name", "zone") if c in rows]],
                                 geometry=shapely.from_wkb(rows["geometry"].map(bytes.fromhex).to_numpy()),
                                 crs="EPSG:4326")
        source = f"{store.relative_to(ROOT)} (rows_compounds)"
    frame = frame.rename_geometry("geometry") if frame.geometry.name != "geometry" else frame
    zones = pyogrio.read_dataframe(city / "zones.geojson", columns=["id", "name"], read_geometry=False)
    names = dict(zip(zones["id"], zones["name"]))
    status = pd.read_csv(city / "compound_status.csv", engine="pyarrow",
                         usecols=["compound_id", "date", "closure", "residents", "fever_reports"])
    date = status["date"].max()
    status = status.loc[status["date"] == date].drop_duplicates("compound_id").set_index("compound_id")
    frame["id"] = frame["id"].astype(str)
    frame["category"] = frame["id"].map(status["closure"]).fillna("missing").astype(str)
    frame["zone_name"] = frame["zone"].map(names) if "zone" in frame else None
    frame["residents"] = frame["id"].map(status["residents"]).astype("Int64")
    frame["fever_reports"] = frame["id"].map(status["fever_reports"]).astype("Int64")
    frame = frame[["id", *TOOLTIP, "geometry"]]
    sys.path.insert(0, str(ROOT))
    from geo.maps import initial_bounds

    out = {"rows": len(frame), "date": str(date), "source": source, "bounds": list(initial_bounds(frame)),
           "categories": frame["category"].value_counts().to_dict()}
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(f"{target}.part")
    os.replace(f"{target}.part", target)
    Path(f"{target}.json").write_text(json.dumps(out, default=str))
    return {**out, "seconds": time.perf_counter() - start, "peak_mib": peak_mib()}


def worker_lonboard(parquet: str, raw_html: str, colours: str, view: str) -> dict:
    """lonboard's map of the compounds, exported by ``Map.to_html()`` (run in the compare venv)."""
    import geopandas as gpd
    import numpy as np
    from lonboard import Map, PolygonLayer
    from lonboard import __version__ as version

    frame = gpd.read_parquet(parquet, columns=[*TOOLTIP, "geometry"])
    styles = json.loads(colours)  # category -> [fill r, g, b, a, line r, g, b, a, line width]

    def build(f):
        codes = f["category"].to_numpy()
        style = np.zeros((len(f), 9), dtype=np.float32)
        for code, row in styles.items():
            style[codes == code] = row
        return Map(PolygonLayer.from_geopandas(
            f, get_fill_color=style[:, 0:4].astype(np.uint8), get_line_color=style[:, 4:8].astype(np.uint8),
            get_line_width=style[:, 8], line_width_units="pixels", pickable=True, auto_highlight=True),
            basemap=None, show_tooltip=True, view_state=json.loads(view))

    build(frame.iloc[:10]).to_html()  # imports and templates warmed up, as ours are
    start = time.perf_counter()
    m = build(frame)
    built = time.perf_counter()
    html = m.to_html()
    done = time.perf_counter()
    data = html.encode("utf-8")
    Path(raw_html).write_bytes(data)
    return {"layer": built - start, "export": done - built, "build": done - start, "bytes": len(data),
            "gz_bytes": len(gzip.compress(data, 6)), "version": version, "peak_mib": peak_mib()}


def worker_ours(parquet: str, n: str) -> dict:
    """The product's compounds map as a plain page in ``SITE`` (packs, layer, base map, update), as the app
    makes it; the map's scripts go to ``SITE/static/cache``, not the app's ``static/cache``."""
    sys.path.insert(0, str(ROOT))
    from dataclasses import replace

    import geopandas as gpd

    from geo.maps import assets

    assets.STATIC_DIR = SITE / "static"  # before any asset is looked up: the bundle is written there
    from geo.maps import (
        TILE_SHARE,
        Source,
        base_map,
        decoder_url,
        initial_bounds,
        map_update,
        pack_tiles,
        pack_worker_url,
        preload_script,
        write_pack,
    )
    from geo.maps.layers import category_legend, compound_layer
    from geo.maps.pack import compressed, pack_places
    from geo.settings import load

    view = gpd.read_parquet(parquet)
    folder = SITE / f"ours-{n}"
    shutil.rmtree(folder, ignore_errors=True)
    settings = replace(load(), basemap="none")  # CMDMAP_MAP_PLACES_AT_ONCE as the app would read it

    def written(pack, role="whole", box=None):
        assert write_pack(pack, folder)
        return Source(pack, f"/ours-{n}/{pack.file_name}", role, box, folder)

    def build(frame):
        places = frame[["id", "name", "geometry"]]
        if len(places) > settings.map_places_at_once:
            tiled = pack_tiles(places, max(1, int(settings.map_places_at_once * TILE_SHARE)))
            sources = [written(tiled.dots, "dots"), *(written(t.pack, "tile", t.box) for t in tiled.tiles)]
        else:
            sources = [written(pack_places(places))]
        layers = [compound_layer(frame, "zh")]
        m = base_map(layers, {"compounds": sources}, settings, bounds=initial_bounds(frame), height=HEIGHT)
        legend = category_legend("小区封闭状态", "closure", frame["category"], "zh")
        map_update(layers, {"compounds": sources}, [legend]).add_to(m)
        return m.get_root().render(), sources

    build(view.iloc[:10])  # imports and templates warmed up, as lonboard's are
    shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    html, sources = build(view)
    seconds = time.perf_counter() - start
    (SITE / f"ours-{n}-map.html").write_text(html, encoding="utf-8")
    early = [s.gz_url for s in sources if s.role != "tile"]
    (SITE / f"ours-{n}.html").write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>ours</title><style>html,body{margin:0;'
        'height:100%;overflow:hidden}iframe{border:0;width:100%;height:100%;display:block}</style></head><body>'
        f"<script>{preload_script()}({json.dumps(early)}, {json.dumps(pack_worker_url())}, "
        f'{json.dumps(decoder_url())});</script><iframe src="ours-{n}-map.html"></iframe></body></html>',
        encoding="utf-8")
    first = sum(len(compressed(s.pack)) for s in sources if s.role != "tile")
    tiles = [s for s in sources if s.role == "tile"]
    return {"build": seconds, "html_bytes": len(html.encode()), "pack_bytes": first,
            "bytes": len(html.encode()) + first, "tiles": len(tiles),
            "tile_bytes": sum(len(compressed(s.pack)) for s in tiles), "peak_mib": peak_mib()}


# --------------------------------------------------------------------------- the local server


class Site:
    """``SITE`` at /, the vendored files at /vendor/ (gzipped as stored), the app-like static folder at
    /app/static/; counts the bytes it sends and notes every path asked for."""

    def __init__(self):
        self.sent = 0
        self.paths: list[str] = []
        site = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def translate_path(self, path):
                path = path.split("?")[0]
                if path.startswith("/app/static/"):
                    return str(SITE / "static" / path[len("/app/static/"):])
                return super().translate_path(path)

            def do_GET(self):
                site.paths.append(self.path)
                name = self.path.split("?")[0].removeprefix("/vendor/")
                if self.path.startswith("/vendor/") and name in VENDORED:
                    body = (VENDOR / f"{name}.gz").read_bytes()
                    self.send_response(200)
                    self.send_header("Content-Type", VENDORED[name])
                    self.send_header("Content-Encoding", "gzip")
                    self.send_header("Content-Length", str(len(body)))
                    self.send_header("Cache-Control", "no-store")
                    self.end_headers()
                    self.wfile.write(body)
                    site.sent += len(body)
                    return
                super().do_GET()

            def copyfile(self, source, outputfile):
                before = source.tell()
                super().copyfile(source, outputfile)
                site.sent += source.tell() - before

            def end_headers(self):
                self.send_header("Cache-Control", "no-store")
                super().end_headers()

            def log_message(self, *args):
                pass

        Handler.extensions_map = {**Handler.extensions_map, ".js": "text/javascript", ".wasm": "application/wasm",
                                  ".gz": "application/gzip"}
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(SITE)))
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def offline_lonboard(raw: str, origin: str) -> tuple[str, list[str]]:
    """lonboard's exported page with every CDN URL it uses pointed at ``origin``'s /vendor/; the URLs that
    were rewritten."""
    rewrites = [
        (r'<script src="https://cdnjs\.cloudflare\.com/ajax/libs/require\.js/[^"]+/require\.min\.js"[^>]*></script>',
         (f'<script src="{origin}/vendor/require.js"></script>'
          f'<script>require.config({{paths: {{anywidget: "{origin}/vendor/anywidget"}}}});</script>')),
        (r'<script src="https://cdn\.jsdelivr\.net/npm/@jupyter-widgets/html-manager@[^"]+/dist/embed-amd\.js"[^>]*>',
         f'<script src="{origin}/vendor/embed-amd.js">'),
        (r"https://cdn\.jsdelivr\.net/npm/parquet-wasm@\$\{\w+\}/esm/parquet_wasm_bg\.wasm",
         f"{origin}/vendor/parquet_wasm_bg.wasm"),
        (r"https://cdn\.jsdelivr\.net/npm/@geoarrow/geoarrow-js@[\d.]+/dist/earcut-worker\.min\.js",
         f"{origin}/vendor/earcut-worker.min.js"),
        # parquet-wasm 0.9.0, which lonboard 0.17.0's bundle fetches, is not on the npm registry reached here;
        # 0.8.0's .wasm (vendored) takes 124 of its 127 imports from the bundle's 0.9.0 glue as they are, and the
        # other three are the same functions under other hashes: the glue offers them under 0.8.0's names too
        *((rf"(__wbg_{name}_[0-9a-f]{{16}}):function\(([er,]*)\)\{{return {name}\(([er,]*)\)\}}",
           rf"\g<0>,__wbg_{name}_{old}:function(\2){{return {name}(\3)}}")
          for name, old in (("setTimeout", "3a808dd861dd3c12"), ("clearTimeout", "333bba87532ab9d3"),
                            ("fetch", "074561c3e313c86f"))),
    ]
    done = []
    for pattern, local in rewrites:
        raw, count = re.subn(pattern, local if "\\g<" in local else (lambda _, text=local: text), raw)
        done += [pattern] * count
    return raw, done


# --------------------------------------------------------------------------- browser

#: Run before the page's own scripts: note every WebGL draw call (when, how many vertices).
GL_WATCH = """
(() => {
  if (window.top !== window) { return; }
  // frames: [when the frame's first draw call came, draw calls, vertices, when the second frame after it began]
  const gl = window.__gl = {calls: 0, first: 0, last: 0, vertices: 0, frames: []};
  let frame = null;
  const wrap = (proto, name, count) => {
    const original = proto && proto[name];
    if (!original) { return; }
    proto[name] = function () {
      const now = performance.now();
      gl.calls++; gl.last = now; if (!gl.first) { gl.first = now; }
      const vertices = count(arguments) || 0;
      gl.vertices += vertices;
      if (!frame) {
        const mine = frame = [now, 0, 0, 0];
        if (gl.frames.length < 200) { gl.frames.push(mine); }
        // told to the script as it happens, as well: a page busy for minutes cannot be asked
        const tell = () => console.debug("__gl " + JSON.stringify({first: gl.first, calls: gl.calls, frames: gl.frames}));
        tell();
        requestAnimationFrame(() => { frame = null; requestAnimationFrame(() => { mine[3] = performance.now(); tell(); }); });
      }
      frame[1]++; frame[2] += vertices;
      return original.apply(this, arguments);
    };
  };
  for (const C of [window.WebGL2RenderingContext, window.WebGLRenderingContext]) {
    if (!C) { continue; }
    wrap(C.prototype, "drawArrays", (a) => a[2]);
    wrap(C.prototype, "drawElements", (a) => a[1]);
    wrap(C.prototype, "drawArraysInstanced", (a) => a[2] * a[3]);
    wrap(C.prototype, "drawElementsInstanced", (a) => a[1] * a[4]);
    wrap(C.prototype, "drawRangeElements", (a) => a[3]);
  }
})();
"""

WEBGL_PROBE = """() => { const c = document.createElement('canvas'); const gl = c.getContext('webgl2');
  if (!gl) { return 'no WebGL2'; } const d = gl.getExtension('WEBGL_debug_renderer_info');
  return d ? gl.getParameter(d.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER); }"""

QUIET_MS = 1500  # no draw call for this long before a picture is taken as the last one
STILL_S = 1.0  # and the picture the same this long after


def screenshot_state(page, timeout_ms: float) -> tuple[float, str]:
    """(share of pixels not white, digest) of a screenshot of the page."""
    from io import BytesIO

    from PIL import Image

    png = page.screenshot(type="png", timeout=timeout_ms)
    image = Image.open(BytesIO(png)).convert("L")
    counts = image.reduce(4).histogram()
    share = sum(counts[:250]) / max(1, sum(counts))
    return share, hashlib.sha256(image.tobytes()).hexdigest()


def ask(page, expression: str, timeout_ms: float = 10_000):
    """The JSON value of ``expression`` in the page; a Playwright timeout if the page does not answer in time
    (``page.evaluate`` waits as long as the page's main thread is busy: minutes while SwiftShader draws)."""
    return json.loads(page.wait_for_function(f"() => JSON.stringify({expression})", timeout=timeout_ms,
                                             polling=250).json_value())


def chromium_processes() -> dict[str, list[int]]:
    """This script's Chromium processes by kind ('browser', 'renderer', 'gpu-process', …), found in /proc from
    this process down (asking the browser over CDP waits, like the page, while the GPU process is busy)."""
    found: dict[str, list[int]] = {}
    todo = [os.getpid()]
    while todo:
        pid = todo.pop()
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{pid}/task").iterdir():  # a child may come from any thread
                with contextlib.suppress(OSError):
                    todo += [int(c) for c in (task / "children").read_text().split()]
            line = Path(f"/proc/{pid}/cmdline").read_bytes()  # a zygote's child rewrites it as one string
            if line.split(b"\0")[0].split(b" ")[0].endswith(b"/chromium"):
                kind = re.search(rb"--type=([\w-]+)", line)
                found.setdefault(kind.group(1).decode() if kind else "browser", []).append(pid)
    return found


def process_memory() -> dict:
    """Resident memory now and at peak (MiB) of the largest renderer and of the GPU process."""
    from bench.scale import rss_mib  # the project's helper, with ROOT on the path

    out = {}
    for kind, key in (("renderer", "renderer"), ("gpu-process", "gpu")):
        pids = chromium_processes().get(kind, [])
        out[key] = max((rss_mib(pid) for pid in pids), default=(NAN, NAN))
    return out


class MemoryWatch:
    """:func:`process_memory` every second in a thread of its own, the last reading kept: a browser ended
    because it stopped answering has no memory left to read."""

    def __init__(self):
        self.last: dict = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop.wait(1.0):
            reading = process_memory()
            if all(v[0] == v[0] for v in reading.values()):  # NaN: a process gone
                self.last = reading

    def close(self) -> dict:
        self.stop.set()
        self.thread.join()
        return self.last


def visit(playwright, site: Site, side: str, n: int, timeout: float, shot: Path | None) -> dict:
    """One visit in a browser of its own: navigation to drawn, memory, bytes, requests that left localhost."""
    sys.path.insert(0, str(ROOT))
    from bench.scale import READY_WATCH, WINDOW_SETTLE
    from tests.browser import launch_chromium, new_page

    before = set(chromium_processes().get("browser", []))
    browser = launch_chromium(playwright)
    browser_pid = next(iter(set(chromium_processes().get("browser", [])) - before), None)
    out = {"side": side, "status": "ok"}
    ended = []

    def end_browser() -> None:
        """The page and the browser stopped answering long after the time allowed: end the browser, so that
        the call waiting for them fails and the visit is recorded."""
        if browser_pid:
            ended.append(True)
            with contextlib.suppress(OSError):
                os.kill(browser_pid, 9)

    stuck = threading.Timer(timeout + 30, end_browser)
    stuck.daemon = True
    try:
        log = new_page(browser, {"width": WIDTH, "height": HEIGHT})
        page = log.page
        crashed = []
        page.on("crash", lambda *_: crashed.append(True))
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        progress = {}  # lonboard's draw calls as the page tells them (GL_WATCH)
        page.on("console", lambda m: progress.update(json.loads(m.text[5:])) if m.text.startswith("__gl ") else None)
        ready = f"w.cmdmap && w.cmdmap.drawn() >= {max(1, int(n * 0.5))}"
        page.context.add_init_script(GL_WATCH if side == "lonboard" else READY_WATCH % ready)
        page.goto("about:blank")
        page.wait_for_timeout(WINDOW_SETTLE * 1000)
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        site.sent, site.paths[:] = 0, []
        url = f"{site.origin}/{side}-{n}.html"
        start = time.perf_counter()
        stuck.start()
        memory = MemoryWatch()
        left = lambda: max(1.0, start + timeout - time.perf_counter()) * 1000
        try:
            page.goto(url, wait_until="commit", timeout=left())
            if side == "ours":
                page.wait_for_function("() => window.__readyAt", timeout=left(), polling=100)
                out["drawn"] = ask(page, "window.__readyAt - performance.timeOrigin", left()) / 1000
                page.wait_for_timeout(2000)
            else:
                candidate = None
                while True:
                    page.wait_for_function(  # draw calls stopped, and the browser has shown their frame
                        f"() => window.__gl && window.__gl.calls > 0 && performance.now() - window.__gl.last > "
                        f"{QUIET_MS} && window.__gl.frames[window.__gl.frames.length - 1][3] > 0",
                        timeout=left(), polling=250)
                    try:
                        calls, last = ask(page, "[window.__gl.calls, window.__gl.last]", min(20_000, left()))
                        share, digest = screenshot_state(page, min(20_000, left()))
                    except Exception as error:  # the page or the GPU process busy: look again
                        if "Timeout" not in str(error) or time.perf_counter() > start + timeout:
                            raise
                        candidate = None
                        continue
                    if share > 0.01 and candidate == (calls, digest):
                        gl = ask(page, "window.__gl", left())
                        out["drawn"] = gl["frames"][-1][3] / 1000  # the last drawing frame shown
                        out["last_draw_call"], out["draw_calls"] = last / 1000, calls
                        out["first_draw"] = gl["first"] / 1000
                        out["frames"] = [[round(f[0]), f[1], f[2], round(f[3])] for f in gl["frames"]][:20]
                        out["vertices"] = gl["vertices"]
                        out["painted_share"] = share
                        break
                    candidate = (calls, digest) if share > 0.01 else None
                    if time.perf_counter() > start + timeout:
                        raise TimeoutError
                    page.wait_for_timeout(STILL_S * 1000)
            metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
            out["js_heap_mib"] = metrics.get("JSHeapUsedSize", float("nan")) / 2**20
            out.update(process_memory())
            memory.close()
            if shot is not None:
                page.screenshot(path=str(shot), timeout=60_000)
        except Exception as error:  # noqa: BLE001 - a crash or a timeout is a result
            if ended:
                out["status"] = f"no picture in {timeout:.0f} s (the page stopped answering; browser ended)"
            elif crashed or "crash" in str(error).lower():
                out["status"] = "tab crashed"
            elif isinstance(error, TimeoutError) or "Timeout" in type(error).__name__ or "Timeout" in str(error):
                out["status"] = f"no picture in {timeout:.0f} s"
            else:
                out["status"] = f"failed: {type(error).__name__}: {str(error)[:200]}"
            out.update(memory.close())
            if progress.get("calls"):  # how far it got
                out["first_draw"] = progress["first"] / 1000
                out["frames"] = [[round(f[0]), f[1], f[2], round(f[3])] for f in progress["frames"]][:20]
        out["seconds_spent"] = time.perf_counter() - start
        out["bytes_sent"] = site.sent
        out["paths"] = sorted({p.split("?")[0] for p in site.paths})
        out["left_localhost"] = sorted({u for _, u in log.aborted})
        out["requests"] = len(requests)
        out["console_errors"] = log.console_errors[:5]
        if out["status"] == "ok":
            with contextlib.suppress(Exception):
                page.context.close()
    finally:
        stuck.cancel()
        # a renderer or GPU process stuck for minutes may hold the closing up: the browser is ended after a minute
        watchdog = threading.Timer(60, lambda: os.kill(browser_pid, 9)) if browser_pid else None
        if watchdog:
            watchdog.start()
        with contextlib.suppress(Exception):
            browser.close()
        if watchdog:
            watchdog.cancel()
    return out


# --------------------------------------------------------------------------- driver


def run_json(python: Path, *args: str, timeout: float = 3600) -> dict:
    """One worker in a fresh process of ``python`` (its memory its own); its JSON answer, or its failure."""
    try:
        done = subprocess.run([str(python), __file__, *args], cwd=ROOT, capture_output=True, text=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"{args[0]}: no answer in {timeout:.0f} s"}
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [f"exit {done.returncode}"]
        return {"error": f"{args[0]}: {tail[0][:300]} (exit {done.returncode})"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def ensure_venv() -> Path:
    """The compare venv's python, made and filled from ``bench/requirements-compare.txt`` if it lacks lonboard."""
    python = VENV / "bin" / "python"
    check = [str(python), "-c", "import lonboard, geopandas, pyarrow"]
    if python.exists() and subprocess.run(check, capture_output=True, check=False).returncode == 0:
        return python
    print(f"… making {VENV.relative_to(ROOT)}", file=sys.stderr, flush=True)
    subprocess.run(["python3", "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", str(REQUIREMENTS)], check=True)
    return python


def prepare_site() -> None:
    """``SITE``: its own static folder (the app's vendor and cmdmap linked, a cache of its own)."""
    static = SITE / "static"
    (static / "cache").mkdir(parents=True, exist_ok=True)
    for part in ("vendor", "cmdmap"):
        link = static / part
        if not link.exists():
            link.symlink_to(ROOT / "static" / part)


def colours() -> dict:
    """The product's colour of each closure status (fill with its opacity, outline, outline width)."""
    from geo.maps.layers import styles

    def rgb(text: str) -> list[int]:
        return [int(text[i:i + 2], 16) for i in (1, 3, 5)]

    return {code: [*rgb(s["fillColor"]), round(255 * s["fillOpacity"]), *rgb(s["color"]), 255, s["weight"]]
            for code, s in styles("closure").items()}


def leaflet_view(bounds: list[float]) -> dict:
    """deck.gl's view state showing what Leaflet's ``fitBounds`` shows in a WIDTH × HEIGHT map (whole zoom
    levels; deck.gl's zoom is Leaflet's less one, its world being 512 pixels wide at zoom 0, Leaflet's 256)."""
    import math

    minx, miny, maxx, maxy = bounds

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    dx, dy = (maxx - minx) / 360, (merc(maxy) - merc(miny)) / (2 * math.pi)
    zoom = math.floor(min(math.log2(WIDTH / (256 * dx)), math.log2(HEIGHT / (256 * dy))))
    lat = math.degrees(2 * math.atan(math.exp((merc(maxy) + merc(miny)) / 2)) - math.pi / 2)
    return {"longitude": (minx + maxx) / 2, "latitude": lat, "zoom": zoom - 1, "pitch": 0, "bearing": 0}


def measure(n: int, visits: int, lonboard_visits: int, timeout: float, lonboard_python: Path) -> dict:
    from playwright.sync_api import sync_playwright

    def note(what: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {n:,}: {what}", file=sys.stderr, flush=True)

    data = WORK / "data" / f"compounds-{n}.parquet"
    city = city_of(n)
    inputs = [p for p in (city / "compounds.geojson", city / "compound_status.csv") if p.exists()]
    if data.exists() and Path(f"{data}.json").exists() and all(data.stat().st_mtime > p.stat().st_mtime
                                                               for p in inputs):
        prep = {**json.loads(Path(f"{data}.json").read_text()), "cached": True}
    else:
        prep = run_json(Path(sys.executable), "prep", str(n), str(data))
        if "error" in prep:
            raise SystemExit(prep["error"])
    note(f"data ready {prep}")
    raw = WORK / f"lonboard-{n}.raw.html"
    raw.unlink(missing_ok=True)
    theirs = run_json(lonboard_python, "lonboard", str(data), str(raw), json.dumps(colours()),
                      json.dumps(leaflet_view(prep["bounds"])))
    note(f"lonboard exported {theirs}")
    ours = run_json(Path(sys.executable), "ours", str(data), str(n))
    note(f"ours built {ours}")
    out = {"n": n, "prep": prep, "theirs": theirs, "ours": ours, "visits": {"lonboard": [], "ours": []}}
    site = Site()
    try:
        if raw.exists():
            page, rewritten = offline_lonboard(raw.read_text(encoding="utf-8"), site.origin)
            (SITE / f"lonboard-{n}.html").write_text(page, encoding="utf-8")
            out["rewritten"] = len(rewritten)
            if len(set(rewritten)) < 7:  # lonboard's bundle changed: what it still fetches is listed below
                note(f"only {len(set(rewritten))} of the 7 rewrites of lonboard's page applied")
            del page
        drawing = raw.exists()
        with sync_playwright() as p:
            from tests.browser import launch_chromium

            browser = launch_chromium(p)
            out["webgl"] = browser.new_page().evaluate(WEBGL_PROBE)
            out["chromium"] = browser.version
            browser.close()
            for i in range(max(visits, lonboard_visits)):  # the two in turn, so that the machine's mood
                for side in ("lonboard", "ours"):            # weighs on both alike
                    if i >= (lonboard_visits if side == "lonboard" else visits) or (side == "lonboard" and not drawing):
                        continue
                    seen = visit(p, site, side, n, timeout, WORK / f"{side}-{n}.png" if i == 0 else None)
                    out["visits"][side].append(seen)
                    note(f"{side} visit {i + 1}: {json.dumps({k: v for k, v in seen.items() if k != 'paths'})}")
                    drawing = drawing and (side == "ours" or seen["status"] == "ok")  # it did not draw: once is the result
    finally:
        site.close()
    for page in (SITE / f"lonboard-{n}.html", raw):  # hundreds of MB at a million
        page.unlink(missing_ok=True)
    return out


#: This product's own figures in the app (Streamlit), from the latest tables of bench/README.md (their payload
#: holds the zone outlines too, which the plain pages here leave out).
APP_FIGURES = {
    100_000: ("`bench/scale.py --quick`, 2026-11-21", {
        "build": "1.46 s", "payload": "4.74 MB", "drawn": "2.45 s (return visit 1.37 s)",
        "memory": "app server 624 MiB"}),
    1_000_000: ("`bench/scale.py --nation`, run 3, 2026-12-06", {
        "build": "28.3 s", "payload": "3.4 MB (first view; all tiles 38.7 MB)", "drawn": "5.96 s (dots)",
        "memory": "app server 5,543 MiB"}),
}


def fmt(value: float, unit: str = "", digits: int = 2) -> str:
    return "—" if value != value else f"{value:,.{digits}f}{' ' + unit if unit else ''}"  # noqa: PLR0124 - NaN


def ratio(ours: float, theirs: float) -> str:
    from bench.scale import ratio as scale_ratio

    return "—" if ours != ours or theirs != theirs else scale_ratio(ours, theirs)  # noqa: PLR0124 - NaN


def drew(visits: list[dict]) -> list[dict]:
    return [v for v in visits if v["status"] == "ok"]


def median(visits: list[dict], key, only_drawn: bool = True) -> float:
    """The median of ``key`` (a name, or a function of a visit) over the visits (that drew)."""
    values = [key(v) if callable(key) else v.get(key, NAN) for v in (drew(visits) if only_drawn else visits)]
    values = [x for x in values if x == x]  # noqa: PLR0124 - NaN
    return statistics.median(values) if values else NAN


def report_size(row: dict) -> list[str]:
    n, theirs, ours = row["n"], row["theirs"], row["ours"]
    lv, ov = row["visits"]["lonboard"], row["visits"]["ours"]
    run, app = APP_FIGURES.get(n, ("", {}))
    lines = []

    def line(measure: str, a: str, b: str, r: str = "", c: str = "") -> None:
        lines.append(f"| {n:,} | {measure} | {a} | {b} | {r} | {c} |")

    tb, ob = theirs.get("build", NAN), ours.get("build", NAN)
    line("Python: map made and written (lonboard: layer + `to_html`; ours: packs written, layer, base map, "
         "update)", f"failed: {theirs['error']}" if "error" in theirs else
         f"{tb:.1f} s ({theirs['layer']:.1f} + {theirs['export']:.1f})", fmt(ob, "s", 1), ratio(ob, tb),
         app.get("build", "") + (f" ({run})" if run else ""))
    tiles = f", + {ours['tiles']} tiles {ours['tile_bytes'] / 1e6:.1f} MB as one zooms in" if ours.get("tiles") else ""
    line("what the page is sent: lonboard's HTML (gzipped) / ours: page, update and first packs (gzipped)",
         f"{fmt(theirs.get('bytes', NAN) / 1e6, 'MB', 1)} ({fmt(theirs.get('gz_bytes', NAN) / 1e6, 'MB', 1)})",
         fmt(ours.get("bytes", NAN) / 1e6, "MB", 1) + tiles, ratio(ours.get("bytes", 0), theirs.get("gz_bytes", 0)),
         app.get("payload", ""))
    ls, os_ = median(lv, "bytes_sent", False), median(ov, "bytes_sent", False)
    line("bytes the browser fetched in one visit, libraries included (as sent)", fmt(ls / 1e6, "MB", 1),
         fmt(os_ / 1e6, "MB", 1), ratio(os_, ls))
    failures = sorted({v["status"] for v in lv if v["status"] != "ok"})
    line("browser: visits that drew", (f"{len(drew(lv))} of {len(lv)}" if lv else "not run")
         + (f" ({'; '.join(failures)})" if failures else ""), f"{len(drew(ov))} of {len(ov)}")

    def spread(visits: list[dict]) -> str:
        times = [v["drawn"] for v in drew(visits)]
        return f" ({min(times):.2f}–{max(times):.2f})" if len(times) > 1 else ""

    ld, od = median(lv, "drawn"), median(ov, "drawn")
    line(f"browser: navigation to drawn (median of {len(drew(lv))} / {len(drew(ov))})",
         fmt(ld, "s") + spread(lv), fmt(od, "s") + spread(ov), ratio(od, ld), app.get("drawn", ""))
    first = median(lv, "first_draw", False)
    line("browser: lonboard's first WebGL draw call (its data parsed; what the GPU does after is not in it)",
         fmt(first, "s"), "", "", "")
    lh, oh = median(lv, "js_heap_mib"), median(ov, "js_heap_mib")
    line("browser: JS heap used after drawn", fmt(lh, "MiB", 0), fmt(oh, "MiB", 0), ratio(oh, lh))
    for key, what in (("renderer", "renderer process"), ("gpu", "GPU process (WebGL, SwiftShader)")):
        now = [median(visits, lambda v, k=key: v[k][0] if k in v else NAN, False) for visits in (lv, ov)]
        peak = [median(visits, lambda v, k=key: v[k][1] if k in v else NAN, False) for visits in (lv, ov)]
        line(f"browser: {what} resident after drawn (or at the end) / peak", f"{fmt(now[0], '', 0)} / {fmt(peak[0], 'MiB', 0)}",
             f"{fmt(now[1], '', 0)} / {fmt(peak[1], 'MiB', 0)}", ratio(peak[1], peak[0]),
             app.get("memory", "") if key == "renderer" else "")
    tp, op = theirs.get("peak_mib", NAN), ours.get("peak_mib", NAN)
    line("Python process's peak memory (making the map)", fmt(tp, "MiB", 0), fmt(op, "MiB", 0), ratio(op, tp))
    left = [sorted({u for v in visits for u in v["left_localhost"]}) for visits in (lv, ov)]
    line("requests that tried to leave 127.0.0.1", ", ".join(left[0]) or "none", ", ".join(left[1]) or "none")
    return lines


def report(rows: list[dict], command: str) -> str:
    from bench.scale import heading

    lines = heading(command, ["compounds", "measure", "lonboard", "ours (plain page, this run)", "ours / lonboard",
                              "ours in the app (bench/README.md)"], "rlrrrl")
    for row in rows:
        lines += report_size(row)
    for row in rows[:1]:
        lines += ["", (f"WebGL: {row.get('webgl')}; Chromium {row.get('chromium')}; lonboard "
                       f"{row['theirs'].get('version', '?')}.")]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(ROOT))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=CITIES)
    parser.add_argument("--visits", type=int, default=3, help="visits to our map at each size")
    parser.add_argument("--lonboard-visits", type=int, default=2,
                        help="visits to lonboard's below a million (one at a million and more, and none after one "
                             "that did not draw)")
    parser.add_argument("--timeout", type=float, default=420,
                        help="seconds a visit below a million may take to draw (SwiftShader: minutes at 100,000)")
    parser.add_argument("--timeout-large", type=float, default=300, help="the same at a million and more")
    parser.add_argument("--json", type=Path, help="also write the raw results there")
    parser.add_argument("--from-json", type=Path, help="measure nothing: the table of an earlier run's --json")
    args = parser.parse_args(argv)
    if args.from_json:
        print(report(json.loads(args.from_json.read_text()), f"bench/compare.py --from-json {args.from_json}"))
        return 0
    lonboard_python = ensure_venv()
    prepare_site()
    rows = []
    for n in args.sizes:
        large = n >= 1_000_000
        rows.append(measure(n, args.visits, 1 if large else args.lonboard_visits,
                            args.timeout_large if large else args.timeout, lonboard_python))
        if args.json:
            args.json.write_text(json.dumps(rows, indent=1, default=str))
    command = "bench/compare.py" + (f" {' '.join(argv if argv is not None else sys.argv[1:])}"
                                    if (argv if argv is not None else sys.argv[1:]) else "")
    print(report(rows, command))
    return 0


WORKERS = {"prep": worker_prep, "lonboard": worker_lonboard, "ours": worker_ours}

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in WORKERS:
        print(json.dumps(WORKERS[sys.argv[1]](*sys.argv[2:]), default=str))
    else:
        sys.exit(main())
