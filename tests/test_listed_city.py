"""A city kept as lists: zones without shapes, compounds of which some have no position yet (待定位).

Every page opens on it, counts every place (placed or not), draws those with a position, and lists the
others as still to be placed; the zones work as filters and figures without outlines.
"""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest

from geo import store
from geo.accounts import auth
from geo.analysis import zone_metrics
from geo.cli.main import main as cli
from geo.io.export import table_bytes
from geo.io.templates import prefilled, template_bytes
from geo.store.dataset import load_store
from geo.upload import EditRefused, check_file, commit, move_place, rename_place, retire_place
from tests.cities import UNPLACED, open_served, write_listed_city
from tests.test_cities import PLACE_PAGES, drawn_states, main_table, open_page, texts


@pytest.fixture
def listed_city(tmp_path, monkeypatch):
    return open_served(write_listed_city(tmp_path / "city"), tmp_path, monkeypatch, {"clerk": "staff"})


def test_the_lists_are_stored_with_zones_by_name_and_places_without_a_position(listed_city):
    assert store.refused_files(listed_city) == []
    zones = store.current(listed_city, "zones")
    assert zones.geometry.isna().all() and sorted(zones["leader"]) == ["张伟", "李娜"]
    compounds = store.current(listed_city, "compounds").set_index("name")
    zone_of = dict(zip(zones["name"], zones["id"]))
    assert compounds.loc["龙潭小区", "zone"] == zone_of["浮山街道第一片区"]  # a zone given by its name
    assert compounds.geometry.isna().sum() == len(UNPLACED)


@pytest.mark.parametrize("page", PLACE_PAGES)
def test_every_page_counts_every_place_and_draws_those_placed(listed_city, page):
    at = open_page(page)
    kind = page.split("/")[1][:-3]
    states = drawn_states(at) if kind != "zones" else {}
    if kind == "compounds":
        assert len(states["compounds"]) == 2 and len(main_table(at)) == 4
        assert "2 个物业小区待定位" in texts(at)
    if kind == "overview":
        assert len(states["compounds"]) == 2
    if kind == "zones":
        assert "没有范围形状" in texts(at)
        assert sorted(main_table(at)["名称"]) == ["浮山街道第一片区", "温泉街道第一片区"]


def _edit_page(**query):
    return open_page("pages/edit.py", user=("clerk", "staff"), **query)


def test_the_edit_page_offers_the_places_still_to_be_placed_first(listed_city):
    at = _edit_page()
    assert "2 个物业小区待定位" in " ".join(w.value for w in at.warning)
    options = at.selectbox(key="edit_place").options
    assert [o.split("（")[0] for o in options[:2]] == [name for name, _ in UNPLACED]
    assert all("待定位" in o for o in options[:2]) and "待定位" not in options[2]


def test_a_place_is_placed_by_typed_coordinates_then_undone(listed_city):
    compounds = store.current(listed_city, "compounds").set_index("name")
    pid = compounds.loc["龙潭小区", "id"]
    at = _edit_page(edit_kind="compounds", edit_place=pid)
    at.text_input(key=f"edit_typed_compounds_{pid}").input("29.8402, 114.3281").run()  # latitude first, from Amap
    at.button(key=f"edit_use_compounds_{pid}").click().run()
    assert "将把 **龙潭小区** 定位到" in texts(at)
    assert not at.warning or all("待定位" in w.value for w in at.warning)  # near the city, inside its zone
    at.button(key=f"edit_save_compounds_{pid}").click().run()
    assert any("已保存为版本" in s.value for s in at.success)
    placed = store.current(listed_city, "compounds").set_index("id").loc[pid, "geometry"]
    assert abs(placed.x - 114.3281) < 0.01 and placed.x < 114.3281  # GCJ-02 converted: WGS-84 lies west
    assert f"edit_save_compounds_{pid}" not in [b.key for b in at.button]  # nothing left to save again
    undo = next(b for b in at.button if b.key and b.key.startswith("edit_undo_"))
    assert undo.label.startswith("撤销这次修改")
    with pytest.raises(EditRefused):  # the same spot again: nothing to store
        move_place(listed_city, "compounds", pid, placed, auth.User("clerk", "staff"))
    undo.click().run()
    assert store.current(listed_city, "compounds").set_index("id").loc[pid, "geometry"] is None


