"""Scoped accounts (issue #21, item 1): an account limited to an area sees, filters, exports and reports only
inside it, on every page, the wall and the briefing; the whole city's accounts see everything as before.

On the tiny city (tests/conftest.py): zone Z1 (温泉街道) holds compounds 0501, 0502 and site S1; zone Z2
(浮山街道) holds compound 0503 (by the spatial join), site S2.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo.accounts import PermissionDenied, Scope, auth, can, place_ids, require, scoped_dataset

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PASSWORD = "tulip-harbor-2020"
INSIDE = {"0501", "0502", "S1", "金桂花园", "六岭棚改项目"}
OUTSIDE = ("0503", "浮山小区", "S2", "学校建设工程", "浮山街道", "Z2")


# --------------------------------------------------------------------------- the scoped dataset


@pytest.mark.parametrize("text,zones,places", [
    ("zone:Z1", ["Z1"], {"0501", "0502", "S1"}),
    ("street:浮山街道", ["Z2"], {"0503", "S2"}),  # 0503's zone came from the spatial join
    ("district:咸安区", ["Z1", "Z2"], {"0501", "0502", "0503", "S1", "S2"}),
    ("places:0503,S1", ["Z1", "Z2"], {"0503", "S1"}),  # the places and their zones' outlines
    ("zone:Z9", [], set()),  # a zone the city does not have: nothing, never everything
])
def test_a_scope_keeps_its_zones_places_and_their_reports(tiny, text, zones, places):
    ds = scoped_dataset(tiny, Scope.parse(text))
    assert sorted(ds.zones["id"]) == zones
    assert place_ids(ds) == places
    for name, column in (("compound_status", "compound_id"), ("site_status", "site_id"), ("supplies", "place_id")):
        assert set(ds.layer(name)[column].astype(str)) <= places
    assert set(ds.supplies["place_id"]) == {"0501", "0502", "S1", "S2"} & places
    assert scoped_dataset(tiny, None) is tiny


def test_a_scoped_account_may_view_and_nothing_that_concerns_the_whole_city():
    officer = auth.User("li", "admin", Scope.parse("zone:Z1"))
    assert can(officer, "view", require_login=True)
    assert not any(can(officer, action) for action in ("upload", "history", "rollback", "undo_own", "manage_users"))
    with pytest.raises(PermissionDenied) as refused:
        require(officer, "upload")
    assert "范围" in refused.value.message("zh") and "whole city" in refused.value.message("en")


# --------------------------------------------------------------------------- the pages (AppTest)


@pytest.fixture
def accounts(page_env):
    """The tiny city with an officer of zone Z1, a leader of 浮山街道 and an admin of the whole city."""
    auth.add_user(auth.SYSTEM, page_env, "officer", "viewer", PASSWORD)
    auth.set_scope(auth.SYSTEM, page_env, "officer", Scope.parse("zone:Z1"))
    auth.add_user(auth.SYSTEM, page_env, "leader", "staff", PASSWORD)
    auth.set_scope(auth.SYSTEM, page_env, "leader", Scope.parse("street:浮山街道"))
    auth.add_user(auth.SYSTEM, page_env, "boss", "admin", PASSWORD)
    return page_env


@pytest.fixture
def open_as(accounts):
    def open_page(name: str, page: str, **query) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        at.session_state["auth_session"] = auth.start_session(auth.find_user(accounts, name))
        at.switch_page(page)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_page


def everything_shown(at: AppTest) -> str:
    """Every element's content (texts, options, the map's statuses and tooltips) and every table's cells."""
    def walk(node):
        proto = getattr(node, "proto", None)
        yield str(proto) if proto is not None else ""
        children = getattr(node, "children", None)
        for child in (children.values() if isinstance(children, dict) else ()):
            yield from walk(child)

    tables = [df.value.astype(str).to_csv() for df in at.dataframe if isinstance(df.value, pd.DataFrame)]
    return "\n".join([*walk(at._tree), *tables])


