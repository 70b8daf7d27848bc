"""Accounts, roles and logins: who may view, upload, see the history, roll back and manage accounts.

Four roles, from least to most: ``viewer`` (sees the maps), ``officer`` (a grid officer, 网格员: sees
and reports the daily state of the places in its scope, nothing else), ``staff`` (uploads
tables, undoes their own latest import while nothing newer of its table exists, sees
the version history, downloads originals) and ``admin`` (also rolls
back versions and manages accounts). Someone who is not logged in may only view,
and only when the ``require_login`` setting is false.

Passwords are hashed with argon2id and never stored or logged in clear. Failed
logins are throttled per name and client address, per address and per name (see
:mod:`geo.accounts.throttle`): three wrong passwords for a name from one address
lock that name there for a doubling time (1 s, 2 s, 4 s, ... up to 5 minutes).

Every function that changes an account takes the acting user first and checks
``require(acting, "manage_users")`` itself, whatever the page already checked.
The command line acts as :data:`SYSTEM`.

Examples
--------
>>> can(User("li", "staff"), "upload"), can(User("li", "staff"), "rollback")
(True, False)
>>> can(None, "view", require_login=False), can(None, "view", require_login=True)
(True, False)
>>> start = datetime(2020, 2, 25, 8, 0)
>>> session = Session(User("li", "staff"), start, start)
>>> session.expired(start + timedelta(minutes=30), minutes=20)
True
>>> session.touched(start + timedelta(minutes=15)).expired(start + timedelta(minutes=30), minutes=20)
False
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from geo.accounts import throttle
from geo.accounts.passwords import MAX_PASSWORD, MIN_PASSWORD, password_problem
from geo.accounts.scope import Scope, ScopeRefused
from geo.domain import Text, phone_number, t
from geo.store import lock_for_writing
from geo.store.tables import MAX_NAME, users

ROLES = ("viewer", "officer", "unit", "staff", "admin")

# Which roles may do each action.
ACTIONS: dict[str, tuple[str, ...]] = {
    "view": ROLES,
    "upload": ("staff", "admin"),
    "history": ("staff", "admin"),
    "rollback": ("admin",),
    # only one's own newest import while no later version of its table exists: see geo.upload.undo_import
    "undo_own": ("staff", "admin"),
    "manage_users": ("admin",),
    "task_sheets": ("staff", "admin"),  # a responsible unit's task sheet (交办单) names every open problem it has
    # the loop (督导检查 → 交办 → 整改 → 销号): everyone who may view sees the problems, read-only
    "handle_problems": ("staff", "admin"),
    # a responsible unit (a property company, a contractor): starts fixing its problems and reports them fixed
    # with a photo; the bureau re-checks and closes them (geo.domain.tasks.TRANSITIONS)
    "fix_problems": ("unit", "staff", "admin"),
    "inspect": ("staff", "admin"),
    "edit_checklists": ("admin",),
    "report_daily": ("officer", "staff", "admin"),  # a place's state today from the report page (pages/report.py)
}
#: What an account limited to an area (a :class:`Scope`) may do, whatever its role: the other actions change or
#: show the whole city's tables, files and accounts (an upload's table, history's original files, rollback).
SCOPED_ACTIONS = ("view", "report_daily", "fix_problems")  # report_daily: only the places its scope keeps (geo.upload.daily)


# The hasher; tests may swap it for a cheap one. Its parameters decide when a login rehashes.
HASHER = PasswordHasher()

_log = logging.getLogger(__name__)
_dummy_hashes: dict[tuple[int, int, int], str] = {}



@dataclass(frozen=True)
class User:
    """Someone logged in: a name, one of :data:`ROLES`, and the area it sees (None: the whole city)."""

    name: str
    role: str
    scope: Scope | None = None


SYSTEM = User("system", "admin")
"""The identity of the command line (``python -m geo user …``): whoever can run it is trusted as an admin."""


@dataclass(frozen=True)
class Account:
    """One row of :func:`list_users`: everything about an account except its password hash."""

    name: str
    role: str
    disabled: bool
    created_at: datetime
    last_login: datetime | None
    locked_until: datetime | None
    failed_count: int
    scope: str | None = None  # as kept (geo.accounts.scope); None: the whole city
    phone: str | None = None  # as kept (geo.domain.phones.phone_number's form)


@dataclass(frozen=True)
class Session:
    """A login kept by the UI: who, since when, when last seen (naive UTC datetimes), and from which browser.

    ``browser`` is the :func:`geo.accounts.browsers.browser_key` of the cookie the logging-in
    connection presented; the login is only ever honoured for a connection presenting the
    same one (None: logged in where there is no connection, as in tests of the pages).
    """

    user: User
    started_at: datetime
    last_seen: datetime
    browser: str | None = None

    def expired(self, now: datetime, minutes: float) -> bool:
        """Whether more than ``minutes`` have passed since the session was last used.

        Parameters
        ----------
        now : datetime
            The current time, in the same clock as ``last_seen``.
        minutes : float
            The idle timeout (the ``session_minutes`` setting).

        Returns
        -------
        bool
        """
        return now - self.last_seen > timedelta(minutes=minutes)

    def touched(self, now: datetime) -> "Session":
        """The same session, last seen at ``now``."""
        return replace(self, last_seen=now)


class Refusal(Exception):
    """An error with a message in Chinese and English, built from a key of :mod:`geo.domain.labels`.

    A value that is a :class:`~geo.domain.text.Text` (a role, an action) is filled in
    each language in that language. ``str(error)`` is the Chinese message.
    """

    def __init__(self, key: str, **values):
        self.key = key
        self.values = values
        self.text = t(key, **values)
        super().__init__(self.text.zh)

    def message(self, lang: str = "zh") -> str:
        """The message in ``lang`` ('zh' or 'en')."""
        return self.text.pick(lang)


class PermissionDenied(Refusal, PermissionError):
    """The user (or nobody, when logged out) may not do the action."""


class LoginRefused(Refusal):
    """A login failed. ``wait_seconds`` is how long the name stays locked (0: not locked)."""

    def __init__(self, key: str, wait_seconds: int = 0, **values):
        self.wait_seconds = wait_seconds
        super().__init__(key, **values)


class AccountError(Refusal, ValueError):
    """An account change was refused: bad name, role or password, unknown user, last admin."""


def _scope_of(row) -> Scope | None:
    """The scope kept with an account's row; a scope that cannot be read admits nothing rather than the whole
    city (an account must never see more than it was given)."""
    try:
        return Scope.parse(getattr(row, "scope", None))
    except ScopeRefused:
        return Scope("places", ())


def set_scope(acting: User | None, engine: Engine, name: str, scope: Scope | None) -> None:
    """Limit ``name`` to ``scope`` (None: the whole city again).

    Raises
    ------
    PermissionDenied, AccountError
    """
    require(acting, "manage_users")
    with engine.begin() as conn:
        row = _existing_row(conn, name)
        conn.execute(update(users).where(users.c.id == row.id).values(scope=scope.text if scope else None))
    _log.info("scope of %r set to %s by %s", name, scope.text if scope else "the whole city", acting.name)


def set_phone(acting: User | None, engine: Engine, name: str, phone: str | None) -> None:
    """Keep ``phone`` (a mobile or a landline with its area code, see :func:`geo.domain.phones.phone_number`)
    for account ``name``: whom the command post rings when its places have not reported. None clears it.

    Raises
    ------
    PermissionDenied, AccountError
        The number cannot be dialled (``auth_phone_not_dialable``).
    """
    require(acting, "manage_users")
    kept = None
    if phone is not None and str(phone).strip():
        kept = phone_number(str(phone))
        if kept is None:
            raise AccountError("auth_phone_not_dialable", phone=str(phone)[:40])
    with engine.begin() as conn:
        row = _existing_row(conn, name)
        conn.execute(update(users).where(users.c.id == row.id).values(phone=kept))


def utc_now() -> datetime:
    """The current time in UTC, naive (as stored in the database)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def describe_role(role: str) -> Text:
    """The name of ``role`` in both languages, for a value of :func:`geo.domain.labels.t` or a :class:`Refusal`."""
    return t(f"auth_role_{role}")


