"""A partial day does not read as a collapse (issue 18, item 1), tested the way it was found.

The tiny city's newest complete day is 2020-02-25 (compounds sealed 1, sites resumed 1). One compound's
report for 2020-02-26 arrives first thing in the morning: the overview and the wall must stay on
2020-02-25 with the same figures and changes, and say how far the new day has got; choosing the new date
shows it without comparing it; once the day is complete, it is the current one.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import store
from geo.accounts import auth
from geo.analysis import compute_kpis, report_days
from geo.store import load_store
from geo.upload import check_file, commit, open_city
from tests.conftest import open_app_page
from tests.filled_stores import demo_store

APP = str(Path(__file__).resolve().parent.parent / "app.py")
CLERK = auth.User("clerk", "staff")
PARTIAL = "小区编号,日期,封闭状态\n0501,2020-02-26,全封闭\n".encode()
REST = ("小区编号,日期,封闭状态\n0502,2020-02-26,全封闭\n0503,2020-02-26,全封闭\n".encode(),
        "工地编号,日期,复工状态\nS1,2020-02-26,已复工\nS2,2020-02-26,已复工\n".encode())
TODAY = datetime.date(2020, 2, 26)  # the morning the reports arrive


def _import(engine, kind: str, content: bytes, name: str = "日报.csv") -> int:
    check = check_file(engine, kind, content, name, today=TODAY)
    assert check.ok and not check.warnings, [p.message() for p in check.problems + check.warnings]
    return commit(engine, check, CLERK).version


_open = open_app_page


def _kpis(at: AppTest) -> dict[str, tuple[str, str | None]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def test_a_partial_day_is_pending_and_compared_with_nothing(page_env):
    _import(page_env, "compound_status", PARTIAL)
    ds = load_store(page_env)
    days = report_days(ds, 0.9)
    assert (days.current, days.pending) == ("2020-02-25", ("2020-02-26",))
    assert (days.reported["2020-02-26"], days.total) == (1, 5)
    assert days.progress("2020-02-26", TODAY).zh == "今日已报告 1/5"  # today: the calendar day
    assert days.progress("2020-02-26", TODAY + datetime.timedelta(days=1)).zh == "2020-02-26 已报告 1/5"
    chosen = {k.key: k.delta for k in compute_kpis(ds, "2020-02-26", complete_share=0.9)}
    assert set(chosen.values()) == {None}  # no "-62.5 %": a partial day has nothing comparable
    shown = {k.key: (k.value, k.delta) for k in compute_kpis(ds, days.current, complete_share=0.9)}
    assert shown["kpi_sealed"] == (1, 1) and shown["kpi_resumption_rate"] == (50.0, 50.0)


def test_the_overview_stays_on_the_complete_day_until_the_new_one_is_complete(page_env):
    before = _kpis(_open("pages/overview.py"))
    _import(page_env, "compound_status", PARTIAL)
    at = _open("pages/overview.py")
    assert at.selectbox(key="date").value == "2020-02-25"
    assert "2020-02-26" in at.selectbox(key="date").options  # a person may still choose it
    assert _kpis(at) == before  # no collapse: the same figures, the same changes
    progress = " ".join(info.value for info in at.info)
    assert "2020-02-26 已报告 1/5" in progress and "仍显示 2020-02-25" in progress

    at.selectbox(key="date").set_value("2020-02-26").run()
    chosen = _kpis(at)
    assert chosen["全封闭小区"] == ("1", "")  # the new day as it stands, compared with nothing
    assert not any(delta for _, delta in chosen.values())
    assert any("不与前一日比较" in caption.value for caption in at.caption)

    for content, kind in zip(REST, ("compound_status", "site_status")):
        _import(page_env, kind, content)
    at = _open("pages/overview.py")
    assert at.selectbox(key="date").value == "2020-02-26"
    complete = _kpis(at)
    assert complete["全封闭小区"] == ("3", "+2") and complete["工地复工率"] == ("100%", "+50%")
    assert not [info.value for info in at.info if "已报告" in info.value]


def test_the_wall_stays_on_the_complete_day_and_shows_the_progress(page_env):
    _import(page_env, "compound_status", PARTIAL)
    wall = _open("pages/wall.py", kiosk="1", view="compounds")
    shown = " ".join(md.value for md in wall.markdown)
    assert "数据截至 2020-02-25" in shown and "2020-02-26 已报告 1/5" in shown
    # the tiles of the complete day and its changes since 2020-02-24, not the partial day's "collapse"
    assert '<div class="label">全封闭小区</div><div class="value">1</div><div class="delta flat">+1 ' in shown
    assert '<div class="label">工地复工率</div><div class="value">50%</div><div class="delta up-good">+50%' in shown


@pytest.mark.parametrize("date,key", [("2020-02-27", "check_date_after_today"), ("2020-02-26", None)])
def test_a_date_after_today_is_a_warning_to_confirm(page_env, date, key):
    content = f"小区编号,日期,封闭状态\n0501,{date},全封闭\n".encode()
    check = check_file(page_env, "compound_status", content, "日报.csv", today=TODAY)
    assert check.ok and [w.key for w in check.warnings] == ([key] if key else [])
    assert "导入后 " + date + " 仍有 2/3 个场所未报告" in [line.zh for line in check.summary]
    if key:
        with pytest.raises(ValueError):
            commit(page_env, check, CLERK)
        assert commit(page_env, check, CLERK, confirmed=True).version


def test_a_date_far_after_the_newest_report_is_a_warning(page_env):
    content = "小区编号,日期,封闭状态\n0501,2020-04-25,全封闭\n".encode()  # a month typed wrong
    check = check_file(page_env, "compound_status", content, "日报.csv", today=datetime.date(2020, 5, 1))
    assert [(w.key, w.row) for w in check.warnings] == [("check_date_far", 2)]
    assert "2020-02-25" in check.warnings[0].message("zh")


def test_the_upload_page_asks_to_confirm_a_date_after_today(page_env):
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()  # the only future date read
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth_session"] = auth.start_session(CLERK)
    at.switch_page("pages/upload.py")
    at.run()
    at.selectbox(key="upload_kind").set_value("compound_status").run()
    at.file_uploader[0].set_value(("日报.csv", f"小区编号,日期,封闭状态\n0501,{tomorrow},全封闭\n".encode(),
                                   "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [w.value for w in at.warning] == ["请核实以下 1 处："]
    assert any(f"日期 {tomorrow} 晚于今天" in str(df.value) for df in at.dataframe)
    assert not [b for b in at.button if b.key == "upload_confirm_button"]  # not before the confirmation
    at.checkbox(key="upload_accept_warnings").check().run()
    at.button(key="upload_confirm_button").click().run()
    assert any("已导入" in s.value for s in at.success)


def test_eight_reports_of_the_demo_city_do_not_switch_its_overview(tmp_path, monkeypatch):
    """As found: the demo city (402 places: 248 compounds and sites, 154 others), 8 compounds report for the next
    day, on a morning whose first third already came in from the grid officers' phones."""
    data = Path(__file__).resolve().parent.parent / "data"
    url = demo_store(tmp_path / "demo.sqlite")
    monkeypatch.setenv("CMDMAP_DATA_DIR", str(data))
    monkeypatch.setenv("CMDMAP_DATABASE_URL", url)
    monkeypatch.setenv("CMDMAP_BASEMAP", "none")
    engine = open_city(url, data)
    before = _kpis(_open("pages/overview.py"))
    phoned = report_days(load_store(engine), 0.9).reported["2020-02-26"]
    assert round(phoned / 402, 1) == 0.3  # the demo's morning: a third from phones
    ids = sorted(set(store.place_ids(engine, "compounds")) - store.reported_on(engine, "compound_status",
                                                                                 "2020-02-26"))[:8]
    _import(engine, "compound_status",
            ("小区编号,日期,封闭状态\n" + "".join(f"{i},2020-02-26,全封闭\n" for i in ids)).encode())
    at = _open("pages/overview.py")
    assert at.selectbox(key="date").value == "2020-02-25"
    assert _kpis(at) == before
    assert any(f"2020-02-26 已报告 {phoned + 8}/402" in info.value for info in at.info)
