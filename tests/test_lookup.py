"""Which place and date each report row is about, found once per dataset (geo/analysis/lookup.py, issue #22): the
days' completeness, the ids matching no place and the zones' peaks read them instead of looking up six million ids
each (a million compounds' build after every start and import: 40 → 27 s, bench/version_build.py)."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import Point

from geo.analysis import report_days, unmatched_ids
from geo.analysis.days import reported_places
from geo.analysis.lookup import date_codes, place_rows
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
    codes, dates = date_codes(ds, "compound_status")
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
