"""Places from a table: lists of places shaped as bureaus keep them, through reading, the check, the CLI and the page."""

import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo import store
from geo.accounts import auth
from geo.domain.problems import group_problems
from geo.io import gcj02_to_wgs84, make_ids, parse_degrees, read_places, template_bytes
from geo.upload import check_file, commit, rollback_to
from geo.upload.check import _list_notices

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
ADMIN = auth.User("boss", "admin")

# sites of the tiny city's area (its zones are around 114.30–114.34, 29.83–29.86)
SITES = [("温泉路工地", 29.8405, 114.3102), ("浮山二期", 29.8452, 114.3221), ("金桂三期", 29.8511, 114.3307),
         ("淦河桥工地", 29.8390, 114.3290)]


def amap_list(rows=SITES, header="poi_name,lat,lon,tag,source") -> bytes:
    """A list exported from Amap: GB18030 with CRLF, latitude first, no ids, a source column."""
    lines = [header] + [f"{name},{lat},{lon},建筑工地,amap" for name, lat, lon in rows]
    return "\r\n".join(lines).encode("gb18030")


def test_a_gb18030_list_with_latitude_first_and_no_ids_becomes_points_in_the_files_datum():
    places, problems = read_places(amap_list(), "sites", name="list.csv")
    assert problems == []
    assert places["name"].tolist() == [name for name, _, _ in SITES]
    assert [(p.x, p.y) for p in places.geometry] == [(lon, lat) for _, lat, lon in SITES]
    assert places["id"].str.match(r"^GD-[0-9a-f]{6}$").all()
    assert places.attrs["ids_made"] and places.attrs["feature_numbers"] == [2, 3, 4, 5]
    assert places.attrs["datum_hint"] == ("gcj02", "amap")


def test_a_lists_totals_row_is_left_out_and_said_not_read_as_a_place_without_a_longitude():
    data = amap_list() + "\r\n合计:,4,,,".encode("gb18030")  # Excel's sum row under the list
    places, problems = read_places(data, "sites", name="list.csv")
    assert problems == [] and len(places) == 4 and places.attrs["totals"] == [6]
    assert places.attrs["feature_numbers"] == [2, 3, 4, 5]
    assert "第 6 行是合计行，已忽略。" in [n.zh for n in _list_notices("sites", places.attrs)]


def test_values_decide_the_order_when_the_headers_have_it_wrong():
    wrong = "名称,经度,纬度\n甲,29.84,114.31\n乙,29.85,114.32\n".encode()
    places, problems = read_places(wrong, "sites")
    assert problems == [] and places.attrs["swapped"]
    assert places.geometry.iloc[0].coords[0] == (114.31, 29.84)


@pytest.mark.parametrize("cell", ["114.31,29.84", "114.31，29.84", "29.84, 114.31", "(114.31 29.84)",
                                  "114°18′36″E,29°50′24″N", "北纬29度50分24秒,东经114度18分36秒"])
def test_one_cell_holding_both_coordinates_in_any_writing(cell):
    places, problems = read_places(f"项目名称,经纬度\n甲,\"{cell}\"\n".encode(), "sites")
    assert problems == []
    x, y = places.geometry.iloc[0].coords[0]
    assert abs(x - 114.31) < 1e-6 and abs(y - 29.84) < 1e-6


def test_degrees_minutes_seconds_and_hemispheres():
    assert parse_degrees("114°18'36\"E") == (114.31, "lon")
    assert parse_degrees("S 33°52′")[0] < 0
    assert np.isnan(parse_degrees("114°75'")[0])  # 75 minutes is no angle


def test_coordinates_found_by_their_values_when_no_header_names_them():
    data = "项目名称,A列,B列,户数\n甲,114.3102,29.8405,12\n乙,114.3221,29.8452,30\n".encode()
    places, problems = read_places(data, "sites")
    assert problems == [] and places.attrs["found_by_values"]
    assert places.attrs["columns"]["lon"] == "A列" and places.attrs["columns"]["lat"] == "B列"