def test_a_placed_point_is_moved_by_a_click_on_the_map_as_a_version_then_undone(listed_city):
    compounds = store.current(listed_city, "compounds")
    placed = compounds.loc[compounds.geometry.notna()].iloc[0]
    pid, before = placed["id"], placed.geometry
    at = _edit_page(edit_kind="compounds", edit_place=pid)
    [picker] = [e for e in at.get("component_instance") if e.proto.component_name == "streamlit_folium.st_folium"]
    # a click on the map itself, as st_folium returns it (lat/lng in the map's datum: WGS-84 without a base map)
    at.session_state[picker.key] = {"last_clicked": {"lat": before.y + 0.002, "lng": before.x + 0.003}}
    at.run()
    assert not at.exception and "将把 **金桂花园** 移动 365 米，到经度 114.305，纬度 29.834。" in texts(at)
    versions = len(store.history(listed_city))
    at.button(key=f"edit_save_compounds_{pid}").click().run()
    assert any("已保存为版本" in s.value for s in at.success)
    moved = store.current(listed_city, "compounds").set_index("id").loc[pid, "geometry"]
    assert (round(moved.x, 6), round(moved.y, 6)) == (round(before.x + 0.003, 6), round(before.y + 0.002, 6))
    assert len(store.history(listed_city)) == versions + 1  # one version: the move
    undo = next(b for b in at.button if b.key and b.key.startswith("edit_undo_"))
    undo.click().run()
    assert store.current(listed_city, "compounds").set_index("id").loc[pid, "geometry"].equals(before)


def test_a_far_click_must_be_confirmed_and_a_bad_position_is_said(listed_city):
    pid = store.current(listed_city, "compounds").set_index("name").loc["待建小区", "id"]
    at = _edit_page(edit_kind="compounds", edit_place=pid)
    at.text_input(key=f"edit_typed_compounds_{pid}").input("不是坐标").run()
    at.button(key=f"edit_use_compounds_{pid}").click().run()
    assert "不是一个位置" in " ".join(e.value for e in at.error)
    at.text_input(key=f"edit_typed_compounds_{pid}").input("116.40,39.90").run()  # Beijing, 1,000 km away
    at.button(key=f"edit_use_compounds_{pid}").click().run()
    assert "都超过" in " ".join(w.value for w in at.warning)
    assert at.button(key=f"edit_save_compounds_{pid}").disabled
    at.checkbox(key=f"edit_accept_compounds_{pid}").check().run()
    at.button(key=f"edit_save_compounds_{pid}").click().run()
    assert store.current(listed_city, "compounds").set_index("id").loc[pid, "geometry"] is not None


def test_a_place_is_renamed_and_retired_as_versions(listed_city):
    pid = store.current(listed_city, "sites").set_index("name").loc["学校建设工程", "id"]
    at = _edit_page(edit_kind="sites", edit_place=pid)
    next(w for w in at.text_input if w.label == "新名称").input("  ")
    next(b for b in at.button if b.label == "保存名称").click().run()
    assert "名称不能为空" in " ".join(e.value for e in at.error)
    next(w for w in at.text_input if w.label == "新名称").input("育才学校工程 <b>")
    next(b for b in at.button if b.label == "保存名称").click().run()
    assert store.current(listed_city, "sites").set_index("id").loc[pid, "name"] == "育才学校工程 <b>"
    assert at.button(key=f"edit_retire_sites_{pid}").disabled
    at.checkbox(key=f"edit_retire_sure_sites_{pid}").check().run()
    at.button(key=f"edit_retire_sites_{pid}").click().run()
    assert pid not in set(store.current(listed_city, "sites")["id"])
    actions = store.history(listed_city)["action"].tolist()
    assert actions.count("edit") == 2


