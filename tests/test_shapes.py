"""Real-world shapes and identifiers: OSM and DataV files, bow ties, two-point rings, collections, Feature ids.

Files exported from OpenStreetMap or DataV are repaired where the repair keeps the area, their
undrawable features skipped and named before the import, their own identifiers used; every
sentence is the catalogue's, never the geometry library's. Through ``geo.io``, ``check_file`` on the
tiny city (SQLite and PostgreSQL), the command line and the upload page. The real files are in
``tests/fixtures/realdata`` (origin and licence in its README).
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import shapely
from streamlit.testing.v1 import AppTest

from geo import store
from geo.accounts import auth
from geo.domain import group_problems
from geo.io import AREA_TOLERANCE, feature_shape, read_layer
from geo.upload import check_file, commit

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "fixtures" / "realdata"
STAFF = auth.User("clerk", "staff")
# what the geometry and JSON libraries say, which no person should read
LIBRARY_WORDS = re.compile(r"Self-intersection|Ring Self|GEOS|LinearRing|IllegalArgument|Too few points|Expecting "
                           r"value|Invalid Coordinate|Hole lies|Nested|make_valid|Traceback")


def polygon(*rings) -> dict:
    return {"type": "Polygon", "coordinates": [list(map(list, ring)) for ring in rings]}


def box(x: float, y: float, size: float = 0.001) -> list[tuple[float, float]]:
    return [(x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y)]


SQUARE = box(114.310, 29.840)
BOW_TIE = [(114.312, 29.840), (114.313, 29.841), (114.313, 29.840), (114.312, 29.841), (114.312, 29.840)]
# a square whose last edge overshoots its first corner: a loop of 0.01 % of its area crosses the first edge
SMALL_LOOP = [*box(114.314, 29.840)[:4], (114.31401, 29.83999), (114.314, 29.840)]
TWO_POINTS = [(114.316, 29.840), (114.317, 29.841), (114.316, 29.840)]


def osm_style() -> dict:
    """What an Overpass or QGIS export of residential landuse looks like: Feature ids, blank names, broken rings."""
    def feature(fid, props, geometry):
        return {"type": "Feature", "id": fid, "properties": props, "geometry": geometry}
    collection = {"type": "GeometryCollection", "geometries": [
        polygon(box(114.318, 29.840)), {"type": "LineString", "coordinates": [[114.318, 29.840], [114.319, 29.842]]}]}
    return {"type": "FeatureCollection", "features": [
        feature("way/123", {"name": "新建花园", "landuse": "residential"}, polygon(SQUARE)),
        feature("way/124", {"name": " ", "landuse": "residential"}, polygon(box(114.320, 29.840))),
        feature("way/125", {"name": "两点环", "landuse": "residential"}, polygon(TWO_POINTS)),
        feature("way/126", {"name": "八字形", "landuse": "residential"}, polygon(BOW_TIE)),
        feature("way/127", {"name": "集合小区", "landuse": "residential"}, collection),
        feature("way/128", {"name": "小环小区", "landuse": "residential"}, polygon(SMALL_LOOP)),
        feature(None, {"@id": "relation/5", "name": "多面小区", "landuse": "residential"},
                {"type": "MultiPolygon", "coordinates": [[box(114.322, 29.840)], [box(114.324, 29.840)]]}),
    ]}


def as_bytes(collection: dict) -> bytes:
    return json.dumps(collection, ensure_ascii=False).encode("utf-8")


def said(texts) -> str:
    return "\n".join(f"{text.zh}\n{text.en}" for text in texts)


# ---- one feature's shape (geo.io.shapes) ----

@pytest.mark.parametrize("geometry,why", [
    (None, "shape_no_geometry"),
    ({"type": "Polygon", "coordinates": []}, "shape_empty"),
    (polygon(TWO_POINTS), "shape_too_few_points"),  # the OSM export's two-point ring
    (polygon([(114.3, 29.8), (114.31, 29.81)]), "shape_too_few_points"),  # fewer than 4 positions, not closed
    (polygon([(114.3, 29.8)] * 5), "shape_too_few_points"),  # every point the same
    (polygon([(114.30, 29.8), (114.31, 29.8), (114.32, 29.8), (114.30, 29.8)]), "shape_zero_area"),  # on one line
    (polygon([(114.3, 29.8), (math.nan, 29.8), (114.31, 29.81), (114.3, 29.8)]), "shape_not_numbers"),
    (polygon([(114.3, 29.8), (math.inf, 29.8), (114.31, 29.81), (114.3, 29.8)]), "shape_not_numbers"),
    (polygon([("114.3", "29.8"), ("114.31", "29.8"), ("114.31", "29.81"), ("114.3", "29.8")]), "shape_not_numbers"),
    ({"type": "Point", "coordinates": [114.3, None]}, "shape_not_numbers"),
    ({"type": "Polygon", "coordinates": [[[114.3, 29.8], [114.31]]]}, "shape_unreadable"),
    ({"type": "Circle", "coordinates": [114.3, 29.8]}, "shape_unreadable"),
    (polygon(BOW_TIE), "shape_crossing"),  # a repair would keep two triangles of what was meant as a square
    # a bow tie of unequal lobes: any repair changes the area the rings draw by far more than the tolerance
    (polygon([(0, 0), (4, 4), (4, 0), (1, 2), (0, 2), (0, 0)]), "shape_crossing"),
    ({"type": "GeometryCollection", "geometries": [polygon(TWO_POINTS)]}, "shape_too_few_points"),
])
def test_a_shape_that_cannot_be_drawn_is_skipped_with_why(geometry, why):
    shape = feature_shape(geometry)
    assert shape.geometry is None and shape.skipped == why


def test_a_ring_left_open_is_closed_and_said():
    shape = feature_shape(polygon(SQUARE[:4]))
    assert shape.repaired == "shape_fix_not_closed" and shape.geometry.equals(shapely.Polygon(SQUARE))


def test_a_crossing_that_keeps_the_area_is_repaired_into_a_valid_polygon():
    drawn = shapely.Polygon(SMALL_LOOP)
    assert not drawn.is_valid  # what the file has
    shape = feature_shape(polygon(SMALL_LOOP))
    assert shape.repaired == "shape_fix_crossing" and shape.geometry.is_valid
    assert shape.geometry.geom_type in ("Polygon", "MultiPolygon")  # never a line the repair made
    assert abs(shape.geometry.area - drawn.area) <= AREA_TOLERANCE * drawn.area


def test_a_collection_keeps_its_polygons_and_a_point_layer_its_points():
    mixed = {"type": "GeometryCollection", "geometries": [
        polygon(SQUARE), {"type": "LineString", "coordinates": [[114.31, 29.84], [114.32, 29.85]]},
        {"type": "Point", "coordinates": [114.33, 29.85]}, polygon(box(114.32, 29.84))]}
    shape = feature_shape(mixed)
    assert shape.geometry.geom_type == "MultiPolygon" and len(shape.geometry.geoms) == 2
    assert shape.repaired == "shape_fix_collection"
    points = feature_shape(mixed, keep="Point")
    assert points.geometry.wkt == "POINT (114.33 29.85)" and points.repaired == "shape_fix_collection_points"
    whole = feature_shape({"type": "GeometryCollection", "geometries": [polygon(SQUARE)]})
    assert whole.geometry.geom_type == "Polygon" and whole.repaired is None


def test_degenerate_parts_and_holes_are_dropped_keeping_the_rest():
    multi = {"type": "MultiPolygon", "coordinates": [[SQUARE], [TWO_POINTS]]}
    shape = feature_shape(multi)
    assert shape.geometry.equals(shapely.Polygon(SQUARE)) and shape.repaired == "shape_fix_degenerate_part"
    holed = feature_shape(polygon(box(114.30, 29.80, 0.01), [(114.301, 29.801), (114.302, 29.802), (114.301, 29.801)]))
    assert holed.geometry.equals(shapely.Polygon(box(114.30, 29.80, 0.01))) and holed.repaired


# ---- a whole file (geo.io.read_layer) ----

def test_an_osm_export_uses_its_feature_ids_and_skips_what_cannot_be_drawn():
    layer, problems = read_layer(as_bytes(osm_style()), "compounds")
    assert problems == []
    assert layer["id"].tolist() == ["way/123", "way/124", "way/127", "way/128", "relation/5"]
    assert layer.attrs["feature_numbers"] == [1, 2, 5, 6, 7]
    assert layer.attrs["skipped"] == [(3, "shape_too_few_points"), (4, "shape_crossing")]
    assert {fid: key for fid, (_, key) in layer.attrs["repaired"].items()} == {
        "way/127": "shape_fix_collection", "way/128": "shape_fix_crossing"}
    assert pd.isna(layer.set_index("id").loc["way/124", "name"])  # a name of one space is no name
    notices = [n.zh for n in layer.attrs["notices"]]
    assert notices == [
        "4 个要素没有“小区编号”，编号取自文件自带的要素 id（GeoJSON Feature 的 id）。",
        "1 个要素没有“小区编号”，编号取自文件自带的“@id”。",
        "已修复 1 个几何集合中混有线或点（保留了其中的面）的图形，面积不变：第 5 个要素。",
        "已修复 1 个自相交的图形，面积不变：第 6 个要素。",
        "将跳过 2 个要素（少于三个不同的点，围不成面：第 3 个；边界交叉成 8 字形，修复会改变面积，请核对顶点顺序：第 4 个），"
        "其余 5 个照常导入。",
        "跳过的要素中有编号的 2 个：way/125、way/126。请在 GIS 软件中按编号找到它们改正后再上传。"]
    assert all(shape.is_valid and shape.geom_type in ("Polygon", "MultiPolygon") for shape in layer.geometry)


@pytest.mark.parametrize("props,expected", [
    ({"osm_id": 389992007, "FID": 0, "name": "a"}, "389992007"),  # osm_id before FID, whatever the order
    ({"OBJECTID": 7, "name": "a"}, "7"),
    ({"adcode": 421202, "name": "咸安区"}, "421202"),
    ({"序号": "12", "name": "a"}, "12"),
    ({"id": "C1", "osm_id": 5, "name": "a"}, "C1"),  # the schema's id wins over the file's own
])
def test_a_feature_without_the_schema_id_takes_the_files_own(props, expected):
    feature = {"type": "Feature", "properties": props, "geometry": polygon(SQUARE)}
    layer, problems = read_layer(as_bytes({"type": "FeatureCollection", "features": [feature]}), "compounds")
    assert problems == [] and layer["id"].tolist() == [expected]


def test_a_file_with_no_identifier_at_all_is_one_problem_naming_its_fields():
    features = [{"type": "Feature", "properties": {"名字": f"小区{n}", "类型": "住宅", "面积": n},
                 "geometry": polygon(box(114.31 + n * 0.002, 29.84))} for n in range(50)]
    layer, problems = read_layer(as_bytes({"type": "FeatureCollection", "features": features}), "compounds")
    assert layer.empty and len(problems) == 1
    assert problems[0].zh == ("文件中的要素都没有编号（小区编号）。文件有这些字段：名字、类型、面积。请把作编号的那一列改名为 id"
                              "（或“小区编号”）后再上传。")
    assert "名字, 类型, 面积" in problems[0].en


def test_datav_districts_keep_their_adcodes_and_the_invalid_one_is_repaired():
    layer, problems = read_layer(REAL / "421200_full.json", "zones")
    assert problems == []
    assert layer["id"].tolist() == ["421202", "421221", "421222", "421223", "421224", "421281"]
    assert layer.set_index("id").loc["421221", "name"] == "嘉鱼县"
    assert layer.attrs["repaired"] == {"421221": (2, "shape_fix_overlap")}  # two parts sharing an edge
    assert all(layer.geometry.is_valid)
    raw = json.loads((REAL / "421200_full.json").read_text(encoding="utf-8"))["features"][1]["geometry"]
    drawn = shapely.from_geojson(json.dumps(raw))
    assert abs(layer.geometry.iloc[1].area / drawn.area - 1) < 1e-9


def test_the_real_osm_landuse_export_is_read_with_its_broken_rings_skipped():
    layer, problems = read_layer(REAL / "nantong_landuse_osm.geojson", "compounds")
    assert problems == []
    assert [n for n, _ in layer.attrs["skipped"]] == [1, 15, 18]  # the rings of two distinct points
    assert len(layer) == 33 and layer["id"].tolist()[:3] == ["1", "2", "3"]  # the Feature ids 0–35
    assert layer["name"].isna().sum() == 18  # names of one space are no names
    assert not LIBRARY_WORDS.search(said(layer.attrs["notices"]))


# ---- the upload's dry run on the tiny city (SQLite and PostgreSQL) ----

def test_an_osm_style_upload_is_refused_only_for_its_blank_name_then_imports_the_rest(tiny_store):
    before = set(store.current(tiny_store, "compounds")["id"])
    check = check_file(tiny_store, "compounds", as_bytes(osm_style()), "osm.geojson", datum="wgs84")
    assert not check.ok
    assert [(p.row, p.column, p.value, p.key) for p in check.problems] == [
        (2, "小区名称", "way/124", "check_blank_required")]
    assert "将跳过 2 个要素" in said(check.notices) and "已修复 1 个自相交的图形" in said(check.notices)
    assert not LIBRARY_WORDS.search(said([p.text for p in check.problems] + check.notices))

    fixed = osm_style()
    fixed["features"][1]["properties"]["name"] = "无名小区"
    check = check_file(tiny_store, "compounds", as_bytes(fixed), "osm.geojson", datum="wgs84")
    assert check.ok, [p.zh for p in check.problems]
    assert check.summary[0].zh == "新增 5 个物业小区"
    commit(tiny_store, check, STAFF)
    stored = store.current(tiny_store, "compounds").set_index("id")
    assert set(stored.index) - before == {"way/123", "way/124", "way/127", "way/128", "relation/5"}
    assert stored.loc["way/127"].geometry.geom_type == "Polygon"  # the collection's line is gone
    assert all(shape.is_valid for shape in stored.geometry)


def test_datav_districts_upload_as_zones_with_their_adcodes(tiny_store):
    check = check_file(tiny_store, "zones", (REAL / "421200_full.json").read_bytes(), "421200_full.json",
                       datum="gcj02")
    assert check.ok, [p.zh for p in check.problems]
    assert "已修复 1 个各部分互相重叠或共边的图形，面积不变：第 2 个要素。" in said(check.notices)
    commit(tiny_store, check, STAFF)
    assert {"421202", "421221", "421281"} <= set(store.current(tiny_store, "zones")["id"])


def no_ids_but_the_last(count: int) -> bytes:
    """``count`` features without an id, then one with: the OSM list turned into GeoJSON by hand."""
    features = [{"type": "Feature", "properties": {"name": f"小区{n}"}, "geometry": polygon(box(114.30 + n * 1e-5, 29.84))}
                for n in range(count)]
    features.append({"type": "Feature", "properties": {"id": "0501", "name": "金桂花园"}, "geometry": polygon(SQUARE)})
    return as_bytes({"type": "FeatureCollection", "features": features})


def test_thousands_of_identical_problems_are_one_group(tiny_store):
    check = check_file(tiny_store, "compounds", no_ids_but_the_last(2761), "list.geojson", datum="wgs84")
    assert len(check.problems) == 2761
    (group,) = group_problems(check.problems, features=check.by_feature)
    assert group.title.zh == "2,761 个要素缺少编号：第 1–2761 个"
    assert group.title.en == "2,761 features have no id: features 1–2761"
    assert [p.row for p in group.examples] == [1, 2, 3]


# ---- the command line and the upload page ----

def _cli(tmp_path, tiny_dir, *args) -> subprocess.CompletedProcess:
    env = {**os.environ, "CMDMAP_DATABASE_URL": f"sqlite:///{tmp_path / 'store.sqlite'}",
           "CMDMAP_DATA_DIR": str(tiny_dir)}
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, env=env, capture_output=True, text=True)


def test_check_on_the_command_line_groups_problems_and_names_the_skipped(tmp_path, tiny_dir):
    many = tmp_path / "list.geojson"
    many.write_bytes(no_ids_but_the_last(2761))
    result = _cli(tmp_path, tiny_dir, "check", "compounds", str(many), "--datum", "wgs84")
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-6:] == [
        "  错误 / error: 2,761 个要素缺少编号：第 1–2761 个",
        "    例 / e.g.: 第 1 个要素没有编号（id），而其他要素有：请补上它的编号后再上传。",
        "    例 / e.g.: 第 2 个要素没有编号（id），而其他要素有：请补上它的编号后再上传。",
        "    例 / e.g.: 第 3 个要素没有编号（id），而其他要素有：请补上它的编号后再上传。",
        "  （同类问题合并列出；加 --json 可得到每一处问题） / (problems of one kind listed together; --json lists each one)",
        "共 2761 个问题，未导入 / invalid",
    ]
    as_json = json.loads(_cli(tmp_path, tiny_dir, "check", "compounds", str(many), "--datum", "wgs84", "--json").stdout)
    assert len(as_json["problems"]) == 2761 and as_json["groups"][0]["rows"] == list(range(1, 2762))

    osm = tmp_path / "osm.geojson"
    osm.write_bytes(as_bytes(osm_style()))
    result = _cli(tmp_path, tiny_dir, "check", "compounds", str(osm), "--datum", "wgs84")
    assert result.returncode == 1
    assert ("  提示 / note: 将跳过 2 个要素（少于三个不同的点，围不成面：第 3 个；边界交叉成 8 字形，修复会改变面积，"
            "请核对顶点顺序：第 4 个），其余 5 个照常导入。") in result.stdout
    assert ("  错误 / error: 第 2 个要素（编号 way/124）没有小区名称，地图上的场所不能没有小区名称。"
            "请在文件中填写后再上传。") in result.stdout
    assert not LIBRARY_WORDS.search(result.stdout + result.stderr)


def test_the_upload_page_lists_a_group_once_and_keeps_every_row_at_hand(page_env):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["auth_session"] = auth.start_session(STAFF)
    at.switch_page("pages/upload.py")
    at.run()
    at.selectbox(key="upload_kind").set_value("compounds").run()
    at.file_uploader[0].set_value(("list.geojson", no_ids_but_the_last(2761), "application/geo+json")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "2761 个问题" in at.error[0].value
    listed = " ".join(md.value for md in at.markdown)
    assert "2,761 个要素缺少编号：第 1–2761 个" in listed.replace("\\", "")
    assert listed.count("没有编号（id），而其他要素有") == 3  # the first examples, not 2,761 lines
    assert len(at.dataframe[0].value) == 2761  # every row, for fixing the file row by row
    assert [b for b in at.get("download_button") if b.key == "upload_problems_csv"]
    assert not [b for b in at.button if b.key == "upload_confirm_button"]
