"""Automatic backups of the SQLite store, and restoring one.

Every import or rollback is stored inside :func:`before_change`, which copies the
whole store as it was before the change with SQLite's online backup API (a
consistent copy even while the app reads or the change itself is written) to
``backups/`` beside the store file, keeping the newest ``backup_keep`` copies.
Other databases are skipped with a note: on PostgreSQL the backup is ``pg_dump``
(see the README).

Examples
--------
>>> from geo.store.engine import connect
>>> backup_folder(connect("sqlite://")) is None  # in memory: nothing to copy
True
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine, make_url

from geo.domain import t
from geo.settings import PROJECT_DIR, load
from geo.store.migrate import migrate
from geo.store.move import move_store
from geo.store.private import private_file, private_folder
from geo.store.tables import TASK_TABLES

log = logging.getLogger(__name__)
PATTERN = "cmdmap-*.sqlite"
# what a restore keeps as it is now: who may log in, in which role, the wall displays (a revoked one stays so)
# and who is logged in (a logout since the backup stays one); and the loop's records (a problem handed out or
# closed since the backup stays so: a restore undoes a bad import, not the day's work at the gates)
ACCOUNT_TABLES = ("users", "display_tokens", "browser_logins", *TASK_TABLES)


def store_file(store: Engine | str) -> Path | None:
    """The file of an SQLite store, from its engine or URL (None for other databases and in-memory SQLite).

    >>> store_file("sqlite:///store/x.sqlite"), store_file("postgresql://db/cmdmap")
    (PosixPath('store/x.sqlite'), None)
    >>> store_file("sqlite:///file:/srv/city.sqlite?mode=ro&uri=true")  # SQLite's URI form (a read-only store)
    PosixPath('/srv/city.sqlite')
    """
    url = make_url(store) if isinstance(store, str) else store.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    if url.query.get("uri") == "true" and url.database.startswith("file:"):
        return Path(unquote(urlsplit(url.database).path))  # not a folder named "file:" where the app runs
    return Path(url.database)


def backup_folder(store: Engine | str) -> Path | None:
    path = store_file(store)
    return None if path is None else path.parent / "backups"


def copy_store(source: Path, target: Path, held: Callable[[], None] | None = None) -> None:
    """A consistent copy of the SQLite file ``source`` (its write-ahead log included) to ``target``.

    The copy is written to ``target.part`` first (``0600``, as it holds password hashes) and
    renamed, so it is there whole or not at all; a ``.part`` that a full disk or a kill left is
    removed. The copy keeps a rollback journal, not a write-ahead log, so that opening it (to
    check or restore it) leaves no ``-wal``/``-shm`` files beside it.

    ``held`` is called once the copy's view of ``source`` is fixed: from then on a change written to a store
    in write-ahead-log mode is not in the copy, and the copy does not stop it. A store in another journal mode
    is copied whole before ``held`` is called (there a reader would make the change's commit wait).
    """
    partial = target.with_name(target.name + ".part")
    try:
        private_file(partial)
        # isolation_level None: the read transaction is begun here, and holds the copy's view of the store
        with contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30,
                                                isolation_level=None)) as src, \
                contextlib.closing(sqlite3.connect(partial)) as dst:
            src.execute("BEGIN")
            wal = src.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            src.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot is taken at the first read
            if held is not None and wal:
                held()
            src.backup(dst)
            src.execute("COMMIT")
            dst.execute("PRAGMA journal_mode=DELETE")
            dst.commit()
        os.replace(partial, target)  # a copy is there whole or not at all
    finally:
        for leftover in (partial, Path(f"{partial}-journal"), Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)


def backups(folder: Path) -> list[Path]:
    """The backups in ``folder``, oldest first (their names sort by time)."""
    return sorted(folder.glob(PATTERN)) if folder.is_dir() else []


def make_backup(engine: Engine, keep: int, now: datetime.datetime | None = None,
                held: Callable[[], None] | None = None) -> Path | None:
    """Copy the store to its backup folder and keep the newest ``keep`` copies; None when skipped.

    ``held``: see :func:`copy_store` (not called when the backup is skipped).
    """
    source, folder = store_file(engine), backup_folder(engine)
    if keep <= 0:
        return None
    if source is None:
        log.info("backup skipped: %s is not an SQLite file (use pg_dump for PostgreSQL)", engine.dialect.name)
        return None
    if not source.exists():
        return None
    now = now or datetime.datetime.now(datetime.timezone.utc)
    target = private_folder(folder, tighten=True) / f"cmdmap-{now:%Y%m%d-%H%M%S-%f}.sqlite"
    for stale in folder.glob("*.part"):  # left by a kill or a full disk: only this process writes here now
        stale.unlink(missing_ok=True)
    copy_store(source, target, held)
    for old in backups(folder)[:-keep]:
        old.unlink(missing_ok=True)
    return target


#: A phone report changes one place: a backup before it is made only when the newest is older than this.
SMALL_CHANGE_BACKUP_AGE = datetime.timedelta(minutes=10)


@contextlib.contextmanager
def before_change(engine: Engine, small: bool = False) -> Iterator[None]:
    """Write a change inside this block: the store is backed up as it was before it, and a failed backup
    never stops the change.

    The copy is made alongside the change (a million compounds' store of 2 GB takes 12 s to copy, as long as
    their day's import takes to store): it reads the store as it was when the block began, and the block
    ends when both are done. A full disk or a read-only backup folder is logged; the change itself is still
    one transaction, so the store stays whole either way. A ``small`` change (one place's report from a
    phone) is backed up only when the newest backup is older than :data:`SMALL_CHANGE_BACKUP_AGE`:
    two hundred officers reporting in ten minutes would otherwise copy the whole store two hundred
    times, and each version is kept in the store anyway.
    """
    try:
        due = not (small and _newest_backup_age(engine) < SMALL_CHANGE_BACKUP_AGE)
    except OSError as exc:
        _failed(exc)
        due = False
    held = threading.Event()
    copying = threading.Thread(target=_backup_logged, args=(engine, held), name="backup", daemon=True)
    if due:
        copying.start()
        held.wait()
    try:
        yield
    finally:
        if due:
            copying.join()


#: One copy at a time in this process: a second one would take the first's ``.part`` for a stale one and remove it.
_COPYING = threading.Lock()


def _backup_logged(engine: Engine, held: threading.Event) -> None:
    try:
        with _COPYING:
            make_backup(engine, load().backup_keep, held=held.set)
    except (OSError, sqlite3.Error) as exc:
        _failed(exc)
    finally:
        held.set()  # skipped or failed: the change goes on


def _failed(exc: Exception) -> None:
    """Said in the log, in the staff's language (the command prints it)."""
    log.warning(t("backup_failed", "zh", detail=str(exc).splitlines()[0][:200]))


def _newest_backup_age(engine: Engine) -> datetime.timedelta:
    """How long ago the newest automatic backup of the store was made (forever when there is none)."""
    newest = backups(backup_folder(engine))[-1:] if store_file(engine) is not None else []
    if not newest:
        return datetime.timedelta.max
    made = datetime.datetime.fromtimestamp(newest[0].stat().st_mtime, datetime.timezone.utc)
    return datetime.datetime.now(datetime.timezone.utc) - made


def backup_before_reset(engine: Engine, folder: Path | None = None, now: datetime.datetime | None = None) -> Path:
    """A copy of the whole store before it is emptied for a new city (``python -m geo init --force``).

    Made whatever ``backup_keep`` says, and kept out of the rotation of the automatic backups
    (``before-init-….sqlite``). An SQLite store is copied as before an import; any other store
    (PostgreSQL) is copied table by table into an SQLite file in the default store's backup folder,
    which ``python -m geo move-store --from sqlite:///FILE --to URL`` puts back into an empty database.
    ``folder`` puts the copy elsewhere. Raises (OSError, a database error) when no copy could be made:
    then nothing may be emptied.
    """
    now = now or datetime.datetime.now(datetime.timezone.utc)
    name = f"before-init-{now:%Y%m%d-%H%M%S-%f}.sqlite"
    source = store_file(engine)
    if source is not None and source.exists():
        target = (folder or backup_folder(engine)) / name
        copy_store(source, target)
        return target
    target = private_file((folder or PROJECT_DIR / "store" / "backups") / name)
    copy = create_engine(f"sqlite:///{target}")  # not geo.store.connect: no engine kept for a one-off file
    try:
        migrate(copy)
        move_store(engine, copy)
    finally:
        copy.dispose()
    return target


@dataclass(frozen=True)
class Restored:
    """What :func:`restore` did.

    ``kept``: where the replaced store was kept (None when there was none). ``accounts``: the
    names of the accounts whose state in the backup differed from the store's (another role,
    disabled or enabled, another password, missing or extra); each keeps its state from
    before the restore. ``accounts_from_backup``: the store was too damaged to read its
    accounts, so the backup's are in force (check them with ``python -m geo user list``).
    """

    kept: Path | None
    accounts: tuple[str, ...] = ()
    accounts_from_backup: bool = False


def read_accounts(path: Path) -> dict[str, tuple[list[str], list[tuple]]] | None:
    """The rows of :data:`ACCOUNT_TABLES` in the SQLite file ``path`` (columns, rows by table); None if unreadable."""
    if not path.exists():
        return None
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30) as conn:
            found = {}
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            for table in ACCOUNT_TABLES:
                if table in tables or table == "users":  # a table newer than the store is skipped
                    cursor = conn.execute(f'SELECT * FROM "{table}"')
                    found[table] = ([column[0] for column in cursor.description], cursor.fetchall())
        conn.close()
    except sqlite3.Error:
        return None
    return found


def changed_accounts(before: dict, after: dict) -> tuple[str, ...]:
    """The account names whose row in ``before`` differs from ``after`` (ids and login times aside), sorted.

    >>> row = (["id", "name", "role", "last_login"], [(1, "boss", "admin", None), (2, "li", "admin", None)])
    >>> changed_accounts({"users": row}, {"users": (row[0], [(7, "boss", "admin", "x"), (2, "li", "staff", None)])})
    ('li',)
    """
    ignored = {"id", "last_login", "failed_count", "locked_until"}

    def by_name(accounts):
        columns, rows = accounts["users"]
        return {row[columns.index("name")]: {c: v for c, v in zip(columns, row) if c not in ignored} for row in rows}

    old, new = by_name(before), by_name(after)
    return tuple(sorted(name for name in old.keys() | new.keys() if old.get(name) != new.get(name)))


def put_accounts(path: Path, accounts: dict) -> None:
    """Replace the rows of :data:`ACCOUNT_TABLES` in the SQLite file ``path`` with ``accounts``, in one transaction.

    Only the columns both sides have are written (a backup may predate a migration).
    """
    with sqlite3.connect(path, timeout=30) as conn:
        for table, (columns, rows) in accounts.items():
            present = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
            shared = [column for column in columns if column in present]
            if not shared:  # the backup predates the table: the migrations make it, empty, when the app opens it
                continue
            picks = [columns.index(column) for column in shared]
            conn.execute(f'DELETE FROM "{table}"')
            names = ", ".join(f'"{column}"' for column in shared)
            conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(shared))})',
                             [tuple(row[i] for i in picks) for row in rows])
    conn.close()


