"""Cities in stores of a test's own, copied from one store filled once per test process.

Filling a store from a data folder reads its places and reports through the upload's checks: about 20 s of CPU
for the shipped demo city (402 places and the morning's 45 phone reports replayed as the officers' own saves),
and about 2 s for the tiny city of most tests, which hundreds of tests fill. A test that only needs a city in an
SQLite store takes a copy of the one filled first from a folder of the same content (:func:`city_store`,
:func:`demo_store`); the tests of the filling itself (``tests/test_city.py``, ``tests/test_demo.py``) and every
test on PostgreSQL still fill their own. A copy differs from a store of its own only in the time of its versions
(when the first was filled, minutes before) and says it was filled from the test's own folder.
"""

from __future__ import annotations

import atexit
import hashlib
import shutil
import sqlite3
import tempfile
from pathlib import Path

from geo.store.meta import SEEDED
from geo.upload import open_city

DEMO_DATA = Path(__file__).resolve().parent.parent / "data"


def _content(folder: Path) -> str:
    """A digest of every file in ``folder`` (names and bytes): folders of equal content fill equal stores."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


_FILLED: dict[str, Path] = {}  # a folder's content -> the store filled from it, once per process (per xdist worker)


def _filled(folder: Path) -> Path:
    """A store filled from ``folder``, or from a folder of the same content before."""
    content = _content(folder)
    if content not in _FILLED:
        folder_made = tempfile.mkdtemp(prefix="cmdmap-filled-")
        atexit.register(shutil.rmtree, folder_made, ignore_errors=True)  # hundreds of runs leave no folders behind
        path = Path(folder_made) / f"{content[:12]}.sqlite"
        open_city(f"sqlite:///{path}", folder).dispose()
        _FILLED[content] = path
    return _FILLED[content]


def city_store(folder: Path, path: Path) -> str:
    """The URL of a new SQLite store at ``path`` holding the city of ``folder`` as ``open_city`` fills it."""
    folder = Path(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    source, copy = sqlite3.connect(_filled(folder)), sqlite3.connect(path)
    try:
        source.backup(copy)  # a consistent copy, whatever the source's journal holds
        with copy:
            copy.execute("UPDATE store_meta SET value = ? WHERE key = ?", (str(folder), SEEDED))
    finally:  # closed, not left to the collector: a store's own tests look for its journal files
        source.close()
        copy.close()
    return f"sqlite:///{path}"


def demo_store(path: Path) -> str:
    """The URL of a new SQLite store at ``path`` holding the demo city as ``open_city`` fills it from ``data/``."""
    return city_store(DEMO_DATA, path)


def open_filled(url: str, folder: Path):
    """``open_city(url, folder)``, through a copy (:func:`city_store`) when ``url`` is an SQLite file not made yet."""
    path = Path(url.removeprefix("sqlite:///"))
    if url.startswith("sqlite:///") and "?" not in url and not path.exists():
        city_store(folder, path)
    return open_city(url, folder)
