"""Where the app server's memory goes (issue #22, item 4: < 2 GB at a million compounds), step by step, side by
side with another checkout.

For each SQLite store given (``bench/scale.py --keep-stores`` leaves ``bench/out/store-<size>.sqlite``), each
checkout runs in a process of its own what the server's warm-up (``ui.warmup.warm``) builds after a start, one
step after the other, through the pages' own caches: the dataset (read from the store's snapshot when there is
one), the report days, the packs of places, what the pages ask first (``ui.cache.prepare``: every kind's views
of two days, the zones' peaks, …), the overview's small trends and the maps of the pages of places. After each
step it prints the process's resident memory (RSS), what the step added, and the bytes Arrow holds (pandas'
text columns live there, outside Python's allocator). A last table lists the dataset's largest tables as pandas
counts them, and the coordinates of their shapes (shapely's objects are not counted by pandas).

Run from the project root::

    .venv/bin/python bench/warm_memory.py bench/out/store-1000000.sqlite
    git worktree add --detach /tmp/before main
    .venv/bin/python bench/warm_memory.py --before /tmp/before bench/out/store-100000.sqlite
"""

from __future__ import annotations

import json
import logging
import os
import resource
import sys
import time
from pathlib import Path

from sides import arguments, checkouts, run_side

STEPS = ("dataset", "days", "packs", "views", "trend", "place maps")


def resident_mib() -> float:
    """The resident memory of this process now (``VmRSS``), in MiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return float("nan")


def step(path: str, checkout: str) -> dict:
    """Every step in this process, with the code of ``checkout``: for each, seconds, RSS after it and Arrow's bytes."""
    sys.path.insert(0, checkout)
    os.environ.update(CMDMAP_DATABASE_URL=f"sqlite:///{path}", CMDMAP_BASEMAP="none")
    logging.disable(logging.WARNING)
    import pyarrow
    import shapely

    from geo.analysis import Filters, Thresholds
    from geo.settings import load
    from geo.store import connect, newest_version
    from ui import cache, warmup

    settings = load()
    url = settings.database_url
    version = newest_version(connect(url))
    limits = Thresholds(settings.supply_low_days, settings.supply_critical_days)
    rows, started = {}, time.perf_counter()

    def lap(name: str) -> None:
        nonlocal started
        rows[name] = {"seconds": time.perf_counter() - started, "rss": resident_mib(),
                      "arrow": pyarrow.total_allocated_bytes() / 2 ** 20}
        started = time.perf_counter()

    rows["start"] = {"seconds": 0.0, "rss": resident_mib(), "arrow": pyarrow.total_allocated_bytes() / 2 ** 20}
    dataset = cache.load_dataset(url, version)
    lap("dataset")
    date = cache.days_for(url, version, "", settings.complete_share).current
    lap("days")
    warmup.prepare_packs(url, version, warmup.overlay_datum(settings), settings.map_places_at_once)
    lap("packs")
    cache.prepare(url, version, settings)
    lap("views")
    if date is not None:
        warmup.trend_for((url, version, ""), Filters(), date, warmup.SPARKLINE_DATES, limits, settings.complete_share)
    lap("trend")
    if date is not None:
        warmup.prepare_place_maps((url, version, ""), date, settings)
    lap("place maps")
    tables = []
    for name, frame in dataset.tables.items():
        counted = frame.memory_usage(deep=True).sum() / 2 ** 20
        shapes = frame.geometry.values if "geometry" in frame else None
        coordinates = int(shapely.get_num_coordinates(shapes).sum()) if shapes is not None and len(frame) else 0
        tables.append({"table": name, "rows": len(frame), "mib": counted, "coordinates": coordinates})
    tables.sort(key=lambda t: -t["mib"])
    return {"steps": rows, "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "tables": tables[:6]}


def main() -> None:
    args = arguments(__doc__.splitlines()[0])
    if args.step:
        print(json.dumps(step(args.stores[0], args.step)))
        return
    runs = {}
    print("| store | checkout | step | seconds | RSS after (MiB) | added (MiB) | Arrow holds (MiB) |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: |")
    for path in args.stores:
        for name, checkout in checkouts(args.before):
            run = runs[(path, name)] = run_side(__file__, path, checkout)
            before = run["steps"]["start"]["rss"]
            for label in ("start", *STEPS):
                figures = run["steps"][label]
                print(f"| {Path(path).name} | {name} | {label} | {figures['seconds']:.1f} | {figures['rss']:,.0f} | "
                      f"{figures['rss'] - before:+,.0f} | {figures['arrow']:,.0f} |", flush=True)
                before = figures["rss"]
            print(f"| {Path(path).name} | {name} | peak | | {run['peak']:,.0f} | | |", flush=True)
        if (path, "before") in runs:
            now, then = (runs[(path, n)]["steps"]["place maps"]["rss"] for n in ("now", "before"))
            print(f"| {Path(path).name} | now / before | RSS at the end | | {now / then:.3f} | | |", flush=True)
    print()
    print("| store | checkout | table | rows | pandas counts (MiB) | coordinates of its shapes |")
    print("| --- | --- | --- | ---: | ---: | ---: |")
    for (path, name), run in runs.items():
        for table in run["tables"]:
            print(f"| {Path(path).name} | {name} | {table['table']} | {table['rows']:,} | {table['mib']:,.0f} | "
                  f"{table['coordinates']:,} |")


if __name__ == "__main__":
    main()
