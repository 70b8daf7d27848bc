"""Tests of the seeded demo city (geo.demo).

Small cities (60 compounds, 4 days) keep the suite fast; the last tests check
the shipped demo in ``data/`` when it is there.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import shape

from geo import store
from geo.analysis import report_days
from geo.demo import write_city
from geo.demo.others import OTHER_KINDS, count_others
from geo.domain import kinds
from geo.domain.schema import GEOMETRY_TABLES, STATUS_TABLES, TABLES
from geo.domain.vocab import codes
from geo.store import connect, inspections_frame, problems_frame
from geo.upload import compliance, import_folder, open_city, reporting_day
from geo.upload.tasks import import_tasks

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SMALL = {"compounds": 60, "days": 4, "seed": 7}
CLOSURE_ORDER = {code: i for i, code in enumerate(codes("closure"))}


def read_layer(folder: Path, name: str) -> tuple[pd.DataFrame, np.ndarray]:
    collection = json.loads((folder / name).read_text(encoding="utf-8"))
    features = collection["features"]
    properties = pd.DataFrame([f["properties"] for f in features])
    return properties, np.array([shape(f["geometry"]) for f in features], dtype=object)


def read_table(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / TABLES[name].file, dtype=str, keep_default_na=False)


def last_day_places(folder: Path) -> dict[str, set[str]]:
    """Places with a row on the last date, per status table."""
    found = {}
    for name, key in (("compound_status", "compound_id"), ("site_status", "site_id"),
                      ("supplies", "place_id")):
        table = read_table(folder, name)
        found[name] = set(table.loc[table["date"] == table["date"].max(), key])
    return found


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("city")
    return folder, write_city(folder, **SMALL)


def test_same_arguments_give_identical_bytes(city, tmp_path):
    folder, _ = city
    write_city(tmp_path, **SMALL)
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(p.name for p in tmp_path.iterdir())
    for name in names:
        assert (folder / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_counts_and_columns_follow_the_schema(city):
    folder, counts = city
    # tasks: problems in tasks.json; phone_reports: places reported in phone_reports.json
    assert set(counts) == set(GEOMETRY_TABLES) | set(STATUS_TABLES) | {"tasks", "phone_reports"}
    assert counts["compounds"] == 60 and counts["sites"] == 40 and counts["zones"] == 24
    for name in GEOMETRY_TABLES:
        collection = json.loads((folder / TABLES[name].file).read_text(encoding="utf-8"))
        assert len(collection["features"]) == counts[name]
        for feature in collection["features"]:
            assert list(feature["properties"]) == TABLES[name].names
    for name in STATUS_TABLES:
        raw = (folder / TABLES[name].file).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
        with open(folder / TABLES[name].file, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        assert rows[0] == TABLES[name].names
        assert len(rows) - 1 == counts[name]


def test_status_values_are_codes_and_iso_dates(city):
    folder, _ = city
    dates = [f"2020-02-{d}" for d in (22, 23, 24, 25)]
    for name in STATUS_TABLES:
        table = read_table(folder, name)
        assert sorted(table["date"].unique()) == dates
        for column in TABLES[name].columns:
            if column.vocabulary:
                assert set(table[column.name]) <= set(codes(column.vocabulary)), column.name
            if column.kind == "int":
                assert table[column.name].str.fullmatch(r"\d+").all(), column.name
    supplies = read_table(folder, "supplies")
    for column in ("on_hand", "daily_use"):
        assert supplies[column].str.fullmatch(r"\d+(\.[1-9])?").all()
    assert (supplies.loc[supplies["item"] != "disinfectant", "on_hand"].str.find(".") < 0).all()


def test_geometry_inside_the_boundary_and_zones_tile_it(city):
    folder, _ = city
    _, [boundary] = read_layer(folder, "boundary.geojson")
    _, zones = read_layer(folder, "zones.geojson")
    _, compounds = read_layer(folder, "compounds.geojson")
    _, sites = read_layer(folder, "sites.geojson")
    assert shapely.is_valid(compounds).all() and shapely.within(compounds, boundary).all()
    assert shapely.within(sites, boundary).all()
    assert shapely.union_all(zones).symmetric_difference(boundary).area < 1e-6 * boundary.area
    assert abs(shapely.area(zones).sum() - boundary.area) < 1e-6 * boundary.area


def test_ids_are_unique(city):
    folder, _ = city
    for name in GEOMETRY_TABLES:
        properties, _ = read_layer(folder, TABLES[name].file)
        assert properties["id"].is_unique, name
        assert properties["name"].is_unique, name
    for name in STATUS_TABLES:
        table = read_table(folder, name)
        assert not table.duplicated(list(TABLES[name].key)).any(), name


def test_every_compound_but_two_has_the_zone_around_its_centroid(city):
    folder, _ = city
    zones, zone_shapes = read_layer(folder, "zones.geojson")
    compounds, compound_shapes = read_layer(folder, "compounds.geojson")
    assert (compounds["zone"] == "").sum() == 2
    tree = shapely.STRtree(zone_shapes)
    for zone, outline in zip(compounds["zone"], compound_shapes):
        if zone:
            hits = zones["id"].to_numpy()[tree.query(outline.centroid, predicate="intersects")]
            assert zone in hits
    sites, site_shapes = read_layer(folder, "sites.geojson")
    assert sites["zone"].isin(zones["id"]).all()


def test_closures_tighten_for_most_compounds(city):
    folder, _ = city
    table = read_table(folder, "compound_status")
    level = table.pivot(index="compound_id", columns="date", values="closure")
    level = level.dropna().replace(CLOSURE_ORDER).astype(int)
    first, last = level.iloc[:, 0], level.iloc[:, -1]
    assert (last >= first).mean() >= 0.9
    assert (last > 0).mean() > 0.8


def test_resumption_rate_rises(city):
    folder, _ = city
    table = read_table(folder, "site_status")
    rate = (table["resumption"] == "resumed").groupby(table["date"]).mean()
    assert rate.iloc[-1] > rate.iloc[0]
    last = table[table["date"] == table["date"].max()]
    lapsed = (last["resumption"] == "resumed") & (last["health_ledger"] == "no")
    assert 2 <= lapsed.sum() <= 3


def test_some_places_miss_the_last_day_in_all_three_tables(city):
    folder, counts = city
    found = last_day_places(folder)
    compounds, _ = read_layer(folder, "compounds.geojson")
    sites, _ = read_layer(folder, "sites.geojson")
    missing_compounds = set(compounds["id"]) - found["compound_status"]
    missing_sites = set(sites["id"]) - found["site_status"]
    assert missing_compounds | missing_sites
    assert found["supplies"] == (found["compound_status"] & set(compounds["id"])) | found["site_status"]


def test_every_report_names_a_place_of_the_city(city):
    """The data folder is read through the upload's checks: a report of an unknown place would refuse its file."""
    folder, _ = city
    compounds, _ = read_layer(folder, "compounds.geojson")
    sites, _ = read_layer(folder, "sites.geojson")
    assert read_table(folder, "compound_status")["compound_id"].isin(compounds["id"]).all()
    assert read_table(folder, "site_status")["site_id"].isin(sites["id"]).all()
    assert read_table(folder, "supplies")["place_id"].isin(set(compounds["id"]) | set(sites["id"])).all()


