"""A clerk's table and the grid officers' phone reports of the same day (#21, item 4): the table's upload stays,
its preview says which rows would replace whose phone report, nothing is replaced unseen, and a phone report
over a table's row says so too.

The morning, in the tiny city: officer wg-z1 (zone Z1) reports 0501 as yesterday (controlled) and 0502 with
a change (sealed), from the report page. Later the clerk uploads the table the street office sent: 0501
sealed (differs from the phone), 0502 sealed (the same as the phone), 0503 controlled (nobody reported it).
"""

from __future__ import annotations

import datetime
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import store
from geo.accounts import Scope, User, auth
from geo.store.engine import connect
from geo.upload import check_file, commit, places_to_report, report_daily, reports_today, seed_from_folder

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
TODAY = datetime.date.today()
OFFICER = User("wg-z1", "officer", Scope("zone", ("Z1",)))
CLERK = User("clerk", "staff")
TABLE = (f"小区编号,日期,封闭状态\n0501,{TODAY},全封闭\n0502,{TODAY},全封闭\n0503,{TODAY},封闭管理\n"
         .encode("gb18030").replace(b"\n", b"\r\n"))  # as the street office's Excel exports it


def _closure(engine) -> dict[str, str]:
    rows = store.current(engine, "compound_status")
    rows = rows.loc[rows["date"] == TODAY.isoformat()]
    return dict(zip(rows["compound_id"], rows["closure"]))


def _morning(engine) -> None:
    ds = store.load_store(engine)
    report_daily(engine, ds, OFFICER, "compounds", "0501", TODAY)  # as yesterday: controlled
    report_daily(engine, ds, OFFICER, "compounds", "0502", TODAY, {"closure": "sealed"})


def test_the_preview_names_each_phone_report_a_row_would_replace_and_waits_for_a_confirmation(tiny_store):
    _morning(tiny_store)
    check = check_file(tiny_store, "compound_status", TABLE, "街道日报.csv", today=TODAY)
    assert check.ok
    # 0501 differs from the phone's report: a warning naming whose, when and what; 0502 equals it: nothing to say
    assert [(w.key, w.row, w.value) for w in check.warnings] == [("check_replaces_phone", 2, "0501")]
    said = check.warnings[0].message("zh")
    assert "0501" in said and "wg-z1" in said and "用手机填报" in said and "封闭状态" in said and TODAY.isoformat() in said
    assert "wg-z1" in check.warnings[0].message("en") and "phone" in check.warnings[0].message("en")
    assert any("本文件有 1 行会替换网格员用手机填报的报告（wg-z1 1 条）" in n.zh for n in check.notices)
    assert len(check.phone_rows) == 1
    with pytest.raises(ValueError):  # never replaced unseen
        commit(tiny_store, check, CLERK)
    assert _closure(tiny_store) == {"0501": "controlled", "0502": "sealed"}
    commit(tiny_store, check, CLERK, confirmed=True)
    assert _closure(tiny_store) == {"0501": "sealed", "0502": "sealed", "0503": "controlled"}
    # the report page's list now says the table's row is today's report of 0501, by the clerk
    places = reports_today(tiny_store, places_to_report(store.load_store(tiny_store), OFFICER), TODAY)
    shown = places.set_index("id")
    assert (shown.loc["0501", "reported_by"], bool(shown.loc["0501", "by_phone"])) == ("clerk", False)
    assert (shown.loc["0502", "reported_by"], bool(shown.loc["0502", "by_phone"])) == ("wg-z1", True)


def test_keeping_the_phone_reports_imports_only_the_other_rows(tiny_store):
    _morning(tiny_store)
    check = check_file(tiny_store, "compound_status", TABLE, "街道日报.csv", today=TODAY, keep_reports=True)
    assert check.ok and not check.warnings and not check.phone_rows
    assert any(n.zh == "已保留 1 条手机填报：文件第 2 行没有导入，其余的行照常导入。" for n in check.notices)
    assert sorted(check.frame["compound_id"]) == ["0502", "0503"]
    commit(tiny_store, check, CLERK)
    assert _closure(tiny_store) == {"0501": "controlled", "0502": "sealed", "0503": "controlled"}


def test_a_phone_report_arriving_after_the_check_is_not_replaced_unseen(tiny_store):
    _morning(tiny_store)
    check = check_file(tiny_store, "compound_status", TABLE, "街道日报.csv", today=TODAY)
    before = store.newest_version(tiny_store)
    late = User("wg-z2", "officer", Scope("zone", ("Z2",)))
    report_daily(tiny_store, store.load_store(tiny_store), late, "compounds", "0503", TODAY, {"closure": "sealed"})
    with pytest.raises(store.ReportArrived) as arrived:
        commit(tiny_store, check, CLERK, confirmed=True)
    assert arrived.value.count == 1 and "又有 1 条手机填报到达" in arrived.value.text.zh
    assert store.newest_version(tiny_store) == before + 1  # only the late phone report: nothing of the table
    assert _closure(tiny_store)["0503"] == "sealed"
    again = check_file(tiny_store, "compound_status", TABLE, "街道日报.csv", today=TODAY)
    assert sorted(w.value for w in again.warnings) == ["0501", "0503"]
    assert any("wg-z1 1 条" in n.zh and "wg-z2 1 条" in n.zh for n in again.notices)


