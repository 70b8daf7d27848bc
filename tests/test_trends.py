"""Time for everyone who may view: the figures by day for the filters, by district, from one function; two
dates compared.

The tiny city (two zones in two streets of one district) and the demo city; AppTest drives the page.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import geo.analysis.trends as trends_module
import ui.cache
import ui.trends
from geo.accounts import auth
from geo.analysis import (
    Filters,
    apply_filters,
    changed_places,
    compound_view,
    compute_kpis,
    daily_figures,
    figures_by,
    site_view,
    transitions,
)
from geo.domain import vocab
from geo.maps.pack import decode_ints
from geo.store.dataset import load_store
from geo.upload import check_file, commit
from tests.cities import map_sent, open_served
from tests.conftest import open_app_page
from tests.test_cities import APP


@pytest.fixture
def tiny_city(tmp_path, monkeypatch, tiny_dir):
    return open_served(tiny_dir, tmp_path, monkeypatch, {"eye": "viewer"}, require_login="true")


def test_each_day_of_the_trend_is_what_the_overview_shows_for_that_day(tiny_city):
    ds = load_store(tiny_city)
    filters = Filters(street=("温泉街道",))

    def keep(view):
        return apply_filters(view, filters)

    trend = daily_figures(ds, keep=keep)
    assert trend.index.tolist() == ["2020-02-24", "2020-02-25"]
    for date in trend.index:
        shown = {kpi.key: kpi.value for kpi in compute_kpis(ds, date, keep=keep)}
        shared = [key for key in trend.columns if key in shown]  # the overview leaves out kinds the city lacks
        assert len(shared) >= 6
        assert {key: shown[key] for key in shared} == pytest.approx(trend.loc[date, shared].to_dict())
    assert daily_figures(ds, keep=keep, until="2020-02-24").index.tolist() == ["2020-02-24"]


def test_by_district_the_counts_add_up_to_the_whole(tiny_city):
    ds = load_store(tiny_city)
    whole = daily_figures(ds)["kpi_sealed"]
    parts = figures_by(ds, "kpi_sealed", "street")
    assert sorted(parts.columns) == sorted(["温泉街道", "浮山街道"])
    assert parts.sum(axis=1).tolist() == whole.tolist()


def test_a_viewer_opens_the_trends_page_with_the_filters_of_the_link(tiny_city):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth_session"] = auth.start_session(auth.User("eye", "viewer"))
    at.query_params["street"] = "温泉街道"
    at.switch_page("pages/trends.py").run()
    assert not at.exception, [e.value for e in at.exception]
    table = next(df.value for df in at.dataframe if df.value.columns[0] == "日报日期")
    ds = load_store(tiny_city)
    expected = daily_figures(ds, keep=lambda v: apply_filters(v, Filters(street=("温泉街道",))))
    assert table["全封闭小区"].tolist() == expected["kpi_sealed"].tolist()
    assert at.selectbox(key="trend_figure").value == "kpi_sealed"
    at.selectbox(key="trend_figure").set_value("kpi_resumption_rate").run()
    assert not at.exception and at.query_params["trend_figure"] == "kpi_resumption_rate"


def test_logged_out_the_trends_page_shows_the_login_only(tiny_city):
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/trends.py").run()
    assert not [df for df in at.dataframe if df.value.columns[0] == "日报日期"]


def test_two_dates_compared_name_each_change_and_count_the_transitions(tiny_city):
    ds = load_store(tiny_city)
    changed = changed_places(compound_view(ds, "2020-02-24"), compound_view(ds, "2020-02-25"))
    assert changed[["id", "before", "after"]].values.tolist() == [
        ["0501", "open", "controlled"], ["0502", "controlled", "sealed"], ["0503", "controlled", "missing"]]
    assert transitions(changed)["count"].tolist() == [1, 1, 1]


def test_the_compare_page_opens_from_its_link_and_draws_only_the_changed_places(tiny_city):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth_session"] = auth.start_session(auth.User("eye", "viewer"))
    for key, value in {"cmp_kind": "sites", "cmp_a": "2020-02-24", "date": "2020-02-25"}.items():
        at.query_params[key] = value
    at.switch_page("pages/compare.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "2 个在建工地的状态有变化" in " ".join(m.value for m in at.markdown)
    counts = next(df.value for df in at.dataframe if df.value.columns[0] == "原状态")
    assert sorted(zip(counts["原状态"], counts["新状态"])) == [("已核准", "已复工"), ("未复工", "已申报")]
    listing = next(df.value for df in at.dataframe if df.value.columns[0] == "编号")
    assert listing["编号"].tolist() == ["S1", "S2"]
    _, update = map_sent(at)
    drawn = [s for s in update["states"] if s.get("key") == "sites"]
    assert drawn and sum(1 for c in decode_ints(drawn[0]["c"]) if c >= 0) == 2
    at.selectbox(key="cmp_kind").set_value("compounds").run()
    assert "3 个物业小区的状态有变化" in " ".join(m.value for m in at.markdown)


def test_a_place_counts_the_days_of_its_current_state_and_a_filter_keeps_the_long_ones(tiny_city):
    ds = load_store(tiny_city)
    view = compound_view(ds, "2020-02-25").set_index("id")
    assert view.loc["0501", "state_days"] == 1 and pd.isna(view.loc["0503", "state_days"])  # 0503: no report
    sites = site_view(ds, "2020-02-25").set_index("id")
    assert sites["state_days"].tolist() == [1, 1]
    held = apply_filters(compound_view(ds, "2020-02-25"), Filters(held=2))
    assert held.empty
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth_session"] = auth.start_session(auth.User("eye", "viewer"))
    at.query_params["held"] = "1"
    at.query_params["status"] = "sealed"
    at.switch_page("pages/compounds.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.number_input(key="held").value == 1
    table = next(df.value for df in at.dataframe if df.value.columns[0] == "编号")
    assert table["编号"].tolist() == ["0502"] and table["本状态第几天"].tolist() == [1]
    script, update = map_sent(at)
    assert "全封闭（第 1 天）" in json.dumps(update, ensure_ascii=False) + script


def test_each_state_is_drawn_in_its_map_colour_in_the_trend(tiny_city):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth_session"] = auth.start_session(auth.User("eye", "viewer"))
    at.switch_page("pages/trends.py").run()
    scales = [json.loads(c.proto.spec)["layer"][0]["encoding"].get("color", {}).get("scale", {})
              for c in at.get("vega_lite_chart")]
    [scale] = [s for s in scales if "全封闭小区" in s.get("domain", [])]
    colours = dict(zip(scale["domain"], scale["range"]))
    assert colours["全封闭小区"] == vocab.color("closure", "sealed") != colours["未封闭小区"]
    assert colours["未封闭小区"] == vocab.color("closure", "open")


def test_a_new_day_makes_the_trend_of_that_day_only_and_a_correction_the_days_from_it(page_env, monkeypatch):
    """ui.trends keeps the figures of the days a new version did not change: after each import, fifty screens
    waited while every day's views were made again (7 s of the server's time at the demo city). What it gives
    must always be what making every day gives."""
    monkeypatch.setenv("CMDMAP_COMPLETE_SHARE", "0")  # a day counts with any report (the tiny city's is one)
    made = []  # (kind, date) of every view made: by the trend itself, or by the pages' cache it takes the newest from

    def counting(real):
        return lambda ds, kind, date, *a, **k: made.append((kind, date)) or real(ds, kind, date, *a, **k)

    monkeypatch.setattr(trends_module, "place_view", counting(trends_module.place_view))
    monkeypatch.setattr(ui.trends, "view_of", counting(ui.trends.view_of))
    monkeypatch.setattr(ui.cache, "view_of", counting(ui.cache.view_of))

    def days_made(kind="compounds"):
        assert len(made) == len(set(made)), made  # no view made twice
        return sorted(date for made_kind, date in made if made_kind == kind)

    def import_rows(text):
        check = check_file(page_env, "compound_status", text.encode(), "day.csv")
        assert check.ok, [p.zh for p in check.problems]
        commit(page_env, check, auth.SYSTEM)

    def shown_and_from_scratch(at):
        """The overview's small trends (ui.trends keeps every day it made) and the same made day by day."""
        url = str(page_env.url)  # this test's store: the memory of earlier tests' stores is kept too
        kept = max((last for key, last in ui.trends._last_trends.items() if key[0] == url), key=lambda last: last[0])[1]
        return kept, daily_figures(load_store(page_env), keep=lambda view: view).loc[kept.index]

    at = open_app_page("pages/overview.py")
    days = days_made()  # the first time, every day
    assert days and at.selectbox(key="date").value == days[-1]
    new_day = (pd.Timestamp(days[-1]) + pd.Timedelta(days=1)).date().isoformat()
    import_rows(f"compound_id,date,closure,gates_open\n0501,{new_day},sealed,1\n")
    made.clear()
    at.run()  # the rerun ui.follow makes: the page moves to the new day
    # the views of the new version only for the new day: the day before it, which the page compares it with, is
    # the view made of the version before (ui.cache: no report of it or earlier was written since)
    assert at.selectbox(key="date").value == new_day and days_made() == [new_day]
    pd.testing.assert_frame_equal(*shown_and_from_scratch(at), check_dtype=False)

    import_rows(f"compound_id,date,closure,gates_open\n0501,{days[0]},controlled,1\n")  # the first day corrected
    made.clear()
    at.run()
    assert days_made() == [*days, new_day]  # from the day corrected on
    pd.testing.assert_frame_equal(*shown_and_from_scratch(at), check_dtype=False)