def can(user: User | None, action: str, require_login: bool = False) -> bool:
    """Whether ``user`` may do ``action``.

    Parameters
    ----------
    user : User or None
        The user, or None when nobody is logged in.
    action : str
        A key of :data:`ACTIONS`.
    require_login : bool
        The ``require_login`` setting: when true, nobody logged out may even view.

    Returns
    -------
    bool

    Raises
    ------
    KeyError
        When ``action`` is not a known action (a programming error).

    Examples
    --------
    >>> can(User("li", "staff"), "upload"), can(User("li", "staff", Scope("zone", ("Z1",))), "upload")
    (True, False)
    """
    allowed = ACTIONS[action]
    if user is None:
        return action == "view" and not require_login
    return user.role in allowed and (user.scope is None or action in SCOPED_ACTIONS)


def require(user: User | None, action: str, require_login: bool = False) -> None:
    """Raise :class:`PermissionDenied` unless ``user`` may do ``action`` (see :func:`can`).

    Raises
    ------
    PermissionDenied
        With the message "log in first" for nobody, "your role may not" for a user.
    """
    if can(user, action, require_login):
        return
    if user is None:
        raise PermissionDenied("auth_login_needed", action=t(f"auth_action_{action}"))
    if user.scope is not None and user.role in ACTIONS[action]:
        raise PermissionDenied("auth_denied_scoped", action=t(f"auth_action_{action}"))
    raise PermissionDenied("auth_denied", action=t(f"auth_action_{action}"), role=describe_role(user.role))


