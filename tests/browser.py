"""Browser-test helpers: a Streamlit server in a subprocess, an offline Chromium page, the map iframe.

Nothing here reaches the internet: every request that is not for 127.0.0.1 or
localhost is aborted and recorded, so a test can assert that only base-map tiles
(images) were attempted and that no script or stylesheet came from a CDN.

Environment
-----------
CHROMIUM_PATH
    The Chromium/Chrome executable (default ``/usr/bin/chromium``). The browser
    tests skip when it is missing, unless ``CI`` is set: then they fail.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, TypeVar
from urllib.parse import urlsplit

from tests.needs import unavailable

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
    # Chromium 156 gives every new window an address-bar popup that is a web page of its own: 1.3 s of CPU
    # per browser context on a two-core machine, taken from the page under test. Headless has no address bar.
    "--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
VIEWPORT = {"width": 1600, "height": 1000}
WAIT = 60.0  # seconds: a Streamlit rerun can take a few seconds on a small machine

T = TypeVar("T")


# --------------------------------------------------------------------------- chromium


def chromium_path() -> str | None:
    """The Chromium executable to use, or None when it is not there."""
    wanted = os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM
    if os.path.isfile(wanted) and os.access(wanted, os.X_OK):
        return wanted
    return shutil.which(wanted)


def require_chromium() -> str:
    """The Chromium path; skip the test when it is missing, but fail in CI (env ``CI`` set)."""
    path = chromium_path()
    if path:
        return path
    wanted = os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM
    reason = (f"Chromium not found at {wanted!r}: install it (Debian: apt-get install chromium) "
              "or set CHROMIUM_PATH")
    unavailable(reason)


def launch_chromium(playwright):
    """Launch the system Chromium headless with the offline-friendly flags."""
    return playwright.chromium.launch(executable_path=require_chromium(), args=CHROMIUM_ARGS, headless=True)


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


@dataclass
class PageLog:
    """What happened in one browser page: requests blocked, responses, dialogs, console errors."""

    page: object
    aborted: list[tuple[str, str]] = field(default_factory=list)  # (resource type, url)
    responses: list[tuple[int, str, str]] = field(default_factory=list)  # (status, url, frame url)
    dialogs: list[tuple[str, str]] = field(default_factory=list)  # (type, message)
    console_errors: list[str] = field(default_factory=list)

    def foreign_non_images(self) -> list[tuple[str, str]]:
        """Blocked requests that were not images: a script, stylesheet, font… wanted from outside."""
        return [(kind, url) for kind, url in self.aborted if kind != "image"]

    def responses_for(self, path: str) -> list[tuple[int, str, str]]:
        return [r for r in self.responses if urlsplit(r[1]).path == path]


def new_page(browser, viewport: dict | None = None, **device) -> PageLog:
    """A fresh context and page; every request off 127.0.0.1/localhost is aborted and recorded.

    ``device``: more options of the browser context (a phone: ``has_touch``, ``is_mobile``,
    ``device_scale_factor``).

    Dialogs (alert/confirm/prompt) are recorded and dismissed: a dialog means a
    script ran that should not have.
    """
    context = browser.new_context(viewport=viewport or VIEWPORT, locale="zh-CN", service_workers="block", **device)
    page = context.new_page()
    log = PageLog(page)

    def route(route):
        request = route.request
        if is_local(request.url):
            route.continue_()
        else:
            log.aborted.append((request.resource_type, request.url))
            route.abort("internetdisconnected")

    context.route("**/*", route)

    def on_response(response):
        try:
            frame_url = response.frame.url
        except Exception:  # noqa: BLE001 - a response of a frame already gone
            frame_url = ""
        log.responses.append((response.status, response.url, frame_url))

    page.on("response", on_response)

    def on_dialog(dialog):
        log.dialogs.append((dialog.type, dialog.message))
        with contextlib.suppress(Exception):
            dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda msg: log.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: log.console_errors.append(f"pageerror: {exc}"))
    return log


# --------------------------------------------------------------------------- streamlit server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    base_url: str
    process: subprocess.Popen
    stderr_path: Path
    stdout_path: Path

    def log_tail(self, chars: int = 6000) -> str:
        parts = []
        for path in (self.stderr_path, self.stdout_path):
            with contextlib.suppress(OSError):
                text = path.read_text(encoding="utf-8", errors="replace")
                parts.append(f"--- {path.name} ---\n{text[-chars:]}")
        return "\n".join(parts)


def _healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (OSError, urllib.error.URLError):
        return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    # as a service manager would (systemd: 90 s): a server writes its dataset's snapshot as it stops (ui.warmup)
    for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


@contextlib.contextmanager
def streamlit_server(env: dict[str, str], name: str = "server", timeout: float = WAIT,
                     log_dir: Path = ARTIFACTS, script: str = "serve.py", port: int | None = None,
                     root: Path = ROOT) -> Iterator[Server]:
    """Run ``streamlit run serve.py`` (the app behind its web-server gate) from the project root until the block ends.

    ``script`` runs another file instead (``app.py``: the app without the gate, which refuses to show anything).
    ``port``: that port (a server started again where the last one was), else a free one.
    ``root``: another checkout of the project to serve (a benchmark's code before a change).

    ``env`` is laid over a copy of ``os.environ`` from which every ``CMDMAP_*``
    variable was removed, so only the settings given here apply. The server's
    stderr and stdout go to ``<log_dir>/<name>.stderr.log`` / ``.stdout.log``.
    Waits for ``/_stcore/health`` to answer ``ok``; the whole process group is
    killed afterwards.
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    base_url = f"http://127.0.0.1:{port}"
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CMDMAP_")}
    full_env.update({"PYTHONUNBUFFERED": "1", "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"})
    full_env.update(env)
    stderr_path, stdout_path = log_dir / f"{name}.stderr.log", log_dir / f"{name}.stdout.log"
    with open(stderr_path, "wb") as err, open(stdout_path, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
            cwd=root, env=full_env, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
            start_new_session=True,  # its own process group, killed as a whole
        )
    server = Server(base_url, process, stderr_path, stdout_path)
    try:
        deadline = time.monotonic() + timeout
        while not _healthy(base_url):
            if process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {process.returncode} before it was healthy\n"
                                   f"{server.log_tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit not healthy at {base_url} after {timeout:.0f} s\n{server.log_tail()}")
            time.sleep(0.3)
        yield server
    finally:
        _stop(process)