def leaks(shown: str, words=OUTSIDE, asked: str | None = None) -> list[str]:
    """The ``words`` in ``shown``, each a whole id or name (not a part of a hash or of another id), but what was
    ``asked`` for (the search box shows what was typed)."""
    return [word for word in words if word != asked
            and re.search(rf"(?<![0-9A-Za-z]){re.escape(word)}(?![0-9A-Za-z])", shown)]


def table_ids(at: AppTest) -> set[str]:
    frames = [df.value for df in at.dataframe if df.value.columns[0] in ("编号", "ID")]
    return set().union(*(set(frame.iloc[:, 0].astype(str)) for frame in frames))


PLACE_PAGES = {"pages/compounds.py": {"0501", "0502"}, "pages/sites.py": {"S1"},
               "pages/supplies.py": {"0501", "0502", "S1"}, "pages/zones.py": {"Z1"}}


@pytest.mark.parametrize("page", [*PLACE_PAGES, "pages/overview.py", "pages/trends.py", "pages/compare.py"])
def test_a_zone_officer_sees_only_its_zone_on_every_page(open_as, page):
    before = open_as("boss", page)  # the whole city first: its cached views must not reach the officer
    at = open_as("officer", page)
    shown = everything_shown(at)
    assert not leaks(shown), leaks(shown)
    assert "范围：温泉街道第一片区" in [c.value for c in at.caption]
    if page in PLACE_PAGES:
        assert table_ids(at) == PLACE_PAGES[page]
        assert at.multiselect(key="zone").options == ["温泉街道第一片区"]  # offered filters: inside only
        assert at.multiselect(key="street").options == ["温泉街道"]
    again = open_as("boss", page)  # and the officer's do not reach the admin
    assert table_ids(again) == table_ids(before) and leaks(everything_shown(again))


def test_the_overview_counts_inside_the_scope(open_as):
    city = {m.label: m.value for m in open_as("boss", "pages/overview.py").metric}
    zone = {m.label: m.value for m in open_as("officer", "pages/overview.py").metric}
    street = {m.label: m.value for m in open_as("leader", "pages/overview.py").metric}
    assert city["今日未报告场所"] == "1" and zone["今日未报告场所"] == "0"  # 0503 (浮山) has not reported
    assert (zone["全封闭小区"], zone["封闭管理小区"]) == ("1", "1")
    assert street["全封闭小区"] == "0" and street["今日未报告场所"] == "1"


@pytest.mark.parametrize("query", [{"zone": "Z2"}, {"street": "浮山街道"}, {"q": "0503"}, {"q": "浮山小区"}])
def test_a_link_naming_a_place_outside_the_scope_shows_nothing_of_it(open_as, query):
    at = open_as("officer", "pages/compounds.py", **query)
    asked = query.get("q")  # the search box shows what was typed, and that it found nothing
    assert not leaks(everything_shown(at), asked=asked)
    assert table_ids(at) <= {"0501", "0502"}
    at.session_state["overview_selected"] = ("compounds", "0503")  # a forged click on a place outside
    at.switch_page("pages/overview.py")
    at.run()
    assert not leaks(everything_shown(at), asked=asked)


def test_the_wall_of_a_scoped_account_shows_only_its_scope(open_as):
    for view in ("compounds", "sites", "zones"):
        at = open_as("officer", "pages/wall.py", kiosk="1", view=view)
        shown = everything_shown(at)
        assert not leaks(shown), view
        assert "范围：温泉街道第一片区" in shown  # in the top line: a wall has no sidebar
    city = everything_shown(open_as("boss", "pages/wall.py", kiosk="1", view="compounds"))
    assert "浮山小区" in city


def test_a_scoped_staff_account_opens_no_page_of_the_whole_city(open_as):
    for page in ("pages/upload.py", "pages/history.py", "pages/edit.py"):
        at = open_as("leader", page)
        assert any("只查看其范围内" in w.value for w in at.warning), page
        assert not at.file_uploader and not at.dataframe


