"""The time line's step, in a real browser: from a click on 前一日/后一日 until the open map shows the other date.

For each size a demo city of three report days (``bench/scale.py``'s cities, kept in ``bench/out``) is
served; headless Chromium opens the compounds map and steps back and forth. Each step is timed in the page,
from the click event until

- **map shown**: the first frame drawn after the map's legend changed (the places are recoloured in the
  same update as the legend, before it);
- **page followed**: the first frame drawn after the page's rerun for the new date reached the map (its
  full update, with the tooltips), i.e. the whole page is on the new date.

With ``--before DIR`` (another checkout of the project, e.g. ``git worktree add --detach DIR main``) the
same city is served from both checkouts at once and the steps alternate between the two pages, so that
both see the same machine (it is shared: only the ratios mean much). The median of ``--steps`` each.

Run from the project root (after ``./run.sh test`` has installed the packages and Chromium)::

    .venv/bin/python bench/timeline.py                          # 10,000 compounds
    .venv/bin/python bench/timeline.py --sizes 10000 100000 --before /tmp/main
    .venv/bin/python bench/timeline.py --sizes 200 --steps 2    # a smoke run
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scale import prepare  # noqa: E402  (bench/ is no package: its scripts run as files)

TIMEOUT = 120.0

# In the map's frame: when the legend changed and when a full update (one with tooltips: a rerun's, not a
# step's glimpse) arrived, each as the time of the next animation frame (epoch milliseconds).
WATCH_MAP = """() => {
  if (window.__bench || !window.cmdmap) { return !!window.__bench; }
  var bench = window.__bench = {legend: [], full: []};
  var now = function () { return performance.timeOrigin + performance.now(); };
  var framed = function (list) { requestAnimationFrame(function () { list.push(now()); }); };
  var body = document.querySelector('.cmdmap-legend-body');
  if (!body) { window.__bench = null; return false; }
  new MutationObserver(function () { framed(bench.legend); })
    .observe(body, {childList: true, subtree: true, characterData: true});
  var update = window.cmdmap.update;
  window.cmdmap.update = function (message) {
    var out = update.apply(this, arguments);
    if ((message.states || []).some(function (s) { return s.fields; })) { framed(bench.full); }
    return out;
  };
  return true;
}"""
WATCH_CLICKS = """() => {
  if (window.__benchClicks) { return; }
  window.__benchClicks = [];
  document.addEventListener('click', function (e) {
    window.__benchClicks.push(performance.timeOrigin + e.timeStamp);  // when the click happened, whoever runs first
  }, true);
}"""


def map_frame(page):
    """The frame that holds the map (``window.cmdmap``), or None while there is none."""
    for frame in page.frames:
        with contextlib.suppress(Exception):  # a frame between two documents
            if frame.evaluate("() => !!window.cmdmap && !!document.querySelector('.cmdmap-legend-body')"):
                return frame
    return None


def open_map(page, url: str):
    """Open the compounds map at ``url`` and wait until it is drawn and watched; its frame."""
    page.goto(url, wait_until="commit")
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        frame = map_frame(page)
        if frame is not None and frame.evaluate(WATCH_MAP):
            page.evaluate(WATCH_CLICKS)
            page.wait_for_timeout(2000)  # the page settles (its last elements, the glimpses)
            return frame
        page.wait_for_timeout(100)
    raise RuntimeError(f"no map at {url}")


def step(page, frame, name: str) -> tuple[float, float]:
    """Click ``name`` (前一日/后一日); seconds from the click until the map shows the date and until the page's
    rerun reached the map."""
    frame.evaluate("() => { window.__bench.legend = []; window.__bench.full = []; }")
    page.evaluate("() => { window.__benchClicks = []; }")
    page.get_by_role("button", name=name).click()
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        marks = frame.evaluate("() => window.__bench")
        if marks["full"] and marks["legend"]:
            break
        page.wait_for_timeout(20)
    else:
        return float("nan"), float("nan")
    clicked = page.evaluate("() => window.__benchClicks[0]")
    page.wait_for_timeout(1000)
    return (min(marks["legend"]) - clicked) / 1000, (min(marks["full"]) - clicked) / 1000


def measure(n: int, steps: int, before: Path | None) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.browser import VIEWPORT, launch_chromium, streamlit_server

    city, url, _ = prepare(n, days=3)
    env = {"CMDMAP_DATA_DIR": str(city), "CMDMAP_DATABASE_URL": url, "CMDMAP_BASEMAP": "none"}
    roots = {"after": ROOT, **({"before": before} if before else {})}
    with contextlib.ExitStack() as stack, sync_playwright() as pw:
        servers = {label: stack.enter_context(streamlit_server(env, name=f"bench-timeline-{label}-{n}", timeout=600,
                                                               root=root))
                   for label, root in roots.items()}
        browser = launch_chromium(pw)
        pages = {}
        for label, server in servers.items():
            page = browser.new_context(viewport=VIEWPORT).new_page()
            pages[label] = (page, open_map(page, f"{server.base_url}/compounds"))
            print(f"  {label}: the map of {n:,} compounds is open", file=sys.stderr, flush=True)
        times: dict[str, list[tuple[float, float]]] = {label: [] for label in servers}
        for i in range(steps):
            for label, (page, frame) in pages.items():
                times[label].append(step(page, frame, "前一日" if i % 2 == 0 else "后一日"))
                print(f"  {label} step {i}: {times[label][-1][0]:.2f} s / {times[label][-1][1]:.2f} s", file=sys.stderr,
                      flush=True)
        browser.close()
    return {label: {"shown": statistics.median(s for s, _ in rows), "followed": statistics.median(f for _, f in rows),
                    "all": rows} for label, rows in times.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    parser.add_argument("--steps", type=int, default=7)
    parser.add_argument("--before", type=Path, help="another checkout served side by side (the code before)")
    args = parser.parse_args(argv)
    print("| compounds | code | map shown (median) | page followed (median) | target |")
    print("| ---: | --- | ---: | ---: | --- |")
    for n in args.sizes:
        rows = measure(n, args.steps, args.before)
        for label, row in sorted(rows.items(), reverse=True):
            print(f"| {n:,} | {label} | {row['shown']:.2f} s | {row['followed']:.2f} s | ≤ 0.3 s at 10,000 |",
                  flush=True)
            print(f"  {label}: shown {[round(s, 2) for s, _ in row['all']]}, "
                  f"followed {[round(f, 2) for _, f in row['all']]}", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
