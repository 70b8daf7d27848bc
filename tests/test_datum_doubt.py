"""A list picked on Amap (GCJ-02) or Baidu (BD-09) but read as WGS-84 sits 300–600 m off the rest of the city: the
check compares it with the city's zones and its other stored places and asks the person to confirm (#16 item 2)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from streamlit.testing.v1 import AppTest

from geo import store
from geo.accounts import auth
from geo.io import wgs84_to_bd09, wgs84_to_gcj02
from geo.io.datum_guess import datum_doubt
from geo.upload import check_file, commit, open_city
from tests.conftest import APP, write_tiny_city
from tests.filled_stores import demo_store

ADMIN = auth.User("boss", "admin")
DEMO = Path(__file__).resolve().parent.parent / "data"
CONVERT = {"wgs84": lambda x, y: (x, y), "gcj02": wgs84_to_gcj02, "bd09": wgs84_to_bd09}


def point_list(places: pd.DataFrame, datum: str, prefix: str | None = "N", zone: bool = True) -> bytes:
    """The places as a bureau's list: 编号 (a prefix: another office's numbering; None: no ids), 名称, 所属网格 and
    the position of each place as picked on a map of ``datum``."""
    points = shapely.point_on_surface(places.geometry.to_numpy())
    lon, lat = CONVERT[datum](shapely.get_x(points), shapely.get_y(points))
    frame = pd.DataFrame({"名称": places["name"].astype(str) + ("" if prefix else "新"), "经度": np.round(lon, 6),
                          "纬度": np.round(lat, 6)})
    if prefix is not None:
        frame.insert(0, "编号", [f"{prefix}{i}" for i in places["id"]])
    if zone and "zone" in places:
        frame["所属网格"] = places["zone"].to_numpy()
    return frame.to_csv(index=False).encode()


def doubts(check) -> list:
    return [w for w in check.warnings if w.row is None and "坐标系" in w.zh]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo city (its real data folder) in a store of its own, read once for the module."""
    engine = open_city(demo_store(tmp_path_factory.mktemp("demo") / "demo.sqlite"), DEMO)
    assert store.refused_files(engine) == []  # the demo's own files raise no doubt while they are read
    return engine


@pytest.mark.parametrize("kind", ["compounds", "sites"])
def test_the_demo_citys_places_in_their_own_datum_raise_no_doubt(demo, kind):
    places = store.current(demo, kind)
    for datum in ("wgs84", "gcj02", "bd09"):  # said right by the person, or found from the stored places' ids
        for prefix in ("N", ""):
            content = point_list(places, datum, prefix)
            assert doubts(check_file(demo, kind, content, "list.csv", datum=datum)) == [], (datum, prefix)
        assert doubts(check_file(demo, kind, point_list(places, datum, ""), "list.csv")) == []


@pytest.mark.parametrize("kind,datum,word", [("compounds", "gcj02", "GCJ-02"), ("sites", "bd09", "BD-09"),
                                             ("compounds", "bd09", "BD-09")])
def test_a_demo_list_picked_on_amap_or_baidu_but_read_as_wgs84_is_a_warning_naming_the_datum(demo, kind, datum,
                                                                                              word):
    places = store.current(demo, kind)
    for chosen in ("wgs84", None):  # an explicit choice is checked too; so is the default
        check = check_file(demo, kind, point_list(places, datum), "amap.csv", datum=chosen)
        [doubt] = doubts(check)
        assert check.datum == "wgs84" and doubt.value == datum
        assert f"改选为“{word}" in doubt.zh and f"{len(places)} 个位置" in doubt.zh
        assert "命令行" not in doubt.zh and "--" not in doubt.en  # the page's words; the CLI adds its own option
        assert f"按 {word} 有 100% 的点落在所属网格内，按 WGS-84 只有" in doubt.zh
        assert f"按 {word} 离最近的已有场所中位 0 米" in doubt.zh  # the same places under the other office's ids
        assert "choose the datum \"" in doubt.en
        with pytest.raises(ValueError):
            commit(demo, check, ADMIN)  # not without the person's confirmation


def test_the_same_ids_read_in_the_wrong_datum_are_said_by_the_zones_alone(demo):
    places = store.current(demo, "compounds")
    check = check_file(demo, "compounds", point_list(places, "gcj02", ""), "amap.csv", datum="wgs84")
    [doubt] = doubts(check)
    assert "所属网格内" in doubt.zh and "最近的已有场所" not in doubt.zh  # its own stored places are not "others"


def test_a_list_without_zones_column_is_compared_with_any_zone_and_the_other_places(demo):
    places = store.current(demo, "sites")
    [doubt] = doubts(check_file(demo, "sites", point_list(places, "gcj02", zone=False), "amap.csv", datum="wgs84"))
    assert "GCJ-02" in doubt.zh and "最近的已有场所中位 0 米" in doubt.zh


def _grid(x0, y0, x1, y1, count=5):
    xs, ys = np.meshgrid(np.linspace(x0, x1, count), np.linspace(y0, y1, count))
    return list(zip(xs.ravel(), ys.ravel()))


def _city(tmp_path, keep: tuple[str, ...]) -> object:
    folder = write_tiny_city(tmp_path / "city")
    for path in folder.iterdir():
        if path.stem not in keep:
            path.unlink()
    return open_city(f"sqlite:///{tmp_path / 'city.sqlite'}", folder)


