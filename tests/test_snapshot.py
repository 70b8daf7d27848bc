"""The store's snapshot (geo.store.snapshot): what a start reads instead of the store's rows, and only when it is
the very version the store has.

A million compounds' store took 68 s to read at every start; its snapshot is Parquet files of the dataset as read.
Whatever is read through a snapshot must be what reading the whole store gives.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import time

import geopandas as gpd
import pandas as pd
import pytest
from sqlalchemy import event

import geo.store.digest
from geo import store
from geo.accounts import User
from geo.domain import layer_tables
from geo.store import connect, read_newest, read_snapshot, snapshot_folder, write_snapshot
from geo.store.snapshot import FORMAT, MANIFEST
from geo.upload import report_daily
from tests.filled_stores import open_filled

BOSS = User("boss", "admin")
TODAY = datetime.date(2020, 2, 26)


@pytest.fixture
def sqlite_store(tmp_path, tiny_dir):
    return open_filled(f"sqlite:///{tmp_path / 'store.sqlite'}", tiny_dir)


def _same_as_a_whole_read(loaded: store.Loaded, engine) -> None:
    whole = store.read_store(engine)
    assert (loaded.version, loaded.stamp) == (whole.version, whole.stamp)
    assert loaded.dataset.zones_assigned == whole.dataset.zones_assigned
    assert set(loaded.dataset.tables) == set(whole.dataset.tables)
    for kind, frame in whole.dataset.tables.items():
        got = loaded.dataset.tables[kind]
        assert type(got) is type(frame), kind
        pd.testing.assert_frame_equal(got, frame, obj=kind)
        assert getattr(got, "crs", None) == getattr(frame, "crs", None)
    assert set(loaded.dataset.row_ids) == set(whole.dataset.row_ids)
    for kind, ids in whole.dataset.row_ids.items():
        assert loaded.dataset.row_ids[kind].tolist() == ids.tolist(), kind


def _report(engine, place: str = "0501", **values) -> None:
    report_daily(engine, store.load_store(engine), BOSS, "compounds", place, TODAY, values or None)


@pytest.fixture
def tables_read(sqlite_store):
    """The tables whose rows the store is asked for (each SELECT from ``rows_<table>``, counted)."""
    asked: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        asked.extend(kind for kind in store.ROWS if f"FROM rows_{kind} " in statement + " ")

    event.listen(sqlite_store, "before_cursor_execute", count)
    yield asked
    event.remove(sqlite_store, "before_cursor_execute", count)


def test_a_snapshot_reads_as_the_store_and_is_kept_private(sqlite_store):
    folder = write_snapshot(sqlite_store, store.read_store(sqlite_store))
    assert folder.parent == snapshot_folder(sqlite_store)
    assert folder.parent.stat().st_mode & 0o077 == 0  # the city's data: only the service's user reads it
    _same_as_a_whole_read(read_snapshot(sqlite_store), sqlite_store)
    assert write_snapshot(sqlite_store, store.read_store(sqlite_store)) is None  # there already: not written again


def test_a_start_takes_the_places_digests_found_before_it_with_the_snapshot_and_finds_none_again(sqlite_store,
                                                                                                  monkeypatch):
    loaded = store.read_store(sqlite_store)
    write_snapshot(sqlite_store, loaded)  # the snapshot of a start, before its map's packs were made
    digest = store.places_digest(loaded.dataset.compounds)  # made with the packs
    assert write_snapshot(sqlite_store, loaded) is None  # there already: only its manifest takes the digest
    monkeypatch.setattr(geo.store.digest.shapely, "to_wkb", lambda *a, **k: pytest.fail("digested again"))
    again = read_snapshot(sqlite_store).dataset
    assert store.known_digest(again.compounds) == store.places_digest(again.compounds) == digest
    assert store.known_digest(again.sites) is None  # none found for it before: found when asked
    monkeypatch.undo()
    assert store.places_digest(again.sites) == store.places_digest(loaded.dataset.sites)
    # a digest is the very frame's: not another frame of other places, nor a snapshot of another digest format
    assert store.known_digest(again.compounds.iloc[:2]) is None
    folder = snapshot_folder(sqlite_store) / f"v{loaded.version}"
    manifest = json.loads((folder / MANIFEST).read_text())
    (folder / MANIFEST).write_text(json.dumps({**manifest, "digests": {**manifest["digests"], "format": 0}}))
    assert store.known_digest(read_snapshot(sqlite_store).dataset.compounds) is None


def test_a_start_with_a_snapshot_of_the_newest_version_reads_no_rows(sqlite_store, tables_read):
    write_snapshot(sqlite_store, store.read_store(sqlite_store))
    tables_read.clear()
    loaded = read_newest(sqlite_store)
    assert tables_read == []
    _same_as_a_whole_read(loaded, sqlite_store)


def test_a_start_after_new_reports_reads_only_their_days(sqlite_store, tables_read):
    snapshot = write_snapshot(sqlite_store, store.read_store(sqlite_store))
    version = int(snapshot.name[1:])
    _report(sqlite_store)
    _report(sqlite_store, "0502", closure="全封闭")
    tables_read.clear()
    loaded = read_newest(sqlite_store)
    # the places come from the snapshot; of the reports, the tables a phone report writes
    assert set(tables_read) == store.tables_changed_since(sqlite_store, version) == {"compound_status", "supplies"}
    assert loaded.refreshed == (version, TODAY.isoformat())
    _same_as_a_whole_read(loaded, sqlite_store)
    assert (loaded.dataset.compound_status["date"] == TODAY.isoformat()).sum() == 2


def test_a_start_after_a_layer_changed_reads_the_whole_store(sqlite_store):
    write_snapshot(sqlite_store, store.read_store(sqlite_store))
    renamed = store.current(sqlite_store, "compounds").head(1).assign(name="金桂花园（东区）")
    store.apply_rows(sqlite_store, "compounds", renamed, "clerk")
    loaded = read_newest(sqlite_store)
    _same_as_a_whole_read(loaded, sqlite_store)
    assert "金桂花园（东区）" in set(loaded.dataset.compounds["name"])


def test_a_snapshot_of_a_version_a_restored_store_does_not_have_is_not_read(tmp_path, tiny_dir):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    engine = open_filled(url, tiny_dir)
    engine.dispose()
    shutil.copy(tmp_path / "store.sqlite", tmp_path / "backup.sqlite")
    _report(engine, "0501", closure="全封闭")
    newer = write_snapshot(engine, store.read_store(engine))
    engine.dispose()
    shutil.copy(tmp_path / "backup.sqlite", tmp_path / "store.sqlite")  # restored: the report is gone
    engine = connect(url)
    _report(engine, "0502")  # and another came in: a version of the same number as the snapshot's
    assert read_snapshot(engine) is None
    loaded = read_newest(engine)
    _same_as_a_whole_read(loaded, engine)
    assert write_snapshot(engine, loaded).name == newer.name  # the store's own version of that number
    assert read_snapshot(engine) is not None


def test_a_snapshot_cut_short_reads_the_store(sqlite_store, caplog):
    folder = write_snapshot(sqlite_store, store.read_store(sqlite_store))
    damaged = folder / "compounds.arrow"
    damaged.write_bytes(damaged.read_bytes()[:200])
    _same_as_a_whole_read(read_newest(sqlite_store), sqlite_store)
    assert "could not be read" in caplog.text


@pytest.mark.parametrize("change", ["format", "columns"])
def test_a_snapshot_of_other_code_is_not_read(sqlite_store, change):
    folder = write_snapshot(sqlite_store, store.read_store(sqlite_store))
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    if change == "format":
        manifest["format"] += 1
    else:  # the code reads a column the snapshot's writer did not have (a migration since)
        manifest["tables"]["compounds"].remove("households")
        frame = gpd.read_feather(folder / "compounds.arrow").drop(columns="households")
        frame.to_feather(folder / "compounds.arrow")
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert read_snapshot(sqlite_store) is None
    _same_as_a_whole_read(read_newest(sqlite_store), sqlite_store)


def test_a_snapshot_of_the_format_before_is_read_and_written_again_in_this_one(sqlite_store):
    """Format 1 held the reports' text as text: still read (made categories as it is read), and the next snapshot
    of the same version is written in this format, so that a million compounds' start does not make them
    categories again every time (5 s)."""
    folder = write_snapshot(sqlite_store, store.read_store(sqlite_store))
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    status = pd.read_feather(folder / "compound_status.arrow")
    assert isinstance(status["closure"].dtype, pd.CategoricalDtype) and str(status["residents"].dtype) in ("Int8", "Int16")
    # as format 1 wrote it: Parquet files, text and 64-bit counts
    text = {c: status[c].astype("string") for c in status.columns if isinstance(status[c].dtype, pd.CategoricalDtype)}
    status.assign(**text, residents=status["residents"].astype("Int64")).to_parquet(
        folder / "compound_status.parquet", index=False)
    for table in folder.glob("*.arrow"):
        if table.stem != "compound_status":  # written as text above
            (gpd.read_feather if table.stem in layer_tables() else pd.read_feather)(table).to_parquet(
                table.with_suffix(".parquet"), index=False)
        table.unlink()
    (folder / MANIFEST).write_text(json.dumps({**manifest, "format": 1}), encoding="utf-8")
    old = read_snapshot(sqlite_store)
    _same_as_a_whole_read(old, sqlite_store)  # categories and narrow counts, as a whole read gives them
    assert write_snapshot(sqlite_store, old) == folder  # written again, in this format
    assert json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["format"] == FORMAT == 4
    assert isinstance(pd.read_feather(folder / "compound_status.arrow")["closure"].dtype, pd.CategoricalDtype)
    assert write_snapshot(sqlite_store, read_snapshot(sqlite_store)) is None  # now there already


def test_a_folder_that_cannot_be_written_keeps_reading_the_store(sqlite_store, caplog):
    snapshot_folder(sqlite_store).write_text("not a folder")  # as a read-only install refuses it
    assert write_snapshot(sqlite_store, store.read_store(sqlite_store)) is None
    assert "could not be written" in caplog.text
    _same_as_a_whole_read(read_newest(sqlite_store), sqlite_store)


def test_a_dataset_missing_a_table_is_not_kept(sqlite_store):
    whole = store.read_store(sqlite_store)
    damaged = store.Loaded(store.Dataset(dict(whole.dataset.tables), unreadable={"supplies": "disk I/O error"}),
                           whole.version, whole.stamp)
    assert write_snapshot(sqlite_store, damaged) is None
    assert not snapshot_folder(sqlite_store).exists()


def test_a_new_snapshot_replaces_the_old_one(sqlite_store):
    first = write_snapshot(sqlite_store, store.read_store(sqlite_store))
    _report(sqlite_store)
    second = write_snapshot(sqlite_store, store.read_store(sqlite_store))
    assert not first.exists() and [p.name for p in snapshot_folder(sqlite_store).iterdir()] == [second.name]


def test_a_snapshot_a_killed_server_left_half_written_is_removed_at_the_next_not_one_being_written(sqlite_store):
    folder = snapshot_folder(sqlite_store)
    folder.mkdir(mode=0o700)
    abandoned, writing = folder / ".v3-killed", folder / ".v4-writing"
    for partial in (abandoned, writing):
        partial.mkdir()
        (partial / "compounds.parquet").write_bytes(b"PAR1")
    hours_ago = time.time() - 7200
    os.utime(abandoned, (hours_ago, hours_ago))
    written = write_snapshot(sqlite_store, store.read_store(sqlite_store))
    assert sorted(p.name for p in folder.iterdir() if p.name != "packs") == [".v4-writing", written.name]
