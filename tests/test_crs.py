"""Coordinate systems of uploaded layers: declared, checked, guessed and converted."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
import shapely.affinity
from shapely import Point, box

from geo.io.datum_convert import wgs84_to_bd09, wgs84_to_gcj02
from geo.io.datum_guess import (
    PROJECTED,
    UNKNOWN,
    check_coordinates,
    classify_coordinates,
    declared_datum,
    guess_datum,
    guess_datum_by_area,
    parse_datum,
    resolve_datum,
    to_wgs84,
)

FORWARD = {"wgs84": lambda lon, lat: (lon, lat), "gcj02": wgs84_to_gcj02, "bd09": wgs84_to_bd09}
CITY = box(114.28, 29.80, 114.36, 29.88)  # a made-up boundary around Xianning's centre


def compounds(n: int = 12) -> dict[str, shapely.Geometry]:
    """WGS-84 compounds (about 100 m squares) on a grid around Xianning, by id."""
    out = {}
    for i in range(n):
        x, y = 114.30 + 0.004 * (i % 4), 29.83 + 0.004 * (i // 4)
        out[f"C{i:02d}"] = box(x, y, x + 0.001, y + 0.001)
    return out


def in_datum(geometries: dict, datum: str) -> dict:
    """The same geometries as a file in ``datum`` would hold them."""
    def move(xy):
        return np.column_stack(FORWARD[datum](xy[:, 0], xy[:, 1]))

    return {key: shapely.transform(g, move) for key, g in geometries.items()}


def crs(name: str) -> dict:
    return {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": name}}, "features": []}


def metres_between(a, b) -> float:
    dx = math.radians(a.x - b.x) * math.cos(math.radians(a.y)) * 6371008.8
    return math.hypot(dx, math.radians(a.y - b.y) * 6371008.8)


# ------------------------------------------------------------------ names and declarations

@pytest.mark.parametrize("name, datum", [
    ("WGS-84", "wgs84"), ("EPSG:4326", "wgs84"), ("urn:ogc:def:crs:OGC:1.3:CRS84", "wgs84"), ("GPS", "wgs84"),
    ("CGCS2000", "wgs84"), ("EPSG:4490", "wgs84"), ("4326", "wgs84"), ("EPSG:4326 (WGS 84)", "wgs84"),
    ("http://www.opengis.net/def/crs/EPSG/0/4326", "wgs84"), ("urn:ogc:def:crs:EPSG:6.6:4326", "wgs84"),
    ("GCS_China_Geodetic_Coordinate_System_2000", "wgs84"), ("WGS 84 / Pseudo-Mercator", PROJECTED),
    ("CGCS2000 / 3-degree Gauss-Kruger CM 114E", PROJECTED),
    ("高德", "gcj02"), ("Amap", "gcj02"), ("GCJ-02", "gcj02"), ("火星坐标", "gcj02"), ("GCJ-02（高德、腾讯）", "gcj02"),
    ("百度", "bd09"), ("Baidu", "bd09"), ("BD-09", "bd09"), ("bd09ll", "bd09"),
    ("urn:ogc:def:crs:EPSG::3857", PROJECTED), ("EPSG:900913", PROJECTED), ("EPSG:4547", PROJECTED),
    ("EPSG:32650", PROJECTED), ("ESRI:102100", PROJECTED), ("bd09mc", PROJECTED),
    ("EPSG:4214", None), ("whatever", None), ("", None), (None, None),
])
def test_parse_datum_knows_how_people_name_datums(name, datum):
    assert parse_datum(name) == datum


@pytest.mark.parametrize("name, datum", [
    ("EPSG:27700", PROJECTED),  # British National Grid: projected, though no list of ours names it
    ("EPSG:4547+5773", PROJECTED),  # Gauss-Krüger with heights
    ("EPSG:9057", "wgs84"),  # WGS 84 (G1762), one realisation of WGS 84
    ("EPSG:4480", "wgs84"),  # CGCS2000, 3D
    ("EPSG:4479", None),  # CGCS2000 geocentric: X, Y, Z in metres, not longitude/latitude
    ("EPSG:4610", None),  # Xian 1980 geographic: another datum
    ("EPSG:99999", None),  # no such code
])
def test_declared_codes_are_judged_by_pyproj(name, datum):
    assert parse_datum(name) == datum


def test_declared_datum_reads_old_style_crs_members():
    assert declared_datum(crs("urn:ogc:def:crs:EPSG::4326")) == "wgs84"
    assert declared_datum(crs("urn:ogc:def:crs:OGC:1.3:CRS84")) == "wgs84"
    assert declared_datum(crs("EPSG:3857")) == PROJECTED
    assert declared_datum({"crs": {"type": "EPSG", "properties": {"code": 4490}}}) == "wgs84"
    assert declared_datum(crs("EPSG:4214")) == UNKNOWN
    assert declared_datum({"type": "FeatureCollection", "features": []}) is None


# ------------------------------------------------------------------ coordinate checks

def test_metres_are_refused_with_the_fix():
    lon, lat = np.radians(114.32), np.radians(29.84)  # EPSG:3857 by its formula
    geoms = [Point(6378137 * lon + 100 * i, 6378137 * np.log(np.tan(np.pi / 4 + lat / 2))) for i in range(3)]
    [problem] = check_coordinates(geoms, "c.geojson")
    assert problem.row is None and problem.source == "c.geojson"
    assert "米" in problem.zh and "WGS-84" in problem.zh and "metres" in problem.en
    assert problem.value.startswith("12726")
    datum, problems, _ = resolve_datum(None, geoms, chosen="wgs84")
    assert datum is None and problems


def test_swapped_latitude_and_longitude_are_refused():
    geoms = [Point(29.84, 114.32), Point(29.85, 114.33)]
    [problem] = check_coordinates(geoms, "c.geojson")
    assert "颠倒" in problem.zh and "swapped" in problem.en
    assert resolve_datum(None, geoms)[0] is None


@pytest.mark.parametrize("geometry", [Point(2.35, 48.85), Point(0, 0), box(120, 50, 140, 55)])
def test_coordinates_outside_china_are_refused(geometry):
    [problem] = check_coordinates([geometry], "c.geojson")
    assert "中国境内" in problem.zh and "outside China" in problem.en
    assert resolve_datum(None, [geometry])[0] is None


@pytest.mark.parametrize("lon, lat", [(73.67, 40.0), (73.62, 40.0), (135.04, 48.0), (135.07, 48.0),
                                      (110.0, 3.87), (110.0, 3.82), (120.0, 53.54), (120.0, 53.58)])
def test_the_check_and_gcj02_share_one_china(lon, lat):
    """A place accepted as in China is one GCJ-02 shifts, and one refused as outside is one it leaves."""
    shifted = not np.allclose(wgs84_to_gcj02(lon, lat), (lon, lat), rtol=0, atol=1e-9)
    assert (classify_coordinates([Point(lon, lat)])[0] == "ok") == shifted
    assert classify_coordinates([Point(lon, lat)])[0] in ("ok", "outside")


def test_a_few_bad_features_are_named_one_by_one():
    geoms = list(compounds(4).values()) + [Point(29.84, 114.32)]
    [problem] = check_coordinates(geoms, "c.geojson", ids=["a", "b", "c", "d", "e"])
    assert problem.row == 5 and "编号 e" in problem.zh and problem.value == "29.84, 114.32"
    datum, problems, _ = resolve_datum(None, dict(zip("abcde", geoms)))
    assert datum == "wgs84" and [p.row for p in problems] == [5]


def test_long_lists_end_in_a_summary():
    geoms = [Point(114.32, 29.84)] * 100 + [Point(0, 0)] * 30
    problems = check_coordinates(geoms, "c.geojson")
    assert len(problems) == 21 and problems[-1].row is None and "另有 10 个" in problems[-1].zh


def test_empty_and_missing_geometries_are_left_to_the_reader():
    geoms = [None, Point(), shapely.from_wkt("POLYGON EMPTY"), Point(114.32, 29.84)]
    assert check_coordinates(geoms, "c.geojson") == []
    assert classify_coordinates(geoms).tolist() == ["empty", "empty", "empty", "ok"]


# ------------------------------------------------------------------ guessing

@pytest.mark.parametrize("datum", ["wgs84", "gcj02", "bd09"])
def test_guess_from_stored_geometries(datum):
    stored = compounds()
    guessed, residual = guess_datum(in_datum(stored, datum), stored)
    assert guessed == datum and residual < 1


@pytest.mark.parametrize("datum", ["wgs84", "gcj02", "bd09"])
def test_guess_survives_redrawn_shapes(datum):
    stored = compounds()
    rng = np.random.default_rng(7)
    redrawn = {k: shapely.affinity.scale(shapely.affinity.translate(g, *rng.normal(0, 0.0001, 2)), 1.2, 0.9)
               for k, g in stored.items()}  # moved about 10 m, stretched
    guessed, residual = guess_datum(in_datum(redrawn, datum), stored)
    assert guessed == datum and 0 < residual < 30


def test_guess_needs_matching_ids_and_a_clear_fit():
    stored = compounds()
    guessed, residual = guess_datum({"X1": Point(114.32, 29.84)}, stored)
    assert guessed is None and math.isnan(residual)
    far = {k: shapely.affinity.translate(g, 0.05, 0.05) for k, g in stored.items()}  # about 7 km off
    guessed, residual = guess_datum(far, stored)
    assert guessed is None and residual > 1000


def near_the_edges() -> dict:
    """WGS-84 points 100 m inside each edge of CITY, and a few in the middle."""
    points = [Point(114.281, 29.84), Point(114.359, 29.84), Point(114.32, 29.801), Point(114.32, 29.879),
              Point(114.281, 29.801), Point(114.359, 29.879), Point(114.32, 29.84), Point(114.33, 29.85)]
    return {f"P{i}": p for i, p in enumerate(points)}


@pytest.mark.parametrize("datum", ["wgs84", "gcj02", "bd09"])
def test_guess_by_area_uses_features_near_the_boundary(datum):
    guessed, share = guess_datum_by_area(in_datum(near_the_edges(), datum), CITY)
    assert guessed == datum and share == 1.0


def test_guess_by_area_is_silent_when_every_datum_fits():
    middle = {"a": Point(114.32, 29.84), "b": Point(114.33, 29.85), "c": Point(114.31, 29.83)}
    assert guess_datum_by_area(in_datum(middle, "gcj02"), CITY) == (None, 1.0)
    assert guess_datum_by_area(middle, [box(114.0, 29.0, 114.1, 29.1)])[0] is None  # wrong district


# ------------------------------------------------------------------ resolving

def test_choice_beats_declaration():
    stored = compounds()
    datum, problems, notices = resolve_datum(crs("EPSG:4326"), in_datum(stored, "gcj02"), stored, chosen="高德")
    assert (datum, problems) == ("gcj02", [])
    assert len(notices) == 1 and "您选择的" in notices[0].zh


def test_a_choice_the_stored_geometries_contradict_gets_a_notice_not_a_problem():
    stored = compounds()
    datum, problems, [notice] = resolve_datum(None, in_datum(stored, "gcj02"), stored, chosen="wgs84")
    assert (datum, problems) == ("wgs84", [])
    assert "更像 GCJ-02" in notice.zh and "Amap" in notice.en


def test_declaration_beats_guess_but_a_contradiction_is_a_problem():
    stored = compounds()
    datum, problems, _ = resolve_datum(crs("EPSG:4326"), in_datum(stored, "gcj02"), stored, source_name="c.geojson")
    assert datum == "wgs84"
    [problem] = problems
    assert problem.row is None and problem.column == "crs" and "GCJ-02" in problem.zh and "Amap" in problem.en
    datum, problems, [notice] = resolve_datum(crs("EPSG:4326"), stored, stored)
    assert (datum, problems) == ("wgs84", []) and "WGS-84" in notice.zh


def test_stored_geometries_beat_the_area():
    stored = compounds()
    datum, problems, [notice] = resolve_datum(None, in_datum(stored, "bd09"), stored, area=CITY)
    assert (datum, problems) == ("bd09", []) and "对比" in notice.zh and "换算" in notice.zh


def test_area_is_the_fallback():
    new = gpd.GeoSeries(list(in_datum(near_the_edges(), "gcj02").values()), index=list(near_the_edges()))
    datum, problems, [notice] = resolve_datum({}, new, reference_geoms={"other": Point(114.3, 29.8)}, area=CITY)
    assert (datum, problems) == ("gcj02", []) and "辖区边界" in notice.zh


def test_wgs84_by_default_with_a_notice_naming_the_fix():
    datum, problems, [notice] = resolve_datum({}, compounds())
    assert (datum, problems) == ("wgs84", [])
    assert notice.zh.startswith("文件未声明坐标系，已按 WGS-84 处理；若坐标取自高德地图，请选择“GCJ-02")
    assert "Amap" in notice.en and notice.pick("en") == notice.en


def test_unknown_declaration_is_ignored_with_a_notice():
    datum, problems, notices = resolve_datum(crs("EPSG:4214"), compounds())
    assert (datum, problems) == ("wgs84", [])
    assert "EPSG:4214" in notices[0].zh and notices[1].zh.startswith("无法判断坐标系")


def test_declared_projected_is_refused_unless_a_datum_is_chosen():
    geoms = list(compounds().values())
    datum, [problem], _ = resolve_datum(crs("EPSG:3857"), geoms, source_name="c.geojson")
    assert datum is None and problem.value == "EPSG:3857" and "投影" in problem.zh
    assert resolve_datum(crs("EPSG:3857"), geoms, chosen="WGS-84")[:2] == ("wgs84", [])


def test_a_choice_must_name_a_datum():
    with pytest.raises(ValueError):
        resolve_datum(None, compounds(), chosen="EPSG:3857")


# ------------------------------------------------------------------ converting

@pytest.mark.parametrize("datum", ["wgs84", "gcj02", "bd09"])
def test_round_trip_within_half_a_metre(datum):
    stored = compounds()
    back = to_wgs84(list(in_datum(stored, datum).values()), datum)
    assert len(back) == len(stored)
    for before, after in zip(stored.values(), back):
        xy_before, xy_after = shapely.get_coordinates(before), shapely.get_coordinates(after)
        assert len(xy_before) == len(xy_after) == 5
        assert max(metres_between(Point(a), Point(b)) for a, b in zip(xy_before, xy_after)) < 0.5


def test_to_wgs84_keeps_a_geoseries_index():
    series = gpd.GeoSeries([Point(*wgs84_to_gcj02(114.32, 29.84))], index=["S1"])
    out = to_wgs84(series, "gcj02")
    assert list(out.index) == ["S1"] and out.crs.to_epsg() == 4326
    assert metres_between(out["S1"], Point(114.32, 29.84)) < 0.5
    with pytest.raises(ValueError):
        to_wgs84(series, "projected")