# --------------------------------------------------------------------------- waiting and the map


def _shown(page) -> str:
    """What ``page`` shows, for a wait that timed out: a failure in CI then says where the page was."""
    if page is None:
        return ""
    try:
        text = page.evaluate("document.body ? document.body.innerText : ''")
    except Exception as exc:  # noqa: BLE001 - a closed or navigating page: say so instead
        return f"\nthe page could not be read: {exc!r}"
    return f"\nthe page at {page.url} shows:\n{' / '.join(line for line in text.splitlines() if line.strip())[:1500]}"


def poll(check: Callable[[], T], what: str, timeout: float = WAIT, interval: float = 0.25, page=None) -> T:
    """Call ``check`` until it returns something truthy; exceptions count as 'not yet'.

    With ``page``, the wait between two calls is ``page.wait_for_timeout``, so that Playwright keeps
    handling the page's events (routes, frames attaching) meanwhile.
    """
    deadline = time.monotonic() + timeout
    last_error: BaseException | None = None
    while True:
        try:
            value = check()
            if value:
                return value
        except Exception as exc:  # noqa: BLE001 - frames detach and re-attach during reruns
            last_error = exc
        if time.monotonic() > deadline:
            detail = f" (last error: {last_error!r})" if last_error else ""
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}{detail}{_shown(page)}")
        if page is not None:
            page.wait_for_timeout(interval * 1000)
        else:
            time.sleep(interval)


