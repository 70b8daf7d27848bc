"""The database behind the store: one SQLAlchemy engine per URL, one MetaData for every table.

SQLite (the default) gets write-ahead logging and a busy timeout so that the app
can read while an import writes, and two imports wait for each other instead of
failing. An SQLite file that cannot be written (a read-only file system, a read-only
file or folder) is opened read-only instead (see :func:`read_only`): everything can be
read, every write fails with SQLite's "readonly" error, which :func:`store_failure` names. PostgreSQL (with PostGIS) serves several app processes at once; writers
take one lock so that versions are written one after the other (see
:func:`lock_for_writing`). The schema is brought up to date by :mod:`geo.store.migrate`.

Examples
--------
>>> engine = connect("sqlite://")
>>> engine.dialect.name
'sqlite'
"""

from __future__ import annotations

import os
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine, make_url

from geo.store.migrate import migrate
from geo.store.private import tighten_store


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_read_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL given as a path (None: another database, in memory, or a ``file:`` URI).

    >>> sqlite_file("sqlite:///store/x.sqlite"), sqlite_file("sqlite:///file:x?mode=ro&uri=true")
    (PosixPath('store/x.sqlite'), None)
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return None if parsed.database.startswith("file:") else Path(parsed.database)  # a URI is opened as it is


def cannot_write(path: Path) -> bool:
    """Whether the existing SQLite file ``path`` cannot be written here: the file is read-only for this process,
    or its folder is and the write-ahead log's ``-wal`` and ``-shm`` files, which SQLite makes there, are not
    both there to be written."""
    if not path.exists():
        return False
    if not os.access(path, os.W_OK):
        return True
    if os.access(path.parent, os.W_OK | os.X_OK):
        return False
    return not all(side.exists() and os.access(side, os.W_OK) for side in (Path(f"{path}-wal"), Path(f"{path}-shm")))


def read_only_url(path: Path) -> str:
    """The URL that opens ``path`` read-only. SQLite reads a write-ahead-log store read-only when its ``-shm``
    file is there or can be made; else (a read-only folder after a clean stop: no ``-wal`` either) it is opened
    as immutable: nobody can be writing it.

    >>> read_only_url(Path("/nowhere/store/cmdmap.sqlite"))
    'sqlite:///file:/nowhere/store/cmdmap.sqlite?mode=ro&immutable=1&uri=true'
    """
    can_make = os.access(path.parent, os.W_OK | os.X_OK)
    immutable = "" if can_make or Path(f"{path}-shm").exists() else "&immutable=1"
    return f"sqlite:///file:{quote(str(path.absolute()))}?mode=ro{immutable}&uri=true"


_CONNECTING = threading.RLock()


def connect(url: str) -> Engine:
    """An engine for ``url`` whose schema is the newest (migrated).

    An SQLite file and the folders it needs are made readable by the service's user only
    (see :mod:`geo.store.private`): the store holds password hashes. An SQLite file that
    cannot be written is opened read-only (:func:`read_only` is then True), and again as it
    was once it can be written: asked on every call, each answer has its engine.
    """
    path = sqlite_file(url)
    with _CONNECTING:  # one first call migrates: the pages' threads and the server's warm-up thread may race to it
        return _connect(url, read_only_url(path) if path is not None and cannot_write(path) else None)


@lru_cache(maxsize=8)
def _connect(url: str, read_only_as: str | None) -> Engine:
    parsed = make_url(url)
    if read_only_as is None and sqlite_file(url) is not None:
        tighten_store(sqlite_file(url))
    # pre_ping: a pooled PostgreSQL connection may have been closed by a restart or a proxy
    engine = create_engine(read_only_as or url, future=True, pool_pre_ping=parsed.get_backend_name() != "sqlite")
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_read_pragmas if read_only(engine) else _sqlite_pragmas)
    migrate(engine)
    return engine


connect.cache_clear = _connect.cache_clear  # tests and forked children start afresh


def read_only(engine: Engine) -> bool:
    """Whether ``engine`` opens its SQLite store read-only: every page can read it, nothing can be saved.

    >>> read_only(connect("sqlite://")), read_only(create_engine("sqlite:///file:x?mode=ro&uri=true"))
    (False, True)
    """
    query = engine.url.query
    return engine.dialect.name == "sqlite" and (query.get("mode") == "ro" or query.get("immutable") == "1")


# SQLite's codes of a write the disk did not take: full (ENOSPC), or a write, sync or resize that failed (a file
# that may not grow, a failing disk: SQLite keeps no errno to tell them apart)
_DISK_WRITE_FAILED = {sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR_WRITE, sqlite3.SQLITE_IOERR_FSYNC,
                      sqlite3.SQLITE_IOERR_TRUNCATE}


def store_failure(exc: BaseException) -> str | None:
    """What kind of failure of the store ``exc`` is: ``"full"`` (the disk took no write: full, or failing),
    ``"read_only"``, or None (another).

    From SQLite's own (extended) error code, under SQLAlchemy's and pandas' wrappers.

    >>> conn = sqlite3.connect(":memory:")
    >>> _ = conn.execute("PRAGMA query_only=1")
    >>> try:
    ...     conn.execute("CREATE TABLE t (x)")
    ... except sqlite3.Error as exc:
    ...     print(store_failure(exc), store_failure(ValueError("no database")))
    read_only None
    """
    seen = 0
    while exc is not None and seen < 5:
        code = getattr(exc, "sqlite_errorcode", None)
        if code is not None:
            if code in _DISK_WRITE_FAILED or code & 0xFF == sqlite3.SQLITE_FULL:
                return "full"
            return "read_only" if code & 0xFF == sqlite3.SQLITE_READONLY else None
        exc, seen = getattr(exc, "orig", None) or exc.__cause__, seen + 1
    return None


def lock_for_writing(conn: Connection) -> None:
    """Take the store's write lock for the rest of ``conn``'s transaction; waits for other writers.

    Run it first in a transaction that reads the store and then writes a version,
    so that two imports at the same moment, from any process, land one after the
    other and the second sees the first.
    """
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(730002)")
    elif conn.dialect.name == "sqlite":
        # a write as the first statement makes SQLite start the transaction holding its write
        # lock (waiting up to busy_timeout), before the reads that follow
        conn.exec_driver_sql("UPDATE store_meta SET value = value WHERE key = 'lock'")


def write_locked(engine: Engine) -> bool:
    """Whether another connection holds the store's write lock right now (an import being written): SQLite only.

    Asks without waiting more than a moment, so that a caller can say "busy, retrying" instead of
    blocking for the busy timeout. PostgreSQL writers lock rows, not the store: always False.

    >>> write_locked(connect("sqlite://"))
    False
    """
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:") or read_only(engine):
        return False  # a read-only store has no writer to wait for
    probe = sqlite3.connect(engine.url.database, timeout=0.2, uri=engine.url.database.startswith("file:"))
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.rollback()
        return False
    except sqlite3.OperationalError as exc:
        return "locked" in str(exc) or "busy" in str(exc)
    finally:
        probe.close()
