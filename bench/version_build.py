"""What the warm-up makes of a version once its dataset is read (``ui.cache.prepare``), step by step, side by side
with another checkout.

For each SQLite store given (``bench/scale.py --keep-stores`` leaves ``bench/out/store-<size>.sqlite``), each
checkout runs in a process of its own: it reads the dataset as a start does (from the store's snapshot when there
is one; not counted), then times each of what ``prepare`` makes for the whole city, with the functions of
``geo.analysis`` it calls: the report dates' completeness (``report_days``), the ids matching no place, the places
outside every zone or still to be placed, the zones' peaks over every date, and every kind's view of the newest
complete day and of the day before it.

Run from the project root, with the code before a change checked out beside it::

    git worktree add --detach /tmp/before main
    .venv/bin/python bench/version_build.py --before /tmp/before bench/out/store-100000.sqlite
"""

from __future__ import annotations

import json
import resource
import time
from pathlib import Path

from sides import arguments, checkouts, run_side, side_dataset

STEPS = ("days", "unmatched", "outside", "unplaced", "zone peaks", "views")


def step(path: str, checkout: str) -> dict:
    """Every step in this process, with the code of ``checkout``; seconds by step."""
    dataset, settings, limits = side_dataset(path, checkout)
    from geo import analysis  # the checkout's own
    from geo.domain.kinds import KINDS

    seconds, started = {}, time.perf_counter()

    def lap(name: str) -> None:
        nonlocal started
        seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - started
        started = time.perf_counter()

    days = analysis.report_days(dataset, settings.complete_share)
    lap("days")
    analysis.unmatched_ids(dataset)
    lap("unmatched")
    analysis.outside_zones(dataset)
    lap("outside")
    analysis.unplaced_places(dataset)
    lap("unplaced")
    analysis.zone_peaks(dataset, analysis.report_dates(dataset), limits)
    lap("zone peaks")
    for day in (days.current, days.before(days.current)):
        for kind in KINDS if day is not None else ():
            analysis.view_of(dataset, kind, day, limits)
    lap("views")
    return {"seconds": seconds, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    args = arguments(__doc__.splitlines()[0])
    if args.step:
        print(json.dumps(step(args.stores[0], args.step)))
        return
    print(f"| store | checkout | {' | '.join(STEPS)} | all (s) | peak memory (MiB) |")
    print(f"| --- | --- |{' ---: |' * (len(STEPS) + 2)}")
    for path in args.stores:
        runs = {}
        for name, checkout in checkouts(args.before):
            runs[name] = run_side(__file__, path, checkout)
            figures = runs[name]["seconds"]
            print(f"| {Path(path).name} | {name} | {' | '.join(f'{figures[s]:.2f}' for s in STEPS)} | "
                  f"{sum(figures.values()):.2f} | {runs[name]['peak_mib']:,.0f} |", flush=True)
        if "before" in runs:
            ratio = sum(runs["now"]["seconds"].values()) / sum(runs["before"]["seconds"].values())
            print(f"| {Path(path).name} | now / before | | | | | | | {ratio:.3f} | |", flush=True)


if __name__ == "__main__":
    main()
