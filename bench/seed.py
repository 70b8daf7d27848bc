"""First start: how long filling a new store from the data folder takes, unchecked (as it was) and through the
upload's checks (as it is), side by side in one run.

*unchecked* is what ``geo.store.seed.seed_from_folder`` did until the data folder went through the checks: each
file read (:func:`geo.io.read_layer` / :func:`geo.io.read_table`) and stored as it was read
(:func:`geo.store.apply_rows`). *checked* is :func:`geo.upload.seed_from_folder`: each file checked as an upload
(datum, shapes, ids against the places, the diff) and committed by the system account.

Each city is seeded ``--repeat`` times into a new SQLite store per run, the ways taking turns; the table
gives the medians. Run it from the project root::

    .venv/bin/python bench/seed.py                          # the shipped demo (data/) and a 10,000-compound city
    .venv/bin/python bench/seed.py --sizes 0 --repeat 3     # the shipped demo only
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo import store  # noqa: E402  (the project root is put on the path first)
from geo.demo import write_city  # noqa: E402
from geo.domain import TABLES, layer_tables, report_tables  # noqa: E402
from geo.io import read_layer, read_table  # noqa: E402
from geo.upload import seed_from_folder  # noqa: E402

UNLIMITED = 2**62  # rows a file may have when a bench stores it as read


def seed_unchecked(engine, folder: Path, keep_notes: bool = True) -> None:
    """The seeding before the checks: every file stored as read, whatever was wrong with it.

    ``keep_notes=False`` drops what the reader notes per feature (``attrs``) before storing: pandas copies
    them at every step, which the seeding before the checks paid and the check no longer does.
    """
    for kind in (*layer_tables(), *report_tables()):
        path = folder / TABLES[kind].file
        if not path.exists():
            continue
        content = path.read_bytes()
        # no limit of rows: a generated city's daily reports (100,000 compounds' fourteen days are 1.4 million
        # rows) were refused by the upload's limit and nothing of them stored, so its maps showed no reports
        if TABLES[kind].geometry:
            frame, _ = read_layer(content, kind, name=path.name, max_rows=UNLIMITED)
        else:
            frame = read_table(content, kind, name=path.name, max_rows=UNLIMITED).frame
        if not keep_notes:
            frame.attrs = {}
        store.apply_rows(engine, kind, frame, "system", "seed", path.name, content, rows_in_file=len(frame))


SEED_UNCHECKED = """
import sys
from pathlib import Path
from bench.seed import seed_unchecked
from geo.store import open_store
seed_unchecked(open_store(sys.argv[1]), Path(sys.argv[2]), keep_notes=False)
"""


def run_in(root: Path, script: str, *args: str) -> subprocess.CompletedProcess:
    """``script`` run by a new Python in the checkout ``root`` (the code before a change, or this one); its error
    output shown when it fails."""
    done = subprocess.run([sys.executable, "-c", script, *args], cwd=root, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{root}: {done.stderr[-3000:]}")
    return done


def seed_in(root: Path, path: Path, city: Path) -> None:
    """The SQLite store ``path`` filled from ``city`` unchecked by the code of the checkout ``root``, unless it
    exists (kept from an earlier run): a store holds the schema of the code that made it, and older code
    refuses a newer schema, so each checkout of a side-by-side run reads a store of its own."""
    if not path.exists():
        run_in(root, SEED_UNCHECKED, f"sqlite:///{path}", str(city))


def seed_checked(engine, folder: Path) -> None:
    reading = seed_from_folder(engine, folder)
    if reading is None or reading.refused:
        raise SystemExit(f"{folder}: not every file passed the checks: {reading and reading.refused}")


def timed(seed, folder: Path, scratch: Path) -> float:
    url = f"sqlite:///{scratch / f'store-{time.monotonic_ns()}.sqlite'}"
    engine = store.open_store(url)  # the schema is made before the clock starts: both ways need it
    start = time.perf_counter()
    seed(engine, folder)
    elapsed = time.perf_counter() - start
    engine.dispose()
    return elapsed


def rows_in(folder: Path) -> int:
    return sum(len(read_layer((folder / TABLES[k].file).read_bytes(), k)[0]) for k in layer_tables()) + sum(
        len(read_table((folder / TABLES[k].file).read_bytes(), k).frame) for k in report_tables())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 10_000],
                        help="compounds of each generated city; 0 is the shipped demo in data/ (200)")
    parser.add_argument("--days", type=int, default=2, help="days of reports of a generated city")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    lines = ["| city | rows stored | unchecked, as it was | unchecked, reader's notes dropped | through the checks "
             "| ratio to as it was | ratio to notes dropped |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        for size in args.sizes:
            if size:
                folder = scratch / f"city-{size}"
                write_city(folder, compounds=size, days=args.days)
                name = f"{size:,} compounds, {args.days} days"
            else:
                folder, name = ROOT / "data", "demo (data/, 200 compounds, 14 days)"
            ways = {"unchecked": seed_unchecked, "lean": lambda e, f: seed_unchecked(e, f, keep_notes=False),
                    "checked": seed_checked}
            runs = {way: [] for way in ways}
            for _ in range(args.repeat):
                for way, seed in ways.items():
                    runs[way].append(timed(seed, folder, scratch))
            before, lean, after = (statistics.median(runs[k]) for k in ways)
            lines.append(f"| {name} | {rows_in(folder):,} | {before:.2f} s | {lean:.2f} s | {after:.2f} s "
                         f"| {after / before:.2f} | {after / lean:.2f} |")
            print(lines[-1], file=sys.stderr, flush=True)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
