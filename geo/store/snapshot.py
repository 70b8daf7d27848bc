"""A columnar copy of the dataset a version of the store reads as, beside the SQLite store: read at start instead
of the store's rows.

A million compounds' store is read in 68 s at every start (5.9 million status rows through SQLAlchemy and
pandas: 42 s of it; their outlines parsed again: 12 s), and the first visitor after a start waited for it.
The app writes the dataset it last read, zones assigned, as Arrow IPC files (``<store>.snapshot/v<version>/``,
one per table, made ``0700`` like the store's backups: they hold the same data) and, at the next start,
reads them and then only what versions written since changed (:func:`geo.store.refresh_store`).

A snapshot is used only for the very version it was made of: the version's stamp (:func:`version_stamp`) must
be the store's own for that number (a store restored from a backup may have another version of it), its format
this code's, and each table's columns the ones the code reads. Anything else (a file cut short, another
format) reads the store as before. Other databases (PostgreSQL) have no snapshot.

Examples
--------
>>> snapshot_folder("sqlite:///store/cmdmap.sqlite"), snapshot_folder("postgresql://db/cmdmap") is None
(PosixPath('store/cmdmap.sqlite.snapshot'), True)
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow

from geo.domain import layer_tables, report_tables
from geo.store.backup import store_file
from geo.store.dataset import READ_ERRORS, Dataset, Loaded, read_store, refresh_store
from geo.store.digest import DIGEST_FORMAT, known_digest, remember_digest
from geo.store.private import private_folder
from geo.store.rows import payload_columns
from geo.store.versions import newest_version, version_stamp

log = logging.getLogger(__name__)

#: Changed whenever what is written changes: a snapshot of a format not in :data:`READ_FORMATS` is not read.
#: 2: the daily reports' text as categories and their counts 32-bit (:func:`geo.store.compact`).
#: 3: their counts in the fewest bits that hold them (8 for a gate count, 16 for residents).
#: 4: every table an Arrow IPC file (zstd), not Parquet: a million compounds' fourteen days (fourteen million rows)
#: were read in 5.0 s and written in 8.3 s as Parquet, and are in 1.8 s and 0.6 s so; their places read in 3.9 s,
#: in 1.4 to 2.1 s so.
FORMAT = 4
#: Formats 1 (the same tables, text as text, counts 64-bit), 2 and 3 are still read, made as this one as they are
#: read (5 s more at a million compounds from format 1, 0.3 s from 2), and written again in this format at the
#: next snapshot, of the same version too.
READ_FORMATS = (1, 2, 3, 4)
ARROW_FORMAT = 4  # the first format of Arrow IPC files
MANIFEST = "manifest.json"
ROW_ID = "__row_id"  # a daily report's store row ids, kept as a column of its file

# what a snapshot that cannot be written or read raises: a read-only folder, a file cut short or removed meanwhile,
# one of another shape
SNAPSHOT_ERRORS = (OSError, ValueError, KeyError, TypeError, pyarrow.ArrowException)


def snapshot_folder(store) -> Path | None:
    """Where the snapshots of the SQLite store ``store`` (engine or URL) go; None for other databases."""
    path = store_file(store)
    return None if path is None else path.parent / f"{path.name}.snapshot"


def _stamp_text(stamp) -> list[str] | None:
    return None if stamp is None else [str(part) for part in stamp]


def _manifest(snapshot: Path) -> dict:
    """The manifest of the snapshot in folder ``snapshot``; empty when it has none that can be read."""
    try:
        return json.loads((snapshot / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _versions(folder: Path) -> list[tuple[int, Path]]:
    """The complete snapshots in ``folder`` (version, folder), newest first; none in a folder that cannot be
    read (another user's)."""
    found = []
    try:
        for path in folder.glob("v*"):
            if path.name[1:].isdigit() and (path / MANIFEST).is_file():
                found.append((int(path.name[1:]), path))
    except OSError as exc:
        log.warning("the store's snapshots in %s cannot be read: %s", folder, exc)
        return []
    return sorted(found, reverse=True)


def write_snapshot(engine, loaded: Loaded) -> Path | None:
    """Write ``loaded``'s dataset as the snapshot of its version, and remove the others; the snapshot's folder.

    None when there is none to write: another database, a dataset missing tables it could not read, a snapshot
    of that version there already in this format, or a folder that cannot be written (a read-only install:
    logged). The others are removed, newer ones too: after a restore from a backup, a newer number is a version
    the store no longer has.
    """
    folder = snapshot_folder(engine)
    if folder is None or loaded.dataset.unreadable or loaded.stamp is None:
        return None
    target = folder / f"v{loaded.version}"
    there = _manifest(target)
    if there.get("stamp") == _stamp_text(loaded.stamp) and there.get("format") == FORMAT:
        _add_digests(target, there, loaded.dataset)
        return None
    try:
        private_folder(folder, tighten=True)
        making = Path(tempfile.mkdtemp(prefix=f".v{loaded.version}-", dir=folder))
        try:
            _write(making, loaded)
            shutil.rmtree(target, ignore_errors=True)  # another version of that number (before a restore)
            os.rename(making, target)
        except SNAPSHOT_ERRORS:
            shutil.rmtree(making, ignore_errors=True)
            if _manifest(target).get("stamp") != _stamp_text(loaded.stamp):
                raise
            return None  # another process wrote the same version meanwhile
    except SNAPSHOT_ERRORS as exc:
        log.warning("the store's snapshot could not be written to %s: %s", folder, exc)
        return None
    for version, other in _versions(folder):
        if version != loaded.version:
            shutil.rmtree(other, ignore_errors=True)
    _remove_abandoned(folder)
    return target


#: Seconds after which a snapshot still being written is taken as abandoned (its server killed as it wrote): a
#: million compounds' is written in about 12 s.
ABANDONED_AFTER = 3600.0


def _remove_abandoned(folder: Path) -> None:
    """Remove the snapshots a server began and never finished (killed as it wrote), each some 300 MB at a million
    compounds, which nothing else removes; not one another process may still be writing."""
    now = time.time()
    for partial in folder.glob(".v*-*"):
        try:
            if now - partial.stat().st_mtime > ABANDONED_AFTER:
                shutil.rmtree(partial, ignore_errors=True)
        except OSError:  # removed meanwhile by another process
            continue


def _digests(dataset: Dataset) -> dict:
    """The digests of the dataset's layers found while it was used (:mod:`geo.store.digest`), to be given back to
    the frames read from the snapshot: none is found for it (a million compounds' takes 2 s)."""
    found = {kind: known_digest(dataset.layer(kind)) for kind in layer_tables() if kind in dataset.tables}
    return {"format": DIGEST_FORMAT, **{kind: digest for kind, digest in found.items() if digest is not None}}


def _add_digests(snapshot: Path, manifest: dict, dataset: Dataset) -> None:
    """Add to the manifest of the snapshot the digests found since it was written (the map's packs are made after
    a start's snapshot): the manifest replaced whole, or left as it was when it cannot be."""
    digests = _digests(dataset)
    if not set(digests) - set(manifest.get("digests") or {}):
        return
    try:
        partial = snapshot / f".{MANIFEST}.{os.getpid()}"
        partial.write_text(json.dumps({**manifest, "digests": digests}, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, snapshot / MANIFEST)
    except OSError as exc:
        log.warning("the digests of the snapshot %s could not be added: %s", snapshot, exc)


def _table_file(kind: str, format: int) -> str:
    """The file of table ``kind`` in a snapshot of ``format``: Arrow IPC from :data:`ARROW_FORMAT`, Parquet before."""
    return f"{kind}.arrow" if format >= ARROW_FORMAT else f"{kind}.parquet"


def _write(folder: Path, loaded: Loaded) -> None:
    dataset, tables = loaded.dataset, {}
    for kind, frame in dataset.tables.items():
        out = frame.reset_index(drop=True)
        if kind in dataset.row_ids:
            out = out.assign(**{ROW_ID: dataset.row_ids[kind]})
        out.to_feather(folder / _table_file(kind, FORMAT), compression="zstd")
        tables[kind] = list(frame.columns)
    manifest = {"format": FORMAT, "version": loaded.version, "stamp": _stamp_text(loaded.stamp),
                "zones_assigned": dataset.zones_assigned, "tables": tables, "digests": _digests(dataset)}
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def read_snapshot(engine) -> Loaded | None:
    """The newest snapshot of a version the store has, as the :class:`Loaded` it was written from; None when there
    is none this code can take for its version (see the module)."""
    folder = snapshot_folder(engine)
    if folder is None or not folder.is_dir():
        return None
    for version, path in _versions(folder):
        try:
            manifest = _manifest(path)
            stamp = version_stamp(engine, version)
            if stamp is None or manifest.get("stamp") != _stamp_text(stamp) or manifest.get("version") != version:
                continue  # a version the store does not have (restored from a backup made before it)
            if manifest.get("format") not in READ_FORMATS:
                return None
            tables, row_ids = {}, {}
            for kind in (*layer_tables(), *report_tables()):
                file, arrow = path / _table_file(kind, manifest["format"]), manifest["format"] >= ARROW_FORMAT
                if kind in layer_tables():
                    tables[kind] = gpd.read_feather(file) if arrow else gpd.read_parquet(file)
                else:
                    frame = pd.read_feather(file) if arrow else pd.read_parquet(file)
                    row_ids[kind] = frame.pop(ROW_ID).to_numpy()  # 32 bits as written (64 before format 3)
                    tables[kind] = frame
                if list(tables[kind].columns) != manifest["tables"][kind] or \
                        not set(payload_columns(kind)) <= set(tables[kind].columns):
                    return None  # written by code reading other columns (before a migration)
        except SNAPSHOT_ERRORS as exc:
            log.warning("the store's snapshot %s could not be read (the store is read instead): %s", path, exc)
            return None
        digests = manifest.get("digests") or {}
        if digests.get("format") == DIGEST_FORMAT:  # the frames are the very places digested before
            for kind in layer_tables():
                if isinstance(digests.get(kind), str):
                    remember_digest(tables[kind], digests[kind])
        return Loaded(Dataset(tables, zones_assigned=manifest["zones_assigned"], row_ids=row_ids), version, stamp)
    return None


def read_newest(engine) -> Loaded:
    """:func:`read_store`, from the newest snapshot brought up to the store's newest version when there is one:
    the daily reports written since read again, or the whole store when a layer changed since."""
    snapshot = read_snapshot(engine)
    if snapshot is None:
        return read_store(engine)
    try:
        if newest_version(engine) == snapshot.version:
            return snapshot
    except READ_ERRORS:
        return read_store(engine)  # which says what cannot be read
    return refresh_store(engine, snapshot)
