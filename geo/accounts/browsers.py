"""Which browser a login belongs to: a random id in an HttpOnly cookie, and this process's logins by session.

A Streamlit session id is no secret: it travels in every upload URL
(``/_stcore/upload_file/<session-id>/…``) and lands in proxy logs, and a WebSocket
that presents it is handed that session. So a login is bound to the browser that
logged in instead: the web server gives every browser a random id in a cookie that
page scripts cannot read (HttpOnly, SameSite=Strict; ``ui/server.py``), a login
records the :func:`browser_key` of the cookie its connection presented, and every
run compares it with the cookie of the connection now asking. A connection from
anywhere else carries no identity, whatever session id it presents.

:class:`Logins` is what the web server itself needs to know before a request
reaches the app (may this session's browser upload?): the pages record each live
login in :data:`LOGINS` under its session id, and forget it at logout.

Examples
--------
>>> browser = new_browser_id()
>>> len(browser), browser_key(browser) == browser_key(browser), browser_key("forged;value")
(43, True, None)
>>> logins = Logins()
>>> logins.hold("session-1", browser_key(browser), User("li", "staff"), now=0.0)
>>> logins.holder("session-1", browser_key(browser), idle_seconds=600, now=60.0)
User(name='li', role='staff', scope=None)
>>> logins.holder("session-1", browser_key(new_browser_id()), idle_seconds=600, now=60.0) is None  # another browser
True
>>> logins.holder("session-1", browser_key(browser), idle_seconds=600, now=660.5) is None  # idle too long
True
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from dataclasses import dataclass

from geo.accounts.auth import User

COOKIE_NAME = "cmdmap_browser"
# The header the web server puts on each WebSocket handshake: the browser_key of its cookie (a header of
# that name sent by the client is dropped first). Streamlit's server.trustedUserHeaders copies it into the
# session's identity, so that Streamlit itself refuses to hand a session to a connection of another browser.
IDENTITY_HEADER = "x-cmdmap-browser"
_ID_BYTES = 32
_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")  # token_urlsafe(32): 43 characters


def new_browser_id() -> str:
    """A fresh random browser id (256 bits, URL-safe), the value of the cookie."""
    return secrets.token_urlsafe(_ID_BYTES)


def browser_key(cookie: str | None) -> str | None:
    """What is kept of a browser id: its SHA-256 in hex; None for no cookie or one that is not an id.

    Only the key is stored or compared, so a memory dump or a log of a login never holds
    a cookie that would let someone else act as that browser.

    >>> browser_key(None), browser_key(""), browser_key("x" * 43)[:12]
    (None, None, 'cc0b1c2c66f3')
    """
    if not cookie or not _ID_PATTERN.fullmatch(cookie):
        return None
    return hashlib.sha256(cookie.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class Holder:
    """A live login as the web server sees it: whose, from which browser, last seen when (monotonic seconds)."""

    browser: str
    user: User
    seen: float


class Logins:
    """The logins of this process by Streamlit session id, for the web server's checks; thread-safe.

    The pages call :meth:`hold` on every run of a logged-in session and :meth:`release`
    at logout; a login not held again for longer than the idle time (a closed tab, a
    session that expired) counts for nothing and is dropped at the next :meth:`hold`.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._held: dict[str, Holder] = {}

    def hold(self, session_id: str, browser: str, user: User, idle_seconds: float = 86400.0,
             now: float | None = None) -> None:
        """Record that ``session_id`` is logged in as ``user`` from ``browser`` (a :func:`browser_key`).

        Logins idle for more than ``idle_seconds`` are forgotten meanwhile.
        """
        now = time.monotonic() if now is None else now
        with self._lock:
            self._held[session_id] = Holder(browser, user, now)
            for key in [key for key, held in self._held.items() if now - held.seen > idle_seconds]:
                del self._held[key]

    def release(self, session_id: str) -> None:
        """Forget the login of ``session_id`` (logged out, or taken over: either way no longer anyone)."""
        with self._lock:
            self._held.pop(session_id, None)

    def holder(self, session_id: str, browser: str | None, idle_seconds: float,
               now: float | None = None) -> User | None:
        """The user logged in on ``session_id``, if ``browser`` is the one that logged in and the
        login was used within ``idle_seconds``; else None.

        >>> Logins().holder("nobody", None, idle_seconds=60) is None
        True
        """
        now = time.monotonic() if now is None else now
        with self._lock:
            held = self._held.get(session_id)
        if held is None or browser is None or now - held.seen > idle_seconds:
            return None
        return held.user if secrets.compare_digest(held.browser, browser) else None


    def logged_in(self, browser: str | None, idle_seconds: float, now: float | None = None,
                  roles: tuple[str, ...] | None = None) -> User | None:
        """The user of a live login from ``browser`` (a :func:`browser_key`) on any session, or None.

        For what a browser asks outside a session (a base-map tile, a pack of places): any tab of it
        logged in is enough; ``roles``: only a login with one of these roles counts.

        >>> logins = Logins()
        >>> logins.hold("s1", "key-a", User("li", "viewer"), now=0.0)
        >>> logins.logged_in("key-a", 600, now=30.0), logins.logged_in("key-b", 600, now=30.0)
        (User(name='li', role='viewer', scope=None), None)
        >>> logins.logged_in("key-a", 600, now=900.0) is None, logins.logged_in(None, 600) is None
        (True, True)
        >>> logins.logged_in("key-a", 600, now=30.0, roles=("admin",)) is None
        True
        """
        users = self.users_of(browser, idle_seconds, now, roles)
        return users[0] if users else None

    def users_of(self, browser: str | None, idle_seconds: float, now: float | None = None,
                 roles: tuple[str, ...] | None = None) -> list[User]:
        """Every user logged in from ``browser`` on a session used within ``idle_seconds`` (see :meth:`logged_in`)."""
        if browser is None:
            return []
        now = time.monotonic() if now is None else now
        with self._lock:
            held = list(self._held.values())
        return [login.user for login in held
                if (roles is None or login.user.role in roles) and now - login.seen <= idle_seconds
                and secrets.compare_digest(login.browser, browser)]


LOGINS = Logins()
"""The logins of this server process: written by the pages (``ui/login.py``), read by the web server."""
