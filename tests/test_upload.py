"""The upload path below the pages: check, commit, history, rollback, on SQLite and on PostgreSQL."""

import io
import json

import openpyxl
import pytest
import shapely
import shapely.affinity

from geo import store
from geo.accounts import auth
from geo.io.datum_convert import wgs84_to_gcj02
from geo.upload.check import check_file, commit, rollback_to

STAFF = auth.User("clerk", "staff")
ADMIN = auth.User("boss", "admin")


@pytest.fixture
def engine(tiny_store):
    return tiny_store


def csv(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def test_a_file_with_every_kind_of_error_reports_each_with_row_and_column(engine):
    data = csv("小区编号,小区名称,日期,封闭状态,居民人数,今日发热人数\n"
               "0501,金桂花园,2020-02-26,关门,900,0\n"         # 2: unknown status
               "0502,x,二月三十,open,300,0\n"                  # 3: not a date
               "0503,浮山小区,2020-02-26,open,-5,0\n"          # 4: negative
               "0503,浮山小区,2020-02-27,open,10000000,0\n"    # 5: absurd
               "XA-C0501,金桂花园,2020-02-26,open,10,0\n"      # 6: unknown id, suggests 0501 by name
               ",,2020-02-26,open,1,0\n"                       # 7: empty id
               "0501,金桂花园,2099-02-26,open,900,0\n"          # 8: future date
               "0502,x,2020-02-26,open,300,0\n"                # 9 and 10: the same place and date twice (10 said)
               "0502,x,2020-02-26,sealed,300,1\n")
    check = check_file(engine, "compound_status", data, "bad.csv")
    assert not check.ok
    where = sorted((p.row, p.column) for p in check.problems)
    assert where == [(2, "封闭状态"), (3, "日期"), (4, "居民人数"), (5, "居民人数"), (6, "小区编号"),
                     (7, "小区编号"), (8, "日期"), (10, "小区编号")]
    unknown = next(p for p in check.problems if p.row == 6)
    assert "0501（金桂花园）" in unknown.zh and "0501" in unknown.en
    assert all(p.zh and p.en for p in check.problems)
    with pytest.raises(ValueError):
        commit(engine, check, STAFF)


def test_dry_run_stores_nothing_and_commit_stores_everything(engine):
    before = store.newest_version(engine)
    data = csv("小区编号,日期,封闭状态\n0501,2020/2/26,全封闭\n0503,2月26日,封闭管理\n", "gbk")
    check = check_file(engine, "compound_status", data, "日报.csv")
    assert check.ok and check.changed_ids == ["0501", "0503"]
    assert store.newest_version(engine) == before
    applied = commit(engine, check, STAFF)
    assert applied.version == before + 1 and applied.added == 2
    rows = store.current(engine, "compound_status")
    assert set(rows.loc[rows["date"] == "2020-02-26", "compound_id"]) == {"0501", "0503"}
    name, original = store.original_file(engine, applied.version)
    assert (name, original) == ("日报.csv", data)  # byte for byte


def test_a_partial_file_keeps_the_columns_it_does_not_have(engine):
    check = check_file(engine, "compound_status", csv("小区编号,日期,封闭状态\n0502,2020-02-25,controlled\n"), "f.csv")
    commit(engine, check, STAFF)
    row = store.current(engine, "compound_status").set_index(["compound_id", "date"]).loc[("0502", "2020-02-25")]
    assert row["closure"] == "controlled" and row["residents"] == 360  # residents kept from before


def test_viewers_and_logged_out_cannot_commit_or_roll_back(engine):
    check = check_file(engine, "compound_status", csv("小区编号,日期,封闭状态\n0501,2020-02-26,open\n"), "f.csv")
    for user in (None, auth.User("reader", "viewer")):
        with pytest.raises(auth.PermissionDenied):
            commit(engine, check, user)
        with pytest.raises(auth.PermissionDenied):
            rollback_to(engine, 1, user)
    with pytest.raises(auth.PermissionDenied):
        rollback_to(engine, 1, STAFF)


def test_rollback_restores_and_is_itself_a_version(engine):
    original = store.current(engine, "compound_status")
    seed = int(store.history(engine).query("kind == 'compound_status'")["id"].min())
    commit(engine, check_file(engine, "compound_status",
                              csv("小区编号,日期,封闭状态\n0501,2020-02-25,open\n0501,2020-02-26,sealed\n"), "f.csv"),
           STAFF)
    applied = rollback_to(engine, seed, ADMIN)
    assert applied.removed == 2 and applied.added == 1
    after = store.current(engine, "compound_status")
    key = ["compound_id", "date"]
    assert after.sort_values(key).reset_index(drop=True).equals(original.sort_values(key).reset_index(drop=True))
    assert store.history(engine).iloc[0]["action"] == "rollback"
    with pytest.raises(store.NothingToRollBack):
        rollback_to(engine, seed, ADMIN)


def test_xlsx_with_totals_row_and_named_sheet(engine):
    book = openpyxl.Workbook()
    book.active.title = "说明"
    sheet = book.create_sheet("2月26日")
    for row in (["工地编号", "项目名称", "日期", "复工状态", "在册工人数", "返岗工人数", "健康台账"],
                ["S2", "学校建设工程", "2020-02-26", "已复工", 100, 80, "是"],
                ["合计", None, None, None, 100, 80, None]):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    check = check_file(engine, "site_status", buffer.getvalue(), "工地.xlsx", sheet="2月26日")
    assert check.ok, [p.zh for p in check.problems]
    assert any("合计行" in zh for zh, _ in check.notices)
    assert any("转为已复工" in zh for zh, _ in check.summary)


def _collection(features):
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()


def test_gcj02_geojson_is_detected_from_stored_shapes_and_converted(engine):
    stored = store.current(engine, "compounds").set_index("id")
    moved = shapely.transform(stored.loc["0501", "geometry"], lambda xy: __import__("numpy").column_stack(
        wgs84_to_gcj02(xy[:, 0], xy[:, 1])))
    new = shapely.box(114.3100, 29.8400, 114.3110, 29.8410)
    gcj_new = shapely.transform(new, lambda xy: __import__("numpy").column_stack(wgs84_to_gcj02(xy[:, 0], xy[:, 1])))
    data = _collection([
        {"type": "Feature", "properties": {"id": "0501", "name": "金桂花园", "zone": "Z1"},
         "geometry": json.loads(shapely.to_geojson(moved))},
        {"type": "Feature", "properties": {"小区编号": "0504", "小区名称": "新建小区", "所属片区": "Z1"},
         "geometry": json.loads(shapely.to_geojson(gcj_new))},
    ])
    check = check_file(engine, "compounds", data, "amap.geojson")
    assert check.ok, [p.zh for p in check.problems]
    assert check.datum == "gcj02"
    assert any("GCJ-02" in zh for zh, _ in check.summary)
    commit(engine, check, STAFF)
    after = store.current(engine, "compounds").set_index("id")
    assert after.loc["0501", "geometry"].equals_exact(stored.loc["0501", "geometry"], 1e-7)  # unchanged shape
    assert after.loc["0504", "geometry"].equals_exact(new, 1e-7)


def test_projected_or_swapped_geojson_is_refused(engine):
    metres = _collection([{"type": "Feature", "properties": {"id": "Z9", "name": "x"},
                           "geometry": {"type": "Polygon", "coordinates": [[[12725000, 3482000], [12726000, 3482000],
                                                                            [12726000, 3483000], [12725000, 3482000]]]}}])
    check = check_file(engine, "zones", metres, "m.geojson")
    assert not check.ok and any("米" in p.zh or "投影" in p.zh for p in check.problems)
    swapped = _collection([{"type": "Feature", "properties": {"id": "S9", "name": "x"},
                            "geometry": {"type": "Point", "coordinates": [29.84, 114.31]}}])
    check = check_file(engine, "sites", swapped, "s.geojson")
    assert not check.ok and any("经纬度" in p.zh or "颠倒" in p.zh for p in check.problems)


def test_wrong_geometry_type_and_size_limit(engine):
    points = _collection([{"type": "Feature", "properties": {"id": "Z9", "name": "x"},
                           "geometry": {"type": "Point", "coordinates": [114.31, 29.84]}}])
    assert any("Polygon" in p.zh for p in check_file(engine, "zones", points, "z.geojson").problems)
    big = check_file(engine, "compound_status", b"x" * 2000, "big.csv", max_bytes=1000)
    assert not big.ok and "超过上限" in big.problems[0].zh


def test_a_layer_without_a_name_column_keeps_the_stored_names_and_addresses(engine):
    """A file of ids and shapes only (new outlines for known compounds) changed shapes and blanked names."""
    stored = store.current(engine, "compounds").set_index("id")
    moved = shapely.affinity.translate(stored.loc["0501", "geometry"], 0.0001, 0.0001)
    data = _collection([{"type": "Feature", "properties": {"id": "0501"},
                         "geometry": json.loads(shapely.to_geojson(moved))}])
    check = check_file(engine, "compounds", data, "outlines.geojson", datum="wgs84")
    assert check.ok, [p.zh for p in check.problems]
    commit(engine, check, STAFF)
    after = store.current(engine, "compounds").set_index("id")
    assert after.loc["0501", "geometry"].equals_exact(moved, 1e-7)
    for column in ("name", "address", "zone"):
        assert after.loc["0501", column] == stored.loc["0501", column], column
    assert after.loc["0501", "name"].strip()


def test_a_new_place_with_a_blank_name_is_refused_with_its_feature_and_id(engine):
    box = json.loads(shapely.to_geojson(shapely.box(114.3100, 29.8400, 114.3110, 29.8410)))
    before = store.newest_version(engine)
    for blank in ("   ", "", None):
        data = _collection([{"type": "Feature", "properties": {"id": "0509", "name": blank}, "geometry": box}])
        check = check_file(engine, "compounds", data, "new.geojson", datum="wgs84")
        assert not check.ok
        (problem,) = check.problems
        assert (problem.row, problem.column, problem.value) == (1, "小区名称", "0509")
        assert "0509" in problem.zh and "小区名称" in problem.zh and "Compound name" in problem.en
        with pytest.raises(ValueError):
            commit(engine, check, STAFF)
    assert store.newest_version(engine) == before


def test_a_feature_without_a_property_others_have_keeps_its_stored_value(engine):
    """An OSM-style file: one new place with a name, one known place without the property (not blank)."""
    stored = store.current(engine, "compounds").set_index("id")
    box = json.loads(shapely.to_geojson(shapely.box(114.3100, 29.8400, 114.3110, 29.8410)))
    data = _collection([{"type": "Feature", "properties": {"id": "0509", "name": "新建小区"}, "geometry": box},
                        {"type": "Feature", "properties": {"id": "0501"},
                         "geometry": json.loads(shapely.to_geojson(stored.loc["0501", "geometry"]))}])
    check = check_file(engine, "compounds", data, "osm.geojson", datum="wgs84")
    assert check.ok, [p.zh for p in check.problems]
    commit(engine, check, STAFF)
    after = store.current(engine, "compounds").set_index("id")
    assert after.loc["0501", "name"] == stored.loc["0501", "name"] and after.loc["0509", "name"] == "新建小区"


def test_a_daily_report_may_name_its_places_instead_of_giving_ids(engine):
    """A report keyed by names (no ids in the bureau's list) was refused: 编号 浮山小区 在地图上找不到."""
    data = csv("小区编号,日期,封闭状态\n浮山小区,2020-02-26,sealed\n 金桂花园 ,2020-02-26,open\n")
    check = check_file(engine, "compound_status", data, "by-name.csv")
    assert check.ok, [p.zh for p in check.problems]
    assert any("2 行" in zh and "名称" in zh for zh, _ in check.notices)
    commit(engine, check, STAFF)
    day = store.current(engine, "compound_status").query("date == '2020-02-26'").set_index("compound_id")
    assert day.loc["0503", "closure"] == "sealed" and day.loc["0501", "closure"] == "open"
    unknown = check_file(engine, "compound_status", csv("小区编号,日期,封闭状态\n浮山花园,2020-02-26,open\n"), "x.csv")
    assert not unknown.ok and "浮山小区" in unknown.problems[0].zh  # not a name either: the closest suggested
