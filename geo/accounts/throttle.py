"""Failed logins: who must wait before trying again, counted so that parallel tries cannot slip through.

Three counters, each a row of ``login_throttle`` with its failures, the start of their
window and a lock:

* ``pair:<name>|<address>``, one name tried from one client address: 3 free failures, then
  a lock doubling from 1 s to 5 minutes. This is the one a guesser meets first, and it stops
  only that address for that name.
* ``address:<address>``, every name tried from one address: 10 free failures within
  15 minutes, then a doubling lock. It stops one address trying many names (and, because
  unknown names count like known ones, finding out which exist).
* ``name:<name>``, one name tried from every address: 20 free failures within 15 minutes,
  then a doubling lock for everybody. It stops a guess spread over many addresses.

Why per address first: a lock on the name alone lets anyone lock anyone out. One wrong
password every 300 s kept an account (the wall's) locked forever. Here a slow guesser
locks only their own address for that name, and the name's own count forgets failures
older than its window, so one try every few minutes never locks the name at all. The
name's lock still catches a fast guess from many addresses, and ``python -m geo user
unlock NAME`` (or the accounts page) ends it at once.

The name is counted as typed (stripped, case-folded), known or not, so an unknown name
meets the same locks and the same message as a real one: names cannot be enumerated.

A try is charged **before** its password is checked, in one transaction that holds a
lock (PostgreSQL: an advisory lock; SQLite: its write lock), and only a try that found
no lock is charged and checked. So of 40 parallel wrong passwords for one name, 3 are
checked and 37 are refused unchecked. A good password clears its own ``pair:`` count.

A read-only store (a disk mounted read-only) cannot count tries: they are counted in a file of
this process's own in the temporary folder instead (:func:`counter_store`), with the same rules
and the same locks, so that the app can still be logged into to read, and a guesser still waits.

Examples
--------
>>> from geo.store import connect
>>> engine = connect("sqlite://")
>>> start = datetime(2020, 2, 25, 8, 0)
>>> [charge(engine, "Li", "10.0.0.7", start) for _ in range(4)]
[0, 0, 0, 1]
>>> charge(engine, "li", "10.0.0.8", start)  # another address is not locked out
0
>>> unlock(engine, "li")
>>> charge(engine, "li", "10.0.0.7", start)
0
"""

from __future__ import annotations

import math
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.engine import Connection, Engine

from geo.store import connect, read_only
from geo.store.tables import login_throttle

LOCAL = "local"  # the address of a try with no client address (the same machine, a test)
MAX_ADDRESS = 64  # characters of an address kept (an IPv6 address has at most 45)
MAX_NAME_KEY = 100  # characters of a typed name kept in a key


@dataclass(frozen=True)
class Rule:
    """How one counter throttles: free failures within ``window``, then a lock doubling up to ``max_lock``."""

    free: int
    window: timedelta
    max_lock: int  # seconds

    def lock_seconds(self, failures: int) -> int:
        """Seconds of lock after ``failures`` within the window (0: none).

        >>> [Rule(3, timedelta(days=1), 300).lock_seconds(n) for n in (2, 3, 4, 5, 11, 12, 100)]
        [0, 1, 2, 4, 256, 300, 300]
        """
        if failures < self.free:
            return 0
        return min(self.max_lock, 2 ** min(failures - self.free, 16))


PAIR = Rule(free=3, window=timedelta(days=1), max_lock=300)
ADDRESS = Rule(free=10, window=timedelta(minutes=15), max_lock=300)
NAME = Rule(free=20, window=timedelta(minutes=15), max_lock=300)
STALE = timedelta(days=2)  # longer than every rule's window


def name_key(name: str) -> str:
    """How a typed name is counted: stripped and case-folded, known or not.

    >>> name_key("  Li "), name_key("LI")
    ('li', 'li')
    """
    return (name or "").strip().casefold()[:MAX_NAME_KEY]


def keys(name: str, address: str | None) -> dict[str, Rule]:
    """The counters a try of ``name`` from ``address`` is charged to, with their rules.

    >>> list(keys("Li", "10.0.0.7"))
    ['pair:li|10.0.0.7', 'address:10.0.0.7', 'name:li']
    """
    where = (address or LOCAL)[:MAX_ADDRESS]
    return {f"pair:{name_key(name)}|{where}": PAIR, f"address:{where}": ADDRESS, f"name:{name_key(name)}": NAME}


def counter_store(engine: Engine) -> Engine:
    """Where the tries of a login to ``engine`` are counted: the store itself, or for a read-only store a file
    of this process's own in the temporary folder (forgotten at a restart, as a read-only store forgets nothing).

    Raises OSError or a database error when not even that can be written.
    """
    return _tries_of_this_process() if read_only(engine) else engine


@lru_cache(maxsize=1)
def _tries_of_this_process() -> Engine:
    return connect(f"sqlite:///{tempfile.mkdtemp(prefix='cmdmap-login-tries-')}/tries.sqlite")


