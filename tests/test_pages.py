"""Every page driven by streamlit.testing.v1.AppTest on the tiny city."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = ["pages/overview.py", "pages/compounds.py", "pages/zones.py", "pages/sites.py", "pages/supplies.py"]


@pytest.fixture
def app(tiny_dir, monkeypatch):
    monkeypatch.setenv("CMDMAP_DATA_DIR", str(tiny_dir))
    monkeypatch.setenv("CMDMAP_DATABASE_URL", f"sqlite:///{tiny_dir.parent / 'store.sqlite'}")
    monkeypatch.setenv("CMDMAP_BASEMAP", "none")

    def open_page(page, **query):
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        at.switch_page(page)  # open the page's own URL, as a shared link does
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_page


def main_table(at):
    """The table under the map: the one listing places by id."""
    return next(df.value for df in at.dataframe if df.value.columns[0] in ("编号", "ID"))


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_with_table_and_date(app, page):
    at = app(page)
    assert at.title[0].value
    assert at.selectbox(key="date").value == "2020-02-25"
    assert len(at.dataframe) >= 1
    assert not at.error


@pytest.mark.parametrize("page,expected", [("pages/compounds.py", 1), ("pages/sites.py", 1),
                                           ("pages/supplies.py", 2), ("pages/zones.py", 1)])
def test_zone_filter_narrows_the_table(app, page, expected):
    at = app(page)
    before = len(main_table(at))
    at.multiselect(key="zone").set_value(["Z2"]).run()
    assert not at.exception
    assert len(main_table(at)) == expected < before


def test_too_many_zones_wait_for_a_district_or_street(app, monkeypatch):
    monkeypatch.setenv("CMDMAP_ZONE_LIST_MAX", "1")  # the tiny city's two zones are then "too many"
    at = app("pages/compounds.py")
    zone = at.multiselect(key="zone")
    assert zone.disabled and zone.options == [] and "2" in zone.placeholder
    at.multiselect(key="street").set_value(["浮山街道"]).run()
    assert not at.multiselect(key="zone").disabled
    at.multiselect(key="zone").set_value(["Z2"]).run()
    assert len(main_table(at)) == 1
    shared = app("pages/compounds.py", zone="Z2")  # a link with a zone keeps it, however many there are
    assert shared.multiselect(key="zone").value == ["Z2"] and len(main_table(shared)) == 1


def test_status_filter_and_search(app):
    at = app("pages/compounds.py")
    at.multiselect(key="status").set_value(["missing"]).run()
    assert main_table(at).iloc[:, 0].tolist() == ["0503"]
    at.multiselect(key="status").set_value([]).run()
    at.text_input(key="q").set_value("金桂").run()
    assert main_table(at).iloc[:, 1].tolist() == ["金桂花园"]


def test_date_picker_changes_the_kpis(app):
    at = app("pages/overview.py")
    latest = {m.label: (m.value, m.delta) for m in at.metric}
    assert len(latest) == 6
    assert latest["全封闭小区"] == ("1", "+1")
    at.selectbox(key="date").set_value("2020-02-24").run()
    earlier = {m.label: (m.value, m.delta) for m in at.metric}
    assert earlier["全封闭小区"][0] == "0" and not earlier["全封闭小区"][1]  # no earlier report: no change shown
    assert earlier != latest


def test_each_kpi_tile_carries_the_trend_of_its_figure(app):
    """Issue #19: each tile a small trend of the last report dates, the same figures as the Trends page."""
    at = app("pages/overview.py")
    tiles = {m.label: m.proto for m in at.metric}
    assert list(tiles["全封闭小区"].chart_data) == [0, 1]  # 2020-02-24, 2020-02-25: as the KPI says for each day
    at.button(key="timeline_back").click().run()  # one date only up to 2020-02-24: no line
    assert not list({m.label: m.proto for m in at.metric}["全封闭小区"].chart_data)


