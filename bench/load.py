"""Load test on loopback: many screens on the overview and the wall while staff upload.

    python bench/load.py [--sessions 20] [--minutes 5] [--upload-every 60] [--refresh 60] [--min-uploads 0]
    python bench/load.py --sessions 50 --screen-browsers 10        # the crowd of issue #22
    python bench/load.py --sessions 50 --screen-browsers 10 --app-root /tmp/before --reload   # its baseline
    python bench/load.py --officers 200 --minutes 10 --sessions 10 [--at-once 3] [--refresh 30]

One streamlit server on the demo city (a fresh store in a temporary folder), half the screens on
the overview, half on the wall display, and a ``python -m geo import`` of the next day's compound
report every ``--upload-every`` seconds. A screen is a headless Chromium context, or with
``--screen-browsers N`` all but N speak the WebSocket protocol themselves (:class:`ProtocolScreen`):
fifty screens' browsers would draw on the server's own two cores, where each wall's runs on its own
machine. Nobody reloads: every page follows new data by itself
(``ui/follow.py``), the wall besides at its own refresh; the time from the end of each import
until each page shows the new date is recorded. Errors are anything a user would notice (an exception on a page,
a script error, a dialog, an HTTP 5xx, a lost connection, a failed import, a page
that never shows the new data). With ``--min-uploads N`` the run goes on past its minutes
until N imports were made and shown (a slow machine makes fewer in the same time). The server's memory (RSS) is sampled every few
seconds; it levels off when the mean of the last third of the run is within 10 %
(+ 20 MiB) of the middle third.

Prints a table; exits 0 when there were no errors and memory levelled off.

With ``--officers N`` it runs the officers' form instead (bench/officers.py): N grid officers log in
on phones and report their places through 今日填报 over the minutes while ``--sessions`` wall and
leader screens stay open; every report must be stored and every screen show the new count.
``--json FILE`` also writes the figures (tests/test_load.py reads them).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from memory import Sampled, memory_rows, rss_mib, table  # noqa: E402  (bench/memory.py)
from officers import officers_json, officers_report, run_officers  # noqa: E402  (bench/officers.py)

from geo.store import newest_version_time  # noqa: E402
from geo.store.engine import connect  # noqa: E402
from tests.browser import launch_chromium, new_page, streamlit_server  # noqa: E402
from tests.streamlit_client import RawSession, browser_cookies  # noqa: E402
from tests.uploads import next_day_report  # noqa: E402

OUT = ROOT / "bench" / "out"
AS_OF = "数据截至 {date}"
DATE_SHOWN = re.compile(AS_OF.format(date=r"(\d{4}-\d{2}-\d{2})").encode("utf-8"))


@dataclass
class Session:
    kind: str  # "overview" or "wall"
    log: object  # tests.browser.PageLog
    waiting_since: float | None = None  # the epoch time an import's version was written; the page has not shown it yet


@dataclass
class Result(Sampled):
    sessions: int
    minutes: float
    uploads: int = 0
    errors: list[str] = field(default_factory=list)
    latency: dict[str, list[float]] = field(default_factory=lambda: {"overview": [], "wall": []})
    rss: list[tuple[float, float]] = field(default_factory=list)  # (seconds since start, MiB)

    @property
    def ok(self) -> bool:
        return not self.errors and self.levels_off and self.uploads > 0


def next_day_file(url: str, folder: Path) -> tuple[Path, str]:
    """The newest day's compound reports again, one day later (some compounds sealed): the next upload."""
    day, _, new = next_day_report(url)
    day.loc[day.index[: len(day) // 10], "closure"] = "sealed"
    path = folder / f"compound_status_{new}.csv"
    day.to_csv(path, index=False, encoding="utf-8")
    return path, new


class ProtocolScreen:
    """A screen left open without a browser: the page's run over the WebSocket protocol, then its timed runs asked
    for on their own clocks (:meth:`tests.streamlit_client.RawSession.listen`), on a thread of its own. A
    screen's browser draws on the screen's own machine, not on the server's two cores."""

    def __init__(self, kind: str, base_url: str, reload: bool = False):
        self.kind, self.base_url, self.reload = kind, base_url, reload
        self.waiting_since: float | None = None
        self.dates: dict[str, float] = {}  # every date shown as the data's date, and when it was first (epoch s)
        self.problems: list[str] = []
        self._again = threading.Event()  # ask for the page again (a leader's reload, --reload)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> ProtocolScreen:
        self._thread.start()
        return self

    def _run(self) -> None:
        page, query = ("wall", "kiosk=1") if self.kind == "wall" else ("", "")
        try:
            while not self._stop.is_set():  # a reload is a new session, as in a browser
                self._again.clear()
                with RawSession(self.base_url,
                                cookies=browser_cookies(self.base_url, "/wall?kiosk=1" if query else "/")) as session:
                    self._listen(session, page, query)
        except Exception as exc:  # noqa: BLE001 - a lost connection is what the run must report
            if not self._stop.is_set():
                self.problems.append(f"{self.kind}: connection lost: {exc!r}"[:200])

    def _listen(self, session: RawSession, page: str, query: str) -> None:
        self._look(session.run(page, query, timeout=300).encode("utf-8"))
        while not self._stop.is_set() and not self._again.is_set():
            for message in session.listen(0.5, page):
                self._look(message.SerializeToString())
                if message.WhichOneof("type") == "delta" and \
                        message.delta.new_element.WhichOneof("type") == "exception":
                    self.problems.append(f"{self.kind}: Streamlit exception on the page")

    def _look(self, data: bytes) -> None:
        now = time.time()
        for date in DATE_SHOWN.findall(data):
            self.dates.setdefault(date.decode(), now)

    def seen_at(self, date: str) -> float | None:
        """When the screen first showed ``date`` as the data's date (epoch seconds), or None."""
        return self.dates.get(date)

    def forget(self) -> None:
        self.dates.clear()

    def ask_again(self) -> None:
        self._again.set()

    def errors(self) -> list[str]:
        found, self.problems = self.problems, []
        return found

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


def page_errors(session: Session, seen: dict[int, int]) -> list[str]:
    """New problems on a page since the last look."""
    log, page = session.log, session.log.page
    found = []
    console = [e for e in log.console_errors if "pageerror" in e or "WebSocket" in e]
    fresh = console[seen.get(id(log), 0):]
    seen[id(log)] = len(console)
    found += [f"{session.kind}: {e[:160]}" for e in fresh]
    found += [f"{session.kind}: HTTP {s} {u}" for s, u, _ in log.responses if s >= 500]
    log.responses.clear()
    found += [f"{session.kind}: dialog {d}" for d in log.dialogs]
    log.dialogs.clear()
    try:
        state = page.evaluate("""() => [document.querySelectorAll('[data-testid="stException"]').length,
            document.body.innerText.includes('Connection error') || document.body.innerText.includes('连接错误')]""")
    except Exception as exc:  # noqa: BLE001 - a page that cannot be asked is an error too
        return found + [f"{session.kind}: page not responding: {exc!r}"[:200]]
    if state[0]:
        found.append(f"{session.kind}: Streamlit exception on the page")
    if state[1]:
        found.append(f"{session.kind}: connection lost")
    return found


# A browser screen notes itself when it first shows each date (epoch seconds), every 250 ms: the bench's loop then
# reads the note, and its own pace (one round of ten browsers and forty screens takes seconds on two busy cores)
# is not counted in the times, as it was until 2026-12-06.
NOTE_DATES_JS = """(() => {
  if (window.top !== window) return;
  window.__seen = {};
  setInterval(() => {
    const found = document.body ? document.body.innerText.matchAll(/数据截至 (\\d{4}-\\d{2}-\\d{2})/g) : [];
    for (const match of found) if (!(match[1] in window.__seen)) window.__seen[match[1]] = Date.now() / 1000;
  }, 250);
})();"""


def seen_at(session: Session | ProtocolScreen, date: str) -> float | None:
    """When a screen first showed ``date`` as the data's date (epoch seconds), or None."""
    if isinstance(session, ProtocolScreen):
        return session.seen_at(date)
    try:
        return session.log.page.evaluate("(date) => (window.__seen || {})[date] || null", date)
    except Exception:  # noqa: BLE001 - between reruns the page may be busy
        return None


def forget_dates(session: Session | ProtocolScreen) -> None:
    """A date counts when shown once its import has started."""
    if isinstance(session, ProtocolScreen):
        session.forget()
        return
    try:
        session.log.page.evaluate("() => { window.__seen = {}; }")
    except Exception:  # noqa: BLE001 - a page mid-rerun: its note of the old date is harmless
        pass


def written_at(url: str) -> float:
    """When the store's newest version was written (epoch seconds)."""
    engine = connect(url)
    try:
        return newest_version_time(engine).timestamp()
    finally:
        engine.dispose()


def run(sessions: int, minutes: float, upload_every: float, refresh: int, data: Path, quiet: bool = False,
        min_uploads: int = 0, browsers: int | None = None, app_root: Path = ROOT, reload: bool = False,
        build_spacing: int | None = None) -> Result:
    from playwright.sync_api import sync_playwright

    from geo.accounts import auth
    from geo.upload import open_city

    result = Result(sessions, minutes)
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))
    folder = Path(tempfile.mkdtemp(prefix="cmdmap-load-"))
    url = f"sqlite:///{folder / 'store.sqlite'}"
    engine = open_city(url, data)
    auth.add_user(auth.SYSTEM, engine, "loader", "staff", "load-test-2020")
    engine.dispose()
    env = {"CMDMAP_DATA_DIR": str(data), "CMDMAP_DATABASE_URL": url, "CMDMAP_BASEMAP": "none",
           "CMDMAP_WALL_REFRESH_SECONDS": str(refresh), "CMDMAP_BACKUP_KEEP": "3",
           # the run imports the compounds' next day alone and times every client seeing it: any day counts
           # (a day waiting for its sites is tested in tests/test_partial_day.py)
           "CMDMAP_COMPLETE_SHARE": "0",
           **({} if build_spacing is None else {"CMDMAP_BUILD_SPACING_SECONDS": str(build_spacing)})}
    cli_env = {**{k: v for k, v in os.environ.items() if not k.startswith("CMDMAP_")}, **env}  # the imports' own
    OUT.mkdir(parents=True, exist_ok=True)
    # The day the demo city's morning of phone reports began is completed before any screen opens: the pages show
    # it already (any day counts), so its import would be timed as shown at once by every screen that looks.
    path, _ = next_day_file(url, folder)
    subprocess.run([sys.executable, "-m", "geo", "import", "compound_status", str(path), "--user", "loader"],
                   cwd=ROOT, env=cli_env, check=True, capture_output=True)
    browsers = sessions if browsers is None else browsers
    with streamlit_server(env, name="load-server", log_dir=OUT, timeout=120, root=app_root) as server, \
            sync_playwright() as pw:
        browser = launch_chromium(pw)
        open_sessions, screens = [], []
        for i in range(sessions):
            kind = "wall" if i % 2 else "overview"
            if i >= browsers:
                screens.append(ProtocolScreen(kind, server.base_url, reload and kind == "overview").start())
                continue
            log = new_page(browser, {"width": 1280, "height": 800})
            log.page.add_init_script(NOTE_DATES_JS)
            log.page.goto(server.base_url + ("/wall?kiosk=1" if kind == "wall" else "/"), wait_until="domcontentloaded")
            open_sessions.append(Session(kind, log))
        everyone = [*open_sessions, *screens]
        start = time.monotonic()
        end = start + minutes * 60
        next_upload = start + min(upload_every, minutes * 60 / 3)
        next_sample = start
        importing = None
        new_date = None
        seen: dict[int, int] = {}
        deadline = refresh * 2 + 90  # seconds a page may take to show an upload

        def owed() -> bool:  # fewer imports than asked for, and none went wrong
            return result.uploads < min_uploads and not result.errors

        def more() -> bool:  # another import may start
            return time.monotonic() < end - 10 or owed()

        while time.monotonic() < end or owed() or importing or any(
                s.waiting_since for s in everyone):
            now = time.monotonic()
            if now >= next_sample:
                result.rss.append((now - start, rss_mib(server.process.pid)))
                next_sample = now + 5
                for session in open_sessions:
                    result.errors += page_errors(session, seen)
                for screen in screens:
                    result.errors += screen.errors()
            if importing is None and now >= next_upload and more() and not any(
                    s.waiting_since for s in everyone):
                path, new_date = next_day_file(url, folder)
                for session in everyone:
                    forget_dates(session)
                importing = subprocess.Popen(
                    [sys.executable, "-m", "geo", "import", "compound_status", str(path), "--user", "loader"],
                    cwd=ROOT, env=cli_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                next_upload = now + upload_every
            if importing is not None and importing.poll() is not None:
                output = importing.communicate()[0]
                if importing.returncode != 0:
                    result.errors.append(f"import failed ({importing.returncode}): "
                                         + " ".join(output.split())[-300:])
                else:
                    result.uploads += 1
                    written = written_at(url)  # the times are from the version's writing, not the command's end
                    say(f"[{time.monotonic() - start:6.1f}s] imported {new_date}")
                    for session in everyone:
                        session.waiting_since = written
                    if reload:  # the overview asked for again, as a leader reloads a page that does not follow
                        for session in open_sessions:
                            if session.kind == "overview":
                                session.log.page.goto(server.base_url + "/", wait_until="commit")
                        for screen in screens:
                            if screen.reload:
                                screen.ask_again()
                importing = None
            for session in everyone:
                if session.waiting_since is None:
                    continue
                if (shown := seen_at(session, new_date)) is not None:
                    result.latency[session.kind].append(max(0.0, shown - session.waiting_since))
                    session.waiting_since = None
                elif time.time() - session.waiting_since > deadline:
                    result.errors.append(f"{session.kind}: {new_date} not shown after {deadline} s")
                    session.waiting_since = None
            if open_sessions:
                open_sessions[0].log.page.wait_for_timeout(250)  # let the browser work between looks
            else:
                time.sleep(0.25)
        result.rss.append((time.monotonic() - start, rss_mib(server.process.pid)))
        for session in open_sessions:
            result.errors += page_errors(session, seen)
        for screen in screens:
            screen.stop()
            result.errors += screen.errors()
        browser.close()
    return result


def report(result: Result, refresh: int) -> str:
    def spread(values: list[float]) -> str:
        if not values:
            return "-"
        return f"median {statistics.median(values):.1f} s, max {max(values):.1f} s (n={len(values)})"

    rows = [
        ("sessions", f"{result.sessions} ({(result.sessions + 1) // 2} overview, {result.sessions // 2} wall)"),
        ("duration", f"{result.minutes:g} min"),
        ("uploads (CLI imports)", str(result.uploads)),
        ("errors", str(len(result.errors)) + ("" if not result.errors else ": " + "; ".join(result.errors[:5]))),
        ("overview: new data by itself", spread(result.latency["overview"])),
        (f"wall: new data by itself (refresh {refresh} s)", spread(result.latency["wall"])),
        *memory_rows(result.rss),
        ("verdict", "PASS" if result.ok else "FAIL"),
    ]
    return table(rows, result.rss)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20, help="screens, half overview, half wall (default 20)")
    parser.add_argument("--minutes", type=float, default=5.0, help="duration (default 5)")
    parser.add_argument("--upload-every", type=float, default=60.0, help="seconds between imports (default 60)")
    parser.add_argument("--refresh", type=int, default=60, help="the wall's refresh in seconds (default 60)")
    parser.add_argument("--build-spacing", type=int,
                        help="seconds at least between two builds of new versions by the server (the setting "
                        "build_spacing_seconds; default: the setting's default)")
    parser.add_argument("--min-uploads", type=int, default=0,
                        help="go on past --minutes until this many imports were made and shown (default 0)")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="the city (default: the demo, data/)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--screen-browsers", type=int, help="this many of the sessions in Chromium, the others "
                        "speak the WebSocket protocol themselves (default: every one a browser)")
    parser.add_argument("--app-root", type=Path, default=ROOT,
                        help="serve the app of this checkout (a baseline run side by side; default: this one)")
    parser.add_argument("--reload", action="store_true",
                        help="after each import ask for the overview again, as a leader reloads a page that does "
                        "not follow new data (the baseline before ui/follow.py)")
    parser.add_argument("--officers", type=int, default=0,
                        help="the officers' form: this many grid officers report from phones (default 0: off)")
    parser.add_argument("--at-once", type=int, default=3, help="officers' visits open at once (default 3)")
    parser.add_argument("--phone-browsers", type=int, help="officers' form: this many officers visit through "
                        "Chromium, the others speak the WebSocket protocol themselves (default: every one a browser)")
    parser.add_argument("--cap", type=float, help="officers' form: visits still queued this many minutes after "
                        "the start are not made (default: every visit is made)")
    args = parser.parse_args(argv)
    if args.officers:
        figures = run_officers(args.officers, args.minutes, args.sessions, args.at_once, args.refresh, args.data,
                               args.cap, phone_browsers=args.phone_browsers)
        print(officers_report(figures, args.refresh))
        if args.json:
            args.json.write_text(json.dumps(officers_json(figures), indent=2), encoding="utf-8")
        return 0 if figures.ok else 1
    result = run(args.sessions, args.minutes, args.upload_every, args.refresh, args.data,
                 min_uploads=args.min_uploads, browsers=args.screen_browsers, app_root=args.app_root,
                 reload=args.reload, build_spacing=args.build_spacing)
    print(report(result, args.refresh))
    if args.json:
        args.json.write_text(json.dumps({
            "sessions": result.sessions, "minutes": result.minutes, "uploads": result.uploads,
            "errors": result.errors, "latency": result.latency, "rss": result.rss,
            "levels_off": result.levels_off, "ok": result.ok}, indent=2), encoding="utf-8")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