# --- checks on input -------------------------------------------------------------------------


def check_name(name: str) -> str:
    """The user name stripped of surrounding blanks, or :class:`AccountError` when unusable.

    A name has 1 to 64 characters, none of them blank or control characters, and
    is not the command line's name (``system``).
    """
    name = (name or "").strip()
    if not 1 <= len(name) <= MAX_NAME or any(
            ch.isspace() or unicodedata.category(ch).startswith("C") for ch in name):
        raise AccountError("auth_name_invalid", max=MAX_NAME)
    if name.casefold() == SYSTEM.name:
        raise AccountError("auth_name_reserved", name=name)
    return name


def check_role(role: str) -> str:
    """``role`` if it is one of :data:`ROLES`, else :class:`AccountError`."""
    if role not in ROLES:
        raise AccountError("auth_role_unknown", role=role, roles=", ".join(ROLES))
    return role


def check_password(password: str, name: str | None = None) -> str:
    """``password`` if the account ``name`` may have it, else :class:`AccountError` saying why.

    It has 8 to 1024 characters, at least 8 of them visible, and is not guessable (a common
    password, a keyboard run, the account's name with a year …): see :mod:`geo.accounts.passwords`.
    """
    problem = password_problem(password, name)
    if problem is not None:
        raise AccountError(problem, min=MIN_PASSWORD, max=MAX_PASSWORD)
    return password


# --- hashing ---------------------------------------------------------------------------------