def evaluate(frame, function: str, arg=None, timeout: float = 5.0):
    """``frame.evaluate(function, arg)`` that gives up after ``timeout`` seconds.

    Playwright's ``evaluate`` and ``locator.count`` wait for the frame's execution context with no time limit:
    a frame whose document never comes, or a page that stalls, hung a test until pytest-timeout stopped it
    (7 minutes, twice in CI). ``wait_for_function`` has a limit; its predicate here is always truthy (the value
    is wrapped in a list), so it returns at once whenever the frame can run a script: ``evaluate(frame,
    "(n) => n + 1", 1)`` is 2.
    """
    handle = frame.wait_for_function(f"(arg) => [({function})(arg)]", arg=arg, timeout=timeout * 1000)
    try:
        return handle.json_value()[0]
    finally:
        with contextlib.suppress(Exception):
            handle.dispose()


def map_frames(page) -> list:
    """Every frame holding a Leaflet map (streamlit-folium nests the map in an iframe)."""
    found = []
    for frame in page.frames:
        # a frame with no document yet (no URL, or about:blank before its src loads) has no execution context:
        # skipped rather than waited for
        if frame.is_detached() or frame.url in ("", "about:blank"):
            continue
        with contextlib.suppress(Exception):
            if evaluate(frame, "() => document.querySelector('.leaflet-container') !== null", timeout=2):
                found.append(frame)
    return found


def drawn(frame) -> int:
    """How many places the map's canvas layers drew last (``static/cmdmap/fastlayer.js``)."""
    return evaluate(frame, "() => window.cmdmap ? window.cmdmap.drawn() : 0")


def highlighted(frame) -> int:
    """How many places the map outlines as just changed (the wall's highlight)."""
    return evaluate(frame, "() => window.cmdmap ? window.cmdmap.highlighted() : 0")


def map_frame(page, paths: int = 1, timeout: float = WAIT):
    """The frame holding the Leaflet map once at least ``paths`` places are drawn."""
    def ready():
        for frame in map_frames(page):
            if drawn(frame) >= paths:
                return frame
        return None

    return poll(ready, f"a Leaflet map with at least {paths} places drawn", timeout=timeout)


def hit_points(frame, limit: int = 500) -> list[dict]:
    """A point on each clickable place shown (one the map's own hit test resolves to that place), in
    *page* coordinates (the iframe's offset added), ready for ``page.mouse``; each with the place's
    ``id`` and layer ``key``."""
    points = evaluate(frame, "(limit) => window.cmdmap ? window.cmdmap.points(limit) : []", limit)
    box = frame.frame_element().bounding_box() if frame.parent_frame else {"x": 0, "y": 0}
    if box is None:
        return []
    return [dict(p, x=p["x"] + box["x"], y=p["y"] + box["y"]) for p in points]


def no_exception(page) -> bool:
    return page.locator('[data-testid="stException"]').count() == 0


def exception_text(page) -> str:
    loc = page.locator('[data-testid="stException"]')
    return "\n".join(loc.nth(i).inner_text() for i in range(loc.count()))


def app_idle(page) -> bool:
    """True when Streamlit has run the page's script at least once and is not running it now.

    The app's root says where its script is (``data-test-script-state``: ``initial`` until the first run has
    begun); without that, a page whose connection was still opening looked idle (on a slow CI machine a test read
    the overview's tiles before they were drawn).
    """
    started = '[data-testid="stApp"]:not([data-test-script-state="initial"]):not([data-test-script-state="running"])'
    return page.locator(started).count() > 0 and page.locator('[data-testid="stStatusWidget"]').count() == 0


def settle(page, seconds: float = 1.0) -> None:
    """Wait until Streamlit has stayed idle (see :func:`app_idle`) for ``seconds``."""
    page.wait_for_timeout(300)
    poll(lambda: app_idle(page), "Streamlit to finish running the script")
    page.wait_for_timeout(int(seconds * 1000))
    poll(lambda: app_idle(page), "Streamlit to finish running the script")


