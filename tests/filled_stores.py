"""Cities in stores of a test's own, copied from one store filled once per test process.

Filling a store from a data folder reads its places and reports through the upload's checks: about 20 s of CPU
for the shipped demo city (402 places and the morning's 45 phone reports replayed as the officers' own saves),
and about 2 s for the tiny city of most tests, which hundreds of tests fill. A test that only needs a city in an
SQLite store takes a copy of the one filled first from a folder of the same content (:func:`city_store`,
:func:`demo_store`), and one in an empty PostgreSQL store of the session's server a copy of the tables of a
schema filled once (:func:`open_filled`); the tests of the filling itself (``tests/test_city.py``,
``tests/test_demo.py``) still fill their own. A copy differs from a store of its own only in the time of its versions
(when the first was filled, minutes before) and says it was filled from the test's own folder.
"""

from __future__ import annotations

import atexit
import fcntl
import hashlib
import os
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psycopg

from geo.store import newest_version
from geo.store.engine import connect
from geo.store.meta import SEEDED
from geo.store.tables import metadata
from geo.upload import open_city
from tests.pgserver import fresh_schema

DEMO_DATA = Path(__file__).resolve().parent.parent / "data"


def _content(folder: Path) -> str:
    """A digest of every file in ``folder`` (names and bytes): folders of equal content fill equal stores."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


_FILLED: dict[str, Path] = {}  # a folder's content -> the store filled from it, once per process (per xdist worker)
#: A folder every process of one test session shares (set by ``tests/conftest.py`` before the workers start): a
#: store filled by one worker is copied by the other, instead of each filling its own (the demo city: 20 s of CPU).
SHARED_ENV = "CMDMAP_TEST_FILLED_DIR"


def _filled(folder: Path) -> Path:
    """A store filled from ``folder``, or from a folder of the same content before, by this process or another."""
    content = _content(folder)
    if content not in _FILLED:
        shared = os.environ.get(SHARED_ENV)
        if shared is None:
            shared = tempfile.mkdtemp(prefix="cmdmap-filled-")
            atexit.register(shutil.rmtree, shared, ignore_errors=True)  # hundreds of runs leave no folders behind
        path = Path(shared) / f"{content[:16]}.sqlite"
        done = path.with_suffix(".filled")
        with open(path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one process fills; the other waits for it, then copies
            if not done.exists():  # a process killed while filling left no mark: filled again from the start
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
                open_city(f"sqlite:///{path}", folder).dispose()
                done.touch()
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


def _schema(url: str) -> str | None:
    """The schema a PostgreSQL store URL of the tests works in (``options=-csearch_path=NAME,public``), or None."""
    options = parse_qs(urlsplit(url).query).get("options", [""])[0]
    found = re.fullmatch(r"-csearch_path=([A-Za-z0-9_]+),public", options)
    return found.group(1) if found else None


_TEMPLATES: dict[str, str] = {}  # a folder's content -> the schema filled from it, once per process


def _postgres_copy(url: str, folder: Path) -> None:
    """Fill the empty PostgreSQL store at ``url`` with a copy of the tables of a schema filled once per process
    from a folder of the same content (filling the tiny city costs about 2 s there, a copy a few milliseconds)."""
    schema, content = _schema(url), _content(folder)
    if content not in _TEMPLATES:
        template = f"filled_{os.getpid()}_{content[:12]}"
        open_city(fresh_schema(url.split("?")[0], template), folder).dispose()
        _TEMPLATES[content] = template
    template = _TEMPLATES[content]
    with psycopg.connect(url.split("?")[0].replace("postgresql+psycopg://", "postgresql://"),
                         autocommit=False) as conn:
        for table in metadata.sorted_tables:
            conn.execute(f'INSERT INTO "{schema}"."{table.name}" SELECT * FROM "{template}"."{table.name}"')
            for column in (c for c in table.primary_key.columns if c.autoincrement is True):  # its next value
                conn.execute(f"SELECT setval(pg_get_serial_sequence('\"{schema}\".\"{table.name}\"', "
                             f"'{column.name}'), COALESCE((SELECT max(\"{column.name}\") FROM "
                             f'"{schema}"."{table.name}"), 0) + 1, false)')
        conn.execute(f'UPDATE "{schema}".store_meta SET value = %s WHERE key = %s', (str(folder), SEEDED))


def open_filled(url: str, folder: Path):
    """``open_city(url, folder)``, through a copy when ``url`` is an SQLite file not made yet (:func:`city_store`)
    or an empty PostgreSQL store of the tests (one schema of the session's server, see ``tests/conftest.py``)."""
    path = Path(url.removeprefix("sqlite:///"))
    if url.startswith("sqlite:///") and "?" not in url and not path.exists():
        city_store(folder, path)
    elif url.startswith("postgresql") and _schema(url) and newest_version(connect(url)) == 0:
        _postgres_copy(url, Path(folder))
    return open_city(url, folder)
