"""A day's status import at scale, checked and stored, each checkout on a copy of the same store, side by side.

Issue #22 asks for a 1,000,000-row daily status import in 30 s. Each round copies the store once per checkout
(``--before``, the code before a change, then this one) and, in a process of the checkout's own, checks the
file as the upload page does (:func:`geo.upload.check_file`) and stores it (:func:`geo.upload.commit`, with its
automatic backup). A store of a newer schema than the older checkout knows is first brought down to that
checkout's newest revision by this checkout's migrations; the time the newer code takes to bring the copy up
to its own schema (once per store, at the first start after an upgrade) is given apart.

Run it from the project root::

    .venv/bin/python -c "from tests.uploads import next_day_report as n; \\
        n('sqlite:///bench/out/store-100000.sqlite')[0].to_csv('bench/out/next-100000.csv', index=False)"
    git worktree add --detach /tmp/before main
    .venv/bin/python bench/import_rows.py bench/out/store-100000.sqlite bench/out/next-100000.csv \\
        --before /tmp/before --rounds 2
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sides import checkouts  # noqa: E402


def step(store: Path, rows: Path) -> dict:
    """Open ``store`` with this process's checkout (bringing it to its schema), check and store ``rows``."""
    from geo.accounts import auth
    from geo.store.engine import connect
    from geo.upload import check as upload

    engine = connect(f"sqlite:///{store}")
    opened = time.perf_counter()
    check = upload.check_file(engine, "compound_status", rows.read_bytes(), rows.name, max_rows=10**8)
    checked = time.perf_counter()
    assert check.ok, [p.message("en") for p in check.problems[:5]]
    upload.commit(engine, check, auth.User("bench", "staff"))
    done = time.perf_counter()
    return {"rows": len(check.frame), "check": checked - opened, "store": done - checked, "total": done - opened}


def head_of(checkout: Path) -> str:
    """The newest schema revision ``checkout``'s migrations know."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(checkout / "migrations"))
    return ScriptDirectory.from_config(config).get_current_head()


def copy_for(store: Path, checkout: Path, scratch: Path) -> tuple[Path, float | None]:
    """A copy of ``store`` that ``checkout`` can open, brought down to its newest revision when that is older;
    and the seconds this checkout's code took to bring the copy up to its own schema (None: it had nothing to do).
    """
    from alembic.command import downgrade

    from geo.store.engine import connect
    from geo.store.migrate import config, current_revision, head

    target = scratch / f"{checkout.name}-{store.name}"
    for old in scratch.glob(f"{target.name}*"):
        old.unlink()
    shutil.copy(store, target)
    with contextlib.closing(sqlite3.connect(target)) as conn:
        copied = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    start = time.perf_counter()
    engine = connect(f"sqlite:///{target}")  # brings an older store up to this checkout's schema
    upgrade = time.perf_counter() - start if copied != head() else None
    if current_revision(engine) != head_of(checkout):
        with engine.begin() as conn:
            downgrade(config(conn), head_of(checkout))
    engine.dispose()
    connect.cache_clear()
    with contextlib.closing(sqlite3.connect(target)) as conn:  # the schema's changes written in: as a server finds it
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return target, upgrade


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("rows", type=Path, help="a compound status table (CSV) for the day after the store's last")
    parser.add_argument("--before", help="another checkout (git worktree) to run side by side")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out", help="where the copies are made")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        sys.path.insert(0, args.step)  # that checkout's code, not this one's
        print(json.dumps(step(args.store, args.rows)))
        return 0
    scratch = args.out / "import-rows"
    scratch.mkdir(parents=True, exist_ok=True)
    figures: dict[str, list[dict]] = {}
    upgrades = []
    for _ in range(args.rounds):
        for name, checkout in checkouts(args.before):
            copy, upgrade = copy_for(args.store.resolve(), checkout, scratch)
            upgrades += [upgrade] if upgrade is not None and checkout == ROOT else []
            out = subprocess.run([sys.executable, str(Path(__file__).resolve()), str(copy),
                                  str(args.rows.resolve()), "--step", str(checkout)], check=True,
                                 capture_output=True, text=True, cwd=checkout).stdout
            figures.setdefault(name, []).append(json.loads(out.strip().splitlines()[-1]))
            shutil.rmtree(scratch / "backups", ignore_errors=True)
            for old in scratch.glob(f"{copy.name}*"):
                old.unlink()
    print(report(args, figures, upgrades))
    return 0


def report(args, figures: dict[str, list[dict]], upgrades: list[float]) -> str:
    rows = next(iter(figures.values()))[0]["rows"]
    lines = [f"bench/import_rows.py, {time.strftime('%Y-%m-%d %H:%M')}, {args.store.name}, {rows:,} status rows, "
             f"{args.rounds} round(s), median", "",
             "| checkout | check (s) | store with its backup (s) | check and store (s) |",
             "| --- | ---: | ---: | ---: |"]
    medians = {name: {k: statistics.median(run[k] for run in runs) for k in ("check", "store", "total")}
               for name, runs in figures.items()}
    for name, m in medians.items():
        lines.append(f"| {name} | {m['check']:.2f} | {m['store']:.2f} | {m['total']:.2f} |")
    if "before" in medians:
        now, before = medians["now"], medians["before"]
        lines.append("| now / before | " + " | ".join(f"{now[k] / before[k]:.3f}" for k in ("check", "store", "total"))
                     + " |")
    if upgrades:
        lines += ["", f"This checkout's code brought the store up to its schema in {statistics.median(upgrades):.1f} s "
                      "(once, at its first start)."]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