def test_a_list_without_coordinates_is_told_which_columns_it_has_and_the_mapping_fixes_it():
    data = "项目名称,东西,南北\n甲,114.3102,29.8405\n".encode()
    places, problems = read_places(data, "sites")
    # values are found anyway; with text instead, the message lists the headers
    assert problems == []
    data = "项目名称,地址\n甲,温泉路1号\n".encode()
    places, problems = read_places(data, "sites")
    assert len(problems) == 1 and "找不到坐标列" in problems[0].zh and "项目名称、地址" in problems[0].zh
    data = "项目名称,位置说明,东西,南北\n甲,路口,114.3102,29.8405\n".encode()
    places, problems = read_places(data, "sites", columns={"lonlat": "", "lon": "东西", "lat": "南北"})
    assert problems == [] and places.geometry.iloc[0].coords[0] == (114.3102, 29.8405)
    _, problems = read_places(data, "sites", columns={"lon": "经度X"})
    assert "经度X" in problems[0].zh and "不在表中" in problems[0].zh


def test_blank_positions_are_places_to_be_placed_and_unreadable_ones_name_row_and_column():
    data = "项目名称,经度,纬度\n甲,114.31,29.84\n乙,,\n丙,一百一十四,29.85\n".encode()
    places, problems = read_places(data, "sites")
    assert places["name"].tolist() == ["甲", "乙", "丙"]
    assert places.geometry.isna().tolist() == [False, True, True]  # 乙 is still to be placed; 丙 is refused
    assert places.attrs["unplaced"] == [3]
    [problem] = problems
    assert problem.row == 4 and problem.column == "经度、纬度" and "一百一十四" in problem.zh


def test_a_longitude_without_its_latitude_names_the_blank_column_and_is_not_counted_as_unplaced(tiny_store):
    data = "\r\n".join(["小区名称,纬度,经度", "甲,29.84,114.31", "乙,,114.326", "丙,29.85,", "丁,,",
                          "戊,abc,114.31"]).encode("gb18030")
    places, problems = read_places(data, "compounds")
    assert places.attrs["unplaced"] == [5]
    half = [p for p in problems if p.key == "points_half_position"]
    assert [(p.row, p.column) for p in half] == [(3, "纬度"), (4, "经度")]
    assert "只填了经度（114.326），纬度是空的" in half[0].zh and "Only 经度 is filled in (114.326)" in half[0].en
    assert "无法识别" not in half[0].zh
    [bad] = [p for p in problems if p.key == "points_not_a_position"]
    assert bad.row == 6 and "abc" in bad.zh
    check = check_file(tiny_store, "compounds", data, "小区名单.csv")
    assert not check.ok
    [unplaced] = [n.zh for n in check.notices if "没有坐标" in n.zh]  # the refused rows are not also listed here
    assert "1 个场所没有坐标（第 5 行）" in unplaced


def test_made_ids_are_stable_whatever_the_order_and_keep_stored_places_ids():
    first = make_ids("sites", pd.Series(["甲", "乙", "甲"]))
    again = make_ids("sites", pd.Series(["乙", "甲", "甲"]))
    assert first[0] == again[1] and first[1] == again[0] and first[2] == again[2] == first[0] + "-2"
    assert make_ids("sites", pd.Series(["甲"]), known={"甲": "S1"}).tolist() == ["S1"]
    # same name in two districts: two places
    districts = make_ids("compounds", pd.Series(["幸福里", "幸福里"]), context=pd.Series(["咸安区", "通山县"]))
    assert districts[0] != districts[1] and "-2" not in districts[1]


def test_the_files_own_ids_are_used_and_a_repeated_one_is_a_problem():
    data = "序号,项目名称,经度,纬度\n1,甲,114.31,29.84\n2,乙,114.32,29.85\n2,丙,114.33,29.85\n".encode()
    places, problems = read_places(data, "sites")
    assert not places.attrs["ids_made"]
    [problem] = problems
    assert problem.value == "2" and "第 3、4 行" in problem.zh


