"""The first visit after a restart and after an import (issue #22, item 1), side by side with another checkout.

For each checkout (``--before``, the code before a change, and this one) it serves a generated city of
``--size`` compounds from a store of its own (the same files, stored unchecked by that checkout's code), and
in headless Chromium times from navigation to the compounds map drawn (half its places, as
``bench/scale.py`` does), or with ``--page overview`` the overview's map, drawn after its figures:

1. the first visit after the server started, ``--settle`` seconds after it answered its health check (what a
   leader meets on the morning after a restart: the server has been up a while, nobody has visited yet). A
   server that ran before wrote the snapshot of its store's last version as it stopped (``geo.store.snapshot``),
   and the start reads it: each copy of the store gets that snapshot, written by the checkout's code, unless
   ``--first-start`` (a store's very first start, as after an upgrade: no snapshot, the store read whole);
2. the first visit after an import (ten compounds' reports of the newest date corrected, a new data version,
   as a clerk's upload makes one), ``--settle`` seconds after the import was stored;
3. the visit after that one, for reference (everything cached).

Each of these visits is a new browser context, so the browser caches nothing. The same three are then timed in
one browser that came before, as a leader's who opens the app every day: it has Streamlit's scripts and the
packs of the version it saw. It visits once (the server's caches already made), then, ``--settle`` seconds
after a second import, makes the first visit after it; the server is stopped (writing the snapshot of that
version as it stops) and started again on the same port, and the browser makes the first visit after the
restart and the visit after it. Run it from the project root::

    git worktree add --detach /tmp/before main
    .venv/bin/python bench/first_visit.py --size 100000 --before /tmp/before

Without ``--before`` it times this checkout alone.
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from briefing import city_folder  # noqa: E402  (bench/briefing.py: the generated cities)
from playwright.sync_api import sync_playwright  # noqa: E402
from scale import open_window, time_to_drawn, timed_visit  # noqa: E402  (bench/scale.py: timed visits)

from bench.seed import run_in, seed_in  # noqa: E402
from tests.browser import free_port, launch_chromium, streamlit_server  # noqa: E402

OUT = ROOT / "bench" / "out"
PAGES = {"compounds": "/compounds", "overview": "/"}  # --page: the path visited, its map drawn

#: Ten compounds of the newest date sealed, imported by the checkout's own code as the system account.
IMPORT = """
import sys
from geo.accounts import SYSTEM
from geo.store import open_store
from geo.upload import check_file, commit
engine = open_store(sys.argv[1])
check = check_file(engine, "compound_status", open(sys.argv[2], "rb").read(), "correction.csv")
assert not check.problems, [p.en for p in check.problems]
print(commit(engine, check, SYSTEM, confirmed=True).version)
"""

#: The snapshot a server that served the store before wrote as it stopped, by the checkout's own code.
SNAPSHOT = """
import sys
from geo.store import open_store, read_store, write_snapshot
engine = open_store(sys.argv[1])
write_snapshot(engine, read_store(engine))
"""


def correction(city: Path, out: Path, skip: int = 0) -> Path:
    """Ten compounds' reports of the city's newest date (after the first ``skip``), each sealed: a small upload
    that makes a new version."""
    with open(city / "compound_status.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    newest = max(row["date"] for row in rows)
    chosen = [row for row in rows if row["date"] == newest][skip:skip + 10]
    for row in chosen:
        row["closure"] = "sealed" if row["closure"] != "sealed" else "controlled"
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(chosen[0]))
    writer.writeheader()
    writer.writerows(chosen)
    path = out / f"first-visit-correction-{skip}.csv"
    path.write_text(text.getvalue(), encoding="utf-8")
    return path


def visits(browser, root: Path, store: Path, city: Path, fixes: list[Path], n: int, settle: float, label: str,
           path: str = "/compounds") -> dict:
    drawn = f"w.cmdmap && w.cmdmap.drawn() >= {max(1, int(n * 0.5))}"
    env = {"CMDMAP_DATABASE_URL": f"sqlite:///{store}", "CMDMAP_DATA_DIR": str(city), "CMDMAP_BASEMAP": "none"}
    found, port = {}, free_port()
    returning = open_window(browser, drawn)  # one browser that keeps what it fetched, as a leader's
    try:
        with streamlit_server(env, name=f"first-visit-{label}", log_dir=OUT, root=root, timeout=300,
                              port=port) as server:
            page = f"{server.base_url}{path}"
            time.sleep(settle)
            found["restart"] = time_to_drawn(browser, page, drawn, 600)
            run_in(root, IMPORT, f"sqlite:///{store}", str(fixes[0]))
            time.sleep(settle)
            found["import"] = time_to_drawn(browser, page, drawn, 600)
            found["again"] = time_to_drawn(browser, page, drawn, 120)
            timed_visit(returning, page, 120)  # the browser comes a first time: it keeps the app's scripts
            returning.goto("about:blank")
            run_in(root, IMPORT, f"sqlite:///{store}", str(fixes[1]))
            time.sleep(settle)
            found["import, returning"] = timed_visit(returning, page, 600)
            returning.goto("about:blank")
        # stopped as a service is, it wrote the snapshot of its version: the start reads it
        with streamlit_server(env, name=f"first-visit-{label}-again", log_dir=OUT, root=root, timeout=300,
                              port=port):
            time.sleep(settle)
            found["restart, returning"] = timed_visit(returning, page, 600)
            returning.goto("about:blank")
            found["again, returning"] = timed_visit(returning, page, 120)
    finally:
        returning.context.close()
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="compounds of the generated city")
    parser.add_argument("--before", type=Path, help="another checkout: the code before a change (none: this one only)")
    parser.add_argument("--settle", type=float, default=30.0,
                        help="seconds between the server's start (or the import) and the visit")
    parser.add_argument("--page", choices=sorted(PAGES), default="compounds",
                        help="the page visited: the compounds map (default) or the overview, whose map waits for its "
                        "figures and their small trends")
    parser.add_argument("--first-start", action="store_true",
                        help="no snapshot of a run before: the store's very first start (it is read whole)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    city = city_folder(args.size, args.out)
    fixes = [correction(city, args.out, skip) for skip in (0, 10)]
    rows = {}
    with sync_playwright() as p:
        browser = launch_chromium(p)
        sides = ([("before", args.before.resolve())] if args.before else []) + [("after", ROOT)]
        for label, root in sides:
            # stored once per checkout and kept; each run imports into a copy: the same data every time
            kept = args.out / f"briefing-{args.size}-{label}.sqlite"  # shared with bench/briefing.py
            seed_in(root, kept, city)
            store = args.out / f"first-visit-{args.size}-{label}.sqlite"
            store.unlink(missing_ok=True)
            with sqlite3.connect(kept) as source, sqlite3.connect(store) as copy:
                source.backup(copy)
            shutil.rmtree(f"{store}.snapshot", ignore_errors=True)  # an earlier run's, of a version this copy lacks
            if not args.first_start:
                run_in(root, SNAPSHOT, f"sqlite:///{store}")
            rows[label] = visits(browser, root, store, city, fixes, args.size, args.settle, label, PAGES[args.page])
            print(f"  {label}: {rows[label]}", file=sys.stderr, flush=True)
        browser.close()
    start = "its very first start" if args.first_start else "a restart"
    print(f"| {args.page}, {args.size:,} compounds, {args.settle:.0f} s after | first visit after {start} (s) | "
          "first visit after an import (s) | the visit after it (s) |")
    print("| --- | ---: | ---: | ---: |")
    for browser_kind, said in (("", "a new browser"), (", returning", "a browser that came before")):
        for label, found in rows.items():
            print(f"| {label}, {said} | {found['restart' + browser_kind]:.2f} | {found['import' + browser_kind]:.2f} "
                  f"| {found['again' + browser_kind]:.2f} |")
        if "before" not in rows:
            continue
        after, before = rows["after"], rows["before"]
        ratios = " | ".join(f"{after[m + browser_kind] / before[m + browser_kind]:.3f}"
                            for m in ("restart", "import", "again"))
        print(f"| after / before, {said} | {ratios} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