def test_the_timeline_steps_and_plays_through_the_dates_and_the_figures_follow(app, monkeypatch):
    """Issue #19: step or play through the report dates on every map page; tiles and the date follow."""
    import time

    monkeypatch.setenv("CMDMAP_PLAY_SECONDS", "0.2")
    at = app("pages/overview.py")
    sealed = lambda: next(m.value for m in at.metric if m.label == "全封闭小区")  # noqa: E731
    assert at.button(key="timeline_forward").disabled and sealed() == "1"  # the newest date: nothing after it
    at.button(key="timeline_back").click().run()
    assert at.selectbox(key="date").value == "2020-02-24" and sealed() == "0"
    assert at.button(key="timeline_back").disabled and at.query_params["date"] == "2020-02-24"
    at.button(key="timeline_forward").click().run()
    assert at.selectbox(key="date").value == "2020-02-25" and sealed() == "1"

    at.button(key="timeline_play").click().run()  # at the newest date, playing starts from the oldest
    assert at.selectbox(key="date").value == "2020-02-24" and at.button(key="timeline_play").label == "暂停"
    time.sleep(0.3)
    at.run()  # a tick (here the page's own run after the period; served, the fragment's timer)
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="date").value == "2020-02-25" and sealed() == "1"
    assert at.button(key="timeline_play").label == "播放"  # the newest date reached: playing stopped
    time.sleep(0.3)
    at.run()
    assert at.selectbox(key="date").value == "2020-02-25"


def test_a_place_map_brings_the_statuses_of_the_dates_next_to_its_own(app):
    """Issue #19: a step of the time line recolours the map at once from the statuses and legend sent with the
    page, the same as the step's own rerun then sends."""
    import json

    from geo.maps import timeline_script

    def steps(at):
        body = next(h.proto.body for h in at.get("html") if "__cmdmapSteps" in h.proto.body)
        return json.loads(body.split(timeline_script(), 1)[1][1:-len(");</script>")])

    at = app("pages/compounds.py")
    newest = steps(at)
    assert newest["date"] == "2020-02-25" and newest["1"] is None  # nothing after the newest date
    at.button(key="timeline_back").click().run()
    earlier = steps(at)
    assert earlier["date"] == "2020-02-24" and earlier["-1"] is None
    sealed = '全封闭 <span style="color:#555">({})</span>'.format  # as the overview's tile: 0 on the 24th, 1 on the 25th
    assert sealed(0) in newest["-1"]["legend"] and sealed(1) in earlier["1"]["legend"]
    assert newest["-1"]["states"] != earlier["1"]["states"]
    assert earlier["near"] == {"-1": None, "1": "2020-02-25"}  # the date each glimpse shows
    at.button(key="timeline_forward").click().run()
    again = steps(at)
    assert again.pop("run") > newest.pop("run")  # a new element at every run: its script runs again
    assert again == newest


@pytest.mark.parametrize("page,stem", [("pages/compounds.py", "compounds_2020-02-25"),
                                       ("pages/sites.py", "sites_2020-02-25"),
                                       ("pages/supplies.py", "supplies_2020-02-25")])
def test_every_place_map_offers_its_picture(app, page, stem):
    at = app(page)
    buttons = [b for b in at.get("download_button") if b.proto.id and f"picture_{stem}" in b.proto.id]
    assert len(buttons) == 1 and buttons[0].proto.label == "地图图片（PNG）"


@pytest.mark.parametrize("page", ["pages/trends.py", "pages/compare.py"])
def test_pages_of_several_dates_have_no_timeline(app, page):
    at = app(page)
    assert not [b for b in at.button if (b.key or "").startswith("timeline_")]


def test_sites_resumed_without_a_health_ledger_are_a_filter_kept_in_the_link(app):
    """Issue #18: "resumed without a health ledger" was a column to scroll to; now a filter, like the attention list."""
    from geo.analysis import site_view
    from ui.cache import dataset

    at = app("pages/sites.py")
    before = main_table(at)
    at.checkbox(key="no_ledger").check().run()
    assert at.query_params["no_ledger"] == "1"
    expected = site_view(dataset(), "2020-02-25").query("category == 'resumed' and health_ledger == 'no'")
    assert len(main_table(at)) == len(expected) < len(before)
    assert app("pages/sites.py", no_ledger="1").checkbox(key="no_ledger").value  # the link opens it so