def test_an_excel_list_with_a_title_row_and_numbers_as_numbers(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["咸安区在建工地名单（2020年2月）"])
    sheet.append(["项目名称", "经度", "纬度", "建设单位"])
    sheet.append(["甲", 114.3102, 29.8405, "城投"])
    sheet.append(["乙", 114.3221, 29.8452, None])
    buffer = io.BytesIO()
    book.save(buffer)
    places, problems = read_places(buffer.getvalue(), "sites")
    assert problems == [] and places["name"].tolist() == ["甲", "乙"]
    assert places.attrs["feature_numbers"] == [3, 4]
    assert places["developer"].tolist()[0] == "城投" and pd.isna(places["developer"].tolist()[1])


def test_the_templates_of_layers_are_lists_with_coordinate_columns_that_read_back():
    header = template_bytes("sites", "csv").decode("utf-8-sig").strip()
    assert header.endswith("经度,纬度")
    filled = (header + "\n,温泉路工地,房建,城投,一建,,114.3102,29.8405\n").encode("utf-8")
    places, problems = read_places(filled, "sites")
    assert problems == [] and places["developer"].tolist() == ["城投"]
    book = openpyxl.load_workbook(io.BytesIO(template_bytes("compounds", "xlsx")))
    notes = [row[0] for row in book["填写说明"].iter_rows(values_only=True)]
    assert "经度" in notes and "纬度" in notes


def test_a_list_goes_through_check_preview_import_and_undo(tiny_store):
    check = check_file(tiny_store, "sites", amap_list(), "工地名单.csv")
    assert check.ok, [p.zh for p in check.problems]
    notes = " ".join(n.zh for n in check.notices)
    assert "纬度取自“lat”" in notes and "已按名称为 4 个在建工地生成编号" in notes and "amap" in notes
    assert check.datum == "gcj02" and check.ids_made and check.rows == [2, 3, 4, 5]
    lon, lat = gcj02_to_wgs84(114.3102, 29.8405)
    first = check.frame.geometry.iloc[0]
    assert abs(first.x - lon) < 1e-9 and abs(first.y - lat) < 1e-9  # converted to WGS-84, ~500 m from the input
    before = store.place_ids(tiny_store, "sites")
    versions = store.history(tiny_store)
    seeded = int(versions.loc[versions["kind"] == "sites", "id"].max())
    commit(tiny_store, check, ADMIN)
    assert store.place_ids(tiny_store, "sites") == before | set(check.frame["id"])
    # uploaded again, in another order: the same ids, nothing changes
    again = check_file(tiny_store, "sites", amap_list(list(reversed(SITES))), "工地名单.csv")
    assert again.ok and again.delta.empty
    rollback_to(tiny_store, seeded, ADMIN)
    assert store.place_ids(tiny_store, "sites") == before


def test_a_list_naming_stored_places_keeps_their_ids_and_changes_them(tiny_store):
    site = store.current(tiny_store, "sites").iloc[0]
    data = f"项目名称,经度,纬度,施工单位\n{site['name']},{site.geometry.x},{site.geometry.y},新施工单位\n".encode()
    check = check_file(tiny_store, "sites", data, "list.csv", datum="wgs84")
    assert check.ok and check.frame["id"].tolist() == [site["id"]]
    assert check.fields["field"].tolist() == ["contractor"]  # only the column the list changes