def test_a_short_window_is_the_end_of_a_long_one(city, tmp_path):
    folder, _ = city
    write_city(tmp_path, **{**SMALL, "days": 2})
    for name in GEOMETRY_TABLES:
        assert (folder / TABLES[name].file).read_bytes() == (tmp_path / TABLES[name].file).read_bytes()
    for name in STATUS_TABLES:
        long = read_table(folder, name)
        long = long[long["date"] >= "2020-02-24"].reset_index(drop=True)
        pd.testing.assert_frame_equal(long, read_table(tmp_path, name))


def test_shipped_demo():
    counts = {name: len(json.loads((DATA_DIR / TABLES[name].file).read_text(encoding="utf-8"))
                        ["features"]) for name in GEOMETRY_TABLES}
    assert counts == {"zones": 24, "compounds": 200, "sites": 48, **count_others(200)}
    assert count_others(200) == {"markets": 12, "sales_offices": 63, "agencies": 69, "parks": 3, "plants": 7}
    boundary = json.loads((DATA_DIR / "boundary.geojson").read_text(encoding="utf-8"))
    assert "GCJ-02 converted to WGS-84" in boundary["origin"]
    assert boundary["features"][0]["properties"]["adcode"] == 421202
    status = read_table(DATA_DIR, "site_status")
    last = status[status["date"] == "2020-02-25"]
    assert 0.6 <= (last["resumption"] == "resumed").mean() <= 0.75
    supplies = read_table(DATA_DIR, "supplies")
    supplies = supplies[supplies["date"] == "2020-02-25"]
    use = supplies["daily_use"].astype(float)
    cover = (supplies["on_hand"].astype(float) / use.where(use > 0)).fillna(np.inf)
    shortest = cover.groupby(supplies["place_id"]).min()
    assert 0.1 <= (shortest < 7).mean() <= 0.2
    assert 0 < (shortest < 3).sum() <= 0.05 * len(shortest)


def test_the_other_places_are_in_the_district_in_zones_and_report_most_days(city):
    folder, counts = city
    _, [boundary] = read_layer(folder, "boundary.geojson")
    zones, _ = read_layer(folder, "zones.geojson")
    assert {kind: counts[kind] for kind in OTHER_KINDS} == count_others(60)
    for kind in OTHER_KINDS:
        places, points = read_layer(folder, TABLES[kind].file)
        assert shapely.within(points, boundary).all() and places["zone"].isin(zones["id"]).all(), kind
        report = kinds.kind(kind).report
        table = read_table(folder, report)
        assert set(table[TABLES[report].key[0]]) == set(places["id"]), kind  # every place reports
        assert len(table) >= 0.75 * 4 * len(places), kind  # on most days


