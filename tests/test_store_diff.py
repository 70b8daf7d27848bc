"""The import's faster paths give what the plain ones gave: the diff, the stored rows it reads, the state before.

The expected values of the hand-built diff are those of the implementation before it was made fast
(a lookup per field, a formatted number per cell, every current row read).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from shapely import affinity

from geo import store
from geo.accounts import auth
from geo.domain import t
from geo.domain.schema import TABLES
from geo.io.read import parse_dates, parse_numbers
from geo.store import rows as rows_module
from geo.store.rows import read_rows, records
from geo.upload import check_file, commit
from ui.uploadview import changes_table

NO_COUNTS = ["staff_on_duty", "volunteers_on_duty", "fever_reports", "home_isolation", "vulnerable"]


def _stored() -> pd.DataFrame:
    """Rows as the database gives them back: counts with a gap come as floats."""
    frame = pd.DataFrame({
        "row_id": [1, 2, 3, 4, 5],
        "compound_id": ["0501", "0502", "0503", "503", "0505"],
        "compound_name": ["金桂花园", "温泉名城", None, "x", "浮山小区"],
        "date": ["2020-02-25"] * 5,
        "closure": ["sealed", "open", "open", "open", "controlled"],
        "gates_open": [0.0, 1.0, 2.0, np.nan, 1.0],
        "residents": [100.0, 50.0, 10.0, 1.0, 7.0],
        "note": [None, "", "旧", None, "  "],
    })
    return frame.assign(**{c: None for c in NO_COUNTS})


def _upload() -> pd.DataFrame:
    return pd.DataFrame({
        "compound_id": ["0501", "0502", "0503", "0504", "0504", "0505"],
        "compound_name": ["金桂花园", "温泉名城", "新名", "新小区", "新小区", "浮山小区"],
        "date": ["2020-02-25"] * 6,
        "closure": ["sealed", "open", "sealed", "open", "sealed", "controlled"],
        "gates_open": [0, 1, None, 3, 4, 1],
        "residents": ["100", 50, 10, 5, 6, "7.0"],
        "note": [None, None, "旧", None, None, None],
    })


def test_diff_of_unchanged_changed_added_and_leading_zero_rows_is_as_before():
    delta, fields = store.diff_rows("compound_status", _stored(), records("compound_status", _upload()))
    # 0501: 100 and '100' are the same; 0502: '' and missing are the same; 503 is not 0503;
    # 0504 twice: the last one is added; 0505: '7.0' is 7, but a note of two spaces is not empty
    assert delta[["compound_id", "closure", "gates_open", "residents", "_change"]].values.tolist() == [
        ["0504", "sealed", 4.0, 6, "added"], ["0503", "sealed", None, 10, "changed"],
        ["0505", "controlled", 1.0, "7.0", "changed"]]
    assert delta["_row_id"].tolist()[1:] == [3.0, 5.0] and pd.isna(delta["_row_id"].iloc[0])
    assert fields.values.tolist() == [
        ["changed", "0503 / 2020-02-25", "compound_name", "", "新名", "新名"],
        ["changed", "0503 / 2020-02-25", "closure", "open", "sealed", "新名"],
        ["changed", "0503 / 2020-02-25", "gates_open", "2", "", "新名"],
        ["changed", "0505 / 2020-02-25", "note", "  ", "", "浮山小区"],
        ["added", "0504 / 2020-02-25", None, None, None, "新小区"]]


def test_a_changed_shape_is_named_not_shown():
    columns = [*TABLES["sites"].names, "geometry"]
    old = pd.DataFrame({"row_id": [7], "id": ["S1"], "name": ["工地"], "geometry": ["0101000000"]})
    new = pd.DataFrame({"id": ["S1"], "name": ["工地"], "geometry": ["0101000001"]})
    _, fields = store.diff_rows("sites", old.reindex(columns=["row_id", *columns]), new.reindex(columns=columns))
    assert fields[["field", "before", "after", "place"]].values.tolist() == [["geometry", "（旧图形）", "（新图形）", "工地"]]


def _all_current(engine, kind: str) -> pd.DataFrame:
    return read_rows(engine, kind, store.ROWS[kind].c.removed_in.is_(None))


def test_compare_reads_only_the_rows_sharing_a_key_and_diffs_as_against_every_row(tiny_store):
    current = store.current(tiny_store, "compound_status")
    day = current[current["date"] == "2020-02-25"].copy()
    day.loc[day["compound_id"] == "0502", "closure"] = "open"
    added = day.head(1).assign(compound_id="0503")
    upload = pd.concat([day, added], ignore_index=True)
    done = store.compare(tiny_store, "compound_status", upload)
    frame, delta, fields = done.frame, done.delta, done.fields
    expected_delta, expected_fields = store.diff_rows(
        "compound_status", _all_current(tiny_store, "compound_status"), records("compound_status", upload))
    pd.testing.assert_frame_equal(delta, expected_delta)
    pd.testing.assert_frame_equal(fields, expected_fields)
    assert delta["_change"].tolist() == ["added", "changed"] and frame is upload


def test_a_missing_key_value_still_finds_the_stored_row_without_one(tiny_store):
    # as the diff compares keys as text, a missing date is the empty text: NULL and '' both match it
    row = store.current(tiny_store, "site_status").head(1).assign(date=None)
    store.apply_rows(tiny_store, "site_status", row, "clerk")
    again = row.assign(resumption="resumed")
    delta = store.compare(tiny_store, "site_status", again).delta
    expected, _ = store.diff_rows("site_status", _all_current(tiny_store, "site_status"),
                                  records("site_status", again))
    pd.testing.assert_frame_equal(delta, expected)
    assert delta["_change"].tolist() == ["changed"]


def test_latest_state_before_a_date_is_each_places_latest_earlier_report(tiny_store, monkeypatch):
    row = store.current(tiny_store, "compound_status").head(1).assign(date="2020-02-20", closure="sealed")
    store.apply_rows(tiny_store, "compound_status", row, "clerk")  # an older report: not the latest
    quiet = row.assign(compound_id="0999", date="2020-02-19", closure="open")  # none since: its latest is old
    store.apply_rows(tiny_store, "compound_status", quiet, "clerk")
    rows = store.current(tiny_store, "compound_status")
    for date in ("2020-02-25", "2020-02-26", "2020-02-21", "2020-02-20"):
        earlier = rows.loc[rows["date"] < date].sort_values("date")
        expected = earlier.drop_duplicates("compound_id", keep="last").set_index("compound_id")["closure"]
        found = store.latest_before(tiny_store, "compound_status", "closure", date, rows["compound_id"])
        assert found.sort_index().to_dict() == expected.sort_index().to_dict()
        assert found.dtype == "string"
        # a place that did not report on the newest day before is looked up by itself, or with all the others
        some = ["0999", rows["compound_id"].iloc[0], "no such place"]
        for alone in (0, 5_000):
            monkeypatch.setattr(rows_module, "LOOKED_UP_ALONE", alone)
            found = store.latest_before(tiny_store, "compound_status", "closure", date, some)
            assert found.sort_index().to_dict() == expected[expected.index.isin(some)].sort_index().to_dict()
    # a report without a date is no earlier report, also where none is dated before
    store.apply_rows(tiny_store, "compound_status", quiet.assign(compound_id="0998", date=None), "clerk")
    assert store.latest_before(tiny_store, "compound_status", "closure", "2020-01-01", ["0998", "0999"]).empty
    assert "0998" not in store.latest_before(tiny_store, "compound_status", "closure", "2020-02-26", ["0998"])


def test_dates_and_numbers_parsed_once_per_distinct_text_keep_each_rows_answer():
    values = pd.Series(["2020/2/25", None, "2月24日", "2020/2/25", "43884", "昨天", "2月24日", ""],
                       index=[5, 3, 9, 2, 8, 7, 6, 4], dtype="string")
    assert parse_dates(values, 2021).tolist() == ["2020-02-25", pd.NA, "2021-02-24", "2020-02-25", "2020-02-23",
                                                  pd.NA, "2021-02-24", pd.NA]
    # without a year, the most common year of the full dates, counted row by row
    assert parse_dates(pd.Series(["2019/1/1", "2020/1/1", "2020/1/1", "3月1日"]))[3] == "2020-03-01"
    numbers = parse_numbers(pd.Series(["1,200", None, "３４", "1,200", "x", "inf"], index=list("abcdef")))
    assert numbers.index.tolist() == list("abcdef")
    np.testing.assert_array_equal(numbers.to_numpy(), [1200.0, np.nan, 34.0, 1200.0, np.nan, np.nan])


def test_a_rollback_records_each_row_it_retires_and_revives_with_its_raw_key_and_place(tiny_store):
    seed = int(store.history(tiny_store).query("kind == 'compound_status'")["id"].min())
    rows = store.current(tiny_store, "compound_status")
    changed = rows[(rows["compound_id"] == "0501") & (rows["date"] == "2020-02-25")].assign(closure="open")
    added = changed.assign(date="2020-02-26", compound_name="金桂花园")
    store.apply_rows(tiny_store, "compound_status", pd.concat([changed, added]), "clerk")
    applied = store.rollback(tiny_store, seed, "boss")
    lines = store.version_changes(tiny_store, applied.version).fillna("")
    # in the order the rows were written: the new day came first in the upload's delta
    assert lines.values.tolist() == [["removed", "0501 / 2020-02-26", "金桂花园", "", "", ""],
                                     ["removed", "0501 / 2020-02-25", "", "", "", ""],
                                     ["added", "0501 / 2020-02-25", "", "", "", ""]]


# --- the check's comparison reused by the commit ---------------------------------------------------------------


def _day_file(fever: int) -> bytes:
    return ("compound_id,date,closure,gates_open,staff_on_duty,volunteers_on_duty,residents,fever_reports,"
            f"home_isolation,vulnerable,note\n0501,2020-02-25,sealed,0,4,3,900,{fever},1,5,\n").encode()


def test_a_commit_stores_the_checks_comparison_without_comparing_again(tiny_store, monkeypatch):
    from geo.accounts import SYSTEM
    from geo.store import versions
    from geo.upload import check_file, commit

    check = check_file(tiny_store, "compound_status", _day_file(3), "a.csv")
    calls = []
    original = versions._compare
    monkeypatch.setattr(versions, "_compare", lambda *a, **k: calls.append(a[1]) or original(*a, **k))
    applied = commit(tiny_store, check, SYSTEM, confirmed=True)
    assert calls == [] and (applied.added, applied.changed) == (0, 1)
    rows = store.current(tiny_store, "compound_status")
    assert rows.loc[(rows["compound_id"] == "0501") & (rows["date"] == "2020-02-25"), "fever_reports"].tolist() == [3]


def test_a_comparison_made_before_another_version_of_its_table_is_made_again_under_the_lock(tiny_store, monkeypatch):
    """Two clerks check a change of the same row; the second commits after the first: its comparison is stale (the
    row it would replace is gone), so it is compared again, and the row is stored once, with the second's value."""
    from geo.accounts import SYSTEM
    from geo.store import versions
    from geo.upload import check_file, commit

    first, second = (check_file(tiny_store, "compound_status", _day_file(n), f"{n}.csv") for n in (3, 7))
    commit(tiny_store, first, SYSTEM, confirmed=True)
    calls = []
    original = versions._compare
    monkeypatch.setattr(versions, "_compare", lambda *a, **k: calls.append(a[1]) or original(*a, **k))
    applied = commit(tiny_store, second, SYSTEM, confirmed=True)
    assert calls == ["compound_status"] and (applied.added, applied.changed) == (0, 1)
    rows = store.current(tiny_store, "compound_status")
    assert rows.loc[(rows["compound_id"] == "0501") & (rows["date"] == "2020-02-25"), "fever_reports"].tolist() == [7]