def test_the_cli_checks_maps_columns_and_writes_the_list_with_its_ids(tmp_path, tiny_dir):
    env = {"CMDMAP_DATA_DIR": str(tiny_dir), "CMDMAP_DATABASE_URL": f"sqlite:///{tmp_path / 's.sqlite'}",
           "PATH": "/usr/bin:/bin"}
    path = tmp_path / "名单.csv"
    path.write_bytes("名称,东西,南北,来源\n甲,114.3102,29.8405,高德\n乙,114.3221,29.8452,高德\n".encode("gb18030"))

    def run(*args):
        return subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=120)

    done = run("check", "sites", str(path), "--column", "lon=东西", "--column", "lat=南北",
               "--ids-out", str(tmp_path / "ids.csv"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "经度取自“东西”" in done.stdout and "--datum gcj02" in done.stdout and "可以导入" in done.stdout
    assert "--column 角色=表头" in done.stdout and "--ids-out" not in done.stdout  # given already: not suggested
    plain = run("check", "sites", str(path))
    assert "--ids-out 文件名" in plain.stdout and "命令行" not in plain.stdout  # each channel says its own way
    with_ids = pd.read_csv(tmp_path / "ids.csv", dtype=str, encoding="utf-8-sig")
    assert with_ids.columns[0] == "工地编号" and with_ids["工地编号"].str.startswith("GD-").all()
    refused = run("check", "sites", str(path), "--column", "经度=东西")
    assert refused.returncode == 2 and "没有这个角色" in refused.stderr
    done = run("check", "sites", str(path), "--json")
    assert json.loads(done.stdout)["ok"]  # found by their values


def test_the_upload_page_takes_a_list_shows_the_mapping_and_imports_it(page_env):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth_session"] = auth.start_session(auth.User("clerk", "staff"))
    at.switch_page("pages/upload.py").run()
    at.selectbox(key="upload_kind").set_value("sites").run()
    no_header = "名称,东西,南北\n甲,114.3102,29.8405\n乙,114.3221,29.8452\n".encode("gb18030")
    at.file_uploader[0].set_value(("名单.csv", no_header, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    mapping = {s.label: s.value for s in at.selectbox if s.key and s.key.startswith("upload_columns_")}
    assert mapping["经度"] == "东西" and mapping["纬度"] == "南北" and mapping["项目名称"] == "名称"
    assert any("按数值判断" in i.value for i in at.info)
    assert not any("命令行" in i.value or "--" in i.value for i in at.info)  # the page's own mapping, not the CLI's
    # the person says the name is elsewhere: checked again with that mapping
    lon_box = next(s for s in at.selectbox if s.key and s.key.endswith("_lon"))
    lon_box.set_value("").run()
    problems = " ".join(at.dataframe[0].value.astype(str).stack())
    assert "找不到坐标列" in problems and "upload_confirm_button" not in [b.key for b in at.button]
    lon_box = next(s for s in at.selectbox if s.key and s.key.endswith("_lon"))
    lon_box.set_value("东西").run()
    assert not at.exception
    at.button(key="upload_confirm_button").click().run()
    assert not at.exception and any("已导入" in s.value for s in at.success)
    assert {"甲", "乙"} <= set(store.current(page_env, "sites")["name"])


def test_the_upload_page_says_a_single_warning_whole_before_how_the_file_was_read(page_env):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth_session"] = auth.start_session(auth.User("clerk", "staff"))
    at.switch_page("pages/upload.py").run()
    at.selectbox(key="upload_kind").set_value("sites").run()
    rows = "工地名称,纬度,经度,备注\r\n浮山二期,29.841,114.331,\r\n六岭三期,北纬29度,114.312,见附件\r\n"
    at.file_uploader[0].set_value(("工地名单.csv", rows.encode("gb18030"), "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]

    def shown(node):  # the page's elements in order: (type, text)
        proto = getattr(node, "proto", None)
        if isinstance(getattr(proto, "body", None), str):  # alerts and Markdown
            yield proto.body
        for child in (node.children.values() if isinstance(getattr(node, "children", None), dict) else ()):
            yield from shown(child)

    texts = list(shown(at._tree))
    warned = next(i for i, text in enumerate(texts) if "请核实以下 1 处" in text)
    whole = next(i for i, text in enumerate(texts) if "“六岭三期”" in text and "确认后才能导入" in text)
    read = next(i for i, text in enumerate(texts) if "以下列不在模板中" in text)
    assert warned < whole < read  # the sentence whole, not cut off by the table's cell, above the notices
    # how the datum was found: under the datum box only (its words before any Markdown escape)
    basis = at.session_state["upload_pending"].datum_reason.zh.split("（")[0]
    assert len([text for text in texts if basis in text]) == 1, basis
    assert "upload_confirm_button" not in [b.key for b in at.button]
    at.query_params["lang"] = "en"
    at.session_state["lang"] = "en"
    at.run()
    [said] = [text for text in shown(at._tree) if "lies outside every zone" in text]
    assert said.startswith("- **Row 3, column") and "**: " in said and "：" not in said  # no Chinese colon in English
    assert "(csv, xlsx, geojson, json, up to" in at.file_uploader[0].proto.label


def test_a_place_moved_far_is_a_warning_to_confirm_and_an_id_of_another_kind_is_refused(tiny_store):
    site = store.current(tiny_store, "sites").iloc[0]
    far = f"工地编号,项目名称,经度,纬度\n{site['id']},{site['name']},104.06,30.57\n".encode()  # to Chengdu
    check = check_file(tiny_store, "sites", far, "moved.csv", datum="wgs84")
    assert check.ok and len(check.warnings) == 1
    assert check.warnings[0].row == 2 and "公里" in check.warnings[0].zh
    with pytest.raises(ValueError):
        commit(tiny_store, check, ADMIN)
    commit(tiny_store, check, ADMIN, confirmed=True)
    assert store.current(tiny_store, "sites").set_index("id").loc[site["id"], "geometry"].x == 104.06
    near = f"工地编号,项目名称,经度,纬度\n{site['id']},{site['name']},104.061,30.571\n".encode()
    assert check_file(tiny_store, "sites", near, "near.csv", datum="wgs84").warnings == []
    compound = store.current(tiny_store, "compounds").iloc[0]
    taken = f"工地编号,项目名称,经度,纬度\n{compound['id']},新工地,114.31,29.84\n".encode()
    [problem] = check_file(tiny_store, "sites", taken, "taken.csv", datum="wgs84").problems
    assert problem.value == str(compound["id"]) and "物业小区" in problem.zh


def test_a_new_place_far_outside_every_zone_is_a_warning_naming_its_row_and_the_nearest_zone(tiny_store):
    # a bureau's list: GB18030 with CRLF, latitude first, no ids; "北纬29度" reads as 29°, some 90 km south
    rows = ["工地名称,纬度,经度,建设单位", "浮山二期,29.841,114.331,市城投", "六岭三期,北纬29度,114.312,市城投",
            "温泉路改造,29.836,114.305,市政"]
    check = check_file(tiny_store, "sites", "\r\n".join(rows).encode("gb18030"), "工地名单.csv", datum="wgs84")
    assert check.ok and [(w.row, w.column, w.key) for w in check.warnings] == [(3, "经度/纬度", "check_far_from_zones")]
    assert check.warnings[0].zh.startswith("“六岭三期”（编号 GD-") and "约 92 公里" in check.warnings[0].zh
    assert "温泉街道第一片区" in check.warnings[0].zh
    assert "未见明显偏移" not in check.datum_reason.zh  # not "no clear offset" beside a place 92 km off
    with pytest.raises(ValueError):
        commit(tiny_store, check, ADMIN)
    rows[2] = "六岭三期,北纬29度50分,114.312,市城投"  # corrected: inside 温泉街道第一片区
    assert check_file(tiny_store, "sites", "\r\n".join(rows).encode("gb18030"), "工地名单.csv",
                      datum="wgs84").warnings == []


def test_a_datav_boundary_file_is_read_as_gcj02_and_says_why(tiny_store):
    content = (Path(__file__).parent / "fixtures" / "realdata" / "421200_full.json").read_bytes()
    check = check_file(tiny_store, "zones", content, "421200_full.json")
    assert check.datum == "gcj02", [n.zh for n in check.notices]
    assert any("DataV" in n.zh and "GCJ-02" in n.zh for n in check.notices)
    assert not any("“DataV”字样" in n.zh for n in check.notices)  # the word is not in the file: its properties are


def _feature(fid, name, ring):
    return {"type": "Feature", "id": fid, "properties": {"name": name, "landuse": "residential"},
            "geometry": {"type": "Polygon", "coordinates": [ring + [ring[0]]]}}


def _square(x, y, half=0.0008):
    return [[x - half, y - half], [x + half, y - half], [x + half, y + half], [x - half, y + half]]


def test_outlines_from_an_osm_file_are_matched_to_stored_points_by_position_and_undone(tiny_store):
    points = "小区名称,经度,纬度\n甲小区,114.3102,29.8405\n乙小区,114.3202,29.8505\n丙小区,114.3302,29.8405\n" \
             "丁小区,114.3304,29.8407\n"
    listed = check_file(tiny_store, "compounds", points.encode(), "list.csv", datum="wgs84")
    assert listed.ok, [p.zh for p in listed.problems]
    commit(tiny_store, listed, ADMIN)
    ids = dict(zip(listed.frame["name"], listed.frame["id"]))
    osm = {"type": "FeatureCollection", "features": [
        _feature("way/1", " ", _square(114.3102, 29.8405)),  # 甲: a blank OSM name does not matter
        _feature("way/2", "乙", _square(114.3202, 29.8505)),
        _feature("way/3", "公园", _square(114.40, 29.90)),  # no point inside: other land use
        _feature("way/4", "大院", _square(114.3303, 29.8406, 0.002)),  # 丙 and 丁: whose is it?
    ]}
    check = check_file(tiny_store, "compounds", json.dumps(osm).encode(), "osm.geojson", datum="wgs84",
                       match_by_position=True)
    assert check.ok, [p.zh for p in check.problems]
    notes = " ".join(n.zh for n in check.notices)
    assert "2 个面各套住一个已有点位" in notes and "第 3 个要素" in notes and "第 4 个要素套住了 2 个点位" in notes
    assert sorted(check.changed_ids) == sorted([ids["甲小区"], ids["乙小区"]])
    assert set(check.fields["field"]) == {"geometry"}  # names and the rest stay
    versions = store.history(tiny_store)
    before = int(versions.loc[versions["kind"] == "compounds", "id"].max())
    commit(tiny_store, check, ADMIN)
    stored = store.current(tiny_store, "compounds").set_index("id")
    assert stored.loc[ids["甲小区"], "geometry"].geom_type == "Polygon"
    assert stored.loc[ids["甲小区"], "name"] == "甲小区"
    assert stored.loc[ids["丙小区"], "geometry"].geom_type == "Point"
    rollback_to(tiny_store, before, ADMIN)
    assert store.current(tiny_store, "compounds").set_index("id").loc[ids["甲小区"], "geometry"].geom_type == "Point"


def test_the_datum_of_the_citys_last_import_is_the_likely_one_for_a_list_that_does_not_say(tiny_store):
    with_word = amap_list()
    commit(tiny_store, check_file(tiny_store, "sites", with_word, "amap.csv"), ADMIN)  # said 高德: GCJ-02
    plain = "项目名称,经度,纬度\n新工地,114.3150,29.8450\n".encode()
    check = check_file(tiny_store, "sites", plain, "plain.csv")
    assert check.datum == "gcj02" and any("上次导入" in n.zh for n in check.notices)
    assert check_file(tiny_store, "sites", plain, "plain.csv", datum="wgs84").datum == "wgs84"  # a choice wins


def test_a_coordinate_problem_names_the_row_of_the_file_when_rows_above_have_no_position(tiny_store):
    listed = "\r\n".join(["小区名称,纬度,经度", "甲,29.84,114.31", "乙,,", "丙,29.85,114.32", "丁,29.86,14.33"])
    [problem] = check_file(tiny_store, "compounds", listed.encode("gb18030"), "小区名单.csv").problems
    # the list has no ids: the row is named by the place's name, not by the id the program made
    assert problem.row == 5 and problem.zh.startswith("第 5 行（丁）的坐标（14.33, 29.86）不在中国境内")
    assert problem.en.startswith("At row 5 (“丁”), ")
    point = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [114.31, 29.84]}}
    features = [{**point, "properties": {"id": "A", "name": "甲"}}, {**point, "properties": {"id": "B", "name": "乙"},
                                                                       "geometry": None},
                {"properties": {"id": "C", "name": "丙"}, "type": "Feature",
                 "geometry": {"type": "Point", "coordinates": [14.31, 29.84]}}]
    layer = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    [problem] = check_file(tiny_store, "sites", layer, "工地.geojson").problems
    assert problem.row == 3 and problem.zh.startswith("第 3 个要素（编号 C）的坐标（14.31, 29.84）")


def test_a_lists_blank_names_are_said_by_row_alone_and_grouped(tiny_store):
    listed = "\r\n".join(["编号,小区名称,经度,纬度", "A1,,114.31,29.84", "A2,,114.32,29.85", "A3,丙,114.32,29.85"])
    check = check_file(tiny_store, "compounds", listed.encode("gb18030"), "小区名单.csv")
    assert [(p.row, p.zh[:18]) for p in check.problems] == [(2, "第 2 行（编号 A1）没有小区名称"),
                                                           (3, "第 3 行（编号 A2）没有小区名称")]
    [group] = group_problems(check.problems, check.by_feature)
    assert group.title.zh == "2 行没有小区名称：第 2–3 行" and group.title.en == "2 rows have no 小区名称: rows 2–3"


def test_a_blank_name_is_said_with_a_coordinate_problem_and_without_an_id_the_program_made(tiny_store):
    # no ids, latitude first, GB18030 with CRLF: one row has no name, another a place in Europe
    listed = "\r\n".join(["小区名称,纬度,经度", "甲,29.84,114.31", ",29.85,114.32", "丙,29.85,114.33", "丁,29.86,14.33"])
    check = check_file(tiny_store, "compounds", listed.encode("gb18030"), "小区名单.csv")
    blank, outside = check.problems
    assert blank.row == 3 and blank.zh.startswith("第 3 行没有小区名称，")
    assert outside.row == 5 and outside.zh.startswith("第 5 行（丁）的坐标（14.33, 29.86）")
    assert blank.value is None and blank.en.startswith("At row 3, Compound name is blank")
    # a layer without names keeps the stored ones: nothing to say of them until it is compared
    features = [{"type": "Feature", "properties": {"id": key}, "geometry": {"type": "Point", "coordinates": xy}}
                for key, xy in (("A", [114.31, 29.84]), ("B", [14.33, 29.86]))]
    layer = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    [problem] = check_file(tiny_store, "compounds", layer, "坐标.geojson").problems
    assert problem.zh.startswith("第 2 个要素（编号 B）的坐标")


def test_a_place_named_after_a_map_platform_does_not_decide_the_lists_datum(tiny_store):
    rows = ("名称,经度,纬度\r\n百度云计算（咸宁）数据中心,114.3102,29.8405\r\n六岭三期,114.3221,29.8452\r\n"
            "浮山二期,114.331,29.841\r\n").encode("gb18030")
    check = check_file(tiny_store, "sites", rows, "工地.csv")
    assert check.datum != "bd09" and not any("“百度”字样" in n.zh for n in check.notices), check.notices
    with_source = ("名称,经度,纬度,来源\r\n六岭三期,114.3221,29.8452,百度地图\r\n浮山二期,114.331,29.841,百度地图\r\n"
                   ).encode("gb18030")
    assert check_file(tiny_store, "sites", with_source, "工地.csv").datum == "bd09"  # a source column still says it


def test_a_layers_counts_that_are_not_whole_numbers_and_a_row_split_by_a_comma_are_problems(tiny_store):
    before = store.current(tiny_store, "compounds")
    rows = ("小区名称,经度,纬度,户数,地址\r\n金桂花园,114.3102,29.8405,320户,金桂路1号\r\n"
            "浮山小区,114.3221,29.8452,-5,浮山路2号\r\n新建小区,114.331,29.841,1,200,温泉路2号\r\n").encode("gb18030")
    check = check_file(tiny_store, "compounds", rows, "小区.csv")
    said = {(p.row, p.column, p.value): p.zh for p in check.problems}
    assert not check.ok and set(said) >= {(2, "户数", "320户"), (3, "户数", "-5"), (4, None, "温泉路2号")}, said
    assert "应为整数" in said[(2, "户数", "320户")] and "不能是负数" in said[(3, "户数", "-5")]
    assert "数字中的逗号" in said[(4, None, "温泉路2号")]
    wide = next(p for p in check.problems if p.row == 4 and p.column is None)
    assert wide.located().zh.count("第 4 行") == 1 and wide.located().en.lower().count("row 4") == 1  # said once
    layer = json.loads(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "0501", "name": "金桂花园", "households": "320户"},
         "geometry": {"type": "Point", "coordinates": [114.3102, 29.8405]}}]}, ensure_ascii=False))
    check = check_file(tiny_store, "compounds", json.dumps(layer, ensure_ascii=False).encode(), "小区.geojson",
                       datum="wgs84")
    assert [(p.row, p.value) for p in check.problems] == [(1, "320户")], [p.zh for p in check.problems]
    assert store.current(tiny_store, "compounds").equals(before)  # nothing stored