def test_the_briefing_of_a_scoped_account_holds_only_its_scope(accounts):
    from ui.briefing import _briefing
    from ui.data import store_key

    url, version = store_key()

    def words(scope: str) -> str:
        briefing = _briefing(url, version, scope, "2020-02-25", (), "咸宁", None, "")
        return repr(briefing.sections) + repr(briefing.kpis)

    city, zone = words(""), words("zone:Z1")
    assert "浮山小区" in city and "学校建设工程" in city
    assert not leaks(zone, ("浮山小区", "学校建设工程", "浮山街道"))


# --------------------------------------------------------------------------- setting a scope


def test_the_command_line_sets_shows_refuses_and_clears_a_scope(accounts, monkeypatch, capsys):
    from geo.cli import users as cli_users

    parser = argparse.ArgumentParser(prog="python -m geo")
    cli_users.register(parser.add_subparsers(dest="command", required=True))

    def run(*argv):
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
        args = parser.parse_args(list(argv))
        return args.func(args), *capsys.readouterr()

    code, out, _ = run("user", "scope", "boss", "zone:Z1，Z2")
    assert code == 0 and out.startswith("boss 的范围已设为片区：Z1、Z2。")
    assert auth.find_user(accounts, "boss").scope == Scope("zone", ("Z1", "Z2"))
    code, out, _ = run("user", "list")
    assert "zone:Z1,Z2" in out and "全市/whole city" in out  # boss's area, and the clerk's whole city
    code, _, err = run("user", "scope", "boss", "zone:Z1,Z9")  # a zone the city does not have
    assert code == 1 and "本市没有这些片区：Z9" in err
    code, _, err = run("user", "scope", "boss", "town:温泉")
    assert code == 1 and "范围应写成" in err
    assert auth.find_user(accounts, "boss").scope == Scope("zone", ("Z1", "Z2"))  # refusals change nothing
    code, _, err = run("user", "scope", "ghost", "zone:Z1")
    assert code == 1 and "ghost" in err
    assert run("user", "scope", "boss", "")[0] == 0 and auth.find_user(accounts, "boss").scope is None


def test_a_scope_that_cannot_be_read_admits_nothing(accounts, open_as):
    from sqlalchemy import update

    from geo.store.tables import users

    with accounts.begin() as conn:  # written by hand into the store, say
        conn.execute(update(users).where(users.c.name == "officer").values(scope="zones=Z1"))
    at = open_as("officer", "pages/compounds.py")
    assert table_ids(at) == set() and not leaks(everything_shown(at), (*OUTSIDE, *INSIDE))



def test_the_accounts_page_sets_and_shows_an_accounts_area(open_as, accounts):
    at = open_as("boss", "pages/users.py")
    table = at.dataframe[0].value
    assert dict(zip(table["用户名"], table["范围"]))["officer"] == "片区：Z1"
    assert dict(zip(table["用户名"], table["范围"]))["boss"] == "全市"
    at.selectbox(key="auth_scope_user").set_value("clerk")
    at.selectbox(key="auth_scope_by").set_value("street").run()
    assert at.multiselect(key="auth_scope_street").options == ["浮山街道", "温泉街道"]
    at.multiselect(key="auth_scope_street").set_value(["浮山街道"])
    at.button(key="auth_scope_submit").click().run()
    assert auth.find_user(accounts, "clerk").scope == Scope("street", ("浮山街道",))
    assert any("clerk 的范围已设为街道：浮山街道" in s.value for s in at.success)
    at.selectbox(key="auth_scope_by").set_value("places").run()
    at.text_area(key="auth_scope_places").input("0503\nXQ-404")
    at.button(key="auth_scope_submit").click().run()
    assert any("本市没有这些场所：XQ\\-404" in e.value for e in at.error)  # escaped for Markdown
    assert auth.find_user(accounts, "clerk").scope == Scope("street", ("浮山街道",))  # unchanged
    at.selectbox(key="auth_scope_by").set_value("").run()
    at.button(key="auth_scope_submit").click().run()
    assert auth.find_user(accounts, "clerk").scope is None
    refused = open_as("officer", "pages/users.py")  # a scoped account manages no account, whatever its role
    assert not refused.dataframe and refused.warning


# --------------------------------------------------------------------------- many officers at once

