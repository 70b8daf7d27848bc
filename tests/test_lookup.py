"""Which place and date each report row is about, found once per dataset (geo/analysis/lookup.py, issue #22): the
days' completeness, the ids matching no place and the zones' peaks read them instead of looking up six million ids
each (a million compounds' build after every start and import: 40 → 27 s, bench/version_build.py)."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import Point

from geo.analysis import Thresholds, lookup, place_supplies, place_view, report_dates, report_days, unmatched_ids
from geo.analysis.days import reported_places
from geo.analysis.lookup import column_codes, place_rows
from geo.analysis.views import state_since
from geo.domain import TABLES, kinds
from geo.store import Dataset


def _city() -> Dataset:
    tables = {name: pd.DataFrame({c: pd.Series(dtype="string") for c in TABLES[name].names}) for name in TABLES}
    for name in TABLES:
        if TABLES[name].geometry:
            tables[name] = gpd.GeoDataFrame(tables[name], geometry=gpd.GeoSeries([], crs=4326), crs=4326)
    tables["compounds"] = gpd.GeoDataFrame(
        {"id": pd.array(["C1", "C2", "C3", "C2"], dtype="string"), "zone": ["Z1", "Z1", None, "Z2"]},
        geometry=[Point(i, i) for i in range(4)], crs=4326)  # C2 twice: the first is the place
    tables["compound_status"] = pd.DataFrame({
        "compound_id": pd.array(["C2", "C9", "C1", None, "C2", "C1", "C3"], dtype="string"),
        "date": pd.array(["2020-02-25", "2020-02-25", "2020-02-24", "2020-02-25", "2020-02-25", None,
                          "2020-02-24"], dtype="string"),
        "closure": ["sealed"] * 7})
    tables["supplies"] = pd.DataFrame({"place_id": pd.array(["C3", "S1", "X7", "X7"], dtype="string"),
                                       "date": ["2020-02-25"] * 4, "item": ["masks"] * 4})
    tables["sites"] = gpd.GeoDataFrame({"id": pd.array(["S1"], dtype="string")}, geometry=[Point(9, 9)], crs=4326)
    return Dataset(tables)


def test_each_row_gets_its_place_s_position_and_its_date_s_and_none_is_minus_one():
    ds = _city()
    assert place_rows(ds, "compound_status", "compounds").tolist() == [1, -1, 0, -1, 1, 0, 2]
    codes, dates = column_codes(ds, "compound_status", "date")
    assert dates.tolist() == ["2020-02-24", "2020-02-25"] and codes.tolist() == [1, 1, 0, 1, 1, -1, 0]
    assert place_rows(ds, "supplies", "sites").tolist() == [-1, 0, -1, -1]


def test_found_once_while_the_tables_are_the_same_and_again_when_one_is_another():
    ds = _city()
    first = place_rows(ds, "compound_status", "compounds")
    assert place_rows(ds, "compound_status", "compounds") is first
    ds.tables["compounds"] = ds.compounds.iloc[::-1].reset_index(drop=True)  # another frame: C2 now first at 0
    assert place_rows(ds, "compound_status", "compounds").tolist() == [0, -1, 3, -1, 0, 3, 1]
    assert dataclasses.replace(ds).lookups == {}  # a copy finds its own


def _by_hand(ds: Dataset) -> tuple[dict[str, int], int, dict[str, list[str]]]:
    """What the three ask, one id at a time."""
    reported, total, unmatched = {}, 0, {}
    for entry in kinds.reporting_kinds():
        key = TABLES[entry.report].key[0]
        rows = ds.layer(entry.report)
        known = {i for layer in entry.place_layers for i in ds.layer(layer)["id"].dropna()}
        unmatched[entry.report] = sorted({i for i in rows[key].dropna() if i not in known})
        if entry.layer is None:
            continue
        total += len(set(ds.layer(entry.layer)["id"].dropna()))
        pairs = {(d, i) for i, d in zip(rows[key], rows["date"]) if i in known and isinstance(d, str)}
        for d, _ in pairs:
            reported[d] = reported.get(d, 0) + 1
    return reported, total, unmatched


def test_the_days_and_the_ids_matching_no_place_are_what_one_id_at_a_time_gives():
    ds = _city()
    reported, total, unmatched = _by_hand(ds)
    assert reported_places(ds) == (reported, total) == ({"2020-02-25": 1, "2020-02-24": 2}, 4)
    assert unmatched_ids(ds) == unmatched
    assert unmatched["compound_status"] == ["C9"] and unmatched["supplies"] == ["X7"]
    assert report_days(ds, 0.5).reported == reported


def test_on_the_demo_city_too(tiny):
    reported, total, unmatched = _by_hand(tiny)
    assert reported_places(tiny) == (reported, total) and unmatched_ids(tiny) == unmatched
    assert sum(reported.values()) > 0 and np.all(place_rows(tiny, "compound_status", "compounds") >= -1)


def _since_by_hand(reports: pd.DataFrame, key: str, state: str, date: str) -> dict[str, tuple[str, int]]:
    """Each place reported on ``date``: the date its state began and the days held, walking its reports in order."""
    out = {}
    for place, rows in reports.dropna(subset=[key, "date"]).groupby(key, sort=False):
        rows = rows[(rows["date"] <= date) & rows[state].notna()].sort_values("date", kind="stable")
        if not (rows["date"] == date).any():
            continue
        began, last = None, None
        for day, value in zip(rows["date"], rows[state]):
            if value != last:
                began, last = day, value
        out[place] = (began, (pd.Timestamp(date) - pd.Timestamp(began)).days + 1)
    return out


def test_how_long_each_place_has_held_its_state_is_what_walking_its_reports_gives():
    rng = np.random.default_rng(7)
    ids = [f"C{i}" for i in range(40)]
    days = [f"2020-02-{d:02d}" for d in range(10, 22)]
    n = 600  # some places twice a day, some days missed, unknown ids, states missing
    reports = pd.DataFrame({"compound_id": pd.array(rng.choice(ids + ["X1", None], n), dtype="string"),
                            "date": pd.array(rng.choice(days, n), dtype="string"),
                            "closure": pd.array(rng.choice(["open", "sealed", "controlled", None], n, p=[.4, .3, .2, .1]),
                                                dtype="string")})
    ds = _city()
    ds.tables["compounds"] = gpd.GeoDataFrame({"id": pd.array(ids[::-1], dtype="string")},
                                              geometry=[Point(0, 0)] * len(ids), crs=4326)
    ds.tables["compound_status"] = reports
    known = reports[reports["compound_id"].isin(ids)]
    for day in [*days, "2020-03-01"]:
        found = state_since(ds, "compound_status", "compounds", "closure", day)
        assert found["place"].is_unique
        assert {ids[::-1][p]: (s, d) for p, s, d in found.itertuples(index=False)} == \
            _since_by_hand(known, "compound_id", "closure", day)
    assert state_since(ds, "compound_status", "compounds", "closure", None).empty  # a city with no day yet


def _view_by_joins(ds: Dataset, kind: str, date: str) -> gpd.GeoDataFrame:
    """The view as the joins made it before the places' positions were used (geo/analysis/views.py)."""
    entry = kinds.kind(kind)
    reports, key = ds.layer(entry.report), TABLES[entry.report].key[0]
    status = reports.loc[reports["date"] == date].drop(columns="date").rename(columns={key: "id"})
    view = ds.layer(entry.layer).merge(status, on="id", how="left", indicator="_merge")
    view["report"] = np.where(view["_merge"] == "both", "reported", "missing")
    zones = pd.DataFrame(ds.zones.drop(columns="geometry")).rename(
        columns={"id": "zone", "name": "zone_name", "phone": "zone_phone"})
    view = view.drop(columns="_merge").merge(zones[["zone", "zone_name", "district", "street", "leader",
                                                     "zone_phone"]], on="zone", how="left")
    view = view.merge(place_supplies(ds, date, Thresholds()), left_on="id", right_index=True, how="left")
    # a view's reports are text, as the store's read gives them, not the categories the dataset keeps them as; its
    # ids as the layer has them (a join on the reports' categories made them objects)
    # counts the store keeps narrow (a gate count in 8 bits) widened to 32, as a view gives them
    narrow = [c for c in view.columns if str(view[c].dtype) in ("Int8", "Int16")]
    return view.assign(**{c: view[c].astype("string") for c in view.columns if view[c].dtype == "category"},
                       **{c: view[c].astype("Int32") for c in narrow},
                       id=view["id"].astype(ds.layer(entry.layer)["id"].dtype),
                       short_items=view["short_items"].astype("string").fillna(""))


