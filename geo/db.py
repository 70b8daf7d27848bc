"""The database behind the store: one SQLAlchemy engine per URL, one MetaData for every table.

SQLite (the default) gets write-ahead logging and a busy timeout so that the app
can read while an import writes, and two imports wait for each other instead of
failing.

Examples
--------
>>> engine = connect("sqlite://")
>>> engine.dialect.name
'sqlite'
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine, make_url

metadata = MetaData()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


@lru_cache(maxsize=8)
def connect(url: str) -> Engine:
    """An engine for ``url`` with every table created; SQLite folders are made as needed."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    import geo.auth  # noqa: F401  (registers the account tables on the metadata)
    import geo.store  # noqa: F401  (registers the store tables on the metadata)

    metadata.create_all(engine)
    return engine
