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

Each visit is a new browser context, so the browser caches nothing. Run it from the project root::

    git worktree add --detach /tmp/before main
    .venv/bin/python bench/first_visit.py --size 100000 --before /tmp/before
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
from scale import time_to_drawn  # noqa: E402  (bench/scale.py: one timed visit)

from bench.seed import run_in, seed_in  # noqa: E402
from tests.browser import launch_chromium, streamlit_server  # noqa: E402

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


def correction(city: Path, out: Path) -> Path:
    """Ten compounds' reports of the city's newest date, each sealed: a small upload that makes a new version."""
    with open(city / "compound_status.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    newest = max(row["date"] for row in rows)
    chosen = [row for row in rows if row["date"] == newest][:10]
    for row in chosen:
        row["closure"] = "sealed" if row["closure"] != "sealed" else "controlled"
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(chosen[0]))
    writer.writeheader()
    writer.writerows(chosen)
    path = out / "first-visit-correction.csv"
    path.write_text(text.getvalue(), encoding="utf-8")
    return path


def visits(browser, root: Path, store: Path, city: Path, fix: Path, n: int, settle: float, label: str,
           path: str = "/compounds") -> dict:
    drawn = f"w.cmdmap && w.cmdmap.drawn() >= {max(1, int(n * 0.5))}"
    env = {"CMDMAP_DATABASE_URL": f"sqlite:///{store}", "CMDMAP_DATA_DIR": str(city), "CMDMAP_BASEMAP": "none"}
    found = {}
    with streamlit_server(env, name=f"first-visit-{label}", log_dir=OUT, root=root, timeout=300) as server:
        page = f"{server.base_url}{path}"
        time.sleep(settle)
        found["restart"] = time_to_drawn(browser, page, drawn, 600)
        run_in(root, IMPORT, f"sqlite:///{store}", str(fix))
        time.sleep(settle)
        found["import"] = time_to_drawn(browser, page, drawn, 600)
        found["again"] = time_to_drawn(browser, page, drawn, 120)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="compounds of the generated city")
    parser.add_argument("--before", type=Path, required=True, help="another checkout: the code before a change")
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
    fix = correction(city, args.out)
    rows = {}
    with sync_playwright() as p:
        browser = launch_chromium(p)
        for label, root in (("before", args.before.resolve()), ("after", ROOT)):
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
            rows[label] = visits(browser, root, store, city, fix, args.size, args.settle, label, PAGES[args.page])
            print(f"  {label}: {rows[label]}", file=sys.stderr, flush=True)
        browser.close()
    start = "its very first start" if args.first_start else "a restart"
    print(f"| {args.page}, {args.size:,} compounds, {args.settle:.0f} s after | first visit after {start} (s) | "
          "first visit after an import (s) | the visit after it (s) |")
    print("| --- | ---: | ---: | ---: |")
    for label, found in rows.items():
        print(f"| {label} | {found['restart']:.2f} | {found['import']:.2f} | {found['again']:.2f} |")
    after, before = rows["after"], rows["before"]
    print(f"| after / before | {after['restart'] / before['restart']:.3f} | "
          f"{after['import'] / before['import']:.3f} | {after['again'] / before['again']:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