OFFICERS_BAD = ("用户名,角色,范围,手机\n"
                "wang,查看者,片区：Z1,13800000101\n"
                "wang,,片区：Z2,13800000102\n"  # the same name twice
                "clerk,,片区：Z1,\n"  # an account that exists
                "zhao,boss,片区：Z9,\n").encode("gbk")  # an unknown role and an unknown zone
OFFICERS = "用户名,角色,范围,手机\nwang,查看者,片区：Z1,13800000101\nzhou,,街道：浮山街道,13800000102\n".encode()


def test_many_officers_at_once_from_a_table_with_first_passwords_shown_once(open_as, accounts):
    at = open_as("boss", "pages/users.py")
    at.file_uploader(key="auth_batch_file").set_value(("网格员.csv", OFFICERS_BAD, "text/csv")).run()
    problems = next(df.value for df in at.dataframe if "问题及改法" in df.value.columns)
    assert problems[["行", "列"]].values.tolist() == [[3, "用户名"], [4, "用户名"], [5, "角色"], [5, "范围"]]
    assert "第 2 行已出现" in problems["问题及改法"][0] and "本市没有这些片区：Z9" in problems["问题及改法"][3]
    assert not [b for b in at.button if b.key == "auth_batch_submit"]
    assert auth.find_user(accounts, "wang") is None  # nothing created while a row has a problem

    at.file_uploader(key="auth_batch_file").set_value(("网格员.csv", OFFICERS, "text/csv")).run()
    at.button(key="auth_batch_submit").click().run()
    assert not at.exception
    made = next(df.value for df in at.dataframe if "初始密码" in df.value.columns)
    passwords = dict(zip(made["用户名"], made["初始密码"]))
    assert set(passwords) == {"wang", "zhou"} and made["手机"].tolist() == ["13800000101", "13800000102"]
    assert auth.authenticate(accounts, "wang", passwords["wang"]).scope == Scope("zone", ("Z1",))
    assert auth.authenticate(accounts, "zhou", passwords["zhou"]).scope == Scope("street", ("浮山街道",))
    assert any("只显示这一次" in w.value for w in at.warning)
    assert [b for b in at.get("download_button") if b.proto.id and "auth_batch_download" in b.proto.id]
    at.run()  # shown once: the next run has no passwords left anywhere
    assert not [df for df in at.dataframe if "初始密码" in df.value.columns]
    assert "auth_batch_made" not in at.session_state


def test_the_loops_problems_outside_the_scope_are_not_counted_nor_named(open_as, accounts):
    import datetime as dt

    from geo.store import NewProblem, file_problem, problems_frame

    day = dt.date(2020, 2, 25)
    for place_id, place, unit in (("0501", "金桂花园", "咸安市安居物业"), ("0503", "浮山小区", "浮山物业公司")):
        file_problem(accounts, NewProblem("compounds", place_id, place, day, "gate", "东门无人值守", "property",
                                          unit, "王经理", "13800000000", day + dt.timedelta(days=3)), by="boss")
    city = everything_shown(open_as("boss", "pages/tasksheets.py"))
    assert "浮山物业公司" in city and "咸安市安居物业" in city
    zone = open_as("officer", "pages/tasksheets.py")
    assert "咸安市安居物业" in everything_shown(zone)  # the league of its own zone
    assert not leaks(everything_shown(zone), ("浮山物业公司", "浮山小区", "浮山街道"))
    overview = open_as("officer", "pages/overview.py")  # the loop's tiles and rings: its one problem
    assert not leaks(everything_shown(overview), ("浮山物业公司", "浮山小区", "0503"))
    listed = open_as("officer", "pages/problems.py")  # 问题整改: the list, its map and a problem's details
    assert "咸安市安居物业" in everything_shown(listed)
    assert not leaks(everything_shown(listed), ("浮山物业公司", "浮山小区", "0503"))
    assert "浮山物业公司" in everything_shown(open_as("boss", "pages/problems.py"))
    outside = str(problems_frame(accounts).set_index("place_id").loc["0503", "id"])
    linked = open_as("officer", "pages/problems.py", problem=outside)  # a link to the problem outside
    assert not leaks(everything_shown(linked), ("浮山物业公司", "浮山小区", "0503"))
