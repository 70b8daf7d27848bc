"""Compounds that are points, cities with no daily report and no zone shapes, through geo/ (no pages).

The pages' side is in ``tests/test_cities.py``; here each step on its own: the store's zone by
containment on both back ends, the views, figures, tables, map layers, packs and exports.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo import store
from geo.analysis import (
    compute_kpis,
    display_table,
    outside_zones,
    report_dates,
    view_of,
    zone_metrics,
)
from geo.domain import TABLES
from geo.io import read_layer
from geo.io.export import table_bytes
from geo.maps import initial_bounds, layer_state, pack_places
from geo.maps.layers import compound_layer, layer_of, zone_outlines
from geo.maps.pack import decode_ints
from geo.store.dataset import load_store
from geo.upload import check_file, open_city
from tests.cities import OUTSIDE, POINTS, write_point_city, write_unreported_city, write_zoneless_city
from tests.conftest import write_tiny_city

DATE = "2020-02-25"


def _store(write, folder, url):
    return open_city(url, write(folder))


@pytest.fixture
def point_store(tmp_path, store_url):
    """The point city on each back end (SQLite and PostgreSQL with PostGIS)."""
    return _store(write_point_city, tmp_path / "points", store_url)


@pytest.fixture
def points(tmp_path):
    return load_store(_store(write_point_city, tmp_path / "points", f"sqlite:///{tmp_path / 'p.sqlite'}"))


@pytest.fixture
def polygons(tmp_path):
    return load_store(_store(write_tiny_city, tmp_path / "tiny", f"sqlite:///{tmp_path / 't.sqlite'}"))


def test_a_point_joins_the_zone_that_contains_it_on_both_back_ends(point_store):
    ds = load_store(point_store)
    assert ds.compounds.geom_type.unique().tolist() == ["Point"]
    zones = ds.compounds.set_index("id")["zone"]
    assert zones[["0501", "0502", "0503"]].tolist() == ["Z1", "Z1", "Z2"]  # 0503 by containment
    assert pd.isna(zones["0504"])  # 9 km out of town: in no zone
    assert ds.zones_assigned == 1


def test_places_outside_every_zone_are_listed_but_not_in_a_city_without_zones(point_store, tmp_path):
    fid, name, _ = OUTSIDE
    assert outside_zones(load_store(point_store)).values.tolist() == [["compounds", fid, name]]
    zoneless = load_store(_store(write_zoneless_city, tmp_path / "zoneless", f"sqlite:///{tmp_path / 'z.sqlite'}"))
    assert outside_zones(zoneless).empty and zoneless.compounds["zone"].isna().all()


def test_a_compound_layer_takes_points_and_polygons_and_refuses_lines(point_store):
    def collection(*geometries):
        return json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"id": f"06{n:02d}", "name": f"小区{n}"}, "geometry": geometry}
            for n, geometry in enumerate(geometries)]}, ensure_ascii=False).encode("utf-8")

    point = {"type": "Point", "coordinates": [114.312, 29.842]}
    square = json.loads(shapely.to_geojson(shapely.box(114.313, 29.843, 114.314, 29.844)))
    assert check_file(point_store, "compounds", collection(point, square), "mixed.geojson").ok
    line = {"type": "LineString", "coordinates": [[114.312, 29.842], [114.313, 29.843]]}
    refused = check_file(point_store, "compounds", collection(point, line), "line.geojson")
    assert [(p.row, p.value) for p in refused.problems] == [(2, "0601")]
    assert "物业小区应为面（Polygon）或点（Point）" in refused.problems[0].zh
    sites = check_file(point_store, "sites", collection(square), "site.geojson")  # sites stay points
    assert not sites.ok and "在建工地应为点（Point）：请在 GIS 软件中改画为点（Point）" in sites.problems[0].zh


def test_figures_tables_and_zone_metrics_count_points_as_they_count_outlines(points, polygons):
    """The point city is the tiny city with points for outlines and one more compound out of town."""
    for ds in (points, polygons):
        assert report_dates(ds) == ["2020-02-24", DATE]
    mine = {k.key: k.value for k in compute_kpis(points, DATE)}
    theirs = {k.key: k.value for k in compute_kpis(polygons, DATE)}
    assert mine == {**theirs, "kpi_not_reported": theirs["kpi_not_reported"] + 1}  # 0504 has no report
    view = view_of(points, "compounds", DATE)
    table = display_table(view, "compounds", "zh")
    assert table["编号"].tolist() == ["0501", "0502", "0503", "0504"]
    assert table["片区"].fillna("").tolist() == ["温泉街道第一片区", "温泉街道第一片区", "浮山街道第一片区", ""]
    compare = ["id", "compounds", "closed_share", "residents", "missing_reports", "sites"]
    assert zone_metrics(points, DATE)[compare].equals(zone_metrics(polygons, DATE)[compare])


def test_a_point_compound_has_a_circle_style_of_each_state_and_lands_in_the_pack(points):
    view = view_of(points, "compounds", DATE)
    layer = compound_layer(view, "zh")
    assert {key for key in layer.styles if key.startswith("pt_")} == {"pt_open", "pt_controlled", "pt_sealed",
                                                                      "pt_missing"}
    assert layer.styles["pt_sealed"]["fillColor"] == layer.styles["sealed"]["fillColor"]  # shaded alike
    assert layer.styles["pt_sealed"]["color"] == "#ffffff"  # a white ring: a circle among outlines stands out
    assert layer_of("sites", view_of(points, "sites", DATE), "zh").styles.keys() == {
        "not_resumed", "applied", "approved", "resumed", "suspended", "missing"}  # points only: one style
    pack = pack_places(points.compounds)
    body = json.loads(pack.text)
    assert body["rings"] == [0, 0, 0, 0]  # each a point, drawn by its own shape
    xy = np.cumsum(decode_ints(body["xy"]).reshape(-1, 2), axis=0) / 1e5
    assert xy.tolist() == [list(POINTS["0501"]), list(POINTS["0502"]), list(POINTS["0503"]), list(OUTSIDE[2])]
    state = layer_state(layer, [pack])
    assert [state["cats"][c] for c in decode_ints(state["c"])] == ["controlled", "sealed", "missing", "missing"]


def test_mixed_outlines_and_points_are_packed_by_their_own_shape(tmp_path):
    ds = load_store(_store(lambda f: write_point_city(f, mixed=True), tmp_path / "mixed",
                           f"sqlite:///{tmp_path / 'm.sqlite'}"))
    assert ds.compounds.geom_type.tolist() == ["Polygon", "Point", "Point", "Point"]
    assert json.loads(pack_places(ds.compounds).text)["rings"] == [1, 0, 0, 0]


def test_one_point_opens_the_map_on_its_streets_not_on_a_box_of_no_size(points):
    one = points.compounds.loc[points.compounds["id"] == "0503"]
    minx, miny, maxx, maxy = initial_bounds(one)
    assert maxx - minx == pytest.approx(0.005) and maxy - miny == pytest.approx(0.005)
    assert (minx + maxx) / 2 == pytest.approx(POINTS["0503"][0])


def test_point_compounds_export_as_they_came_and_read_back_the_same(point_store):
    stored = store.current(point_store, "compounds")  # as `python -m geo export compounds` writes it
    exported = table_bytes("compounds", stored, "geojson")
    frame, problems = read_layer(exported, "compounds", name="compounds.geojson")
    assert problems == [] and frame.geom_type.unique().tolist() == ["Point"]
    assert shapely.equals(frame.geometry.to_numpy(), stored.geometry.to_numpy()).all()
    assert check_file(point_store, "compounds", exported, "compounds.geojson").changed_ids == []  # nothing to change


def test_a_city_before_any_report_has_every_place_not_reported(tmp_path):
    ds = load_store(_store(write_unreported_city, tmp_path / "unreported", f"sqlite:///{tmp_path / 'u.sqlite'}"))
    assert report_dates(ds) == []
    for kind, count in (("compounds", 3), ("sites", 2), ("supplies", 5)):
        view = view_of(ds, kind, None)
        assert len(view) == count and set(view["category"]) == {"missing"}, kind
    figures = {k.key: (k.value, k.delta) for k in compute_kpis(ds, None)}
    assert figures["kpi_not_reported"] == (5, None) and figures["kpi_sealed"] == (0, None)
    assert figures["kpi_resumption_rate"] == (0.0, None)
    zones = zone_metrics(ds, None)
    assert zones["missing_reports"].tolist() == [3, 2] and zones["closed_share"].tolist() == [0.0, 0.0]


def test_a_city_without_zone_shapes_has_views_figures_and_no_outline_layer(tmp_path):
    ds = load_store(_store(write_zoneless_city, tmp_path / "zoneless", f"sqlite:///{tmp_path / 'z.sqlite'}"))
    assert ds.zones.empty and zone_outlines(ds.zones, "zh") == []
    assert len(zone_outlines(load_store(_store(write_tiny_city, tmp_path / "tiny",
                                                f"sqlite:///{tmp_path / 't.sqlite'}")).zones, "zh")) == 1
    view = view_of(ds, "compounds", DATE)
    assert view["category"].tolist() == ["controlled", "sealed", "missing"] and view["zone_name"].isna().all()
    assert zone_metrics(ds, DATE).empty
    assert {k.key: k.value for k in compute_kpis(ds, DATE)}["kpi_sealed"] == 1
    assert isinstance(view, gpd.GeoDataFrame) and TABLES["compounds"].points