def hash_password(password: str, name: str | None = None) -> str:
    """The argon2id hash of ``password`` for the account ``name`` (checked with :func:`check_password` first)."""
    return HASHER.hash(check_password(password, name))


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``; a broken hash never matches."""
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _dummy_hash() -> str:
    """A hash made with the current parameters, verified for unknown names so they take as long."""
    key = (HASHER.time_cost, HASHER.memory_cost, HASHER.parallelism)
    if key not in _dummy_hashes:
        _dummy_hashes[key] = HASHER.hash("not a password of anyone")
    return _dummy_hashes[key]


# --- reading ---------------------------------------------------------------------------------


def _row(conn: Connection, name: str):
    return conn.execute(select(users).where(users.c.name == name)).first()


def _existing_row(conn: Connection, name: str):
    row = _row(conn, (name or "").strip())
    if row is None:
        raise AccountError("auth_user_unknown", name=name)
    return row


def list_users(engine: Engine) -> list[Account]:
    """Every account, by name, without password hashes.

    Parameters
    ----------
    engine : Engine
        From :func:`geo.store.engine.connect`.

    Returns
    -------
    list of Account
    """
    columns = [users.c[field] for field in Account.__dataclass_fields__]
    with engine.connect() as conn:
        rows = conn.execute(select(*columns).order_by(users.c.name)).all()
    return [Account(**row._mapping) for row in rows]


def find_user(engine: Engine, name: str) -> User | None:
    """The enabled user called ``name`` with its current role, or None (unknown or disabled)."""
    with engine.connect() as conn:
        row = _row(conn, name)
    if row is None or row.disabled:
        return None
    return User(row.name, row.role, _scope_of(row))


def _count_admins(conn: Connection) -> int:
    query = select(users.c.id).where(users.c.role == "admin", users.c.disabled.is_(False))
    return len(conn.execute(query).all())


def lock_admins(conn: Connection) -> None:
    """Make ``conn``'s transaction the only one changing admins until it ends; the others wait.

    Run first in a transaction that checks the last-admin rule and then changes an account,
    so that two admins demoting each other at the same moment leave one admin: the second
    waits for the first and then counts what it left. PostgreSQL locks the enabled admins'
    rows (``SELECT … FOR UPDATE``; a waiting count is re-read once they are released, and
    logins, which only touch their own row, go on); SQLite takes its write lock first
    (as ``BEGIN IMMEDIATE``), before the reads.
    """
    if conn.dialect.name == "sqlite":
        lock_for_writing(conn)
    else:
        conn.execute(select(users.c.id).where(users.c.role == "admin", users.c.disabled.is_(False))
                     .with_for_update())


# --- changing accounts -----------------------------------------------------------------------


def add_user(acting: User | None, engine: Engine, name: str, role: str, password: str) -> User:
    """Create an account.

    Parameters
    ----------
    acting : User or None
        Who does it; must be allowed ``manage_users`` (the command line passes :data:`SYSTEM`).
    engine : Engine
        From :func:`geo.store.engine.connect`.
    name, role, password : str
        See :func:`check_name`, :func:`check_role`, :func:`check_password`.

    Returns
    -------
    User
        The new user.

    Raises
    ------
    PermissionDenied
        When ``acting`` may not manage accounts.
    AccountError
        Bad name, role or password, or the name is taken.
    """
    require(acting, "manage_users")
    name, role = check_name(name), check_role(role)
    password_hash = hash_password(password, name)
    try:
        with engine.begin() as conn:
            if _row(conn, name) is not None:
                raise AccountError("auth_name_taken", name=name)
            conn.execute(insert(users).values(name=name, role=role, password_hash=password_hash,
                                              created_at=utc_now(), disabled=False, failed_count=0))
    except IntegrityError as error:  # a concurrent add of the same name
        raise AccountError("auth_name_taken", name=name) from error
    _log.info("account %r added with role %s by %s", name, role, acting.name)
    return User(name, role)


def set_password(acting: User | None, engine: Engine, name: str, password: str) -> None:
    """Give ``name`` a new password and unlock it.

    ``acting`` must be allowed ``manage_users``, or be ``name`` itself.

    Raises
    ------
    PermissionDenied, AccountError
    """
    if acting is None or acting.name != name:
        require(acting, "manage_users")
    password_hash = hash_password(password, name)
    with engine.begin() as conn:
        row = _existing_row(conn, name)
        conn.execute(update(users).where(users.c.id == row.id).values(
            password_hash=password_hash, failed_count=0, locked_until=None))
    throttle.unlock(engine, row.name)
    _log.info("password of %r set by %s", name, acting.name)


def set_role(acting: User | None, engine: Engine, name: str, role: str) -> None:
    """Change the role of ``name``; the last enabled admin cannot be demoted.

    Raises
    ------
    PermissionDenied, AccountError
    """
    require(acting, "manage_users")
    check_role(role)
    with engine.begin() as conn:
        lock_admins(conn)
        row = _existing_row(conn, name)
        if row.role == "admin" and role != "admin" and not row.disabled:
            refuse_last_admin(conn)
        conn.execute(update(users).where(users.c.id == row.id).values(role=role))
    _log.info("role of %r set to %s by %s", name, role, acting.name)


def set_disabled(acting: User | None, engine: Engine, name: str, disabled: bool) -> None:
    """Disable (``True``) or enable (``False``) ``name``; the last enabled admin cannot be disabled.

    Enabling also clears failed logins and any lock.

    Raises
    ------
    PermissionDenied, AccountError
    """
    require(acting, "manage_users")
    with engine.begin() as conn:
        lock_admins(conn)
        row = _existing_row(conn, name)
        if disabled and row.role == "admin" and not row.disabled:
            refuse_last_admin(conn)
        values = {"disabled": bool(disabled)}
        if not disabled:
            values.update(failed_count=0, locked_until=None)
        conn.execute(update(users).where(users.c.id == row.id).values(**values))
    if not disabled:
        throttle.unlock(engine, row.name)
    _log.info("account %r %s by %s", name, "disabled" if disabled else "enabled", acting.name)


def refuse_last_admin(conn: Connection) -> None:
    """Raise :class:`AccountError` when there is at most one enabled admin (inside the change's transaction)."""
    if _count_admins(conn) <= 1:
        raise AccountError("auth_last_admin")


# --- logging in ------------------------------------------------------------------------------


def to_naive_utc(moment: datetime | None) -> datetime:
    """``moment`` as a naive UTC datetime (naive input is taken as UTC); None is now."""
    if moment is None:
        return utc_now()
    if moment.tzinfo is not None:
        return moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def authenticate(engine: Engine, name: str, password: str, now: datetime | None = None,
                 address: str | None = None) -> User:
    """Check a login and return the user.

    The try is counted first (:func:`geo.accounts.throttle.charge`: per name and client
    address, per address, per name), and while any of those is locked it is refused without
    looking at the password, for a known name as for an unknown one. An unknown name costs
    the same hash verification as a known one and gets the same message as a wrong password.
    A good password clears the count of its name from its address, records the login (not on a read-only
    store, whose tries are counted in a file of the process: see :func:`throttle.counter_store`) and
    rehashes the password when the hash parameters have changed.

    Parameters
    ----------
    engine : Engine
        From :func:`geo.store.engine.connect`.
    name, password : str
        As typed.
    now : datetime, optional
        The current time (tests inject it); naive means UTC.
    address : str, optional
        The client's address (None: :data:`geo.accounts.throttle.LOCAL`, the same machine).

    Returns
    -------
    User

    Raises
    ------
    LoginRefused
        Wrong name or password (``wait_seconds``: the lock it brought, if any), locked
        (``auth_locked``, ``wait_seconds`` > 0) or disabled account.
    """
    now = to_naive_utc(now)
    try:  # a read-only store: tries are counted in a file of this process (nothing of the login is stored)
        counts = throttle.counter_store(engine)
    except (OSError, DBAPIError) as exc:
        raise LoginRefused("auth_store_read_only") from exc
    wait = throttle.charge(counts, name, address, now)
    if wait:
        raise LoginRefused("auth_locked", wait_seconds=wait, seconds=wait)
    with engine.connect() as conn:
        row = _row(conn, (name or "").strip())
    if row is None:
        verify_password(_dummy_hash(), password or "")
        raise LoginRefused("auth_bad_credentials", wait_seconds=throttle.waiting(counts, name, address, now))
    if not verify_password(row.password_hash, password or ""):
        raise LoginRefused("auth_bad_credentials", wait_seconds=throttle.waiting(counts, name, address, now))
    if row.disabled:
        raise LoginRefused("auth_disabled")
    throttle.succeeded(counts, name, address)
    if counts is engine:  # the time of the login and a newer hash: only where they can be written
        record_success(engine, row, password, now)
    return User(row.name, row.role, _scope_of(row))


def unlock(acting: User | None, engine: Engine, name: str) -> None:
    """End every login lock of ``name``, from every address (an admin, or the command line).

    Raises
    ------
    PermissionDenied, AccountError
        When ``acting`` may not manage accounts; when there is no such account.
    """
    require(acting, "manage_users")
    with engine.begin() as conn:
        row = _existing_row(conn, name)
        conn.execute(update(users).where(users.c.id == row.id).values(failed_count=0, locked_until=None))
    throttle.unlock(engine, row.name)
    _log.info("logins of %r unlocked by %s", row.name, acting.name)


def record_success(engine: Engine, row, password: str, now: datetime) -> None:
    """Reset the failures of a good login, record it, and rehash an outdated hash."""
    values = {"failed_count": 0, "locked_until": None, "last_login": now}
    if HASHER.check_needs_rehash(row.password_hash):
        values["password_hash"] = HASHER.hash(password)
    with engine.begin() as conn:
        conn.execute(update(users).where(users.c.id == row.id).values(**values))


def format_time(moment: datetime | None) -> str:
    """A stored (naive UTC) time in the server's local time, to the minute; '' for None."""
    if moment is None:
        return ""
    return moment.replace(tzinfo=timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M")


def start_session(user: User, now: datetime | None = None, browser: str | None = None) -> Session:
    """A new :class:`Session` for ``user`` starting ``now`` (default: the current UTC time), bound to ``browser``."""
    now = to_naive_utc(now)
    return Session(user, now, now, browser)
