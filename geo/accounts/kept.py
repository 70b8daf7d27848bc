"""Logins kept per browser in the store, so that a reload, a new tab or a server restart keeps them.

A login lives in the Streamlit session of the tab that logged in, and that session ends
with a reload (F5), a new tab, a restart of the server or a failover to another app
server. So each login is also kept in the store under the
:func:`geo.accounts.browsers.browser_key` of the browser's cookie (a hash of it, never the
cookie itself, which only the browser holds: HttpOnly, SameSite=Strict). A new session of
that browser takes the login up again for as long as it has been used within the idle
time (``session_minutes``); a logout removes it, which ends it in every tab of the
browser; an account disabled or removed is refused as on every run.

Examples
--------
>>> from datetime import datetime, timedelta
>>> from geo.store import connect
>>> engine, browser, t0 = connect("sqlite://"), "ab" * 32, datetime(2026, 12, 4, 8, 0)
>>> keep_login(engine, browser, "li", now=t0)
>>> kept_login(engine, browser, idle_minutes=30, now=t0 + timedelta(minutes=20))
KeptLogin(name='li', started_at=datetime.datetime(2026, 12, 4, 8, 0), last_seen=datetime.datetime(2026, 12, 4, 8, 0))
>>> touch_login(engine, browser, now=t0 + timedelta(minutes=20))
>>> kept_login(engine, browser, idle_minutes=30, now=t0 + timedelta(minutes=45)).name  # used 25 minutes ago
'li'
>>> kept_login(engine, browser, idle_minutes=30, now=t0 + timedelta(hours=2)) is None  # idle too long: gone
True
>>> keep_login(engine, browser, "li", now=t0); drop_login(engine, browser)
>>> kept_login(engine, browser, idle_minutes=30, now=t0) is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine

from geo.store.tables import browser_logins


@dataclass(frozen=True)
class KeptLogin:
    """Who a browser is logged in as, since when and last used when (naive UTC)."""

    name: str
    started_at: datetime
    last_seen: datetime


def keep_login(engine: Engine, browser: str, name: str, now: datetime) -> None:
    """Keep that ``browser`` (a browser key) logged in as ``name`` from ``now`` (replacing any earlier login)."""
    with engine.begin() as conn:
        conn.execute(delete(browser_logins).where(browser_logins.c.browser == browser))
        conn.execute(insert(browser_logins).values(browser=browser, user_name=name, started_at=now, last_seen=now))


def kept_login(engine: Engine, browser: str, idle_minutes: float, now: datetime) -> KeptLogin | None:
    """The login kept for ``browser``, if it was used within ``idle_minutes`` of ``now``; an older one is removed."""
    with engine.connect() as conn:
        row = conn.execute(select(browser_logins.c.user_name, browser_logins.c.started_at, browser_logins.c.last_seen)
                           .where(browser_logins.c.browser == browser)).first()
    if row is None:
        return None
    if now - row.last_seen > timedelta(minutes=idle_minutes):
        drop_login(engine, browser)
        return None
    return KeptLogin(row.user_name, row.started_at, row.last_seen)


def touch_login(engine: Engine, browser: str, now: datetime) -> None:
    """``browser``'s login was used at ``now`` (its idle time starts again)."""
    with engine.begin() as conn:
        conn.execute(update(browser_logins).where(browser_logins.c.browser == browser).values(last_seen=now))


def drop_login(engine: Engine, browser: str) -> None:
    """``browser`` logged out, or its login expired: nothing is kept."""
    with engine.begin() as conn:
        conn.execute(delete(browser_logins).where(browser_logins.c.browser == browser))
