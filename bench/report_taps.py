"""What one tap of 与昨日相同 costs the server (issue #21), side by side with another checkout.

For each checkout (``--before``, the code before a change, and this one) it fills a store of the demo city with
that checkout's own code, makes one grid officer for the zone with the most places not reported on the day being
reported, and serves the city with logins required. A headless Chromium on a phone's screen (390x844, touch)
logs in through the form, opens 今日填报 and taps 与昨日相同 on the first place not reported, ``--taps`` times
one after the other; for each tap it times the tap until the page counts the report ("已报告 N/M" one more)
and the page is idle, and reads the server's CPU seconds (the server and its children, ``/proc``) around it.

    git worktree add --detach /tmp/before main
    .venv/bin/python bench/report_taps.py --before /tmp/before --taps 8
"""

from __future__ import annotations

import argparse
import re
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from officers import PHONE, cpu_seconds, tree  # noqa: E402  (bench/officers.py)
from playwright.sync_api import sync_playwright  # noqa: E402

from bench.seed import run_in  # noqa: E402
from tests.browser import app_idle, launch_chromium, new_page, poll, streamlit_server  # noqa: E402
from tests.demo_store import DEMO_DATA  # noqa: E402

OUT = ROOT / "bench" / "out"
PROGRESS = re.compile(r"已报告 (\d+)/(\d+)")

#: The demo city stored by the checkout's own code, and an officer for the zone with most places left to report.
SETUP = """
import datetime, sys
from geo.accounts import Scope, auth
from geo.analysis import report_days
from geo.settings import Settings
from geo.store import load_store
from geo.upload import open_city, places_to_report, reporting_day, reports_today
url, data, name, password = sys.argv[1:5]
engine = open_city(url, data)
ds = load_store(engine)
day = reporting_day(report_days(ds, Settings().complete_share), datetime.date.today())
places = reports_today(engine, places_to_report(ds, None), day)
waiting = places.loc[places["reported_at"].isna()]
zone = waiting["zone"].value_counts().index[0]
auth.add_user(auth.SYSTEM, engine, name, "officer", password)
auth.set_scope(auth.SYSTEM, engine, name, Scope("zone", (zone,)))
print(zone, int((waiting["zone"] == zone).sum()))
"""


def progress(page) -> tuple[int, int] | None:
    found = PROGRESS.search(page.evaluate("() => document.body ? document.body.innerText : ''"))
    return (int(found.group(1)), int(found.group(2))) if found else None


def idle(page) -> None:
    """Until the script's run has ended (no running indicator), then a moment for the page to draw."""
    page.wait_for_timeout(200)
    poll(lambda: app_idle(page), "the run's end", timeout=30, interval=0.1, page=page)


def taps(browser, root: Path, label: str, count: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix=f"cmdmap-taps-{label}-"))
    url = f"sqlite:///{folder / 'store.sqlite'}"
    password = secrets.token_urlsafe(12)
    zone, waiting = run_in(root, SETUP, url, str(DEMO_DATA), "bench-officer", password).stdout.split()
    if int(waiting) < count:
        raise SystemExit(f"zone {zone} has {waiting} places left to report, fewer than --taps {count}")
    env = {"CMDMAP_DATA_DIR": str(DEMO_DATA), "CMDMAP_DATABASE_URL": url, "CMDMAP_BASEMAP": "none",
           "CMDMAP_REQUIRE_LOGIN": "true"}
    times, cpu = [], []
    with streamlit_server(env, name=f"taps-{label}", log_dir=OUT, root=root, timeout=120) as server:
        log = new_page(browser, PHONE, has_touch=True, is_mobile=True, device_scale_factor=2)
        page = log.page
        page.goto(server.base_url + "/report", wait_until="domcontentloaded")
        page.get_by_label("用户名", exact=True).fill("bench-officer", timeout=120_000)
        page.get_by_label("密码", exact=True).fill(password)
        page.get_by_role("button", name="登录").tap()
        poll(lambda: progress(page) is not None, "the list of places", timeout=120, interval=0.05, page=page)
        idle(page)
        for _ in range(count):
            done, _total = progress(page)
            button = page.locator('[class*="st-key-daily_same_"] button').first
            before, start = cpu_seconds(tree(server.process.pid)), time.monotonic()
            button.tap()
            poll(lambda: (progress(page) or (0, 0))[0] == done + 1, f"report {done + 1} counted", timeout=120,
                 interval=0.05, page=page)
            idle(page)
            times.append(time.monotonic() - start)
            cpu.append(cpu_seconds(tree(server.process.pid)) - before)
        page.context.close()
    return {"zone": zone, "times": times, "cpu": cpu}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="another checkout: the code before a change")
    parser.add_argument("--taps", type=int, default=8, help="taps of 与昨日相同, one after the other")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    rows = {}
    with sync_playwright() as p:
        browser = launch_chromium(p)
        for label, root in (("before", args.before.resolve()), ("after", ROOT)):
            rows[label] = taps(browser, root, label, args.taps)
            print(f"  {label}: {rows[label]}", file=sys.stderr, flush=True)
        browser.close()
    print(f"| demo city, zone {rows['after']['zone']}, {args.taps} taps | tap to counted and idle, median (s) | "
          "server CPU per tap, median (s) | server CPU per tap, mean (s) |")
    print("| --- | ---: | ---: | ---: |")
    for label, found in rows.items():
        print(f"| {label} | {statistics.median(found['times']):.2f} | {statistics.median(found['cpu']):.2f} | "
              f"{statistics.mean(found['cpu']):.2f} |")
    after, before = rows["after"], rows["before"]
    print(f"| after / before | {statistics.median(after['times']) / statistics.median(before['times']):.2f} | "
          f"{statistics.median(after['cpu']) / statistics.median(before['cpu']):.2f} | "
          f"{statistics.mean(after['cpu']) / statistics.mean(before['cpu']):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