def test_a_viewer_cannot_open_the_edit_page(listed_city):
    auth.add_user(auth.SYSTEM, listed_city, "eye", "viewer", "tulip-harbor-2020")
    at = open_page("pages/edit.py", user=("eye", "viewer"))
    assert not [w for w in at.selectbox if w.key in ("edit_kind", "edit_place")] and not at.tabs
    assert "去定位" not in [link.label for link in at.get("page_link")]  # nor offered from the place pages


def test_the_command_line_lists_places_and_moves_renames_retires_them(listed_city, capsys):
    compounds = store.current(listed_city, "compounds").set_index("name")
    assert cli(["place", "unplaced"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[2] for line in listed] == [name for name, _ in UNPLACED]
    far, near = compounds.loc["待建小区", "id"], compounds.loc["龙潭小区", "id"]
    assert cli(["place", "move", "compounds", far, "--at", "39.9,116.4", "--user", "clerk"]) == 1
    assert "--accept-warnings" in capsys.readouterr().err
    assert cli(["place", "move", "compounds", near, "--at", "114.3281,29.8402", "--datum", "wgs84",
                "--user", "clerk"]) == 0
    assert store.current(listed_city, "compounds").set_index("id").loc[near, "geometry"].x == 114.3281
    assert cli(["place", "rename", "compounds", near, "龙潭新村", "--user", "clerk"]) == 0
    assert cli(["place", "retire", "compounds", far, "--user", "clerk"]) == 0
    names = set(store.current(listed_city, "compounds")["name"])
    assert "龙潭新村" in names and "待建小区" not in names
    assert cli(["place", "retire", "compounds", "NOPE", "--user", "clerk"]) == 1
    assert "没有编号为 NOPE" in capsys.readouterr().err


def test_only_staff_and_admins_may_change_a_place(listed_city):
    auth.add_user(auth.SYSTEM, listed_city, "eye", "viewer", "tulip-harbor-2020")
    pid = store.current(listed_city, "compounds")["id"].iloc[0]
    with pytest.raises(auth.PermissionDenied):
        rename_place(listed_city, "compounds", pid, "新名", auth.User("eye", "viewer"))
    with pytest.raises(auth.PermissionDenied):
        retire_place(listed_city, "compounds", pid, None)


def test_the_upload_page_takes_a_zone_list_and_a_list_with_places_to_be_placed(listed_city):
    at = open_page("pages/upload.py", user=("clerk", "staff"))
    at.selectbox(key="upload_kind").set_value("zones").run()
    zones = "片区名称,片区长,联系电话\r\n北城网格,赵六,13800000009\r\n".encode("gb18030")
    at.file_uploader[0].set_value(("片区名单.csv", zones, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "没有坐标的网格片区名单" in texts(at)
    at.button(key="upload_confirm_button").click().run()
    assert any("已导入" in s.value for s in at.success)
    at.selectbox(key="upload_kind").set_value("compounds").run()
    listed = "小区名称,纬度,经度,所属网格\r\n北苑,,,北城网格\r\n东苑,29.845,114.315,北城网格\r\n".encode("gb18030")
    at.file_uploader[0].set_value(("小区名单.csv", listed, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = texts(at)
    assert "1 个场所没有坐标（第 2 行）" in shown and "已对应为片区编号" in shown
    at.button(key="upload_confirm_button").click().run()
    compounds = store.current(listed_city, "compounds").set_index("name")
    north = store.current(listed_city, "zones").set_index("name").loc["北城网格", "id"]
    assert compounds.loc["北苑", "geometry"] is None and compounds.loc["北苑", "zone"] == north
    assert compounds.loc["东苑", "geometry"] is not None


def test_the_daily_template_comes_prefilled_with_the_places_and_drop_down_lists(listed_city):
    at = open_page("pages/upload.py", user=("clerk", "staff"))
    assert at.selectbox(key="upload_kind").value == "compound_status"  # the table staff upload every day
    assert at.checkbox(key="template_prefill_compound_status").value
    zones = store.current(listed_city, "zones").set_index("name")["id"]
    at.selectbox(key="template_zone").set_value(zones["浮山街道第一片区"]).run()
    assert not at.exception
    compounds = store.current(listed_city, "compounds")
    in_zone = compounds.loc[compounds["zone"] == zones["浮山街道第一片区"]]
    rows = prefilled("compound_status", in_zone, "2020-02-26")
    book = openpyxl.load_workbook(io.BytesIO(template_bytes("compound_status", "xlsx", in_zone, "2020-02-26")))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]][:3] == ["小区编号", "小区名称", "日期"]
    assert sorted(row[1].value for row in sheet.iter_rows(min_row=2)) == sorted(in_zone["name"])
    assert len(rows) == sheet.max_row - 1 == 2
    [rule] = sheet.data_validations.dataValidation
    assert rule.formula1 == '"未封闭,封闭管理,全封闭"' and str(rule.sqref).startswith("D2:D")
    # filled in and uploaded back: read as written
    for row in sheet.iter_rows(min_row=2):
        row[3].value = "全封闭"
    buffer = io.BytesIO()
    book.save(buffer)
    check = check_file(listed_city, "compound_status", buffer.getvalue(), "日报.xlsx")
    assert check.ok, [p.zh for p in check.problems]
    assert set(check.frame["closure"]) == {"sealed"} and set(check.frame["compound_id"]) == set(in_zone["id"])


def test_places_uploaded_before_their_zones_join_them_when_the_zones_arrive(tmp_path):
    engine = store.open_store(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    clerk = auth.User("clerk", "staff")
    places = "小区名称,经度,纬度,所属网格\n甲苑,114.31,29.84,东城网格\n乙苑,114.32,29.85,东城网格\n".encode()
    commit(engine, check_file(engine, "compounds", places, "小区.csv", datum="wgs84"), clerk)
    commit(engine, check_file(engine, "zones", "网格名称,网格长\n东城网格,张三\n".encode(), "网格.csv"), clerk)
    ds = load_store(engine)
    zone = ds.zones["id"].iloc[0]
    assert ds.compounds["zone"].tolist() == [zone, zone]
    assert zone_metrics(ds, None).set_index("id").loc[zone, "compounds"] == 2


def test_a_report_filled_in_part_and_by_name_where_the_id_is_blank(listed_city):
    compounds = store.current(listed_city, "compounds").set_index("name")["id"]
    report = ("小区编号,小区名称,日期,封闭状态\n"
              f"{compounds['金桂花园']},金桂花园,2020-02-26,全封闭\n"
              ",浮山小区,2020-02-26,封闭管理\n"       # no id: found by its name
              f"{compounds['龙潭小区']},龙潭小区,2020-02-26,\n").encode()  # not filled in: not reported yet
    check = check_file(listed_city, "compound_status", report, "日报.csv", today=datetime.date(2020, 2, 26))
    assert check.ok, [p.zh for p in check.problems]
    assert sorted(check.frame["compound_id"]) == sorted([compounds["金桂花园"], compounds["浮山小区"]])
    said = " ".join(n.zh for n in check.notices)
    assert "按名称找到对应场所" in said and "视为尚未报告" in said
    swapped = (f"小区编号,小区名称,日期,封闭状态\n{compounds['金桂花园']},浮山小区,2020-02-26,全封闭\n").encode()
    [warning] = check_file(listed_city, "compound_status", swapped, "日报.csv",
                           today=datetime.date(2020, 2, 26)).warnings
    assert "将记在“金桂花园”名下" in warning.zh


def test_a_row_of_another_city_is_a_warning_and_an_export_reads_back_unchanged(listed_city, tmp_path):
    rows = "".join(f"{name},114.3{i},29.8{i}\n" for i, name in enumerate("甲乙丙丁戊"))
    listed = ("小区名称,经度,纬度\n" + rows + "京城小区,116.40,39.90\n").encode()
    check = check_file(listed_city, "compounds", listed, "名单.csv", datum="wgs84")
    [warning] = check.warnings
    assert warning.row == 7 and "公里" in warning.zh and warning.column == "经度/纬度"  # the file's own headers
    exported = table_bytes("compounds", store.current(listed_city, "compounds"), "csv")
    again = check_file(listed_city, "compounds", exported, "小区.csv", datum="wgs84")
    assert again.ok and len(again.delta) == 0, again.summary
