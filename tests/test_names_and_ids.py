"""Ids when the file has none (#16 item 4): a daily report naming its places by name, within their district; a
GeoJSON layer without any id gets made ids as a list does; the upload page offers the list back with its ids."""

from __future__ import annotations

import io
import json

import pandas as pd
from streamlit.testing.v1 import AppTest

from geo import store
from geo.accounts import auth
from geo.upload import check_file, commit, file_with_ids
from tests.conftest import APP

ADMIN = auth.User("boss", "admin")
TODAY = __import__("datetime").date(2020, 2, 26)


def _layer(features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()


def _point(properties, x, y, fid=None):
    feature = {"type": "Feature", "properties": properties, "geometry": {"type": "Point", "coordinates": [x, y]}}
    return feature if fid is None else {**feature, "id": fid}


def _square(x, y, half=0.0008):
    ring = [[x - half, y - half], [x + half, y - half], [x + half, y + half], [x - half, y + half], [x - half, y - half]]
    return {"type": "Polygon", "coordinates": [ring]}


def _second_district(engine):
    """A zone of 通山县 with a compound named as one of 咸安区's (金桂花园, 0501 in Z1)."""
    zones = _layer([{"type": "Feature", "properties": {"id": "Z9", "name": "通羊镇片区", "district": "通山县",
                                                        "street": "通羊镇", "leader": "王强", "phone": "13800000009"},
                     "geometry": _square(114.50, 29.60, 0.01)}])
    commit(engine, check_file(engine, "zones", zones, "zones.geojson", datum="wgs84"), ADMIN)
    twin = "小区编号,小区名称,所属网格,经度,纬度\n0901,金桂花园,Z9,114.501,29.601\n".encode()
    commit(engine, check_file(engine, "compounds", twin, "twin.csv", datum="wgs84"), ADMIN)


def test_a_report_by_name_finds_a_name_shared_across_districts_by_its_district_column(tiny_store):
    _second_district(tiny_store)
    report = ("小区名称,区县,日期,封闭状态\n"
              "金桂花园,通山县,2020-02-26,全封闭\n"
              "金桂花园,咸安,2020-02-26,封闭管理\n"   # 咸安 for 咸安区: one district
              "浮山小区,,2020-02-26,封闭管理\n").encode()  # a name found once needs no district
    check = check_file(tiny_store, "compound_status", report, "日报.csv", today=TODAY)
    assert check.ok, [p.zh for p in check.problems]
    assert check.frame.set_index("compound_id")["closure"].to_dict() == {"0901": "sealed", "0501": "controlled",
                                                                        "0503": "controlled"}
    assert not any("区县" in n.zh and "无法识别" in n.zh for n in check.notices)  # the column is read, not unknown


def test_a_name_shared_without_a_district_lists_the_candidates_with_their_districts(tiny_store):
    _second_district(tiny_store)
    for report in ("小区名称,日期,封闭状态\n金桂花园,2020-02-26,全封闭\n",
                   "小区名称,区县,日期,封闭状态\n金桂花园,,2020-02-26,全封闭\n",
                   "小区名称,区县,日期,封闭状态\n金桂花园,嘉鱼县,2020-02-26,全封闭\n"):  # in neither
        [problem] = check_file(tiny_store, "compound_status", report.encode(), "日报.csv", today=TODAY).problems
        assert problem.row == 2 and "0501（咸安区）、0901（通山县）" in problem.zh and "区县" in problem.zh


def test_a_geojson_without_any_id_gets_made_ids_shown_and_offered_back(tiny_store):
    layer = _layer([_point({"name": "东门工地", "kind": "房建"}, 114.312, 29.842),
                    _point({"name": "西门工地", "kind": "市政"}, 114.322, 29.843),
                    _point({"name": "六岭棚改项目"}, 114.31, 29.84)])  # stored as S1: keeps its id
    check = check_file(tiny_store, "sites", layer, "工地.geojson", datum="wgs84")
    assert check.ok and check.ids_made, [p.zh for p in check.problems]
    ids = dict(zip(check.frame["name"], check.frame["id"]))
    assert ids["六岭棚改项目"] == "S1" and ids["东门工地"].startswith("GD-") and ids["西门工地"].startswith("GD-")
    assert any("已按名称为 3 个在建工地生成编号" in n.zh for n in check.notices)
    assert set(check.changed_ids) >= {ids["东门工地"], ids["西门工地"]}  # shown in the preview
    again = check_file(tiny_store, "sites", _layer(json.loads(layer)["features"][::-1]), "again.geojson",
                       datum="wgs84")
    assert dict(zip(again.frame["name"], again.frame["id"])) == ids  # stable, whatever the order
    data, extension = file_with_ids(check)
    assert extension == "geojson"
    back = [f["properties"] for f in json.loads(data)["features"]]
    assert [p["id"] for p in back] == [ids["东门工地"], ids["西门工地"], "S1"] and back[0]["kind"] == "房建"
    with_ids = check_file(tiny_store, "sites", data, "工地（含编号）.geojson", datum="wgs84")
    assert with_ids.ok and not with_ids.ids_made and dict(zip(with_ids.frame["name"], with_ids.frame["id"])) == ids


def test_a_list_naming_a_place_twice_says_so_with_the_rows_before_it_becomes_two_places(tiny_store):
    """Was: the second 幸福里 silently became 幸福里-2, a second place on the map."""
    rows = ["名称,地址,纬度,经度", "幸福里,温泉路8号,29.842,114.312", "龙潭社区,龙潭路1号,29.843,114.322",
            "幸福里,温泉路8号,29.8421,114.3121", "幸福里,通羊镇新街3号,29.6,114.5",  # elsewhere: another place
            "金桂花园,金桂路1号,29.84,114.31", "金桂花园,金桂路1号,29.84,114.31"]  # a stored place's name, twice
    content = "\r\n".join(rows).encode("gb18030")
    check = check_file(tiny_store, "compounds", content, "小区名单.csv", datum="wgs84")
    assert check.ok, [p.zh for p in check.problems]
    [said] = [n for n in check.notices if "重复出现" in n.zh]
    assert said.zh == ("名单中有 2 个名称重复出现：“幸福里”（第 2、4 行）、“金桂花园”（第 6、7 行）。已作为不同的物业小区分别编号；"
                       "若是同一场所重复列出，请删去多余的行后再上传。"), said.zh
    assert "“幸福里” (rows 2, 4)" in said.en
    ids = check.frame["id"].tolist()
    assert ids[0] != ids[2] and ids[4] == "0501" and ids[5] == "0501-2"
    once = check_file(tiny_store, "compounds", "\r\n".join(rows[:3]).encode("gb18030"), "a.csv", datum="wgs84")
    assert not [n for n in once.notices if "重复出现" in n.zh]


def test_a_geojson_without_ids_naming_a_place_twice_says_so_by_feature(tiny_store):
    layer = _layer([_point({"name": "东门工地"}, 114.312, 29.842), _point({"name": "东门工地"}, 114.3121, 29.8421)])
    check = check_file(tiny_store, "sites", layer, "工地.geojson", datum="wgs84")
    assert check.ok and check.ids_made
    assert any("“东门工地”（第 1、2 个要素）" in n.zh for n in check.notices), [n.zh for n in check.notices]


def test_a_geojson_where_some_features_have_ids_and_others_not_is_refused_naming_them(tiny_store):
    layer = _layer([_point({"id": "S7", "name": "东门工地"}, 114.312, 29.842),
                    _point({"name": "西门工地"}, 114.322, 29.843),
                    _point({"name": "北门工地"}, 114.332, 29.844)])
    check = check_file(tiny_store, "sites", layer, "工地.geojson", datum="wgs84")
    assert not check.ok and not check.ids_made
    assert sorted(p.row for p in check.problems) == [2, 3]
    assert all("没有编号" in p.zh and "而其他要素有" in p.zh for p in check.problems)


def test_the_upload_page_offers_a_list_without_ids_back_with_its_ids(page_env):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth_session"] = auth.start_session(auth.User("clerk", "staff"))
    at.switch_page("pages/upload.py").run()
    at.selectbox(key="upload_kind").set_value("sites").run()
    listed = "项目名称,经度,纬度\n东门工地,114.312,29.842\n西门工地,114.322,29.843\n".encode("gb18030")
    at.file_uploader[0].set_value(("工地名单.csv", listed, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    [button] = [b for b in at.get("download_button") if b.proto.id and "upload_list_ids" in b.proto.id]
    assert button.proto.label == "下载加上编号的名单"
    pending = at.session_state["upload_pending"]
    data, extension = file_with_ids(pending)  # what the button serves
    back = pd.read_csv(io.BytesIO(data), dtype=str, encoding="utf-8-sig")
    assert extension == "csv" and list(back.columns) == ["工地编号", "项目名称", "经度", "纬度"]
    assert back["工地编号"].str.startswith("GD-").all() and set(back["工地编号"]) == set(pending.frame["id"])
    at.button(key="upload_confirm_button").click().run()
    assert not at.exception
    assert set(back["工地编号"]) <= set(store.current(page_env, "sites")["id"])  # the ids the reports will use