def test_url_opens_the_same_view_in_english(app):
    at = app("pages/compounds.py", street="浮山街道", lang="en")
    assert at.title[0].value == "Compounds"
    assert at.multiselect(key="street").value == ["浮山街道"]
    assert main_table(at).iloc[:, 0].tolist() == ["0503"]


def test_data_notes_show_the_reports_of_a_retired_place(app, tiny_dir):
    from geo import store
    from geo.upload import open_city

    engine = open_city(f"sqlite:///{tiny_dir.parent / 'store.sqlite'}", tiny_dir)
    store.apply_rows(engine, "compounds", store.current(engine, "compounds").query("id != '0503'"), "clerk",
                     replace=True)
    at = app("pages/compounds.py", date="2020-02-24")
    notes = " ".join(md.value for md in at.markdown)
    assert "1 个编号在地图上找不到：0503" in notes


def test_hostile_name_is_plain_text_in_the_details_panel(app):
    at = app("pages/compounds.py", q="0502")
    assert len(main_table(at)) == 1
    # a map click on the compound, as the component reports it
    at.session_state["compounds_selected"] = ("compounds", "0502")
    at.run()
    titles = [md.value for md in at.markdown if "img" in md.value]
    assert titles[0] == "**\\<img src=x onerror=alert\\(1\\)\\>**"
    # its fields, the name among them, each escaped as well
    assert len(titles) == 2 and "名称：**\\<img src=x onerror=alert\\(1\\)\\>**" in titles[1]


def test_empty_data_folder_explains_instead_of_failing(tmp_path, monkeypatch):
    monkeypatch.setenv("CMDMAP_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CMDMAP_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite'}")
    for page in PAGES:
        at = AppTest.from_file(APP, default_timeout=60)
        at.switch_page(page)
        at.run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert at.info, page


def test_zone_details_list_the_compounds_of_the_zone(app):
    at = app("pages/zones.py")
    at.session_state["zones_selected"] = ("zones", "Z1")
    at.run()
    names = [df.value for df in at.dataframe if "名称" in df.value.columns]
    assert any(set(frame["名称"]) == {"金桂花园", "<img src=x onerror=alert(1)>"} for frame in names)


def test_a_long_table_lists_its_first_rows_and_says_so(app, monkeypatch):
    import ui.mappage

    monkeypatch.setattr(ui.mappage, "TABLE_ROWS", 2)
    at = app("pages/compounds.py")
    assert len(main_table(at)) == 2
    assert any("前 2 条" in c.value and "导出" in c.value for c in at.caption), [c.value for c in at.caption]


def test_a_list_longer_than_the_setting_opens_with_a_click_and_stays_open(app, monkeypatch):
    monkeypatch.setenv("CMDMAP_TABLE_OPEN_MAX", "2")  # the tiny city's 3 compounds are then "long"
    at = app("pages/compounds.py")
    assert not any(df.value.columns[0] == "编号" for df in at.dataframe)  # nothing sent for the grid
    assert at.expander[0].label == "列表（可排序，点一行看详情）"
    assert any("显示 3 / 共 3 条" in c.value for c in at.caption)
    assert len([b for b in at.get("download_button") if "table_compounds" in b.proto.id]) == 2  # CSV, Excel
    at.session_state["table_compounds_open"] = True  # as a click on the expander does
    at.run()
    assert len(main_table(at)) == 3
    at.multiselect(key="zone").set_value(["Z2"]).run()  # a filter keeps it open
    assert len(main_table(at)) == 1
    assert len(main_table(app("pages/zones.py"))) == 2  # 2 zones: not long