def _serialise(conn: Connection) -> None:
    """Make this transaction the only one charging tries until it ends (any process)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(730017)")
    elif conn.dialect.name == "sqlite":
        # a write first: SQLite starts the transaction holding its write lock (waiting up to busy_timeout)
        conn.execute(delete(login_throttle).where(login_throttle.c.key == ""))


def charge(engine: Engine, name: str, address: str | None, now: datetime) -> int:
    """Count a try of ``name`` from ``address`` before its password is checked; the seconds to wait.

    0: the try is counted on every counter and its password may be checked. More: a
    counter is locked for that long and the try is neither counted nor checked.

    Parameters
    ----------
    engine : Engine
        From :func:`geo.store.connect`.
    name : str
        The name as typed (known or not).
    address : str or None
        The client's address (None: :data:`LOCAL`).
    now : datetime
        Naive UTC.

    Returns
    -------
    int
    """
    rules = keys(name, address)
    with engine.begin() as conn:
        _serialise(conn)
        rows = {row.key: row for row in conn.execute(
            select(login_throttle).where(login_throttle.c.key.in_(list(rules))))}
        waits = [math.ceil((row.locked_until - now).total_seconds()) for row in rows.values()
                 if row.locked_until is not None and now < row.locked_until]
        if waits:
            return max(waits)
        # counters whose window and lock are long over count for nothing: dropped, so the table stays small
        conn.execute(delete(login_throttle).where(
            login_throttle.c.window_start < now - STALE, or_(login_throttle.c.locked_until.is_(None),
                                                              login_throttle.c.locked_until < now)))
        for key, rule in rules.items():
            row = rows.get(key)
            fresh = row is None or now - row.window_start > rule.window
            failures = 1 if fresh else row.failures + 1
            seconds = rule.lock_seconds(failures)
            values = {"failures": failures, "locked_until": now + timedelta(seconds=seconds) if seconds else None}
            if fresh:
                values["window_start"] = now
            if row is None:
                conn.execute(insert(login_throttle).values(key=key, **values))
            else:
                conn.execute(update(login_throttle).where(login_throttle.c.key == key).values(**values))
    return 0


def waiting(engine: Engine, name: str, address: str | None, now: datetime) -> int:
    """The seconds a try of ``name`` from ``address`` would have to wait now (0: none)."""
    with engine.connect() as conn:
        locks = conn.execute(select(login_throttle.c.locked_until).where(
            login_throttle.c.key.in_(list(keys(name, address))), login_throttle.c.locked_until > now)).scalars().all()
    return max((math.ceil((until - now).total_seconds()) for until in locks), default=0)


def succeeded(engine: Engine, name: str, address: str | None) -> None:
    """A good password: forget the failures of this name from this address, and take this try back from the
    address's and the name's counts (the failures before it keep counting there).

    The try was charged to every counter before its password was checked (:func:`charge`). Left on the
    address's count, good logins added up like failures: the eleventh officer logging in within 15 minutes
    from one address (a command post's or a carrier's shared address, a proxy) found it locked, and each
    one after waited longer (bench/load.py --officers). A lock that this try alone brought is lifted.

    >>> from geo.store import connect
    >>> engine, start = connect("sqlite://"), datetime(2020, 2, 26, 8, 0)
    >>> for n in range(30):  # thirty officers behind one address, one good login each
    ...     wait = charge(engine, f"wg-{n}", "10.0.0.9", start)
    ...     succeeded(engine, f"wg-{n}", "10.0.0.9")
    >>> wait, charge(engine, "wg-30", "10.0.0.9", start)
    (0, 0)
    """
    rules = keys(name, address)
    pair = next(iter(rules))
    with engine.begin() as conn:
        conn.execute(delete(login_throttle).where(login_throttle.c.key == pair))
        for key, rule in list(rules.items())[1:]:
            row = conn.execute(select(login_throttle).where(login_throttle.c.key == key)).first()
            if row is None or row.failures < 1:
                continue
            values = {"failures": row.failures - 1}
            if rule.lock_seconds(row.failures - 1) == 0:  # the lock, if any, was this try's own
                values["locked_until"] = None
            conn.execute(update(login_throttle).where(login_throttle.c.key == key).values(**values))


def unlock(engine: Engine, name: str) -> None:
    """Forget every failure and lock of ``name``, from every address (an admin's ``user unlock``)."""
    key = name_key(name)
    with engine.begin() as conn:
        conn.execute(delete(login_throttle).where(or_(
            login_throttle.c.key == f"name:{key}",
            login_throttle.c.key.like(f"pair:{_like(key)}|%", escape="\\"))))


def _like(text: str) -> str:
    """``text`` with LIKE's wildcards escaped."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def locked_names(engine: Engine, now: datetime) -> dict[str, int]:
    """Names locked now, for everybody or for some address: name -> seconds left (the longest lock)."""
    with engine.connect() as conn:
        rows = conn.execute(select(login_throttle.c.key, login_throttle.c.locked_until).where(
            login_throttle.c.locked_until > now, or_(login_throttle.c.key.like("name:%"),
                                                    login_throttle.c.key.like("pair:%")))).all()
    found: dict[str, int] = {}
    for key, until in rows:
        name = key.split(":", 1)[1].rsplit("|", 1)[0] if key.startswith("pair:") else key.split(":", 1)[1]
        found[name] = max(found.get(name, 0), math.ceil((until - now).total_seconds()))
    return found