def _zone_list(datum: str) -> bytes:
    """25 compounds of each tiny zone spread over it, with their zone, picked on a map of ``datum``."""
    rows = ["小区名称,所属网格,经度,纬度"]
    for zone, (x0, x1) in (("Z1", (114.3005, 114.3195)), ("Z2", (114.3205, 114.3395))):
        for i, (x, y) in enumerate(_grid(x0, 29.8305, x1, 29.8495)):
            lon, lat = CONVERT[datum](x, y)
            rows.append(f"{zone}小区{i},{zone},{lon:.6f},{lat:.6f}")
    return "\n".join(rows).encode()


def test_a_city_with_zones_but_no_places_yet(tmp_path):
    engine = _city(tmp_path, ("zones",))
    assert doubts(check_file(engine, "compounds", _zone_list("wgs84"), "list.csv", datum="wgs84")) == []
    [doubt] = doubts(check_file(engine, "compounds", _zone_list("gcj02"), "list.csv", datum="wgs84"))
    assert "GCJ-02" in doubt.zh and "所属网格内" in doubt.zh and "最近的已有场所" not in doubt.zh


def test_a_city_with_places_but_no_zones(tmp_path):
    engine = _city(tmp_path, ("compounds", "sites"))
    places = store.current(engine, "compounds")
    assert doubts(check_file(engine, "compounds", point_list(places, "wgs84"), "list.csv", datum="wgs84")) == []
    [doubt] = doubts(check_file(engine, "compounds", point_list(places, "gcj02"), "list.csv", datum="wgs84"))
    assert "GCJ-02" in doubt.zh and "最近的已有场所中位 0 米" in doubt.zh and "所属网格" not in doubt.zh


def test_a_city_with_neither_is_silent_and_a_tiny_citys_correct_list_too(tmp_path, tiny_store):
    empty = _city(tmp_path, ())
    assert doubts(check_file(empty, "compounds", _zone_list("gcj02"), "list.csv", datum="wgs84")) == []
    places = store.current(tiny_store, "compounds")
    assert doubts(check_file(tiny_store, "compounds", point_list(places, "wgs84"), "l.csv", datum="wgs84")) == []
    assert doubts(check_file(tiny_store, "compounds", _zone_list("wgs84"), "l.csv", datum="wgs84")) == []
    assert doubts(check_file(tiny_store, "compounds", _zone_list("gcj02"), "l.csv", datum="gcj02")) == []
    assert len(doubts(check_file(tiny_store, "compounds", _zone_list("gcj02"), "l.csv", datum="wgs84"))) == 1


def test_a_hundred_thousand_points_are_compared_in_well_under_a_few_seconds():
    rng = np.random.default_rng(16)
    x, y = rng.uniform(114.1, 114.7, 100_000), rng.uniform(29.65, 30.05, 100_000)
    zones = [shapely.box(114.1 + i / 10, 29.65 + j / 10, 114.2 + i / 10, 29.75 + j / 10)
             for i in range(6) for j in range(4)]
    own = ((x - 114.1) // 0.1).astype(int) * 4 + ((y - 29.65) // 0.1).astype(int)
    places = shapely.points(rng.uniform(114.1, 114.7, 10_000), rng.uniform(29.65, 30.05, 10_000))
    started = time.perf_counter()
    assert datum_doubt(shapely.points(x, y), "wgs84", places=places, zones=zones, own_zone=own) is None
    lon, lat = wgs84_to_gcj02(x, y)
    doubt = datum_doubt(shapely.points(lon, lat), "wgs84", places=places, zones=zones, own_zone=own)
    assert time.perf_counter() - started < 10  # about 0.4 s each on one core
    assert doubt.datum == "gcj02" and doubt.count == 100_000 and doubt.inside > doubt.inside_read + 0.05


def test_the_upload_page_names_the_likely_datum_by_its_box_and_why(page_env):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth_session"] = auth.start_session(auth.User("clerk", "staff"))
    at.switch_page("pages/upload.py").run()
    at.selectbox(key="upload_kind").set_value("compounds").run()
    at.file_uploader[0].set_value(("高德取点.csv", _zone_list("gcj02"), "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    box = at.selectbox(key="upload_datum")
    assert box.value == "auto" and "检查结果：GCJ-02" in box.options[0]
    [by_the_box] = [w.value for w in at.warning if "很可能是" in w.value]
    assert "GCJ-02" in by_the_box and "而不是现在的WGS-84" in by_the_box and "所属网格内" in by_the_box
    assert any("可能用错了坐标系" in v for v in at.dataframe[0].value.astype(str).stack())  # the warning itself
    assert "upload_confirm_button" not in [b.key for b in at.button]  # not before the warning is confirmed
    box.set_value("gcj02").run()  # the person follows the hint: checked again, nothing left to confirm
    assert not at.exception and not [w for w in at.warning if "很可能是" in w.value]
    assert any("很可能是 **GCJ-02" in c.value and "按您的选择" in c.value for c in at.caption)
    # what is left: two of the grid's new compounds stand inside the stored 0502 and 0503, to be confirmed
    left = at.session_state["upload_pending"].warnings
    assert [w.key for w in left] == ["check_repeats_stored"] * 2 and "（编号 0503）" in left[1].zh, [w.zh for w in left]
    at.checkbox(key="upload_accept_warnings").check().run()
    at.button(key="upload_confirm_button").click().run()
    assert not at.exception and any("已导入" in s.value for s in at.success)
