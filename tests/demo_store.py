"""The shipped demo city in a store of a test's own, copied from one filled once per test process.

Filling a store from ``data/`` reads 402 places through the upload's checks and replays the morning's 45 phone
reports as the officers' own saves: about 20 s of CPU each time. Tests that only need the demo city in a store
(a server to look at, figures to compare) take a copy of the one filled first; the tests of the filling itself
(``tests/test_city.py``, ``tests/test_demo.py``) still fill their own.
"""

from __future__ import annotations

import sqlite3
import tempfile
from functools import cache
from pathlib import Path

from geo.upload import open_city

DEMO_DATA = Path(__file__).resolve().parent.parent / "data"


@cache
def _filled() -> Path:
    """The store filled from the demo data, once per process (pytest-xdist runs one per worker)."""
    path = Path(tempfile.mkdtemp(prefix="cmdmap-demo-")) / "demo.sqlite"
    open_city(f"sqlite:///{path}", DEMO_DATA).dispose()
    return path


def demo_store(path: Path) -> str:
    """The URL of a new SQLite store at ``path`` holding the demo city as ``open_city`` fills it from ``data/``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(_filled()) as source, sqlite3.connect(path) as copy:
        source.backup(copy)  # a consistent copy, whatever the source's journal holds
    return f"sqlite:///{path}"
