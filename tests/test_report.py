"""Today's report from a phone (#21): geo.upload.daily on both back ends, the report page through AppTest as a
grid officer scoped to zone Z1 of the tiny city, and the list of places not reported by the deadline."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from geo import store
from geo.accounts import Scope, User, auth
from geo.analysis import report_days
from geo.io import to_csv_bytes
from geo.store.tables import versions
from geo.upload import (
    DailyRefused,
    call_list,
    compliance,
    places_to_report,
    report_all_same,
    report_daily,
)
from tests.filled_stores import open_filled

APP = str(Path(__file__).resolve().parent.parent / "app.py")
OFFICER = User("wg-z1", "officer", Scope("zone", ("Z1",)))
TODAY = datetime.date.today()


def _today_rows(engine, kind: str) -> pd.DataFrame:
    rows = store.current(engine, kind)
    return rows.loc[rows["date"] == TODAY.isoformat()].reset_index(drop=True)


def _authors(engine) -> list[tuple[str, str, str]]:
    done = store.history(engine)
    done = done.loc[done["action"] == "report"]
    return sorted(zip(done["kind"], done["user_name"], done["action"]))


# --- geo.upload.daily ------------------------------------------------------------------------------


def test_one_place_to_report_is_its_row_of_the_whole_list_and_none_outside_the_scope(tiny_store):
    ds = store.load_store(tiny_store)
    every = places_to_report(ds, OFFICER)
    one = places_to_report(ds, OFFICER, ("sites", "S1"))
    pd.testing.assert_frame_equal(one, every.loc[every["id"] == "S1"].reset_index(drop=True))
    assert places_to_report(ds, OFFICER, ("compounds", "0503")).empty  # zone Z2: not this officer's
    assert places_to_report(ds, None, ("compounds", "0503"))["zone"].tolist() == ["Z2"]
    assert places_to_report(ds, None, ("sites", "0503")).empty  # an id of another kind


def test_an_officer_reports_its_places_same_as_yesterday_and_changed(tiny_store):
    ds = store.load_store(tiny_store)
    assert places_to_report(ds, OFFICER)[["kind", "id"]].values.tolist() == [
        ["compounds", "0501"], ["compounds", "0502"], ["sites", "S1"]]
    same = report_daily(tiny_store, ds, OFFICER, "compounds", "0501", TODAY)
    changed = report_daily(tiny_store, ds, OFFICER, "sites", "S1", TODAY,
                           {"resumption": "not_resumed", "workers_returned": 12}, {"masks": 42})
    assert same.replaced_at is None and same.text.zh == "已保存今日报告。"
    assert len(same.versions) == 2 and len(changed.versions) == 2  # the report and its supplies, each a version
    compound = _today_rows(tiny_store, "compound_status").iloc[0]
    assert (compound["compound_id"], compound["closure"], compound["gates_open"], compound["fever_reports"]) == (
        "0501", "controlled", 1, 0)  # 2020-02-25's values, today
    assert pd.isna(compound["note"])  # yesterday's remark is not repeated
    site = _today_rows(tiny_store, "site_status").iloc[0]
    assert (site["site_id"], site["resumption"], site["workers_returned"], site["workers_total"]) == (
        "S1", "not_resumed", 12, 200)
    supplies = _today_rows(tiny_store, "supplies").sort_values(["place_id", "item"])
    assert supplies[["place_id", "item", "on_hand", "daily_use"]].values.tolist() == [
        ["0501", "disinfectant", 100.0, 5.0], ["0501", "masks", 100.0, 50.0], ["S1", "masks", 42.0, 100.0]]
    assert _authors(tiny_store) == [("compound_status", "wg-z1", "report"), ("site_status", "wg-z1", "report"),
                                    ("supplies", "wg-z1", "report"), ("supplies", "wg-z1", "report")]


def test_a_correction_the_same_day_replaces_the_own_row_and_says_of_when(tiny_store):
    ds = store.load_store(tiny_store)
    first = report_daily(tiny_store, ds, OFFICER, "sites", "S1", TODAY, {"resumption": "applied"})
    with tiny_store.begin() as conn:  # the first report came in at 08:12 local time
        moment = datetime.datetime.combine(TODAY, datetime.time(8, 12)).astimezone(datetime.timezone.utc)
        conn.execute(update(versions).where(versions.c.id == first.versions[0]).values(
            created_at=moment.replace(tzinfo=None) if tiny_store.dialect.name == "sqlite" else moment))
    again = report_daily(tiny_store, ds, OFFICER, "sites", "S1", TODAY, {"resumption": "resumed"})
    assert again.text.zh == "已更正，原 08:12 wg-z1 的报告已替换（原报告保留在历史版本中）。"
    assert again.replaced_by == "wg-z1" and not again.replaced_from_table
    rows = _today_rows(tiny_store, "site_status")
    assert rows[["site_id", "resumption"]].values.tolist() == [["S1", "resumed"]]  # one row: replaced, not added
    assert store.version_changes(tiny_store, again.versions[0])["change"].tolist() == ["changed"]


def test_a_place_outside_the_scope_or_a_role_without_the_right_is_refused(tiny_store):
    ds = store.load_store(tiny_store)
    before = store.newest_version(tiny_store)
    with pytest.raises(DailyRefused) as refused:
        report_daily(tiny_store, ds, OFFICER, "compounds", "0503", TODAY)  # Z2's, by the spatial join
    assert refused.value.key == "daily_not_yours"
    with pytest.raises(DailyRefused):
        report_daily(tiny_store, ds, OFFICER, "sites", "S2", TODAY, {"resumption": "resumed"})
    with pytest.raises(auth.PermissionDenied):
        report_daily(tiny_store, ds, User("reader", "viewer"), "compounds", "0501", TODAY)
    with pytest.raises(DailyRefused) as bad:  # the upload's rules: a state that is none of the vocabulary's
        report_daily(tiny_store, ds, OFFICER, "sites", "S1", TODAY, {"resumption": "半开"})
    assert bad.value.key == "daily_check_failed" and "半开" in bad.value.text.zh
    with pytest.raises(DailyRefused):  # only the form's fields
        report_daily(tiny_store, ds, OFFICER, "sites", "S1", TODAY, {"workers_total": 1})
    assert store.newest_version(tiny_store) == before
    # staff report anywhere: the whole city
    assert report_daily(tiny_store, ds, User("clerk", "staff"), "compounds", "0503", TODAY).replaced_at is None


def test_one_tap_for_all_reports_the_rest_as_yesterday_in_one_version_a_table(tiny_store):
    ds = store.load_store(tiny_store)
    changed = report_daily(tiny_store, ds, OFFICER, "sites", "S1", TODAY, {"resumption": "suspended"})
    before = store.newest_version(tiny_store)
    count, failed = report_all_same(tiny_store, ds, OFFICER, [("compounds", "0501"), ("compounds", "0502"),
                                                             ("sites", "S1"), ("compounds", "0503")], TODAY)
    assert count == 2 and [text.zh for text in failed] == [
        "场所“0503”不在您负责的范围内，不能填报。请刷新页面，从列表中选择。"]
    assert store.newest_version(tiny_store) == before + 2  # compounds' reports and their supplies: one each
    assert sorted(_today_rows(tiny_store, "compound_status")["compound_id"]) == ["0501", "0502"]
    site = _today_rows(tiny_store, "site_status")  # reported since the list was shown: left as it is
    assert site["resumption"].tolist() == ["suspended"] and changed.versions[0] < before


def test_the_places_not_reported_by_the_deadline_missing_apart_from_late(tiny_store):
    ds = store.load_store(tiny_store)
    report_daily(tiny_store, ds, OFFICER, "compounds", "0501", TODAY)
    report_daily(tiny_store, ds, OFFICER, "sites", "S1", TODAY)
    deadline = datetime.time(0, 0)  # every report of today came after it: late
    late = compliance(tiny_store, ds, User("boss", "admin"), TODAY, deadline)
    assert sorted(zip(late["id"], late["status"])) == [
        ("0501", "late"), ("0502", "missing"), ("0503", "missing"), ("S1", "late"), ("S2", "missing")]
    on_time = compliance(tiny_store, ds, User("boss", "admin"), TODAY, datetime.time(23, 59, 59))
    assert sorted(on_time["id"]) == ["0502", "0503", "S2"] and set(on_time["status"]) == {"missing"}
    calls = call_list(on_time)
    assert calls.loc[calls["编号"] == "0503", ["片区", "片区长", "联系电话", "报告状态"]].values.tolist() == [
        ["Z2", "李娜", "13800000002", "未报告"]]
    # a district's leader sees its own: a scope narrows the list too
    assert set(compliance(tiny_store, ds, OFFICER, TODAY, deadline)["id"]) == {"0501", "0502", "S1"}


def test_the_wall_progress_counts_the_phone_reports_as_they_come(tiny_store):
    def progress():
        return report_days(store.load_store(tiny_store), 0.9).progress(TODAY.isoformat(), TODAY).zh

    ds = store.load_store(tiny_store)
    assert progress() == "今日已报告 0/5"
    report_daily(tiny_store, ds, OFFICER, "compounds", "0501", TODAY)
    assert progress() == "今日已报告 1/5"
    report_daily(tiny_store, ds, OFFICER, "sites", "S1", TODAY, {"resumption": "resumed"})
    assert progress() == "今日已报告 2/5"


# --- the page -------------------------------------------------------------------------------------


@pytest.fixture
def env(app_store_url, tiny_dir):
    engine = open_filled(app_store_url, tiny_dir)
    for name, role in (("wg-z1", "officer"), ("boss", "admin"), ("reader", "viewer")):
        auth.add_user(auth.SYSTEM, engine, name, role, "tulip-harbor-2020")
    auth.set_scope(auth.SYSTEM, engine, "wg-z1", Scope("zone", ("Z1",)))
    return engine


def open_as(name, role):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth_session"] = auth.start_session(User(name, role))
    at.switch_page("pages/report.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _text(at) -> str:
    return " ".join(m.value for m in at.markdown) + " ".join(s.value for s in at.success)


def test_the_officer_reports_one_place_as_yesterday_and_one_changed_then_corrects_it(env):
    at = open_as("wg-z1", "officer")
    assert "已报告 0/3" in _text(at) and "浮山小区" not in _text(at)  # Z1's places only
    at.button(key="daily_same_compounds_0501").click().run()
    assert not at.exception and "已保存今日报告" in _text(at) and "已报告 1/3" in _text(at)
    at.selectbox(key="daily_pick").set_value("sites:S1").run()
    at.selectbox(key="daily_sites_S1_resumption").set_value("suspended")  # a form: sent with its button
    at.number_input(key="daily_sites_S1_workers_returned").set_value(30)
    at.button(key="FormSubmitter:daily_form_sites_S1-提交今日报告").click().run()
    assert not at.exception and "已报告 2/3" in _text(at)
    site = _today_rows(env, "site_status").iloc[0]
    assert (site["resumption"], site["workers_returned"]) == ("suspended", 30)
    assert {a[1] for a in _authors(env)} == {"wg-z1"}
    # a correction: the form starts from today's report, the row is replaced and the page says so
    assert at.selectbox(key="daily_sites_S1_resumption").value == "suspended"
    at.number_input(key="daily_sites_S1_workers_returned").set_value(31)
    at.button(key="FormSubmitter:daily_form_sites_S1-提交今日报告").click().run()
    assert any("已更正，原" in s.value and "的报告已替换" in s.value for s in at.success)
    assert _today_rows(env, "site_status")["workers_returned"].tolist() == [31]
    assert not [r for r in at.radio if r.key == "compliance_sort"] and "未报告（截至" not in " ".join(
        h.value for h in at.subheader)  # an officer has no call list


def test_a_forged_place_is_refused_and_a_failed_save_keeps_the_entry(env):
    auth.set_scope(auth.SYSTEM, env, "wg-z1", Scope("zone", ("Z1", "Z2")))
    at = open_as("wg-z1", "officer")
    before = store.newest_version(env)
    auth.set_scope(auth.SYSTEM, env, "wg-z1", Scope("zone", ("Z1",)))  # narrowed while its page is open
    at.button(key="daily_same_compounds_0503").click().run()  # a button of a place no longer its own
    assert not at.exception and store.newest_version(env) == before and "浮山小区" not in _text(at)
    at.selectbox(key="daily_pick").set_value("compounds:0501").run()
    # a save that fails: said, nothing stored, what was typed still there
    at.selectbox(key="daily_pick").set_value("compounds:0501").run()
    at.number_input(key="daily_compounds_0501_gates_open").set_value(5)
    at.number_input(key="daily_compounds_0501_fever_reports").set_value(7)
    with env.begin() as conn:  # the store refuses the save for a moment: a failed save
        conn.exec_driver_sql("CREATE TRIGGER refuse BEFORE INSERT ON versions BEGIN SELECT RAISE(ABORT, 'no'); END")
    at.button(key="FormSubmitter:daily_form_compounds_0501-提交今日报告").click().run()
    assert not at.exception and at.error and store.newest_version(env) == before  # said, in Chinese; not stored
    with env.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER refuse")
    at.run()
    assert at.number_input(key="daily_compounds_0501_fever_reports").value == 7  # the entry is kept
    at.button(key="FormSubmitter:daily_form_compounds_0501-提交今日报告").click().run()
    assert not at.exception and _today_rows(env, "compound_status")["fever_reports"].tolist() == [7]


def test_staff_see_who_has_not_reported_and_download_the_call_list(env):
    officer = open_as("wg-z1", "officer")
    officer.button(key="daily_zero_all").click().run()
    assert not officer.exception and "已报告 3 个场所与昨日相同" in _text(officer)
    at = open_as("boss", "admin")
    assert "未报告 **2** 个" in _text(at)  # 0503 and S2: Z1's three came in before 10:00 or late, not missing
    zones, table = at.dataframe[0].value, at.dataframe[1].value
    assert zones[["片区", "片区长", "联系电话", "未报告"]].values.tolist()[0] == ["Z2", "李娜", "13800000002", 2]
    assert set(table["编号"]) >= {"0503", "S2"}
    download = next(d for d in at.get("download_button") if d.proto.label == "下载联系名单（CSV）")
    assert download is not None
    calls = call_list(compliance(env, store.load_store(env), User("boss", "admin"), TODAY, datetime.time(23, 59)))
    csv = pd.read_csv(io.BytesIO(to_csv_bytes(calls)), dtype=str, encoding="utf-8-sig")
    assert sorted(csv["编号"]) == ["0503", "S2"] and set(csv["片区长"]) == {"李娜"}


def test_a_viewer_may_not_open_the_report_page(env):
    at = open_as("reader", "viewer")
    assert any("填报今日日报" in w.value for w in at.warning)


def test_the_command_line_makes_one_officer_per_zone_scoped_to_it_with_its_password_once(env, capsys):
    from geo.cli.main import main

    auth.add_user(auth.SYSTEM, env, "z2", "staff", "tulip-harbor-2020")  # Z2's name is taken: left as it is
    assert main(["user", "officers"]) == 0
    out = capsys.readouterr().out
    assert "z2 已存在" in out and "已创建 1 个网格员账户" in out
    line = next(line for line in out.splitlines() if line.startswith("z1\t"))
    name, zone, password = line.split("\t")
    officer = auth.authenticate(env, name, password)
    assert (officer.role, officer.scope, zone) == ("officer", Scope("zone", ("Z1",)), "Z1")
    assert auth.find_user(env, "z2").role == "staff"
    assert main(["user", "officers"]) == 0  # again: nothing new, no password printed
    assert "已创建 0 个" in capsys.readouterr().out


def test_an_officer_opens_on_its_report_page_and_is_offered_no_upload(env):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth_session"] = auth.start_session(User("wg-z1", "officer"))
    at.run()
    assert not at.exception and [h.value for h in at.title] == ["今日填报"]
    at.switch_page("pages/upload.py").run()
    assert any("上传数据" in w.value for w in at.warning)  # its role may not: said in Chinese


def test_the_wall_top_line_counts_the_phone_reports_as_they_come(env):
    def top_line() -> str:
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["kiosk"] = "1"
        at.switch_page("pages/wall.py")
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return " ".join(md.value for md in at.markdown)

    assert "今日已报告" not in top_line()  # nothing of today yet
    ds = store.load_store(env)
    report_daily(env, ds, OFFICER, "compounds", "0501", TODAY)
    assert "今日已报告 1/5" in top_line()
    report_daily(env, ds, OFFICER, "sites", "S1", TODAY, {"resumption": "resumed"})
    assert "今日已报告 2/5" in top_line()


def test_an_officers_phone_is_kept_checked_and_in_the_call_list(env, capsys):
    """Whom to call (#21 item 3): the zone's officer with the phone kept with the account, from the accounts page,
    the command line or the table of many accounts; a number that cannot be dialled is refused."""
    from geo.accounts import create_accounts, read_accounts
    from geo.cli.main import main

    with pytest.raises(auth.AccountError) as refused:
        auth.set_phone(auth.SYSTEM, env, "wg-z1", "8888666")  # a local number without its area code
    assert refused.value.key == "auth_phone_not_dialable"
    assert main(["user", "phone", "wg-z1", "138 0013 8000"]) == 0 and "wg-z1 的手机已保存" in capsys.readouterr().out
    assert {a.name: a.phone for a in auth.list_users(env)}["wg-z1"] == "13800138000"
    planned, problems = read_accounts("用户名,角色,范围,手机\nwg-z2,网格员,片区：Z2,0715-812 3456\nwg-x,网格员,,12345\n"
                                      .encode(), "网格员.csv", {a.name for a in auth.list_users(env)},
                                      store.load_store(env))
    assert [(p.row, p.column, p.key) for p in problems] == [(3, "手机", "auth_phone_not_dialable")]
    create_accounts(auth.SYSTEM, env, planned)
    assert {a.name: a.phone for a in auth.list_users(env)}["wg-z2"] == "0715-8123456"
    late = compliance(env, store.load_store(env), User("boss", "admin"), TODAY, datetime.time(0, 0))
    reporter = dict(zip(late["id"], late["reporter"]))
    assert reporter["0501"] == "wg-z1 13800138000" and reporter["0503"] == "wg-z2 0715-8123456"
    assert call_list(late).set_index("编号").loc["S2", "网格员及电话"] == "wg-z2 0715-8123456"
    auth.set_disabled(auth.SYSTEM, env, "wg-z2", True)  # a disabled account is nobody to call
    late = compliance(env, store.load_store(env), User("boss", "admin"), TODAY, datetime.time(0, 0))
    assert dict(zip(late["id"], late["reporter"]))["0503"] == ""
