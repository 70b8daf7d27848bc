"""How long the morning briefing (疫情防控工作日报) takes: the demo city, then larger generated cities.

For each city it stores the data (not timed; the demo city through the upload's checks), loads the store, then
times the briefing's parts: the sections' figures (the same functions as the overview), the
closure map figure alone (matplotlib at 300 dpi; the briefing has two), the Word file and the PDF.
It prints a Markdown table.

Run it from the project root::

    .venv/bin/python bench/briefing.py                   # the demo city and 10,000 compounds
    .venv/bin/python bench/briefing.py --sizes 100000    # add a size (generated with ``geo demo``)
    .venv/bin/python bench/briefing.py --sizes 100000 --before /tmp/main   # that checkout's code, side by side

Generated cities and stores are kept in ``bench/out`` (shared with ``bench/scale.py``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"

from bench.seed import run_in, seed_in, seed_unchecked  # noqa: E402
from geo.accounts import SYSTEM  # noqa: E402
from geo.analysis import compound_view, report_dates  # noqa: E402
from geo.report import briefing_docx, briefing_pdf, build_briefing, find_cjk_font, status_map  # noqa: E402
from geo.settings import load  # noqa: E402
from geo.store import load_store, newest_version_time, open_store  # noqa: E402
from geo.upload import open_city  # noqa: E402


def city_folder(n: int | None, out: Path) -> Path:
    """The demo city shipped in ``data/`` (None), or a generated one of ``n`` compounds in ``out``."""
    if n is None:
        return ROOT / "data"
    city = out / f"city-{n}"
    if not (city / "compound_status.csv").exists():
        subprocess.run([sys.executable, "-m", "geo", "demo", "--compounds", str(n), "--days", "14",
                        "--out", str(city)], cwd=ROOT, check=True, capture_output=True)
    return city


def measure(n: int | None, out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    folder = city_folder(n, out)
    store = out / f"briefing-{n or 'demo'}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{store}{suffix}").unlink(missing_ok=True)
    if n is None:
        engine = open_city(f"sqlite:///{store}", folder)
    else:  # a generated city's supplies exceed one upload's 500,000 rows: stored as read, as bench/seed.py does
        engine = open_store(f"sqlite:///{store}")
        seed_unchecked(engine, folder, keep_notes=False)
    ds = load_store(engine)
    date = report_dates(ds)[-1]
    # no base map: the figures are timed as drawn (the default, Amap, is fetched over the internet when reachable)
    settings, font = load({"CMDMAP_BASEMAP": "none"}), find_cjk_font()
    start = time.perf_counter()
    build_briefing(ds, date, user=SYSTEM, settings=settings, figures=False)
    figures_only = time.perf_counter() - start
    view = compound_view(ds, date)
    start = time.perf_counter()
    status_map(view, "closure", ds.zones, "物业小区封闭管理状态", "zh", font)
    one_map = time.perf_counter() - start
    start = time.perf_counter()
    briefing = build_briefing(ds, date, user=SYSTEM, settings=settings, updated=newest_version_time(engine),
                              font=font)
    built = time.perf_counter() - start
    start = time.perf_counter()
    word = briefing_docx(briefing)
    docx_seconds = time.perf_counter() - start
    start = time.perf_counter()
    pdf = briefing_pdf(briefing, font)
    pdf_seconds = time.perf_counter() - start
    return {"compounds": len(ds.compounds), "sites": len(ds.sites), "sections": figures_only,
            "map": one_map, "built": built, "docx": docx_seconds, "pdf": pdf_seconds,
            "total": built + docx_seconds + pdf_seconds, "docx_kb": len(word) / 1024, "pdf_kb": len(pdf) / 1024}


# One briefing as the command line makes it (python -m geo briefing): the store read, then the briefing built
# (nothing cached yet) and written as Word and as PDF; run in a checkout's folder, its code. JSON on stdout.
ONE_BRIEFING = """
import json, sys, time
from geo.accounts import SYSTEM
from geo.analysis import report_dates
from geo.report import briefing_docx, briefing_pdf, build_briefing, find_cjk_font
from geo.settings import load
from geo.store import load_store, newest_version_time, open_store
start = time.perf_counter()
engine = open_store(sys.argv[1])
ds = load_store(engine)
loaded = time.perf_counter()
settings, font = load({}), find_cjk_font()
briefing = build_briefing(ds, report_dates(ds)[-1], user=SYSTEM, settings=settings,
                          updated=newest_version_time(engine), font=font)
built = time.perf_counter()
briefing_docx(briefing)
word = time.perf_counter()
briefing_pdf(briefing, font)
done = time.perf_counter()
print(json.dumps({"load": loaded - start, "build": built - loaded, "docx": word - built, "pdf": done - word,
                  "briefing": done - loaded}))
"""


def side_by_side(n: int, out: Path, before: Path, runs: int) -> None:
    """The briefing of ``n`` compounds made by ``before`` (another checkout) and by this one in turn, each in a
    new process, ``runs`` times; a table of the medians."""
    city = city_folder(n, out)
    checkouts = {"before": before, "after": ROOT}
    stores = {}
    for label, root in checkouts.items():
        # the same files stored by each checkout's own code: a store holds the schema of the code that made it,
        # and older code refuses a newer schema
        stores[label] = out / f"briefing-{n}-{label}.sqlite"
        seed_in(root, stores[label], city)
    times: dict[str, list[dict]] = {"before": [], "after": []}
    for _ in range(runs):
        for label, root in checkouts.items():
            done = run_in(root, ONE_BRIEFING, f"sqlite:///{stores[label]}")
            times[label].append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"| {n:,} compounds, median of {runs} | store read (s) | briefing built (s) | Word (s) | PDF (s) | "
          "briefing and both files (s) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, rows in times.items():
        median = {key: statistics.median(row[key] for row in rows) for key in rows[0]}
        print(f"| {label} | {median['load']:.1f} | {median['build']:.1f} | {median['docx']:.1f} | "
              f"{median['pdf']:.1f} | {median['briefing']:.1f} |", flush=True)
        print(f"  {label}: {[round(row['briefing'], 1) for row in rows]}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000],
                        help="generated cities, in compounds, after the demo city (default: 10000)")
    parser.add_argument("--out", default=str(OUT), help="folder for generated cities and stores (default: bench/out)")
    parser.add_argument("--before", type=Path, help="another checkout (the code before a change): each size's "
                        "briefing made by both in turn, as the command line does, instead of the table of parts")
    parser.add_argument("--runs", type=int, default=3, help="with --before: briefings by each checkout")
    parser.add_argument("--no-demo", action="store_true",
                        help="the generated cities only (the demo city is filled through the upload's checks: 20 s)")
    args = parser.parse_args(argv)
    if args.before:
        for n in args.sizes:
            side_by_side(n, Path(args.out), args.before, args.runs)
        return 0
    print("| city | compounds | sites | sections (s) | closure map (s) | Word (s) | PDF (s) | "
          "both files, total (s) | Word / PDF size |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in (*(() if args.no_demo else (None,)), *args.sizes):
        row = measure(n, Path(args.out))
        # both files: the sections and maps once, then each writer
        print(f"| {'demo' if n is None else f'{n:,}'} | {row['compounds']:,} | {row['sites']:,} | "
              f"{row['sections']:.1f} | {row['map']:.1f} | {row['docx']:.1f} | {row['pdf']:.1f} | "
              f"{row['total']:.1f} | {row['docx_kb']:.0f} KB / {row['pdf_kb']:.0f} KB |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