def test_shipped_demo_tells_the_other_places_story():
    def states(report: str, date: str) -> pd.Series:
        table = read_table(DATA_DIR, report)
        return table.loc[table["date"] == date, kinds.of_report(report).state_column].value_counts()

    first, last = "2020-02-12", "2020-02-25"
    assert states("sales_office_status", first).get("open", 0) == 0  # suspended by the order of late January
    assert 0.15 <= states("sales_office_status", last).get("open", 0) / 63 <= 0.5  # about half reopen by March
    assert states("agency_status", first).get("open", 0) == 0 < states("agency_status", last)["open"]
    assert states("park_status", first).get("open", 0) == 0 and states("park_status", last).get("open", 0) == 1
    assert states("market_status", last)["open"] >= 8 and states("market_status", last).get("closed", 0) == 1
    assert states("plant_status", last)["running"] >= 5 and states("plant_status", last)["reduced"] == 1


def test_shipped_demo_is_what_the_generator_writes(tmp_path):
    """``data/`` is ``python -m geo demo --out data`` byte for byte: the shipped files cannot drift from the code."""
    counts = write_city(tmp_path)
    assert counts["compounds"] == 200
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(["boundary.geojson", "tasks.json", "phone_reports.json",
                              *(TABLES[name].file for name in TABLES)])
    for name in written:
        assert (tmp_path / name).read_bytes() == (DATA_DIR / name).read_bytes(), name


def test_the_week_of_inspections_has_problems_in_every_state_and_reads_back_whole(tmp_path):
    """Issue #20: the shipped demo's loop shows something real on a fresh start, and the store keeps all of it."""
    records = json.loads((DATA_DIR / "tasks.json").read_text(encoding="utf-8"))
    assert len(records["inspections"]) >= 50 and len(records["problems"]) >= 20
    assert {p["history"][-1]["state"] for p in records["problems"]} == set(codes("problem_state"))
    engine = connect(f"sqlite:///{tmp_path / 'store.sqlite'}")
    stored, refused = import_tasks(engine, (DATA_DIR / "tasks.json").read_bytes())
    assert (stored, refused) == (len(records["problems"]), [])
    frame = problems_frame(engine)
    assert frame["state"].tolist() == [p["history"][-1]["state"] for p in records["problems"]]
    assert frame["inspection_id"].notna().all()  # each found by an inspection of the week
    assert len(inspections_frame(engine)) == len(records["inspections"])


def test_the_demo_morning_is_a_third_of_the_places_reported_by_their_zones_officers(tmp_path):
    """Issue #21: the morning after the last day, a third of the places came in from phones, a version by each
    zone's officer at the time written, two zones after the 10:00 deadline; read once, through the report
    page's checks."""
    engine = open_city(f"sqlite:///{tmp_path / 'store.sqlite'}", DATA_DIR)
    assert store.history(engine)["action"].value_counts().to_dict() == {"report": 45, "seed": 16}
    assert store.refused_files(engine) == []
    morning = json.loads((DATA_DIR / "phone_reports.json").read_text(encoding="utf-8"))
    assert morning["date"] == "2020-02-26" and morning["deadline"] == "10:00"
    places = pd.concat([pd.DataFrame({"kind": k, "id": sorted(store.place_ids(engine, k))})
                        for k in ("compounds", "sites", "markets", "sales_offices", "agencies", "parks", "plants")])
    days = report_days(store.load_store(engine), 0.9)
    assert days.pending == ("2020-02-26",) and days.reported["2020-02-26"] == sum(
        len(entry["places"]) for entry in morning["entries"])
    assert round(days.reported["2020-02-26"] / len(places), 2) == 0.33
    phoned = store.history(engine).query("action == 'report'")
    assert set(phoned["user_name"]) == {entry["by"] for entry in morning["entries"]}
    assert all(name.startswith("xa-z") for name in phoned["user_name"])
    late = compliance(engine, store.load_store(engine), None, dt.date(2020, 2, 26), dt.time(10, 0))
    assert (late["status"] == "late").sum() > 0 and (late["status"] == "missing").sum() == len(places) - days.reported[
        "2020-02-26"]
    assert reporting_day(days, dt.date(2026, 12, 5)) == dt.date(2020, 2, 26)  # the demo's morning is the one to go on
    before = store.newest_version(engine)
    import_folder(engine, DATA_DIR)  # read again: the morning is not stored twice
    assert store.history(engine).query(f"id > {before} and action == 'report'").empty

