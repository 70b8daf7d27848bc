"""The packs of a start's warm-up: made from the places, against read back from the index the start before kept
(``geo.maps.kept``), side by side.

For each SQLite store given (``bench/scale.py --keep-stores`` leaves ``bench/out/store-<size>.sqlite``), each step
runs in a process of its own, after reading the dataset as a start does (from the store's snapshot when there is
one; not counted):

* ``made``: the index beside the store removed, :func:`ui.packs.prepare_packs` makes every layer's packs (tiles,
  their datum conversion, gzip) and keeps an index of them, as every start did before;
* ``kept``: the same call with that index there, as a start now finds it (the snapshot the made step's process
  kept as a server does after its build, with the digests of the places found then: :mod:`geo.store.digest`).

The packs are written into ``static/cache`` as the app writes them. Run from the project root::

    .venv/bin/python bench/start_packs.py bench/out/store-100000.sqlite bench/out/store-1000000.sqlite
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def step(path: str, what: str) -> dict:
    """One step in this process (see the module); its figures."""
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # no runtime here: the caches are the process's own
    from geo.maps import overlay_datum
    from geo.settings import load
    from geo.store import connect, newest_version, snapshot_folder
    from ui.cache import keep_snapshot, load_dataset
    from ui.packs import prepare_packs

    url, settings = f"sqlite:///{path}", load()
    version = newest_version(connect(url))
    dataset = load_dataset(url, version)
    if what == "made":
        shutil.rmtree(snapshot_folder(url) / "packs", ignore_errors=True)
    started = time.perf_counter()
    prepare_packs(url, version, overlay_datum(settings), settings.map_places_at_once)
    seconds = time.perf_counter() - started
    if what == "made":  # as the server does once built: the snapshot takes the places' digests found meanwhile
        keep_snapshot(url)
    return {"seconds": seconds, "places": sum(len(dataset.layer(k)) for k in dataset.tables
                                                                     if "geometry" in dataset.layer(k)),
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stores", nargs="+")
    parser.add_argument("--step", choices=["made", "kept"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args.stores[0], args.step)))
        return
    print("| store | places | packs made (s) | packs kept, read back (s) | ratio | peak memory, made / kept (MiB) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for path in args.stores:
        runs = {}
        for what in ("made", "kept"):
            out = subprocess.run([sys.executable, __file__, path, "--step", what], check=True,
                                 capture_output=True, text=True).stdout
            runs[what] = json.loads(out.strip().splitlines()[-1])
        made, kept = runs["made"], runs["kept"]
        print(f"| {Path(path).name} | {made['places']:,} | {made['seconds']:.2f} | {kept['seconds']:.2f} | "
              f"{kept['seconds'] / made['seconds']:.3f} | {made['peak_mib']:,.0f} / {kept['peak_mib']:,.0f} |",
              flush=True)


if __name__ == "__main__":
    main()