def test_a_shape_moved_by_centimetres_is_no_change_and_keeps_its_stored_vertices(tiny_store):
    """A list picked on Amap comes back from GCJ-02 a few centimetres off: that is not a new shape."""
    sites = store.current(tiny_store, "sites")
    layer = sites.copy()
    layer["geometry"] = [affinity.translate(g, 3e-7, -2e-7) for g in sites.geometry]  # 3 cm
    check = check_file(tiny_store, "sites", layer.to_json().encode(), "工地.geojson", datum="wgs84")
    assert check.ok and not check.changes, check.fields
    layer.loc[0, "name"] = "六岭棚改项目（二期）"
    layer.loc[1, "geometry"] = affinity.translate(sites.geometry.iloc[1], 5e-4, 0)  # 50 m: a move
    check = check_file(tiny_store, "sites", layer.to_json().encode(), "工地.geojson", datum="wgs84")
    assert sorted(map(tuple, check.fields[["key", "field"]].to_numpy().tolist())) == [
        (sites["id"].iloc[0], "name"), (sites["id"].iloc[1], "geometry")]
    shown = changes_table(check.fields, "en", "sites")  # the shape's change in the reader's language
    assert "(old shape)" in shown[t("col_before", "en")].tolist() and "（旧图形）" not in shown.to_string()
    commit(tiny_store, check, auth.User("clerk", "staff"))
    after = store.current(tiny_store, "sites").set_index("id")
    assert after.loc[sites["id"].iloc[0]].geometry.equals_exact(sites.geometry.iloc[0], 0)  # the stored vertices
    assert after.loc[sites["id"].iloc[0], "name"] == "六岭棚改项目（二期）"
