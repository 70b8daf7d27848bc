"""What each wall's server does to light the places whose state changed at a new data version, side by side with
another checkout.

A wall remembers the states of each of its layers as it last showed them and, at every refresh, compares them with
the newest version's, to light each place whose state changed within ``wall_highlight_minutes``
(``ui.wallscreen._changed``). Fifty walls follow every import (bench/load.py): what one wall pays here, the
server pays fifty times.

For each SQLite store given (``bench/scale.py --keep-stores`` leaves ``bench/out/store-<size>.sqlite``), each
checkout runs in a process of its own: it reads the dataset as a start does (not counted) and makes the wall's
layers of the two newest complete days, the older standing for the version a wall showed before an import. For
each kind the wall shows with its statuses, it times, with the checkout's own code:

- *states*: the states of the new version, made once for every wall (``ui.wallscreen._laid_out``);
- *1st wall*: the first wall's comparison at the new version;
- *next wall*: each of the other walls' at the same version (the median of ``WALLS - 1``);
- *refresh*: a wall's refresh within the highlight time, with no new version;

and the memory the states of one version hold (tracemalloc with Arrow's bytes), and how many places were lit.

Run from the project root, with the code before a change checked out beside it::

    git worktree add --detach /tmp/before main
    .venv/bin/python bench/wall_changes.py --before /tmp/before bench/out/store-1000000.sqlite
"""

from __future__ import annotations

import json
import statistics
import time
import tracemalloc
from pathlib import Path

from sides import arguments, checkouts, run_side, side_dataset

KINDS = ("compounds", "supplies", "sites")
WALLS = 10  # walls timed at each version: the first, and nine that find what it made
STEPS = ("states", "1st wall", "next wall", "refresh")


def step(path: str, checkout: str) -> dict:
    """Every kind's figures in this process, with the code of ``checkout``."""
    dataset, settings, limits = side_dataset(path, checkout)
    import pyarrow

    from geo import analysis  # the checkout's own
    from geo.maps.layers import layer_of

    days = analysis.report_days(dataset, settings.complete_share)
    shown, before = days.current, days.before(days.current)
    kept = hasattr(analysis, "PlaceStates")  # this change: the states as codes; before it, a dict of id -> state

    def states_of(frame):
        if kept:
            return analysis.PlaceStates.of(frame)
        return dict(zip(frame["id"], frame["category"]))

    def timed(call):
        started = time.perf_counter()
        value = call()
        return time.perf_counter() - started, value

    figures = {}
    for kind in KINDS:
        frames = [layer_of(kind, analysis.view_of(dataset, kind, day, limits), "zh").frame for day in (before, shown)]
        if not len(frames[1]):
            continue
        earlier = states_of(frames[0])
        pyarrow_before = pyarrow.total_allocated_bytes()
        tracemalloc.start()
        states, current = timed(lambda: states_of(frames[1]))
        held = tracemalloc.get_traced_memory()[0] + pyarrow.total_allocated_bytes() - pyarrow_before
        tracemalloc.stop()
        empty = () if kept else {}
        walls = [timed(lambda: analysis.track_changes(earlier, current, empty, 1000.0, 30)) for _ in range(WALLS)]
        since, lit = walls[0][1]
        refresh, _ = timed(lambda: analysis.track_changes(current, current, since, 1060.0, 30))
        figures[kind] = {"places": len(frames[1]), "lit": len(lit), "states": states, "1st wall": walls[0][0],
                         "next wall": statistics.median(seconds for seconds, _ in walls[1:]), "refresh": refresh,
                         "held_mib": held / 2 ** 20}
    return {"dates": [before, shown], "kinds": figures}


def main() -> None:
    args = arguments(__doc__.splitlines()[0])
    if args.step:
        print(json.dumps(step(args.stores[0], args.step)))
        return
    print(f"| store | checkout | kind | places | lit | {' | '.join(f'{s} (s)' for s in STEPS)} | "
          f"states held (MiB) | fifty walls (s) |")
    print(f"| --- | --- | --- | ---: | ---: |{' ---: |' * (len(STEPS) + 2)}")
    for path in args.stores:
        for name, checkout in checkouts(args.before):
            run = run_side(__file__, path, checkout)
            for kind, f in run["kinds"].items():
                fifty = f["states"] + f["1st wall"] + 49 * f["next wall"]
                print(f"| {Path(path).name} | {name} | {kind} | {f['places']:,} | {f['lit']:,} | "
                      f"{' | '.join(f'{f[s]:.3f}' for s in STEPS)} | {f['held_mib']:,.1f} | {fifty:.2f} |", flush=True)


if __name__ == "__main__":
    main()
