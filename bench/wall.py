"""The wall display turning through its views on a big store: how long one refresh holds the page, side by side
with another checkout.

For each SQLite store given (``bench/scale.py --keep-stores`` leaves ``bench/out/store-<size>.sqlite`` and its
``city-<size>`` folder), each checkout serves ``/wall?kiosk=1`` (refreshing and turning every 5 s) to a headless
Chromium at 1920 × 1080, in turns (before, now, before, now, …). Once the map has drawn, the wall turns through
``--refreshes`` views, each drawing another layer with its statuses. Two figures per visit:

- **longest piece of work**: the map's own measure (``window.cmdmap.longestUpdate()``), the longest time one
  refresh's update, or one slice of a drawing that goes on after it, ran without letting the page do anything
  else;
- **longest task**: the browser's own (a ``PerformanceObserver`` of ``longtask`` in the page: any task of more
  than 50 ms in the page or its map, Streamlit's included), "<50" when there was none.

Run from the project root, with the code before a change checked out beside it::

    git worktree add --detach /tmp/before main
    .venv/bin/python bench/wall.py --before /tmp/before bench/out/store-100000.sqlite
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import launch_chromium, map_frame, streamlit_server  # noqa: E402

REFRESH = 5  # seconds between two refreshes and two turns of the wall (its minimum)
OUT = ROOT / "bench" / "out"

#: In the page: every long task from now on, with its length.
WATCH_LONG_TASKS = """() => {
  window.__longTasks = [];
  new PerformanceObserver((list) => { list.getEntries().forEach((e) => window.__longTasks.push(e.duration)); })
    .observe({type: "longtask"});
  return true;
}"""


def city_of(store: Path) -> Path:
    """The demo-shaped folder a store of ``bench/scale.py`` was filled from (``store-N.sqlite`` → ``city-N``)."""
    return store.with_name(store.name.removeprefix("store-").removesuffix(".sqlite").join(("city-", "")))


def visit(browser, base_url: str, refreshes: int) -> tuple[float, float]:
    """(longest piece of work, longest long task) in ms over ``refreshes`` refreshes of a wall just opened."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    try:
        page.goto(f"{base_url}/wall?kiosk=1")
        try:
            frame = map_frame(page, timeout=600)
        except AssertionError:  # never drawn: no figure
            return float("nan"), float("nan")
        page.evaluate(WATCH_LONG_TASKS)
        page.wait_for_timeout(int((refreshes * REFRESH + 2) * 1000))
        longest_task = max(page.evaluate("window.__longTasks"), default=0.0)
        return frame.evaluate("window.cmdmap.longestUpdate()"), longest_task
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stores", nargs="+")
    parser.add_argument("--before", help="another checkout (git worktree) to run side by side")
    parser.add_argument("--rounds", type=int, default=3, help="visits of each checkout, in turns")
    parser.add_argument("--refreshes", type=int, default=6, help="refreshes watched in each visit")
    parser.add_argument("--city", help="the data folder the stores were filled from (default: city-<size> beside)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    checkouts = [("before", Path(args.before).resolve())] if args.before else []
    checkouts.append(("now", ROOT))
    print("| store | checkout | longest piece of work (ms, each visit) | median | longest task (ms, each visit) |")
    print("| --- | --- | --- | ---: | --- |")
    with sync_playwright() as p:
        browser = launch_chromium(p)
        for path in args.stores:
            store = Path(path).resolve()
            env = {"CMDMAP_DATABASE_URL": f"sqlite:///{store}", "CMDMAP_DATA_DIR": args.city or str(city_of(store)),
                   "CMDMAP_BASEMAP": "none", "CMDMAP_WALL_REFRESH_SECONDS": str(REFRESH),
                   "CMDMAP_WALL_ROTATE_SECONDS": str(REFRESH)}
            seen = {name: [] for name, _ in checkouts}
            for _ in range(args.rounds):
                for name, checkout in checkouts:
                    with streamlit_server(env, name=f"bench-wall-{name}", log_dir=OUT, root=checkout) as server:
                        seen[name].append(visit(browser, server.base_url, args.refreshes))
            for name, _ in checkouts:
                work = [w for w, _ in seen[name]]
                tasks = ", ".join(f"{t:.0f}" if t else "<50" for _, t in seen[name])
                print(f"| {store.name} | {name} | {', '.join(f'{w:.0f}' for w in work)} | "
                      f"{statistics.median(work):.0f} | {tasks} |", flush=True)
            if args.before:
                ratio = statistics.median(w for w, _ in seen["now"]) / statistics.median(w for w, _ in seen["before"])
                print(f"| {store.name} | now / before | | {ratio:.3f} | |", flush=True)
        browser.close()


if __name__ == "__main__":
    main()
