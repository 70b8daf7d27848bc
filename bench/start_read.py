"""What a server's start reads: the whole store, against its snapshot (``geo.store.snapshot``), side by side.

For each SQLite store given (``bench/scale.py --keep-stores`` leaves ``bench/out/store-<size>.sqlite``), each
step runs in a process of its own, so that its time and peak memory are its own:

* ``store``: :func:`geo.store.read_store`, as every start read it before (the rows through SQLAlchemy and
  pandas, the outlines parsed, zones assigned);
* ``write``: the same read, then :func:`geo.store.write_snapshot` (the warm-up does it once a version is built;
  its time is the write alone);
* ``snapshot``: :func:`geo.store.read_newest` with that snapshot there, as a start now reads.

The snapshot is written beside the store (``<store>.snapshot``) and left there. Run from the project root::

    .venv/bin/python bench/start_read.py bench/out/store-100000.sqlite bench/out/store-1000000.sqlite
"""

from __future__ import annotations

import argparse
import json
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
    from geo.store import connect, read_newest, read_store, snapshot_folder, write_snapshot

    engine = connect(f"sqlite:///{path}")
    started = time.perf_counter()
    if what == "snapshot":
        loaded = read_newest(engine)
    else:
        loaded = read_store(engine)
    seconds = time.perf_counter() - started
    figures = {"seconds": seconds, "rows": sum(len(frame) for frame in loaded.dataset.tables.values())}
    if what == "write":
        shutil.rmtree(snapshot_folder(engine), ignore_errors=True)
        started = time.perf_counter()
        folder = write_snapshot(engine, loaded)
        figures["seconds"] = time.perf_counter() - started
        figures["bytes"] = sum(f.stat().st_size for f in folder.iterdir())
    figures["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stores", nargs="+")
    parser.add_argument("--step", choices=["store", "write", "snapshot"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args.stores[0], args.step)))
        return
    print("| store | rows | read whole (s) | snapshot written (s, MB) | start from the snapshot (s) | ratio |"
          " peak memory, whole / snapshot (MiB) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for path in args.stores:
        runs = {}
        for what in ("store", "write", "snapshot"):
            out = subprocess.run([sys.executable, __file__, path, "--step", what], check=True,
                                 capture_output=True, text=True).stdout
            runs[what] = json.loads(out.strip().splitlines()[-1])
        whole, written, fast = runs["store"], runs["write"], runs["snapshot"]
        assert whole["rows"] == fast["rows"], (whole, fast)
        print(f"| {Path(path).name} | {whole['rows']:,} | {whole['seconds']:.2f} | {written['seconds']:.2f}, "
              f"{written['bytes'] / 1e6:.0f} | {fast['seconds']:.2f} | {fast['seconds'] / whole['seconds']:.3f} | "
              f"{whole['peak_mib']:,.0f} / {fast['peak_mib']:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