def test_a_view_by_positions_is_the_view_the_joins_made(tiny):
    date = report_dates(tiny)[-1]
    for kind in ("compounds", "sites"):
        found = place_view(tiny, kind, date)
        expected = _view_by_joins(tiny, kind, date)
        pd.testing.assert_frame_equal(pd.DataFrame(found[expected.columns]), pd.DataFrame(expected))
        assert (found["report"] == "reported").sum() > 0 and found["supply_level"].notna().any()
    assert (place_view(tiny, "compounds", date)["report"] == "missing").sum() > 0  # a place without a report
    twice = dataclasses.replace(tiny, tables={**tiny.tables, "compound_status": pd.concat(
        [tiny.compound_status, tiny.compound_status.iloc[[-1]]], ignore_index=True)})  # a place's report twice
    found, expected = place_view(twice, "compounds", date), _view_by_joins(twice, "compounds", date)
    assert len(found) == len(tiny.compounds) + 1
    pd.testing.assert_frame_equal(pd.DataFrame(found[expected.columns]), pd.DataFrame(expected))


def test_distinct_pairs_are_the_same_through_flags_and_through_hashing(monkeypatch):
    rng = np.random.default_rng(7)
    place, day = rng.integers(0, 5_000, 40_000), rng.integers(0, 9, 40_000)
    flagged = lookup.distinct_pairs(place, day, 9)
    monkeypatch.setattr(lookup, "PAIR_FLAGS_MAX", 10)  # too many pairs for flags: hashed
    assert np.array_equal(lookup.distinct_pairs(place, day, 9), flagged)
    assert np.array_equal(flagged, np.unique(place * 9 + day))
    assert lookup.distinct_pairs(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), 3).tolist() == []


def test_the_dates_and_states_kept_for_a_report_take_a_byte_a_row_and_still_count_past_127_dates():
    """A million compounds' twelve days: 12 million rows, kept 32 bits a row three times (their dates, their
    states and the date each state began), 137 MB; a byte a row, 34 MB."""
    ds = _city()
    for codes in (column_codes(ds, "compound_status", "date")[0], column_codes(ds, "compound_status", "closure")[0],
                  lookup.state_began(ds, "compound_status", "compounds", "closure")):
        assert codes.itemsize == 1
    days = pd.date_range("2020-01-01", periods=200).strftime("%Y-%m-%d")
    many = Dataset({**ds.tables, "compound_status": pd.DataFrame(
        {"compound_id": "C1", "date": days, "closure": ["sealed"] * 199 + ["open"]})})
    codes, dates = column_codes(many, "compound_status", "date")
    assert codes.itemsize == 2 and codes.tolist() == list(range(200)) and dates[-1] == days[-1]
    began = lookup.state_began(many, "compound_status", "compounds", "closure")
    assert began[198] == 0 and began[199] == 199
