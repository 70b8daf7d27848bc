"""A dataset brought up to date reads again only the daily reports written since (geo.store.refresh_store).

A morning of phone reports writes a version every few seconds; each one read the whole city again for every page.
What a refresh gives must always be what reading the whole store gives.
"""

from __future__ import annotations

import datetime
import shutil

import pandas as pd
import pytest

from geo import store
from geo.accounts import User
from geo.analysis import place_view
from geo.store import connect, read_store, refresh_store
from geo.upload import report_daily
from tests.filled_stores import open_filled

BOSS = User("boss", "admin")
TODAY = datetime.date(2020, 2, 26)


def _same_as_a_whole_read(loaded: store.Loaded, engine) -> None:
    whole = store.load_store(engine)
    assert loaded.version == store.newest_version(engine)
    assert set(loaded.dataset.tables) == set(whole.tables)
    for kind, frame in whole.tables.items():
        pd.testing.assert_frame_equal(loaded.dataset.tables[kind], frame, obj=kind)


def _report(engine, place: str = "0501", **values) -> None:
    report_daily(engine, store.load_store(engine), BOSS, "compounds", place, TODAY, values or None)


def test_phone_reports_read_again_only_their_tables(tiny_store):
    before = read_store(tiny_store)
    _report(tiny_store)
    _report(tiny_store, "0502", closure="全封闭")
    after = refresh_store(tiny_store, before)
    _same_as_a_whole_read(after, tiny_store)
    for kind in ("zones", "compounds", "sites", "site_status"):  # not written: the very frames, not read again
        assert after.dataset.tables[kind] is before.dataset.tables[kind]
    assert after.dataset.tables["compound_status"] is not before.dataset.tables["compound_status"]
    assert (after.dataset.compound_status["date"] == TODAY.isoformat()).sum() == 2


def test_a_refresh_says_from_which_report_date_the_days_may_read_otherwise(tiny_store):
    """What lets a trend keep the figures of the days before it (ui.trends): the earliest date written since."""
    first = read_store(tiny_store)
    assert first.refreshed is None  # read whole: nothing said
    _report(tiny_store)  # a report of a new day
    today = refresh_store(tiny_store, first)
    assert today.refreshed == (first.version, TODAY.isoformat())
    correction = store.current(tiny_store, "compound_status")
    earliest = correction["date"].min()
    correction = correction.loc[correction["date"] == earliest].head(1).assign(closure="sealed")
    store.apply_rows(tiny_store, "compound_status", correction, "clerk")  # one row of the first day corrected
    corrected = refresh_store(tiny_store, today)
    assert corrected.refreshed == (today.version, earliest)
    again = refresh_store(tiny_store, corrected)  # nothing written since: read whole, as before
    assert again.refreshed is None


def test_a_layer_written_since_reads_everything_again(tiny_store):
    before = read_store(tiny_store)
    renamed = store.current(tiny_store, "compounds").head(1).copy()
    renamed["name"] = "金桂花园（东区）"
    store.apply_rows(tiny_store, "compounds", renamed, "clerk")
    _report(tiny_store)
    after = refresh_store(tiny_store, before)
    _same_as_a_whole_read(after, tiny_store)
    assert after.dataset.tables["zones"] is not before.dataset.tables["zones"]
    assert "金桂花园（东区）" in set(after.dataset.compounds["name"])


def test_no_version_since_reads_everything_again(tiny_store):
    """A page empties its caches to read the store again (a damaged table): the same version is read afresh."""
    before = read_store(tiny_store)
    after = refresh_store(tiny_store, before)
    _same_as_a_whole_read(after, tiny_store)
    assert after.dataset.tables["zones"] is not before.dataset.tables["zones"]


def test_a_store_restored_from_an_older_backup_is_read_whole(tmp_path, tiny_dir):
    """Versions of the same numbers after a restore are other versions: nothing read before them is kept."""
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    engine = open_filled(url, tiny_dir)
    engine.dispose()
    shutil.copy(tmp_path / "store.sqlite", tmp_path / "backup.sqlite")
    _report(engine, "0501", closure="全封闭")
    _report(engine, "0502", closure="全封闭")
    before = read_store(engine)
    engine.dispose()
    shutil.copy(tmp_path / "backup.sqlite", tmp_path / "store.sqlite")  # restored: both reports are gone
    engine = connect(url)
    for place in ("0501", "0502", "0503"):  # and three others came in
        _report(engine, place)
    after = refresh_store(engine, before)
    _same_as_a_whole_read(after, engine)
    status = after.dataset.compound_status.set_index(["date", "compound_id"])["closure"]
    assert status[TODAY.isoformat()].loc[["0501", "0502"]].tolist() == status["2020-02-25"].loc[["0501", "0502"]].tolist()
    assert status["2020-02-25"]["0501"] != "sealed"  # the lost 全封闭 of 0501 is not kept


