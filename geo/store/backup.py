"""Automatic backups of the SQLite store, and restoring one.

Before every import or rollback is stored, :func:`before_change` copies the whole
store with SQLite's online backup API (a consistent copy even while the app reads
or another import waits) to ``backups/`` beside the store file, keeping the newest
``backup_keep`` copies. Other databases are skipped with a note: on PostgreSQL the
backup is ``pg_dump`` (see the README).

Examples
--------
>>> from geo.store.engine import connect
>>> backup_folder(connect("sqlite://")) is None  # in memory: nothing to copy
True
"""

from __future__ import annotations

import datetime
import logging
import os
import shutil
import sqlite3
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine, make_url

from geo.domain import t
from geo.settings import PROJECT_DIR, load
from geo.store.migrate import migrate
from geo.store.move import move_store

log = logging.getLogger(__name__)
PATTERN = "cmdmap-*.sqlite"


def store_file(store: Engine | str) -> Path | None:
    """The file of an SQLite store, from its engine or URL (None for other databases and in-memory SQLite).

    >>> store_file("sqlite:///store/x.sqlite"), store_file("postgresql://db/cmdmap")
    (PosixPath('store/x.sqlite'), None)
    """
    url = make_url(store) if isinstance(store, str) else store.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def backup_folder(store: Engine | str) -> Path | None:
    path = store_file(store)
    return None if path is None else path.parent / "backups"


def copy_store(source: Path, target: Path) -> None:
    """A consistent copy of the SQLite file ``source`` (its write-ahead log included) to ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30) as src, sqlite3.connect(partial) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    os.replace(partial, target)  # a copy is there whole or not at all


def backups(folder: Path) -> list[Path]:
    """The backups in ``folder``, oldest first (their names sort by time)."""
    return sorted(folder.glob(PATTERN)) if folder.is_dir() else []


def make_backup(engine: Engine, keep: int, now: datetime.datetime | None = None) -> Path | None:
    """Copy the store to its backup folder and keep the newest ``keep`` copies; None when skipped."""
    source, folder = store_file(engine), backup_folder(engine)
    if keep <= 0:
        return None
    if source is None:
        log.info("backup skipped: %s is not an SQLite file (use pg_dump for PostgreSQL)", engine.dialect.name)
        return None
    if not source.exists():
        return None
    now = now or datetime.datetime.now(datetime.timezone.utc)
    target = folder / f"cmdmap-{now:%Y%m%d-%H%M%S-%f}.sqlite"
    copy_store(source, target)
    for old in backups(folder)[:-keep]:
        old.unlink(missing_ok=True)
    return target


def before_change(engine: Engine) -> Path | None:
    """The hook of imports and rollbacks: back up, and never let a failed backup stop the change.

    A full disk or a read-only backup folder is logged; the change itself is still one
    transaction, so the store stays whole either way.
    """
    try:
        return make_backup(engine, load().backup_keep)
    except (OSError, sqlite3.Error) as exc:
        log.warning("backup before the change failed: %s", exc)
        return None


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
    target = (folder or PROJECT_DIR / "store" / "backups") / name
    target.parent.mkdir(parents=True, exist_ok=True)
    copy = create_engine(f"sqlite:///{target}")  # not geo.store.connect: no engine kept for a one-off file
    try:
        migrate(copy)
        move_store(engine, copy)
    finally:
        copy.dispose()
    return target


def restore(backup: Path, store: Path) -> Path | None:
    """Put ``backup`` back as the store; the store as it was is first kept beside the backups.

    Returns where the replaced store was kept (None when there was none). The copy
    goes through SQLite's backup API, so a running app sees the restored data at its
    next read; a store too damaged to be written to is replaced as a file instead
    (restart the app then).
    """
    with sqlite3.connect(f"file:{backup}?mode=ro", uri=True) as check:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            damaged = t("version_backup_damaged", backup=backup)
            raise ValueError(f"{damaged.en} / {damaged.zh}")
    check.close()
    kept = None
    if store.exists():
        kept = store.parent / "backups" / f"before-restore-{datetime.datetime.now():%Y%m%d-%H%M%S}.sqlite"
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(store, kept)  # a plain copy: the store may be too damaged to open
    try:
        with sqlite3.connect(f"file:{backup}?mode=ro", uri=True) as src, sqlite3.connect(store, timeout=30) as dst:
            src.backup(dst)
        src.close()
        dst.close()
    except sqlite3.DatabaseError:
        for suffix in ("-wal", "-shm"):
            Path(f"{store}{suffix}").unlink(missing_ok=True)
        copy_store(backup, store)
    return kept
