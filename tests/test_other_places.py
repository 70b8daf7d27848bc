"""The other places the bureau supervises: markets, sales offices, housing agencies, parks, water and sewage plants.

Each is a kind of its own (geo/domain/kinds.py): a layer of points and a daily report of whether it is
open, on its own page, on the overview (hidden until ticked), in the headline figures and in one shared
view of the wall; uploaded, checked, exported and migrated like the others.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
from alembic.command import downgrade
from shapely import Point
from sqlalchemy import create_engine, inspect
from streamlit.testing.v1 import AppTest

from geo import store
from geo.accounts import auth
from geo.analysis import attention_items, city_wall_views, compute_kpis, other_views, place_view, zone_metrics
from geo.cli.main import main
from geo.domain import TABLES, kinds, layer_tables, t, vocab
from geo.io import template_bytes
from geo.store.migrate import config, current_revision, head, migrate
from geo.upload import check_file, commit, open_city
from tests.conftest import XSS, write_other_places, write_tiny_city
from tests.pgserver import fresh_schema
from tests.test_kinds import APP, drawn, open_kind_page

OTHERS = ("markets", "sales_offices", "agencies", "parks", "plants")
ADMIN = auth.User("boss", "admin")


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> Path:
    """The tiny city with a place or two of each other kind (tests/conftest.py), and the URL of its store."""
    return write_other_places(write_tiny_city(tmp_path_factory.mktemp("others") / "city"))


@pytest.fixture
def app_env(city, monkeypatch):
    monkeypatch.setenv("CMDMAP_DATA_DIR", str(city))
    monkeypatch.setenv("CMDMAP_DATABASE_URL", f"sqlite:///{city.parent / 'store.sqlite'}")  # filled once, read only
    monkeypatch.setenv("CMDMAP_BASEMAP", "none")


@pytest.fixture(scope="module")
def dataset(city):
    return store.load_store(open_city(f"sqlite:///{city.parent / 'dataset.sqlite'}", city))


def test_each_is_a_kind_of_points_with_a_daily_report_of_its_state():
    for name in OTHERS:
        kind = kinds.kind(name)
        layer, report = TABLES[kind.layer], TABLES[kind.report]
        assert kind.accepts == ("Point",) and kind.page is None and kind.overview == "hidden", name
        assert layer.names[:4] == ["id", "name", "address", "zone"] and layer.names[-2:] == ["contact", "phone"]
        assert report.key == (report.names[0], "date") and report.place_name == report.names[1]
        assert report.column(kind.state_column).required and kind.state_column in ("opening", "operation")
        assert [f.state for f in kind.figures] == [vocab.codes(kind.vocabulary)[0]]  # how many are open (running)
    assert kinds.wall_kinds("parks") == OTHERS and len(kinds.wall_views()) == 5  # one shared view, not five more
    assert layer_tables()[3:] == OTHERS


# vocabularies that colour nothing on a map: items, yes/no, and the loop's results, categories and units
NEUTRAL = ("item", "yes_no", "inspection_result", "problem_category", "unit_type")


def test_states_read_as_staff_write_them_and_each_colour_means_one_thing():
    assert [vocab.to_code("opening", v) for v in ("正常营业", "暂时关闭", "暂停营业", "关停")] == [
        "open", "suspended", "suspended", "closed"]
    assert [vocab.to_code("operation", v) for v in ("正常供水", "降负荷运行", "停产检修")] == ["running", "reduced", "stopped"]
    assert vocab.accepted_values("opening") == "正常开放/暂停开放/关闭"
    assert vocab.accepted_values("operation", "en") == "Running/Reduced output/Stopped"
    states = [term.color for name, terms in vocab.VOCABULARIES.items() if name not in NEUTRAL
              for term in terms]
    assert len(states) == len(set(states))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_their_migration_goes_up_and_down_keeping_the_other_tables(backend, tmp_path, request):
    url = (f"sqlite:///{tmp_path / 'store.sqlite'}" if backend == "sqlite"
           else fresh_schema(request.getfixturevalue("postgres_url"), "others_updown"))
    engine = create_engine(url)
    migrate(engine, "0002")
    ours = {f"rows_{name}" for name in (*OTHERS, *(kinds.kind(k).report for k in OTHERS))}
    assert not ours & set(inspect(engine).get_table_names())
    migrate(engine)
    assert current_revision(engine) == head() and ours <= set(inspect(engine).get_table_names())
    for layer, place, name, where in (("sites", "S1", "六岭棚改项目", (114.31, 29.84)),
                                      ("markets", "M1", "温泉农贸市场", (114.311, 29.835))):
        store.apply_rows(engine, layer, gpd.GeoDataFrame({"id": [place], "name": [name]}, geometry=[Point(*where)],
                                                         crs="EPSG:4326"), "boss")
    assert store.current(engine, "markets")["name"].tolist() == ["温泉农贸市场"]
    with engine.begin() as conn:
        downgrade(config(conn), "0002")
    assert not ours & set(inspect(engine).get_table_names()) and current_revision(engine) == "0002"
    assert store.current(engine, "sites")["name"].tolist() == ["六岭棚改项目"]
    migrate(engine)  # and up again, empty
    assert current_revision(engine) == head() and store.current(engine, "markets").empty
    engine.dispose()


def test_their_figures_count_the_open_places_out_of_all(dataset):
    kpis = {kpi.key: kpi for kpi in compute_kpis(dataset, "2020-02-25")}
    # markets: M1 suspended then open, M2 open then silent; plants: W2 runs reduced on the 25th
    assert [(kpis[k].value, kpis[k].total, kpis[k].delta) for k in (
        "kpi_markets_open", "kpi_sales_offices_open", "kpi_agencies_open", "kpi_parks_open", "kpi_plants_running")] == [
        (1, 2, 0), (0, 1, 0), (1, 1, 1), (0, 1, 0), (1, 2, -1)]
    assert kpis["kpi_markets_open"].shown("zh") == "1 / 2" and kpis["kpi_plants_running"].shown("en") == "1 of 2"
    # silence counts: the compound 0503 and the market M2 on the 25th, the park P1 on the 24th
    assert (kpis["kpi_not_reported"].value, kpis["kpi_not_reported"].delta) == (2, 1)
    others = other_views(dataset, "2020-02-25")
    items = attention_items(place_view(dataset, "compounds", "2020-02-25"),
                            place_view(dataset, "sites", "2020-02-25"), 3, others)
    assert sorted(items.loc[items["reason"] == "missing", ["kind", "id"]].values.tolist()) == [
        ["compounds", "0503"], ["markets", "M2"]]
    assert others["markets"].set_index("id")["zone"].to_dict() == {"M1": "Z1", "M2": "Z2"}  # M2 by location
    zones = zone_metrics(dataset, "2020-02-25").set_index("id")
    assert zones["missing_reports"].to_dict() == {"Z1": 0, "Z2": 2}  # the compound 0503 and the market M2


#: The places of each kind in the tiny city and their states on its last day, as the page's table says.
ON_THE_25TH = {"markets": (["M1", "M2"], ["正常开放", "未报告"]), "sales_offices": (["O1"], ["暂停开放"]),
               "agencies": (["A1"], ["正常开放"]), "parks": (["P1"], ["暂停开放"]),
               "plants": (["W1", "W2"], ["正常运行", "减量运行"])}


@pytest.mark.parametrize("name", OTHERS)
def test_each_has_its_page(name, app_env):
    kind = kinds.kind(name)
    at = open_kind_page(AppTest.from_file(APP, default_timeout=60), name)
    assert at.title[0].value == t(kind.title, "zh")
    assert at.multiselect(key="status").options == [*(term.zh for term in vocab.VOCABULARIES[kind.vocabulary]), "未报告"]
    table = next(df.value for df in at.dataframe if df.value.columns[0] == "编号")
    ids, states = ON_THE_25TH[name]
    assert table["编号"].tolist() == ids and table[t(kind.state_label, "zh")].tolist() == states
    script, update = drawn(at)
    assert json.dumps(t(kind.layer_title, "zh")) in script  # its layer, named in the layer control
    assert [state["key"] for state in update["states"]] == ["outlines", name]
    assert f">{t(kind.legend, 'zh')}</div>" in update["legend"]
    # the tooltip: the state, the zone, and whom to call
    assert [label for label, _ in update["states"][1]["fields"]] == [t(kind.state_label, "zh"), "片区", "负责人", "联系电话"]
    if name == "markets":  # its own columns, headed as its tables say; a name as text, never markup
        assert table["在岗人员"].tolist()[0] == 8 and table["市场管理方"].tolist()[0] == "温泉市场管理所"
        assert table["较上一日报变化"].tolist() == ["暂停开放 → 正常开放", "正常开放 → 未报告"]
        assert XSS in table["名称"].tolist() and XSS not in update["legend"]
    if name == "plants":
        assert table["水质达标"].tolist() == ["是", "是"] and table["水厂类型"].tolist() == ["自来水厂", "污水处理厂"]
        at.multiselect(key="status").set_value(["reduced"]).run()
        assert next(df.value for df in at.dataframe if df.value.columns[0] == "编号")["编号"].tolist() == ["W2"]


def test_the_overview_counts_them_in_a_second_row_and_keeps_their_layers_unticked(app_env):
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/overview.py")
    at.run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["开放的农贸市场"] == "1 / 2" and metrics["正常运行的水厂"] == "1 / 2" and metrics["今日未报告场所"] == "2"
    assert [m.label for m in at.metric][6:] == [t(k.figures[0].key, "zh") for k in map(kinds.kind, OTHERS)]
    script, update = drawn(at)
    assert [state["key"] for state in update["states"]] == ["outlines", "compounds", "sites", "supplies", *OTHERS]
    for name in OTHERS:
        assert json.dumps(t(kinds.kind(name).layer_title, "zh")) in script
    # one legend for the four kinds open or closed, one for the plants; each shown while one of its layers is on
    assert update["legend"].count('class="cmdmap-legend-part"') == 5
    assert 'data-layers="markets sales_offices agencies parks"' in update["legend"]
    assert "正常开放 <span style=\"color:#555\">(2)</span>" in update["legend"]  # M1 and A1


def wall(view: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["kiosk"] = "1"
    if view:
        at.query_params["view"] = view
    at.switch_page("pages/wall.py")
    at.run()
    assert not at.exception
    return at


def test_the_wall_shows_them_together_in_one_view_and_their_figures_in_small_tiles(app_env):
    at = wall("parks")  # any of them pins their shared view
    shown = " ".join(md.value for md in at.markdown)
    assert '<span class="wall-view">其他监管场所</span>' in shown
    assert "<h4>开放状态</h4>" in shown and "正常开放 (2)" in shown and "暂停开放 (2)" in shown
    assert "<h4>水厂运行状态</h4>" in shown and "减量运行 (1)" in shown
    assert shown.count('class="wall-tile minor"') == 5 and '<div class="value">1 / 2</div>' in shown
    assert "2020-02-25 日报尚不完整：2/12 个场所未报告。" in shown  # 5 compounds and sites, 7 other places
    _, update = drawn(at)
    states = {state["key"]: state for state in update["states"]}
    assert all("c" in states[name] for name in OTHERS)  # drawn with their states
    assert all(states[name] == {"key": name, "visible": False} for name in ("compounds", "sites", "supplies", "zones"))

    _, update = drawn(wall("compounds"))  # the other views hide them
    states = {state["key"]: state for state in update["states"]}
    assert all(states[name] == {"key": name, "visible": False} for name in OTHERS)


def test_a_list_of_markets_is_checked_imported_and_reported_on(tiny_store):
    listing = ("市场名称,地址,经度,纬度,经营户数,负责人\n"
               "温泉农贸市场,温泉路3号,114.311,29.835,300,王芳\n"
               "浮山菜市场,浮山路8号,114.331,29.836,120,李强\n").encode("gb18030")
    check = check_file(tiny_store, "markets", listing, "市场名单.csv", datum="wgs84")
    assert check.ok, [p.zh for p in check.problems]
    assert check.ids_made and check.summary[0].zh == "新增 2 个农贸市场"
    commit(tiny_store, check, ADMIN)
    ids = dict(zip(check.frame["name"], check.frame["id"]))
    assert all(i.startswith("SC-") for i in ids.values())
    stored = store.current(tiny_store, "markets").set_index("name")
    assert stored.loc["温泉农贸市场", "vendors"] == 300 and stored.loc["浮山菜市场", "contact"] == "李强"

    report = (f"市场编号,市场名称,日期,开放状态,开业经营户数\n"
              f"{ids['温泉农贸市场']},温泉农贸市场,2020-02-25,正常营业,250\n"
              f"{ids['浮山菜市场']},浮山菜市场,2020-02-25,暂停营业,0\n").encode("gbk")
    check = check_file(tiny_store, "market_status", report, "市场日报.csv")
    assert check.ok, [p.zh for p in check.problems]
    assert check.frame["opening"].tolist() == ["open", "suspended"]
    commit(tiny_store, check, ADMIN)
    later = f"市场编号,日期,开放状态\n{ids['温泉农贸市场']},2020-02-26,关停\n".encode()
    check = check_file(tiny_store, "market_status", later, "市场日报.csv")
    assert [line.zh for line in check.summary] == ["新增 1 行市场日报", "1 个农贸市场开放状态变化（1 个转为关闭）",
                                                   "导入后 2020-02-26 仍有 1/2 个场所未报告"]
    wrong = f"市场编号,日期,开放状态\n{ids['浮山菜市场']},2020-02-26,半开\n".encode()
    [problem] = check_file(tiny_store, "market_status", wrong, "市场日报.csv").problems
    assert (problem.row, problem.column) == (2, "开放状态") and "正常开放/暂停开放/关闭" in problem.zh


def test_templates_command_line_and_export(tmp_path, tiny_store, tiny_dir, monkeypatch, capsys):
    assert template_bytes("plant_status", "csv").decode("utf-8-sig").splitlines() == [
        "水厂编号,水厂名称,日期,运行状态,日处理量（吨）,水质达标,在岗人员,备注"]
    assert template_bytes("parks", "csv").decode("utf-8-sig").splitlines() == [
        "公园编号,公园名称,地址,所属片区,管理单位,负责人,联系电话,经度,纬度"]
    monkeypatch.setenv("CMDMAP_DATABASE_URL", tiny_store.url.render_as_string(hide_password=False))
    monkeypatch.setenv("CMDMAP_DATA_DIR", str(tiny_dir))
    auth.add_user(auth.User("system", "admin"), tiny_store, "clerk", "staff", "correct horse")
    plants = tmp_path / "水厂.csv"
    plants.write_text("水厂名称,水厂类型,经纬度,设计规模\n咸宁市第一水厂,自来水厂,\"114.305,29.848\",100000\n",
                      encoding="utf-8")
    assert main(["check", "plants", str(plants), "--datum", "wgs84"]) == 0
    assert "新增 1 个水厂和污水处理厂" in capsys.readouterr().out
    assert main(["import", "plants", str(plants), "--datum", "wgs84", "--user", "clerk"]) == 0
    out = tmp_path / "plants.geojson"
    assert main(["export", "plants", "--out", str(out)]) == 0
    [feature] = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert feature["properties"]["name"] == "咸宁市第一水厂" and feature["properties"]["capacity"] == 100000
    assert feature["geometry"]["coordinates"] == [114.305, 29.848]
    assert check_file(tiny_store, "plants", out.read_bytes(), out.name, datum="wgs84").delta.empty


def test_staff_upload_a_list_of_parks_on_the_upload_page_and_see_them_on_their_page(tiny_dir, tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'upload.sqlite'}"
    monkeypatch.setenv("CMDMAP_DATA_DIR", str(tiny_dir))
    monkeypatch.setenv("CMDMAP_DATABASE_URL", url)
    monkeypatch.setenv("CMDMAP_BASEMAP", "none")
    engine = open_city(url, tiny_dir)
    auth.add_user(auth.SYSTEM, engine, "clerk", "staff", "tulip-harbor-2020")

    def as_clerk(page: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        at.session_state["auth_session"] = auth.start_session(auth.User("clerk", "staff"))
        at.switch_page(page)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    at = as_clerk("pages/upload.py")
    offered = set(at.selectbox(key="upload_kind").options)  # as the list shows them: 农贸市场, 市场日报, …
    assert {TABLES[name].zh for kind in OTHERS for name in (kind, kinds.kind(kind).report)} <= offered
    at.selectbox(key="upload_kind").set_value("parks").run()
    listing = "公园名称,地址,经度,纬度\n十六潭公园,温泉路8号,114.335,29.845\n潜山公园,潜山路1号,114.305,29.84\n"
    at.file_uploader[0].set_value(("公园名单.csv", listing.encode("gbk"), "text/csv")).run()
    assert not at.exception and "新增 2 个城市公园" in " ".join(md.value for md in at.markdown)
    at.button(key="upload_confirm_button").click().run()
    assert any("已导入" in s.value for s in at.success)
    ids = sorted(store.place_ids(engine, "parks"))
    day = f"公园编号,日期,开放状态\n{ids[0]},2020-02-25,暂时关闭\n{ids[1]},2020-02-25,正常开放\n"
    at.selectbox(key="upload_kind").set_value("park_status").run()
    at.file_uploader[0].set_value(("公园日报.csv", day.encode("utf-8"), "text/csv")).run()
    at.button(key="upload_confirm_button").click().run()
    assert any("已导入" in s.value for s in at.success)

    page = open_kind_page(AppTest.from_file(APP, default_timeout=60), "parks")
    table = next(df.value for df in page.dataframe if df.value.columns[0] == "编号")
    assert sorted(table["开放状态"]) == ["暂停开放", "正常开放"] and set(table["片区"]) == {"温泉街道第一片区", "浮山街道第一片区"}
    as_clerk("pages/history.py")  # its trends chart the open places too, without an exception


def test_their_view_has_a_turn_on_the_wall_only_when_they_have_places(dataset, tiny):
    assert city_wall_views(tiny) == ("compounds", "sites", "supplies", "zones")  # none uploaded yet: no map of nothing
    assert city_wall_views(dataset) == ("compounds", "sites", "supplies", "zones", "markets")


def test_a_city_without_them_has_their_pages_empty_and_no_tiles_for_them(tiny_dir, tmp_path, monkeypatch):
    """A store made before they came (migration 0003 left their tables empty), or a city that has none."""
    monkeypatch.setenv("CMDMAP_DATA_DIR", str(tiny_dir))
    monkeypatch.setenv("CMDMAP_DATABASE_URL", f"sqlite:///{tmp_path / 'none.sqlite'}")
    monkeypatch.setenv("CMDMAP_BASEMAP", "none")
    at = open_kind_page(AppTest.from_file(APP, default_timeout=60), "plants")
    assert next(df.value for df in at.dataframe if df.value.columns[0] == "编号").empty
    assert [w.value for w in at.warning] == [t("nothing_matches", "zh")]
    shown = " ".join(md.value for md in wall().markdown)
    assert "wall-tile minor" not in shown and "其他监管场所" not in shown
