"""Which browsers were logged in, kept in the store, so that a login lost to a server restart is said to have ended.

A login lives in the memory of the server process that holds the browser's session; a
restart (or a failed-over app server) forgets it, and the browser's next click lands in
a new session, logged out. To say so rather than leave the person wondering, each login
leaves a mark in the store under its :func:`geo.accounts.browsers.browser_key` (a hash of
the cookie, never the cookie), removed at logout. A new session of a browser with a mark
and no live login is told that its login ended, once, and the mark goes.

Examples
--------
>>> from geo.store import connect
>>> engine = connect("sqlite://")
>>> remember_login(engine, "ab" * 32, "li")
>>> ended_login(engine, "ab" * 32), ended_login(engine, "ab" * 32)
('li', None)
"""

from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine

from geo.store.tables import store_meta

PREFIX = "login:"


def _key(browser: str) -> str:
    return (PREFIX + browser)[:64]  # store_meta keys have 64 characters; 58 hex digits of a hash are plenty


def remember_login(engine: Engine, browser: str, name: str) -> None:
    """Mark that ``browser`` (a browser key) logged in as ``name``."""
    with engine.begin() as conn:
        conn.execute(delete(store_meta).where(store_meta.c.key == _key(browser)))
        conn.execute(insert(store_meta).values(key=_key(browser), value=name))


def forget_login(engine: Engine, browser: str) -> None:
    """``browser`` logged out (or its login expired, which it is told anyway): no mark."""
    with engine.begin() as conn:
        conn.execute(delete(store_meta).where(store_meta.c.key == _key(browser)))


def ended_login(engine: Engine, browser: str) -> str | None:
    """The name ``browser`` was logged in as, if it left a mark (which is then removed); else None."""
    with engine.begin() as conn:
        name = conn.execute(select(store_meta.c.value).where(store_meta.c.key == _key(browser))).scalar()
        if name is not None:
            conn.execute(delete(store_meta).where(store_meta.c.key == _key(browser)))
    return name