def test_a_table_over_a_table_and_a_phone_report_over_a_table_are_said_their_way(tiny_store):
    first = check_file(tiny_store, "compound_status", TABLE, "街道日报.csv", today=TODAY)
    # nobody reported from a phone: an ordinary import (the tiny city's reports end in 2020: a far date)
    assert [w.key for w in first.warnings] == ["check_date_far"] and not first.phone_rows
    commit(tiny_store, first, CLERK, confirmed=True)
    second = check_file(tiny_store, "compound_status", TABLE.replace("封闭管理".encode("gb18030"),
                                                                    "全封闭".encode("gb18030")), "更正.csv", today=TODAY)
    assert not second.warnings  # a table replacing a table: the history has it, no phone report is lost
    corrected = report_daily(tiny_store, store.load_store(tiny_store), OFFICER, "compounds", "0501", TODAY,
                             {"closure": "controlled"})
    assert corrected.replaced_by == "clerk" and corrected.replaced_from_table
    assert "clerk" in corrected.text.zh and "上传的表格中这个场所的报告已替换" in corrected.text.zh


def test_the_command_line_asks_to_confirm_or_keeps_the_phone_reports(tmp_path, tiny_dir):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    engine = connect(url)
    seed_from_folder(engine, tiny_dir)
    auth.add_user(auth.SYSTEM, engine, "clerk", "staff", "tulip-harbor-2020")
    _morning(engine)
    table = tmp_path / "街道日报.csv"
    table.write_bytes(TABLE)
    env = {"CMDMAP_DATABASE_URL": url, "CMDMAP_DATA_DIR": str(tiny_dir), "PATH": "/usr/bin:/bin"}

    def run(*extra):
        return subprocess.run([sys.executable, "-m", "geo", "import", "compound_status", str(table), "--user", "clerk",
                               *extra], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    asked = run()
    assert asked.returncode == 1 and "wg-z1" in asked.stdout and "用手机填报" in asked.stdout
    assert "加 --keep-phone-reports" in asked.stdout  # the command line's own way to keep them
    assert _closure(engine)["0501"] == "controlled"
    kept = run("--keep-phone-reports")
    assert kept.returncode == 0, kept.stderr
    assert "已保留 1 条手机填报" in kept.stdout
    assert _closure(engine) == {"0501": "controlled", "0502": "sealed", "0503": "controlled"}


def _said(elements) -> str:
    """What the page's elements say, as read (markdown's escapes taken out)."""
    return " ".join(str(e.value) for e in elements).replace("\\", "")


def open_as(user: User, page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth_session"] = auth.start_session(user)
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def morning(page_env):
    _morning(page_env)
    return page_env


def test_the_upload_page_shows_whose_reports_a_table_replaces_and_can_keep_them(morning):
    at = open_as(CLERK, "pages/upload.py")
    at.selectbox(key="upload_kind").set_value("compound_status").run()
    at.file_uploader[0].set_value(("街道日报.csv", TABLE, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "会替换网格员用手机填报的报告（wg-z1 1 条）" in _said(at.info)
    assert any("wg-z1" in str(df.value) and "用手机填报" in str(df.value) for df in at.dataframe)
    assert not [b for b in at.button if b.key == "upload_confirm_button"]  # not before the confirmation
    at.checkbox(key="upload_keep_reports_compound_status").check().run()
    assert not at.exception and "已保留 1 条手机填报" in _said(at.info)
    at.button(key="upload_confirm_button").click().run()  # nothing left to confirm
    assert any("已导入" in s.value for s in at.success)
    assert _closure(morning) == {"0501": "controlled", "0502": "sealed", "0503": "controlled"}


def test_the_report_page_says_a_table_reported_the_place_and_that_sending_replaces_it(morning):
    commit(morning, check_file(morning, "compound_status", TABLE, "街道日报.csv", today=TODAY), CLERK,
           confirmed=True)  # the table replaces the phone's 0501
    auth.add_user(auth.SYSTEM, morning, "wg-z1", "officer", "tulip-harbor-2020")
    auth.set_scope(auth.SYSTEM, morning, "wg-z1", Scope("zone", ("Z1",)))
    at = open_as(OFFICER, "pages/report.py")
    assert "clerk（表格导入）" in _said(at.markdown)  # 0501 and 0502: the table's rows now
    at.selectbox(key="daily_pick").set_value("compounds:0501").run()
    assert "今日已有 clerk" in _said(at.info) and "（表格导入）：提交会替换它" in _said(at.info)
    at.button(key="FormSubmitter:daily_form_compounds_0501-提交今日报告").click().run()
    assert "clerk 上传的表格中这个场所的报告已替换" in _said(at.success)
