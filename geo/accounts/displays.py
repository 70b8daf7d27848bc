"""Wall displays: a screen that shows the wall all day, with login required, and nobody typing a password.

An admin creates a display token for a screen (``python -m geo user display add 指挥大厅`` or the
accounts page); the token is shown once, in the wall's address to open on that screen
(``/wall?kiosk=1&display=TOKEN``), and only its SHA-256 is stored. The address survives a reload
and a server restart (the token is checked against the store on every run, including each timed
refresh). It opens the wall and nothing else: no other page, no export, no upload, no account.
Revoking it (``python -m geo user display revoke 指挥大厅``) stops the screen at its next refresh.

Examples
--------
>>> from geo.accounts.auth import SYSTEM
>>> from geo.store import connect
>>> engine = connect("sqlite://")
>>> token = add_display(SYSTEM, engine, "指挥大厅")
>>> len(token), find_display(engine, token).label, find_display(engine, "x" * 43)
(43, '指挥大厅', None)
>>> revoke_display(SYSTEM, engine, "指挥大厅")
>>> find_display(engine, token) is None
True
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from geo.accounts.auth import AccountError, User, require, utc_now
from geo.store.tables import MAX_NAME, display_tokens

_TOKEN_BYTES = 32
_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")  # token_urlsafe(32)
_USED_EVERY = timedelta(minutes=10)  # last_used is written at most this often per display (a refresh is a read)
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Display:
    """A screen allowed to show the wall: its name, who made it and when, when it last showed it."""

    label: str
    created_at: datetime
    created_by: str
    last_used: datetime | None
    token_hash: str = ""  # only when found by its token (find_display), for the web server's check


def wall_path(token: str) -> str:
    """The wall's address (its path and query) for a display token: what the screen's browser opens.

    >>> wall_path("T" * 43)[:28]
    '/wall?kiosk=1&display=TTTTTT'
    """
    return f"/wall?kiosk=1&display={token}"


def token_hash(token: str) -> str | None:
    """What is stored of a token: its SHA-256 in hex; None for anything that is not a token.

    >>> token_hash("x" * 43)[:12], token_hash("short"), token_hash(None)
    ('cc0b1c2c66f3', None, None)
    """
    if not isinstance(token, str) or not _TOKEN_PATTERN.fullmatch(token):
        return None
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def check_label(label: str) -> str:
    """The display's name stripped, or :class:`AccountError` (1 to 64 characters, no control characters)."""
    label = (label or "").strip()
    if not 1 <= len(label) <= MAX_NAME or any(unicodedata.category(ch).startswith("C") for ch in label):
        raise AccountError("display_label_invalid", max=MAX_NAME)
    return label


def add_display(acting: User | None, engine: Engine, label: str) -> str:
    """Create a display token named ``label``; return the token (shown once, never stored).

    Raises
    ------
    PermissionDenied
        When ``acting`` may not manage accounts.
    AccountError
        A bad or taken name.
    """
    require(acting, "manage_users")
    label = check_label(label)
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    try:
        with engine.begin() as conn:
            if conn.execute(select(display_tokens.c.id).where(display_tokens.c.label == label)).first():
                raise AccountError("display_label_taken", label=label)
            conn.execute(insert(display_tokens).values(label=label, token_hash=token_hash(token),
                                                       created_at=utc_now(), created_by=acting.name))
    except IntegrityError as error:  # the same name added at the same moment
        raise AccountError("display_label_taken", label=label) from error
    _log.info("display %r added by %s", label, acting.name)
    return token


def list_displays(engine: Engine) -> list[Display]:
    """Every display, by name (no token, no hash)."""
    with engine.connect() as conn:
        rows = conn.execute(select(display_tokens.c.label, display_tokens.c.created_at, display_tokens.c.created_by,
                                   display_tokens.c.last_used).order_by(display_tokens.c.label)).all()
    # no hash listed: nothing of a token leaves this module but to the web server's check
    return [Display(**row._mapping) for row in rows]


def revoke_display(acting: User | None, engine: Engine, label: str) -> None:
    """Revoke the display ``label``: its token opens nothing any more (the screen stops at its next refresh).

    Raises
    ------
    PermissionDenied, AccountError
        When ``acting`` may not manage accounts; when there is no such display.
    """
    require(acting, "manage_users")
    with engine.begin() as conn:
        gone = conn.execute(delete(display_tokens).where(display_tokens.c.label == (label or "").strip())).rowcount
    if not gone:
        raise AccountError("display_unknown", label=label)
    _log.info("display %r revoked by %s", label, acting.name)


def display_live(engine: Engine, digest: str) -> bool:
    """Whether a display whose token has the SHA-256 ``digest`` exists (it was not revoked)."""
    with engine.connect() as conn:
        return conn.execute(select(display_tokens.c.id).where(display_tokens.c.token_hash == digest)).first() is not None


def find_display(engine: Engine, token: str | None, now: datetime | None = None) -> Display | None:
    """The display whose token is ``token``, or None (not a token, unknown or revoked).

    Records when it was last used, at most every ten minutes, so that a wall refreshing
    every minute does not write to the store each time.
    """
    digest = token_hash(token)
    if digest is None:
        return None
    with engine.connect() as conn:
        row = conn.execute(select(display_tokens).where(display_tokens.c.token_hash == digest)).first()
    if row is None or not secrets.compare_digest(row.token_hash, digest):
        return None
    now = now or utc_now()
    if row.last_used is None or now - row.last_used > _USED_EVERY:
        try:
            with engine.begin() as conn:
                conn.execute(update(display_tokens).where(display_tokens.c.id == row.id).values(last_used=now))
        except OperationalError:  # a store busy or read-only: the wall is shown all the same
            _log.info("last use of display %r not recorded: the store cannot be written now", row.label)
    return Display(row.label, row.created_at, row.created_by, now, row.token_hash)