@pytest.mark.parametrize("kind", ["compound_status", "supplies"])
def test_a_table_unreadable_before_is_read_again_with_the_rest(tiny_store, kind):
    before = read_store(tiny_store)
    damaged = store.Loaded(store.Dataset(dict(before.dataset.tables), unreadable={kind: "disk I/O error"}),
                           before.version, before.stamp)
    _report(tiny_store)
    after = refresh_store(tiny_store, damaged)
    _same_as_a_whole_read(after, tiny_store)
    assert after.dataset.unreadable == {}


def test_a_refresh_reads_again_only_the_days_written_since_and_keeps_the_order_they_were_written_in(
        tiny_store, monkeypatch):
    before = read_store(tiny_store)
    days = sorted(before.dataset.compound_status["date"].dropna().unique())
    assert len(days) >= 2
    middle = store.current(tiny_store, "compound_status")
    middle = middle.loc[middle["date"] == days[-1]].head(2).assign(closure="sealed")
    store.apply_rows(tiny_store, "compound_status", middle, "clerk")  # a later day corrected
    _report(tiny_store)  # and a new day reported
    read = []
    real = store.dataset.current_rows
    monkeypatch.setattr(store.dataset, "current_rows",
                        lambda engine, kind, dated_from=None: read.append((kind, dated_from)) or real(engine, kind,
                                                                                                     dated_from))
    after = refresh_store(tiny_store, before)
    # from the day corrected on, not the whole table (the phone report wrote the new day's supplies too)
    assert dict(read)["compound_status"] == days[-1] and all(dated_from for _, dated_from in read), read
    _same_as_a_whole_read(after, tiny_store)  # the same rows in the same order as a whole read
    assert after.refreshed == (before.version, days[-1])
    assert after.dataset.row_ids["compound_status"].tolist() == sorted(after.dataset.row_ids["compound_status"])


def test_the_reports_text_is_kept_as_categories_and_stays_so_after_a_refresh(tiny_store):
    """Each distinct id, name, date and state once (geo.store.compact): a million compounds' ten days held 0.75 GB
    of the status table's 1.43 GB as text. A refresh's new day joins the categories instead of making text again."""
    engine = tiny_store
    loaded = read_store(engine)
    _report(engine, "0502", closure="全封闭")
    refreshed = refresh_store(engine, loaded)
    for dataset in (loaded.dataset, refreshed.dataset):
        status = dataset.tables["compound_status"]
        for column in ("compound_id", "compound_name", "date", "closure", "note"):
            assert isinstance(status[column].dtype, pd.CategoricalDtype), column
            assert str(status[column].cat.categories.dtype) == "string", column
        assert status["date"].cat.ordered and status["date"].max() == max(status["date"].dropna().astype(str))
        # counts in the fewest bits that hold them, numbers still
        assert str(status["residents"].dtype) == "Int16" and str(status["gates_open"].dtype) == "Int8"
        assert dataset.row_ids["compound_status"].itemsize == 4  # the store's row ids: 32 bits, 46 MB at 12 million
    status = refreshed.dataset.tables["compound_status"]
    assert TODAY.isoformat() not in set(loaded.dataset.tables["compound_status"]["date"].cat.categories)
    assert TODAY.isoformat() in set(status["date"].cat.categories)  # the new day joined the categories
    assert status.loc[status["date"] == TODAY.isoformat(), "closure"].astype(str).tolist() == ["sealed"]
    _same_as_a_whole_read(refreshed, engine)


def test_a_count_too_large_for_the_bits_kept_widens_its_column_at_the_refresh(tiny_store):
    """Counts are kept in 8 or 16 bits when every one fits (a million compounds' twelve days: 200 MB less);
    a day that brings a larger one widens the column, and views give counts in 32 bits whatever is kept."""
    engine = tiny_store
    loaded = read_store(engine)
    assert str(loaded.dataset.compound_status["home_isolation"].dtype) == "Int8"
    _report(engine, "0502", closure="全封闭", home_isolation=40_000, gates_open=50, fever_reports=100)
    refreshed = refresh_store(engine, loaded)
    _same_as_a_whole_read(refreshed, engine)
    status = refreshed.dataset.compound_status
    assert str(status["home_isolation"].dtype) == "Int32" and status["home_isolation"].max() == 40_000
    view = place_view(refreshed.dataset, "compounds", TODAY.isoformat())
    assert str(view["gates_open"].dtype) == str(view["fever_reports"].dtype) == "Int32"
    assert (view["gates_open"] + view["fever_reports"]).max() == 150  # a page adding two counts: no wrap past 127

