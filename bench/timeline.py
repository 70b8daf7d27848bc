"""The time line's step, in a real browser: from a click on 前一日/后一日 until the open map shows the other date.

For each size a demo city of three report days (``bench/scale.py``'s cities, kept in ``bench/out``) is
served; headless Chromium opens the compounds map, and each step is timed from the click until the
map's legend shows the counts of the new date (they arrive with the recoloured places, in one update).
Side by side, the way there was before the time line: opening the page's address with that date
(``?date=…``), timed until the legend shows it. The median of five of each, alternating.

Run from the project root (after ``./run.sh test`` has installed the packages and Chromium)::

    .venv/bin/python bench/timeline.py                 # 1,000 and 10,000 compounds
    .venv/bin/python bench/timeline.py --sizes 200     # a smoke run
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scale import prepare  # noqa: E402  (bench/ is no package: its scripts run as files)

STEPS = 5
TIMEOUT = 120.0


def legend_of(page) -> str | None:
    """The text of the map's legend, in whichever frame holds the map; None while there is none."""
    for frame in page.frames:
        try:
            if frame.locator(".cmdmap-legend").count():
                return frame.locator(".cmdmap-legend").inner_text()
        except Exception:  # a frame between two documents
            continue
    return None


def wait_for_change(page, before: str | None, start: float) -> float:
    """Seconds from ``start`` until the legend is there and differs from ``before``."""
    while time.perf_counter() < start + TIMEOUT:
        now = legend_of(page)
        if now is not None and now != before:
            return time.perf_counter() - start
        page.wait_for_timeout(10)
    return float("nan")


def measure(n: int) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.browser import VIEWPORT, launch_chromium, streamlit_server

    city, url, _ = prepare(n, days=3)
    env = {"CMDMAP_DATA_DIR": str(city), "CMDMAP_DATABASE_URL": url, "CMDMAP_BASEMAP": "none"}
    steps, reloads = [], []
    with streamlit_server(env, name=f"bench-timeline-{n}", timeout=600) as server, sync_playwright() as pw:
        browser = launch_chromium(pw)
        page = browser.new_context(viewport=VIEWPORT).new_page()
        page.goto(f"{server.base_url}/compounds", wait_until="commit")
        wait_for_change(page, None, time.perf_counter())
        page.wait_for_timeout(2000)
        for i in range(STEPS):
            name = "前一日" if i % 2 == 0 else "后一日"
            before = legend_of(page)
            start = time.perf_counter()
            page.get_by_role("button", name=name).click()
            steps.append(wait_for_change(page, before, start))
            page.wait_for_timeout(1000)
            date = page.evaluate("new URL(location.href).searchParams.get('date')")
            other = page.evaluate("document.location.href")
            before = legend_of(page)
            page.goto("about:blank")
            start = time.perf_counter()
            page.goto(other, wait_until="commit")
            reloads.append(wait_for_change(page, None, start))
            assert date and before, "the step left no date in the address"
            page.wait_for_timeout(1000)
        browser.close()
    return {"step": statistics.median(steps), "reload": statistics.median(reloads),
            "steps": steps, "reloads": reloads}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args(argv)
    print("| compounds | step to another date (time line) | opening the page at that date | ratio | target |")
    print("| ---: | ---: | ---: | ---: | --- |")
    for n in args.sizes:
        row = measure(n)
        print(f"| {n:,} | {row['step']:.2f} s | {row['reload']:.2f} s | {row['step'] / row['reload']:.3f} | "
              f"≤ 0.3 s at 10,000 |", flush=True)
        print(f"  steps {[round(s, 2) for s in row['steps']]}, reloads {[round(s, 2) for s in row['reloads']]}",
              file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
