"""Benches that run each checkout (``--before``, the code before a change, and this one) in a process of its own.

A bench script calls :func:`arguments` for its stores and checkouts; run with ``--step CHECKOUT`` the script
measures one store with that checkout's code and prints its figures as the last line of JSON, which
:func:`run_side` reads back.
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def arguments(description: str) -> argparse.Namespace:
    """The stores given, ``--before`` (another checkout, a git worktree) and the hidden ``--step`` (the checkout
    whose code this process runs)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("stores", nargs="+")
    parser.add_argument("--before", help="another checkout (git worktree) to run side by side")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    return parser.parse_args()


def checkouts(before: str | None) -> list[tuple[str, Path]]:
    """("before", its folder) when given, then ("now", this checkout)."""
    return [*([("before", Path(before).resolve())] if before else []), ("now", ROOT)]


def run_side(script: str, store: str, checkout: Path) -> dict:
    """``script --step checkout`` on ``store``, in a process of its own started in ``checkout``: its figures."""
    out = subprocess.run([sys.executable, script, str(Path(store).resolve()), "--step", str(checkout)],
                         check=True, capture_output=True, text=True, cwd=checkout).stdout
    return json.loads(out.strip().splitlines()[-1])


def side_dataset(path: str, checkout: str):
    """In a side's process: put ``checkout``'s code first, quiet its logs, and read the SQLite store at ``path`` as a
    start does (from its snapshot when it has one); (the dataset, the settings, the thresholds of supplies)."""
    sys.path.insert(0, checkout)
    logging.disable(logging.WARNING)
    from geo.analysis import Thresholds  # the checkout's own: imported once it is on the path
    from geo.settings import load
    from geo.store import connect, read_newest

    settings = load()
    dataset = read_newest(connect(f"sqlite:///{path}")).dataset
    return dataset, settings, Thresholds(settings.supply_low_days, settings.supply_critical_days)
