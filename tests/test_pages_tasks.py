"""The loop's pages through AppTest: 问题整改 (the list, a problem's steps by role and state, the clash of two
sessions, filing) and 现场检查 (failed items become problems), on a real store with logged-in users."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from geo.accounts import auth
from geo.domain.tasks import DEFAULT_CHECKLISTS, STATES, steps_from
from geo.store import (
    NewProblem,
    checklist,
    file_problem,
    inspections_frame,
    move_problem,
    photos_of,
    problem_history,
    problems_frame,
)
from geo.store.tables import checklist_items
from tests.filled_stores import open_filled
from tests.test_cities import drawn_states, map_sent

APP = str(Path(__file__).resolve().parent.parent / "app.py")
HOSTILE = "<img src=x onerror=alert(1)>"
STEP_WORDS = {"in_progress": "开始整改", "rectified": "整改完成，提交复核", "closed": "复核通过，销号",
              "returned": "复核不通过，退回整改"}
# how to bring a new problem to each state, as staff (the photo and the note each step needs)
ROUTE = {"handed_out": [], "in_progress": ["in_progress"], "rectified": ["rectified"],
         "returned": ["rectified", "returned"], "closed": ["rectified", "closed"]}


def png() -> bytes:
    picture = io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(picture, "PNG")
    return picture.getvalue()


def _filled(tiny_dir, url):
    engine = open_filled(url, tiny_dir)
    for name, role in (("clerk", "staff"), ("boss", "admin"), ("reader", "viewer")):
        auth.add_user(auth.SYSTEM, engine, name, role, "tulip-harbor-2020")
    return engine


@pytest.fixture
def env(tiny_dir, app_store_url):
    """The tiny city in an SQLite store the app reads, with a staff (clerk), an admin (boss) and a viewer."""
    return _filled(tiny_dir, app_store_url)


@pytest.fixture
def env_both(tiny_dir, store_url, monkeypatch):
    """As :func:`env`, on SQLite and on PostgreSQL."""
    monkeypatch.setenv("CMDMAP_DATA_DIR", str(tiny_dir))
    monkeypatch.setenv("CMDMAP_DATABASE_URL", store_url)
    monkeypatch.setenv("CMDMAP_BASEMAP", "none")
    return _filled(tiny_dir, store_url)


def problem(engine, state: str = "handed_out", name: str = "金桂花园", description: str = "东门无人值守") -> int:
    pid = file_problem(engine, NewProblem("compounds", "0501", name, dt.date(2020, 2, 20), "gate", description,
                                          "property", "金桂物业", "王经理", "13800138000", dt.date(2020, 2, 23)),
                       by="clerk")
    for seq, to in enumerate(ROUTE[state], start=1):
        move_problem(engine, pid, seq, to, "clerk", "staff", note="没改好" if to == "returned" else None,
                     photos=1 if to == "rectified" else None)
    return pid


def open_as(name, role, page, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if name:
        at.session_state["auth_session"] = auth.start_session(auth.User(name, role))
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def step_buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button if b.label in STEP_WORDS.values()]


def press(at: AppTest, to: str) -> AppTest:
    next(b for b in at.button if b.label == STEP_WORDS[to]).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def uploader(at: AppTest, key: str):
    return next(u for u in at.file_uploader if u.key == key)


def state_of(engine, pid: int) -> str:
    frame = problems_frame(engine)
    return frame.loc[frame["id"] == pid, "state"].iloc[0]


def said(at: AppTest) -> str:
    return " ".join([e.value for e in at.error] + [s.value for s in at.success])


# --------------------------------------------------------------------------- 问题整改


@pytest.mark.parametrize("role,name", [("staff", "clerk"), ("admin", "boss"), ("viewer", "reader")])
def test_each_role_is_offered_exactly_the_steps_the_loop_allows_from_each_state(env, role, name):
    for state in STATES:
        pid = problem(env, state)
        at = open_as(name, role, "pages/problems.py", problem=str(pid))
        assert at.selectbox(key="problem").value == str(pid)
        expected = [STEP_WORDS[s.to] for s in steps_from(state, role)]
        assert step_buttons(at) == expected, state
        if role == "viewer":
            assert not expected and any("只能查看" in c.value for c in at.caption)


def test_a_viewer_sees_the_list_and_no_filing_form(env):
    problem(env)
    at = open_as("reader", "viewer", "pages/problems.py")
    assert len(at.dataframe[0].value) == 1
    assert not at.expander and not step_buttons(at)


@pytest.mark.parametrize("state", ["handed_out", "returned"])
def test_staff_start_fixing(env, state):
    pid = problem(env, state)
    at = press(open_as("clerk", "staff", "pages/problems.py", problem=str(pid)), "in_progress")
    assert state_of(env, pid) == "in_progress"
    assert any("已改为“整改中”" in s.value for s in at.success)
    assert step_buttons(at) == [STEP_WORDS["rectified"]]  # drawn again for the state it is in now


@pytest.mark.parametrize("state", ["handed_out", "in_progress", "returned"])
def test_marking_fixed_needs_a_photo_and_keeps_it(env, state):
    pid = problem(env, state)
    at = open_as("clerk", "staff", "pages/problems.py", problem=str(pid))
    press(at, "rectified")
    assert state_of(env, pid) == state  # refused: no photo
    assert "请附上整改后的照片" in said(at)
    seq = len(ROUTE[state]) + 1
    uploader(at, f"step_{pid}_{seq}_rectified_photos").set_value([("整改后.png", png(), "image/png")])
    press(at, "rectified")
    assert state_of(env, pid) == "rectified"
    assert len(photos_of(env, problem_id=pid)) == 1
    assert len(at.get("image")) == 1  # the photo shown under the problem


def test_a_file_that_is_not_a_photo_is_refused_in_chinese(env):
    pid = problem(env, "in_progress")
    at = open_as("clerk", "staff", "pages/problems.py", problem=str(pid))
    uploader(at, f"step_{pid}_2_rectified_photos").set_value([("整改后.png", b"<svg onload='alert(1)'/>", "image/png")])
    press(at, "rectified")
    assert state_of(env, pid) == "in_progress"
    assert "整改后\\.png”不是照片" in said(at) and not photos_of(env, problem_id=pid)


def test_staff_close_a_rectified_problem_or_send_it_back_with_a_reason(env):
    closing, returning = problem(env, "rectified"), problem(env, "rectified")
    press(open_as("clerk", "staff", "pages/problems.py", problem=str(closing)), "closed")
    assert state_of(env, closing) == "closed"
    at = press(open_as("boss", "admin", "pages/problems.py", problem=str(returning)), "returned")
    assert state_of(env, returning) == "rectified" and "退回时请写明原因" in said(at)
    at.text_input(key=f"step_{returning}_2_returned_note").input("消毒记录缺 2 天")
    press(at, "returned")
    assert state_of(env, returning) == "returned"
    history = problem_history(env, returning)
    assert history.iloc[-1][["state", "by", "note"]].tolist() == ["returned", "boss", "消毒记录缺 2 天"]
    assert "消毒记录缺 2 天" in at.dataframe[-1].value.to_string()  # the history, with who and the note


def test_two_sessions_on_one_problem_the_second_is_told_it_moved(env_both):
    env = env_both
    pid = problem(env, "rectified")
    first = open_as("clerk", "staff", "pages/problems.py", problem=str(pid))
    second = open_as("boss", "admin", "pages/problems.py", problem=str(pid))
    press(first, "closed")
    second.text_input(key=f"step_{pid}_2_returned_note").input("没改好")
    press(second, "returned")
    assert "刚被其他人处理过" in said(second)
    assert state_of(env, pid) == "closed" and len(problem_history(env, pid)) == 3
    assert step_buttons(second) == []  # drawn again: closed, nothing left to do


def test_filters_narrow_the_list_and_the_exports_hold_it(env):
    late = problem(env, "handed_out")
    problem(env, "closed")
    at = open_as("clerk", "staff", "pages/problems.py")
    assert len(at.dataframe[0].value) == 2
    at.checkbox(key="problem_overdue").check().run()
    table = at.dataframe[0].value
    assert table["编号"].tolist() == [late] and table["天数"].iloc[0].startswith("超期")
    assert at.query_params["problem_overdue"] == "1"
    at.checkbox(key="problem_overdue").uncheck().run()
    at.multiselect(key="problem_state").set_value(["closed"]).run()
    assert at.dataframe[0].value["状态"].tolist() == ["已销号"]
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["导出 CSV", "导出 Excel"]


def test_a_hostile_name_and_description_are_shown_escaped(env):
    pid = problem(env, name=HOSTILE, description=HOSTILE + " **粗体**")
    at = open_as("clerk", "staff", "pages/problems.py", problem=str(pid))
    shown = " ".join(m.value for m in at.markdown) + " ".join(s.value for s in at.subheader)
    assert HOSTILE not in shown and r"\<img src=x onerror=alert\(1\)\>" in shown
    assert r"\*\*粗体\*\*" in shown
    assert at.dataframe[0].value["地点"].tolist() == [HOSTILE]  # data in a table: shown as typed, never as HTML


def test_staff_file_a_problem_with_a_photo_and_the_phone_checked(env):
    at = open_as("clerk", "staff", "pages/problems.py")
    at.selectbox(key="file_kind").set_value("compounds").run()
    at.selectbox(key="file_place_0").set_value("0501")
    at.selectbox(key="file_category_0").set_value("disinfection")
    at.text_area(key="file_description_0").input("电梯未消毒")
    at.text_input(key="file_0_unit_name").input("金桂物业")
    at.text_input(key="file_0_phone").input("8888666")
    uploader(at, "file_photos_0").set_value([("电梯.png", png(), "image/png")])
    submit = next(b for b in at.button if b.label == "登记并交办")
    submit.click().run()
    assert problems_frame(env).empty and "联系电话“8888666”不对" in said(at)
    assert at.text_area(key="file_description_0").value == "电梯未消毒"  # nothing typed is lost
    at.text_input(key="file_0_phone").input("0731-8888 6666")
    next(b for b in at.button if b.label == "登记并交办").click().run()
    assert not at.exception
    frame = problems_frame(env)
    row = frame.iloc[0]
    assert (row["place_name"], row["phone"], row["state"], row["photos"]) == ("金桂花园", "0731-88886666",
                                                                             "handed_out", 1)
    assert row["deadline"] == (dt.date.today() + dt.timedelta(days=3)).isoformat()
    assert any(f"已登记问题 {row['id']}" in s.value for s in at.success)
    assert at.selectbox(key="problem").value == str(row["id"])  # and it is shown


# --------------------------------------------------------------------------- 现场检查


def answer(at: AppTest, results: dict[str, str], round_: int = 0) -> None:
    for code, result in results.items():
        at.radio(key=f"inspect_item_{code}_{round_}").set_value(result)


def test_an_inspection_files_one_problem_per_failed_item(env_both):
    env = env_both
    items = checklist(env, "compounds")
    at = open_as("clerk", "staff", "pages/inspect.py")
    assert at.text_input(key="inspect_inspectors_0").value == "clerk"
    at.selectbox(key="inspect_place_compounds_0").set_value("0501")
    fails = {items[1].code, items[3].code}
    answer(at, {item.code: "fail" if item.code in fails else "pass" for item in items[:-1]})
    next(b for b in at.button if b.label == "保存检查记录").click().run()
    assert "还有 1 项没有选择" in said(at) and inspections_frame(env).empty  # the last item not answered
    assert "请填写责任单位名称" in said(at)
    answer(at, {items[-1].code: "pass"})
    at.text_input(key="inspect_0_unit_name").input("金桂物业")
    at.text_input(key="inspect_0_phone").input("13800138000")
    uploader(at, "inspect_photos_0").set_value([("门岗.png", png(), "image/png")])
    next(b for b in at.button if b.label == "保存检查记录").click().run()
    assert not at.exception
    inspection = inspections_frame(env).iloc[0]
    assert (inspection["result"], inspection["failed"], inspection["inspectors"]) == ("fail", 2, "clerk")
    frame = problems_frame(env)
    assert sorted(frame["item_code"]) == sorted(fails)
    assert set(frame["category"]) == {items[1].category, items[3].category}
    assert set(frame["unit_name"]) == {"金桂物业"} and set(frame["state"]) == {"handed_out"}
    message = at.success[0].value
    for pid in frame["id"]:
        assert f"(/problems?problem={pid})" in message
    assert at.radio(key=f"inspect_item_{items[0].code}_1").value is None  # a fresh form for the next place
    assert len(photos_of(env, inspection_id=int(inspection["id"]))) == 1
    found = open_as("clerk", "staff", "pages/problems.py", problem=str(frame["id"].iloc[0]))
    assert len(found.get("image")) == 1  # the inspection's photo, shown with the problem it found


def test_an_inspection_all_passed_files_nothing(env):
    items = checklist(env, "sites")
    at = open_as("boss", "admin", "pages/inspect.py", kind="sites", place="S1")  # a link from the site
    assert at.selectbox(key="kind").value == "sites" and at.selectbox(key="inspect_place_sites_0").value == "S1"
    answer(at, {item.code: "pass" for item in items})
    next(b for b in at.button if b.label == "保存检查记录").click().run()
    assert "全部合格" in at.success[0].value and problems_frame(env).empty
    assert inspections_frame(env).iloc[0]["result"] == "pass"


def test_only_admins_see_the_checklist_editor_and_viewers_cannot_inspect(env):
    def expanders(at) -> list[str]:
        return [e.label for e in at.expander]

    assert "编辑检查表（管理员）" in expanders(open_as("boss", "admin", "pages/inspect.py"))
    assert expanders(open_as("clerk", "staff", "pages/inspect.py")) == ["上传检查表（Excel 或 CSV，多条检查记录）"]
    refused = open_as("reader", "viewer", "pages/inspect.py")
    assert refused.warning and not [b for b in refused.button if b.label == "保存检查记录"]



@pytest.mark.parametrize("who", [None, ("reader", "viewer")])
def test_a_forged_step_from_a_viewer_or_logged_out_changes_nothing(env, who):
    pid = problem(env, "rectified")
    at = AppTest.from_file(APP, default_timeout=60)
    if who:
        at.session_state["auth_session"] = auth.start_session(auth.User(*who))
    at.session_state["problem_pending"] = {"problem": pid, "seen": 2, "to": "closed", "note": "", "files": []}
    at.query_params["problem"] = str(pid)
    at.switch_page("pages/problems.py")
    at.run()
    assert not at.exception
    assert state_of(env, pid) == "rectified" and len(problem_history(env, pid)) == 2
    assert not at.success and not step_buttons(at)


def test_an_admin_saves_a_checklist_as_shown_and_the_next_inspection_asks_it(env):
    at = open_as("boss", "admin", "pages/inspect.py")
    at.selectbox(key="checklist_name").set_value("sites").run()
    at.button(key="checklist_save_sites").click().run()
    assert not at.exception
    assert "检查表“在建工地”已保存，共 12 项" in at.success[0].value
    with env.connect() as conn:  # stored as rows now, by the admin (until then: the defaults, no rows)
        rows = conn.execute(select(checklist_items.c.code, checklist_items.c.category, checklist_items.c.added_by)
                            .where(checklist_items.c.checklist == "sites").order_by(checklist_items.c.position)).all()
    assert [tuple(row) for row in rows] == [(i.code, i.category, "boss") for i in DEFAULT_CHECKLISTS["sites"]]


def test_both_pages_read_in_english(env):
    pid = problem(env, "rectified")
    at = open_as("clerk", "staff", "pages/problems.py", lang="en", problem=str(pid))
    assert at.title[0].value == "Problems"
    assert at.dataframe[0].value.columns.tolist()[:3] == ["No.", "Place", "Kind of place"]
    assert step_buttons(at) == [] and {b.label for b in at.button} >= {"Re-checked: close", "Not fixed: send back"}
    inspect = open_as("clerk", "staff", "pages/inspect.py", lang="en")
    assert inspect.title[0].value == "Inspection"
    assert inspect.radio[0].options == ["Pass", "Fail"] and "One gate open" in inspect.radio[0].label


# --------------------------------------------------------------------------- the inspection sheet and the map


def sheet_csv(rows: list[str]) -> bytes:
    head = ["检查日期", "小区名称", "检查人员", *(item.zh for item in DEFAULT_CHECKLISTS["compounds"]), "责任单位"]
    return ("\r\n".join([",".join(head), *rows]) + "\r\n").encode("gb18030")


def test_a_sheet_of_inspections_is_checked_previewed_and_stored_once(env):
    at = open_as("clerk", "staff", "pages/inspect.py")
    bad = sheet_csv(["2020-02-25,金桂园,督导组,合格,合格,合格,合格,合格,合格,"])  # misspelled: nothing stored
    uploader(at, "inspection_sheet_file").set_value([("检查表.csv", bad, "text/csv")])
    at.run()
    assert "未导入任何记录" in said(at) and "金桂花园" in " ".join(m.value for m in at.markdown)
    assert inspections_frame(env).empty
    good = sheet_csv(["2020-02-25,金桂花园,督导组,合格,×,合格,合格,合格,合格,安居物业",
                      "2020-02-25,浮山小区,督导组,√,√,√,√,√,√,"])
    uploader(at, "inspection_sheet_file").set_value([("检查表.csv", good, "text/csv")])
    at.run()
    assert "2 条检查记录，其中 1 个不合格项将交办为问题" in " ".join(i.value for i in at.info)
    next(b for b in at.button if b.key == "inspection_sheet_store").click().run()
    assert not at.exception and "已导入 2 条检查记录" in said(at)
    at.run()  # a rerun does not store it again
    assert len(inspections_frame(env)) == 2
    assert problems_frame(env)[["place_name", "unit_name", "state"]].values.tolist() == [
        ["金桂花园", "安居物业", "handed_out"]]


def test_the_problems_map_rings_the_places_with_open_problems_red_when_overdue(env):
    problem(env)  # deadline 2020-02-23: overdue on the tiny city's last day
    problem(env, "closed", name="浮山小区")  # closed: no ring
    at = open_as("reader", "viewer", "pages/problems.py")
    script, update = map_sent(at)
    assert drawn_states(at)["problems"] == ["overdue"]
    assert "有逾期问题的场所 <span" in update["legend"]


def test_a_units_account_fixes_its_own_problems_and_closes_none_nor_touches_others(env):
    """Issue #20, item 6: a property company's account, scoped to its compound, reports a fix with a photo; the
    re-check and closing stay the bureau's; a problem of another place is neither shown nor moved by it."""
    mine, other = problem(env), problem(env, name="浮山小区")
    with env.begin() as conn:  # the second problem is of another compound
        conn.exec_driver_sql(f"UPDATE problems SET place_id = '0503' WHERE id = {other}")
    auth.add_user(auth.SYSTEM, env, "anju", "unit", "tulip-harbor-2020")
    auth.set_scope(auth.SYSTEM, env, "anju", auth.Scope("places", ("0501",)))
    unit = auth.User("anju", "unit", auth.Scope("places", ("0501",)))
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth_session"] = auth.start_session(unit)
    at.query_params["problem"] = str(mine)
    at.switch_page("pages/problems.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="problem").options == [f"{mine} · 金桂花园 · 待整改"]  # not the other place's
    assert step_buttons(at) == [STEP_WORDS["in_progress"], STEP_WORDS["rectified"]]
    uploader(at, f"step_{mine}_1_rectified_photos").set_value([("整改后.png", png(), "image/png")])
    press(at, "rectified")
    assert state_of(env, mine) == "rectified" and step_buttons(at) == []  # closing is the bureau's
    at.session_state["problem_pending"] = {"problem": other, "seen": 1, "to": "in_progress", "note": "", "files": []}
    at.run()
    assert state_of(env, other) == "handed_out" and "不能这样处理" in said(at)
