"""The database behind the store: one SQLAlchemy engine per URL, one MetaData for every table.

SQLite (the default) gets write-ahead logging and a busy timeout so that the app
can read while an import writes, and two imports wait for each other instead of
failing. PostgreSQL (with PostGIS) serves several app processes at once; writers
take one lock so that versions are written one after the other (see
:func:`lock_for_writing`). The schema is brought up to date by :mod:`geo.store.migrate`.

Examples
--------
>>> engine = connect("sqlite://")
>>> engine.dialect.name
'sqlite'
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache
from pathlib import Path

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


@lru_cache(maxsize=8)
def connect(url: str) -> Engine:
    """An engine for ``url`` whose schema is the newest (migrated).

    An SQLite file and the folders it needs are made readable by the service's user only
    (see :mod:`geo.store.private`): the store holds password hashes.
    """
    parsed = make_url(url)
    if (parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:")
            and not parsed.database.startswith("file:")):  # a URI (read-only, shared memory) is opened as it is
        tighten_store(Path(parsed.database))
    # pre_ping: a pooled PostgreSQL connection may have been closed by a restart or a proxy
    engine = create_engine(url, future=True, pool_pre_ping=parsed.get_backend_name() != "sqlite")
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    migrate(engine)
    return engine


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
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return False
    probe = sqlite3.connect(engine.url.database, timeout=0.2, uri=engine.url.database.startswith("file:"))
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.rollback()
        return False
    except sqlite3.OperationalError as exc:
        return "locked" in str(exc) or "busy" in str(exc)
    finally:
        probe.close()
