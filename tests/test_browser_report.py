"""The report page on a phone (390x844, a touch screen) in a real (headless, offline) Chromium (#21): a grid
officer logs in, taps 与昨日相同 for one place and sends a change for another, and sees both counted."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

from tests.browser import assert_no_exception, chromium_session, page_opener, poll, screenshot, settle, streamlit_server
from tests.conftest import write_tiny_city
from tests.streamlit_client import RawSession, browser_cookies, trigger, value

browser = pytest.fixture(scope="module")(chromium_session)
PHONE = {"width": 390, "height": 844}
PASSWORD = "gate-keeper-2020"
DOCS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


@pytest.fixture(scope="module")
def report_server(browser, tmp_path_factory):
    """(server, store URL): the tiny city with an officer of zone Z1; logging in is required."""
    from geo.accounts import Scope, auth
    from geo.upload import open_city

    folder = write_tiny_city(tmp_path_factory.mktemp("browser-report") / "city")
    url = f"sqlite:///{folder.parent / 'store.sqlite'}"
    engine = open_city(url, folder)
    auth.add_user(auth.SYSTEM, engine, "wg-z1", "officer", PASSWORD)
    auth.set_scope(auth.SYSTEM, engine, "wg-z1", Scope("zone", ("Z1",)))
    auth.add_user(auth.SYSTEM, engine, "wg-0503", "officer", PASSWORD)
    auth.add_user(auth.SYSTEM, engine, "leader", "viewer", PASSWORD)
    auth.set_scope(auth.SYSTEM, engine, "wg-0503", Scope("places", ("0503",)))
    with streamlit_server({"CMDMAP_DATA_DIR": str(folder), "CMDMAP_DATABASE_URL": url, "CMDMAP_BASEMAP": "none",
                           "CMDMAP_REQUIRE_LOGIN": "true"}, name="server-report") as server:
        yield server, url


@pytest.fixture
def open_phone(browser, request):
    yield from page_opener(browser, request, default_viewport=PHONE, has_touch=True, is_mobile=True,
                           device_scale_factor=2)


def test_an_officer_reports_one_place_as_yesterday_and_one_changed_from_a_phone(report_server, open_phone):
    from geo import store
    from geo.store.engine import connect

    server, url = report_server
    page = open_phone(server, "/report").page
    form = page.locator('[data-testid="stForm"]').filter(has=page.get_by_label("用户名", exact=True))
    poll(lambda: form.is_visible(), "the login form")
    form.get_by_label("用户名", exact=True).fill("wg-z1")
    form.get_by_label("密码", exact=True).fill(PASSWORD)
    form.get_by_role("button", name="登录").tap()
    poll(lambda: page.get_by_text("已报告 0/3").count() == 1, "the officer's three places, none reported")
    settle(page, 0.3)
    page.locator(".st-key-daily_same_sites_S1 button").tap()
    poll(lambda: page.get_by_text("已报告 1/3").count() == 1, "the same-as-yesterday report counted")
    settle(page, 0.3)
    fever = page.locator(".st-key-daily_compounds_0501_fever_reports input")  # the form of the first place
    fever.fill("4")
    page.get_by_role("button", name="提交今日报告").tap()
    poll(lambda: page.get_by_text("已报告 2/3").count() == 1, "the changed report counted")
    assert_no_exception(page)
    rows = store.current(connect(url), "compound_status")
    today = rows.loc[rows["date"] == datetime.date.today().isoformat()]
    assert today[["compound_id", "fever_reports"]].values.tolist() == [["0501", 4]]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]  # nothing sideways
    page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 0)")
    page.wait_for_timeout(300)
    shutil.copyfile(screenshot(page, "phone_report.png"), DOCS / "phone_report.png")  # the README shows it


def _log_in(session: RawSession, page: str, name: str) -> str:
    """The login form of ``page`` sent with ``name`` and the password, as the browser sends it; the page after."""
    return session.run(page, states=[value(session.widget(key="auth_login_main_name"), name),
                                     value(session.widget(key="auth_login_main_password"), PASSWORD),
                                     trigger(session.widget(key="auth_login_main_submit"))])


@pytest.mark.parametrize("name,page,shown", [("leader", "overview", "全封闭小区"), ("wg-z1", "report", "已报告")])
def test_the_address_of_the_page_a_role_opens_on_opens_it(report_server, name, page, shown):
    """/overview (a leader's first page) and /report (an officer's) opened by their own address: Streamlit serves
    the first page at the root and still keeps its name, which the app took for an unknown address and named a
    second page after: an error page instead of the page (found by the bench's officers without a browser)."""
    server, _ = report_server
    with RawSession(server.base_url, cookies=browser_cookies(server.base_url, f"/{page}")) as session:
        session.run(page)
        opened = _log_in(session, page, name)
        assert shown in opened and "exception {" not in opened and "没有地址为" not in opened


def test_an_officer_without_a_browser_reports_through_the_websocket_protocol(report_server):
    """The client bench/load.py's officers use (``--phone-browsers``): the page's own messages, sent by hand: the
    login form's fields and its button, then 与昨日相同; the report is stored as the officer's, from a phone."""
    from geo import store
    from geo.store.engine import connect

    server, url = report_server
    with RawSession(server.base_url, cookies=browser_cookies(server.base_url, "/report")) as session:
        assert "用户名" in session.run("report")
        wrong = session.run("report", states=[value(session.widget(key="auth_login_main_name"), "wg-0503"),
                                              value(session.widget(key="auth_login_main_password"), "wrong"),
                                              trigger(session.widget(key="auth_login_main_submit"))])
        assert "已报告" not in wrong and "用户名" in wrong  # the form again: a wrong password logs nobody in
        listed = session.run("report", states=[value(session.widget(key="auth_login_main_name"), "wg-0503"),
                                               value(session.widget(key="auth_login_main_password"), PASSWORD),
                                               trigger(session.widget(key="auth_login_main_submit"))])
        assert "已报告 0/1" in listed and "浮山小区" in listed and "exception {" not in listed
        saved = session.run("report", states=[trigger(session.widget(key="daily_same_compounds_0503"))])
        assert "已报告 1/1" in saved and "已保存今日报告" in saved
    today = store.reports_of_day(connect(url), "compound_status", datetime.date.today().isoformat())
    assert today.loc[today["id"] == "0503", ["user_name", "action"]].values.tolist() == [["wg-0503",
                                                                                          store.PHONE_REPORT]]