# every tile's label and value, read in one go (a rerun replacing the tiles cannot interleave with the reading)
_READ_TILES = """() => [...document.querySelectorAll('[data-testid="stMetric"]')].map(m => [
  m.querySelector('[data-testid="stMetricLabel"]').innerText.trim(),
  m.querySelector('[data-testid="stMetricValue"]').innerText.trim()])"""


def metric_tiles(page, least: int) -> dict[str, str]:
    """The tiles (``st.metric``) the page shows, label → value: at least ``least`` of them, read while Streamlit is
    idle and alike twice running. Reading tile by tile, a CI run met a rerun halfway and read five of six."""
    readings: list = []

    def steady():
        if not app_idle(page):
            return None
        readings.append(page.evaluate(_READ_TILES))
        now = readings[-1]
        return dict(now) if len(readings) > 1 and readings[-2] == now and len(now) >= least else None

    return poll(steady, f"at least {least} tiles, read alike twice", page=page)


def assert_no_exception(page) -> None:
    assert no_exception(page), f"Streamlit shows an exception:\n{exception_text(page)}"


# Keeps every text the sidebar shows, from the page's first moment (an init script): a text seen for a
# split second is kept too. Read it with sidebar_texts(page).
SIDEBAR_RECORDER = """
window.__sidebarTexts = [];
new MutationObserver(() => {
  const bar = document.querySelector('[data-testid="stSidebar"]');
  const text = bar ? bar.innerText : '';
  const seen = window.__sidebarTexts;
  if (text && seen[seen.length - 1] !== text) seen.push(text);
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def sidebar_texts(page) -> list[str]:
    """Every text the sidebar showed since the page (or its last reload) began, in order (see SIDEBAR_RECORDER)."""
    return page.evaluate("window.__sidebarTexts || []")


def raw_page_names(texts: list[str]) -> set[str]:
    """The file names of pages/ (and ``app``) that stand alone as a line in any of ``texts``: never to be shown."""
    raw = {path.stem for path in (ROOT / "pages").glob("*.py")} | {"app"}
    return {line.strip() for text in texts for line in text.splitlines()} & raw


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=False)
    return path


# --------------------------------------------------------------------------- shared fixture bodies
# Each browser test module wraps these in its own fixtures:
#     browser = pytest.fixture(scope="module")(chromium_session)
#     @pytest.fixture
#     def open_page(browser, request): yield from page_opener(browser, request)


def chromium_session() -> Iterator:
    """One headless Chromium for a module (skips, or fails in CI, before any server is started)."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def report_failure(request, opened: list[tuple[Server, PageLog]]) -> None:
    """A screenshot of each page and the server log tail, printed under the failed test."""
    for n, (server, log) in enumerate(opened):
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        with contextlib.suppress(Exception):  # the page may be gone
            screenshot(log.page, f"FAILED-{name}-{n}.png")
        reporter = request.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("")
            reporter.write_sep("-", f"{request.node.name}: page {log.page.url}")
            reporter.write_line(f"blocked requests: {log.aborted[:20]}")
            reporter.write_line(f"console errors: {log.console_errors[:20]}")
            reporter.write_line(f"dialogs: {log.dialogs}")
            reporter.write_sep("-", "streamlit server log (tail)")
            reporter.write_line(server.log_tail())


def page_opener(browser, request, default_path: str = "", default_viewport: dict | None = None, **device) -> Iterator:
    """Yield ``open(server, path, viewport)`` -> PageLog with the page loading; diagnostics on failure.

    ``device``: options of every page's browser context (see :func:`new_page`)."""
    opened: list[tuple[Server, PageLog]] = []
    failed_before = request.session.testsfailed

    def _open(server, path: str | None = None, viewport: dict | None = None, init_script: str | None = None):
        log = new_page(browser, viewport or default_viewport, **device)
        opened.append((server, log))
        if init_script is not None:  # runs in every document of the page before the app's own scripts
            log.page.add_init_script(init_script)
        log.page.goto(server.base_url + (default_path if path is None else path), wait_until="domcontentloaded")
        return log

    yield _open
    if request.session.testsfailed > failed_before:
        report_failure(request, opened)
    for _, log in opened:
        log.page.context.close()