def test_positions_too_far_from_the_citys_places_to_tell_the_datum_are_not_said_to_fit(tiny_store):
    """New sites in the middle of 2 km zones, hundreds of metres from any stored place: any datum fits as well."""
    rows = ("名称,经度,纬度\r\n新一,114.312,29.842\r\n新二,114.315,29.845\r\n新三,114.328,29.838\r\n"
            "新四,114.336,29.846\r\n").encode("gb18030")
    check = check_file(tiny_store, "sites", rows, "工地.csv", datum="wgs84")
    assert check.ok and "无法据此判断坐标系" in check.datum_reason.zh and "未见明显偏移" not in check.datum_reason.zh
    assert check.datum_unconfirmed  # the datum box says "read as", not "most likely"
    beside = ("名称,经度,纬度\r\n旁一,114.3101,29.8401\r\n旁二,114.3301,29.8401\r\n旁三,114.302,29.832\r\n"
              ).encode("gb18030")  # beside the stored sites and a compound: the city confirms the datum
    confirmed = check_file(tiny_store, "sites", beside, "工地.csv", datum="wgs84")
    assert "未见明显偏移" in confirmed.datum_reason.zh and not confirmed.datum_unconfirmed


def test_the_datum_box_says_read_as_not_most_likely_when_the_city_cannot_confirm_it(page_env):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth_session"] = auth.start_session(auth.User("clerk", "staff"))
    at.switch_page("pages/upload.py").run()
    at.selectbox(key="upload_kind").set_value("sites").run()
    at.selectbox(key="upload_datum").set_value("wgs84").run()
    rows = "名称,经度,纬度\r\n新一,114.312,29.842\r\n新二,114.315,29.845\r\n新三,114.328,29.838\r\n"
    at.file_uploader[0].set_value(("工地.csv", rows.encode("gb18030"), "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    [said] = [c.value for c in at.caption if "WGS-84" in c.value and "理由" in c.value]
    assert said.startswith("按 **WGS-84") and "本市数据无法印证" in said and "很可能是" not in said, said
