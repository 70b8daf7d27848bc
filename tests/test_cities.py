"""Every page on the cities real bureaus start from: point compounds, no daily report yet, no zone shapes.

Each page runs through AppTest on each city and must draw every place it has (the map's update names a
state for each), list them, and say what is missing instead of failing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import store
from geo.accounts import auth
from geo.maps.pack import decode_ints
from geo.store.engine import connect
from tests.cities import map_sent, write_point_city, write_unreported_city, write_zoneless_city
from tests.filled_stores import open_filled

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PLACE_PAGES = ["pages/overview.py", "pages/compounds.py", "pages/zones.py", "pages/sites.py", "pages/supplies.py"]
CITIES = {"points": write_point_city, "unreported": write_unreported_city, "zoneless": write_zoneless_city}


def serve(name: str, tmp_path: Path, monkeypatch) -> tuple[str, object]:
    """(name, engine) of city ``name`` in a store the pages read (SQLite; the store's own tests cover PostgreSQL)."""
    folder = CITIES[name](tmp_path / "city")
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("CMDMAP_DATA_DIR", str(folder))
    monkeypatch.setenv("CMDMAP_DATABASE_URL", url)
    monkeypatch.setenv("CMDMAP_BASEMAP", "none")
    monkeypatch.setenv("CMDMAP_WALL_ROTATE_SECONDS", "0")  # the wall keeps its first view
    engine = open_filled(url, folder)
    auth.add_user(auth.SYSTEM, engine, "clerk", "staff", "tulip-harbor-2020")
    auth.add_user(auth.SYSTEM, engine, "boss", "admin", "tulip-harbor-2020")
    return name, engine


@pytest.fixture(params=list(CITIES))
def city(request, tmp_path, monkeypatch):
    return serve(request.param, tmp_path, monkeypatch)


@pytest.fixture
def point_city(tmp_path, monkeypatch):
    return serve("points", tmp_path, monkeypatch)[1]


@pytest.fixture
def zoneless_city(tmp_path, monkeypatch):
    return serve("zoneless", tmp_path, monkeypatch)[1]


def open_page(page: str, user: tuple[str, str] | None = None, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    if user:
        at.session_state["auth_session"] = auth.start_session(auth.User(*user))
    at.switch_page(page)
    at.run()
    assert not at.exception, (page, [e.value for e in at.exception])
    assert not at.error, (page, [e.value for e in at.error])
    return at


def drawn_states(at: AppTest) -> dict[str, list[str]]:
    """Layer key -> the state of each place the map draws (filtered-out places left out)."""
    _, update = map_sent(at)
    return {s["key"]: [s["cats"][c] for c in decode_ints(s["c"]) if c >= 0] for s in update["states"] if "c" in s}


def main_table(at: AppTest):
    return next(df.value for df in at.dataframe if df.value.columns[0] in ("编号", "ID"))


def texts(at: AppTest) -> str:
    return " ".join(e.value for kind in (at.markdown, at.info, at.warning, at.caption) for e in kind)


def layer_count(engine, kind: str) -> int:
    return len(store.current(engine, kind))


@pytest.mark.parametrize("page", PLACE_PAGES)
def test_every_place_page_draws_and_lists_the_places_it_has(city, page):
    name, engine = city
    at = open_page(page)
    states = drawn_states(at) if name != "zoneless" or page != "pages/zones.py" else {}
    kind = page.split("/")[1][:-3]
    if kind in ("compounds", "sites"):
        assert len(states[kind]) == layer_count(engine, kind) == len(main_table(at))
    if kind == "supplies":
        assert len(states["supplies"]) == layer_count(engine, "compounds") + layer_count(engine, "sites")
    if kind == "overview":
        assert len(states["compounds"]) == layer_count(engine, "compounds")
        assert len(states["sites"]) == layer_count(engine, "sites")
        assert len(at.metric) == 6
    if name == "unreported":  # every place drawn, and drawn as not reported
        assert at.info and "暂无日报数据" in texts(at)
        assert all(set(drawn) == {"missing"} for key, drawn in states.items()
                   if key not in ("outlines", "zones", "problems"))  # problems are not daily reports
    if name == "zoneless":
        assert "outlines" not in states
        assert not [w for w in at.multiselect if w.key in ("zone", "district", "street")]


def test_point_compounds_are_drawn_as_circles_shaded_by_their_closure(point_city):
    at = open_page("pages/compounds.py", date="2020-02-25")  # chosen: 2 of its 6 places have not reported
    script, update = map_sent(at)
    assert '"pt_sealed"' in script and '"pt_missing"' in script  # a point has its own style of every state
    states = drawn_states(at)
    assert sorted(states["compounds"]) == ["controlled", "missing", "missing", "sealed"]
    assert main_table(at)["编号"].tolist() == ["0501", "0502", "0503", "0504"]
    at.session_state["compounds_selected"] = ("compounds", "0503")  # a click on the point, as the map reports it
    at.run()
    assert "**浮山小区**" in texts(at)
    assert "片区：**浮山街道第一片区**" in texts(at)  # its zone by containment


def test_a_search_that_finds_one_point_frames_it_with_its_streets_around(point_city):
    at = open_page("pages/compounds.py", q="浮山小区")
    _, update = map_sent(at)
    (south, west), (north, east) = update["fit"]["bounds"]
    assert north - south >= 0.004 and east - west >= 0.004  # not a box of no size, which zoomed to Infinity
    assert south < 29.836 < north and west < 114.326 < east


def test_places_outside_every_zone_are_counted_and_listed(city):
    name, _ = city
    for page in ("pages/zones.py", "pages/overview.py"):
        at = open_page(page)
        warned = [w.value for w in at.warning]
        if name == "points":
            assert warned == ["1 个物业小区不在任何网格片区内：城外小区"], (page, warned)
            listing = next(df.value for df in at.dataframe if df.value.columns[0] == "类别")
            assert listing.values.tolist() == [["物业小区", "0504", "城外小区"]]
        else:  # the other cities have every place in a zone, or no zones at all (then it is no fault)
            assert not warned, (page, warned)
    if name == "points":  # and in the data notes of every page
        assert "城外小区" in texts(open_page("pages/sites.py"))


def test_kpis_count_what_was_reported_and_what_was_not(city):
    name, _ = city
    # the day chosen, whether complete enough or not (the points city's misses 2 of 6 places)
    figures = {m.label: m.value for m in open_page("pages/overview.py", date="2020-02-25").metric}
    expected = {"points": {"全封闭小区": "1", "今日未报告场所": "2"},  # 0503 and 0504 did not report
                "unreported": {"全封闭小区": "0", "工地复工率": "0%", "今日未报告场所": "5"},
                "zoneless": {"全封闭小区": "1", "今日未报告场所": "1"}}[name]
    assert {key: figures[key] for key in expected} == expected


def test_a_city_without_zone_shapes_lists_its_places_where_zones_would_be(zoneless_city):
    zones = open_page("pages/zones.py")
    assert "尚无网格片区图层" in texts(zones) and not zones.get("component_instance")
    overview = open_page("pages/overview.py")
    assert main_table(overview)["名称"].tolist() == ["金桂花园", "<img src=x onerror=alert(1)>", "浮山小区"]
    overview.session_state["overview_selected"] = ("compounds", "0503")
    overview.run()
    assert "**浮山小区**" in texts(overview)
    compounds = open_page("pages/compounds.py", zone="Z1")  # a link from before: no zone filter to apply
    assert len(main_table(compounds)) == 3


@pytest.mark.parametrize("view", [None, "compounds", "zones"])
def test_the_wall_shows_every_city(city, view):
    name, engine = city
    at = open_page("pages/wall.py", **({"kiosk": "1"} | ({"view": view} if view else {})))
    shown = " ".join(md.value for md in at.markdown)
    assert 'class="wall-tile"' in shown and 'class="wall-legend"' in shown
    states = drawn_states(at)
    if name == "unreported":
        assert "暂无日报数据" in shown and "数据截至" not in shown
    if name == "zoneless":
        assert "outlines" not in states and "网格片区</span>" not in shown  # no zones view, not even pinned
    if view in ("compounds", None):  # None: the first view (the rotation is off)
        assert len(states["compounds"]) == layer_count(engine, "compounds")


def test_history_accounts_and_upload_pages_open_on_every_city(city):
    name, engine = city
    history = open_page("pages/history.py", user=("clerk", "staff"))
    assert len(history.dataframe[0].value) == store.newest_version(engine)
    charts = history.get("vega_lite_chart")  # the trends: none to draw before the first report
    assert ("暂无日报数据" in texts(history), len(charts)) == ((True, 0) if name == "unreported" else (False, 4))
    users = open_page("pages/users.py", user=("boss", "admin"))
    assert {"clerk", "boss"} <= set(users.dataframe[0].value.iloc[:, 0])
    upload = open_page("pages/upload.py", user=("clerk", "staff"))
    upload.selectbox(key="upload_kind").set_value("compounds").run()
    points = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "0601", "name": "新点小区", "zone": ""},
         "geometry": {"type": "Point", "coordinates": [114.312, 29.842]}}]}, ensure_ascii=False).encode("utf-8")
    upload.file_uploader[0].set_value(("小区.geojson", points, "application/geo+json")).run()
    assert not upload.exception and not upload.error, [e.value for e in upload.error]
    assert [b for b in upload.button if b.key == "upload_confirm_button"]
    states = drawn_states(upload)  # the preview map: the new point highlighted among the places there are
    assert states["preview"].count("changed") == 1 and len(states["preview"]) == layer_count(engine, "compounds") + 1
    upload.button(key="upload_confirm_button").click().run()
    assert not upload.exception
    assert "0601" in set(store.current(connect(engine.url.render_as_string(hide_password=False)), "compounds")["id"])
    at = open_page("pages/compounds.py", q="新点")
    assert main_table(at)["名称"].tolist() == ["新点小区"]