def restore(backup: Path, store: Path) -> Restored:
    """Put ``backup`` back as the store, keeping the accounts as they are now; the store as it was is kept too.

    A backup holds the accounts of its day: restoring them would bring back an admin
    disabled, demoted or removed since, or a password changed because it leaked. So the
    restored store gets the current accounts (every column, password hashes included), and
    :class:`Restored` names the accounts the backup would have changed. Only when the store
    is too damaged to read them are the backup's accounts kept, and it says so.

    The backup and the current accounts are first put together in a staging file beside the
    store; then that is copied in through SQLite's backup API, so a running app sees the
    restored data, accounts included, at its next read, in one step. A store too damaged to be
    written to is replaced as a file instead (restart the app then). Nothing is left in
    ``backups/`` but the copy of the replaced store: no ``-wal``/``-shm`` files.
    """
    with sqlite3.connect(f"file:{backup}?mode=ro", uri=True) as check:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            damaged = t("version_backup_damaged", backup=backup)
            raise ValueError(f"{damaged.en} / {damaged.zh}")
    check.close()
    current = read_accounts(store)
    kept = None
    if store.exists():
        kept = private_folder(store.parent / "backups", tighten=True) / \
            f"before-restore-{datetime.datetime.now():%Y%m%d-%H%M%S}.sqlite"
        shutil.copyfile(store, private_file(kept))  # a plain copy: the store may be too damaged to open
    staged = store.with_name(f".{store.name}.restoring")
    try:
        copy_store(backup, staged)
        changed = ()
        if current is not None:
            changed = changed_accounts(read_accounts(staged) or {"users": ([], [])}, current)
            put_accounts(staged, current)
        try:
            with sqlite3.connect(f"file:{staged}?mode=ro", uri=True) as src, \
                    sqlite3.connect(store, timeout=30) as dst:
                src.backup(dst)
            src.close()
            dst.close()
        except sqlite3.DatabaseError:
            for suffix in ("-wal", "-shm"):
                Path(f"{store}{suffix}").unlink(missing_ok=True)
            copy_store(staged, store)
    finally:
        for leftover in (staged, Path(f"{staged}-journal")):
            leftover.unlink(missing_ok=True)
    for side in backups_side_files(store.parent / "backups"):
        side.unlink(missing_ok=True)
    return Restored(kept, changed, current is None)


def backups_side_files(folder: Path) -> list[Path]:
    """``-wal``/``-shm``/``-journal`` files in the backup folder whose database is not open: none should stay."""
    if not folder.is_dir():
        return []
    return [path for pattern in ("*.sqlite-wal", "*.sqlite-shm", "*.sqlite-journal") for path in folder.glob(pattern)]
