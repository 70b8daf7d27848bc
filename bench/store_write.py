"""Writing versions at city scale, SQLite and PostgreSQL side by side: where an import's time goes.

For one size (100,000 compounds by default) it reads the compounds and two days of their status
from a demo city (made with ``python -m geo demo`` into ``bench/out/city-N`` when missing) and
writes them through :func:`geo.store.apply_rows`, the store's one write path, into a new store of
each back end, in this order: an SQLite file; then, on a throwaway PostgreSQL server with PostGIS from
``tests/pgserver.py`` (or ``CMDMAP_TEST_POSTGRES_URL``), a store written by row inserts only (as before
:data:`geo.store.versions.COPY_FROM`) and one written as the store writes now (COPY from 200 rows).
Each writes, in this order:

* ``compounds``: the layer into an empty store (every row inserted, with its geometry);
* ``compounds again``: the same layer with a tenth of the names changed (the diff reads every stored
  shape back; a tenth of the rows are replaced);
* ``status day 1``, ``status day 2``: a compound status table with a row per compound, each a new day.

Each write is split into its phases: reading the stored rows to compare (``read``), the rows given
as the database holds them (``records``: geometry to WKB hex), the comparison (``diff``), inserting the rows (``rows``) and the history lines (``changes``), and the rest (the lock,
the version, retiring replaced rows, the commit). The rest of an upload (checking the file, the
backup) is the same on both back ends and is measured by ``bench/scale.py``.

Run it from the project root::

    .venv/bin/python bench/store_write.py                  # 100,000 compounds
    .venv/bin/python bench/store_write.py --size 1000      # a smoke run

The city is made, and the SQLite store written, in ``bench/out`` (``--out``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"

import geopandas as gpd  # noqa: E402
import pandas as pd  # noqa: E402

from geo.store import versions  # noqa: E402
from geo.store.meta import open_store  # noqa: E402
from tests import pgserver  # noqa: E402
from tests.pgserver import fresh_schema  # noqa: E402

PHASES = ("read", "records", "diff", "rows", "changes")


class Phases:
    """Time spent in each phase of :func:`geo.store.apply_rows`, by wrapping the functions it calls."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        self._wrap("_existing_rows", lambda *a, **k: "read")
        self._wrap("diff_rows", lambda *a, **k: "diff")
        self._wrap("records", lambda *a, **k: "records")
        self._wrap("_insert_many", lambda conn, table, *a, **k: "changes" if table.name == "changes" else "rows")

    def _wrap(self, name: str, phase) -> None:
        inner = getattr(versions, name)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.spent[phase(*args, **kwargs)] += time.perf_counter() - start
        setattr(versions, name, timed)

    def take(self) -> dict[str, float]:
        out, self.spent = dict(self.spent), defaultdict(float)
        return out


def city(size: int, out: Path) -> Path:
    folder = out / f"city-{size}"
    if not (folder / "compound_status.csv").exists():
        subprocess.run([sys.executable, "-m", "geo", "demo", "--compounds", str(size), "--days", "3",
                        "--out", str(folder)], cwd=ROOT, check=True, capture_output=True)
    return folder


def inputs(folder: Path) -> list[tuple[str, str, pd.DataFrame]]:
    compounds = gpd.read_file(folder / "compounds.geojson")
    changed = compounds.copy()
    tenth = changed.index[::10]
    changed.loc[tenth, "name"] = changed.loc[tenth, "name"] + "（新）"
    status = pd.read_csv(folder / "compound_status.csv", dtype=str, keep_default_na=False)
    days = sorted(status["date"].unique())[:2]
    return [("compounds", "compounds", compounds), ("compounds again", "compounds", changed),
            *[(f"status day {i + 1}", "compound_status", status[status["date"] == day].reset_index(drop=True))
              for i, day in enumerate(days)]]


def run(url: str, steps, phases: Phases) -> list[dict]:
    engine = open_store(url)
    phases.take()
    out = []
    for label, kind, frame in steps:
        start = time.perf_counter()
        applied = versions.apply_rows(engine, kind, frame, "bench")
        total = time.perf_counter() - start
        spent = phases.take()
        out.append({"step": label, "count": len(frame), "added": applied.added, "changed": applied.changed,
                    "total": total, **{p: spent.get(p, 0.0) for p in PHASES},
                    "rest": total - sum(spent.values())})
    engine.dispose()
    return out


def table(results: dict[str, list[dict]]) -> str:
    lines = ["| write | back end | total | read | records | diff | rows | changes | rest | / SQLite |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    sqlite = {r["step"]: r for r in results["sqlite"]}
    for name, rows in results.items():
        for r in rows:
            ratio = f"{r['total'] / sqlite[r['step']]['total']:.2f}" if name != "sqlite" else ""
            lines.append(f"| {r['step']} ({r['count']:,} rows) | {name} | {r['total']:.2f} s | "
                         + " | ".join(f"{r[p]:.2f}" for p in (*PHASES, "rest")) + f" | {ratio} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=OUT, help="folder of the city and the SQLite store")
    args = parser.parse_args(argv)
    steps = inputs(city(args.size, args.out))
    phases = Phases()
    store = args.out / f"store-write-{args.size}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{store}{suffix}").unlink(missing_ok=True)
    results = {"sqlite": run(f"sqlite:///{store}", steps, phases)}
    server = pgserver.start()
    try:
        copy_from = versions.COPY_FROM
        versions.COPY_FROM = 10**12  # every row by INSERT, as before COPY
        results["postgresql, row inserts"] = run(fresh_schema(server.url, "by_insert"), steps, phases)
        versions.COPY_FROM = copy_from
        results["postgresql, COPY"] = run(fresh_schema(server.url, "by_copy"), steps, phases)
    finally:
        server.stop()
    print(json.dumps(results, indent=1))
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
