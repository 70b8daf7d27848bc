"""Who a connection is: a login belongs to the browser that logged in, and only it may send files.

Attacked the way it was broken (issue #17), with real clients against a running
``streamlit run serve.py`` that requires a login: a real Chromium logs in, and a
program that speaks Streamlit's WebSocket protocol by hand (``tests/streamlit_client.py``)
or plain HTTP tries to use what it can learn (the session id in every upload URL, a
cookie) without being that browser.

- a session id taken from an upload URL, presented by a fresh client (with no cookie,
  with a forged identity header, while the browser is connected and after it left),
  gets a fresh session and the login form; the browser stays logged in;
- the browser's cookie is HttpOnly and SameSite=Strict; alone it is no login, and
  after the browser logs out, cookie and session id together are none either;
- a logged-out session, or a viewer's, sends 25 files of 19 MiB and every one is refused
  before its body is read: the server's memory does not grow;
- staff upload through the same gate, up to ``CMDMAP_UPLOAD_SESSION_MB`` per session,
  and a staff cookie does not open another session's uploads.

Run: ``python -m pytest tests/test_browser_identity.py -q`` (needs Chromium, see tests/browser.py).
"""

from __future__ import annotations

import http.client
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser import (
    SIDEBAR_RECORDER,
    app_idle,
    chromium_session,
    page_opener,
    poll,
    raw_page_names,
    sidebar_texts,
    streamlit_server,
)
from tests.conftest import write_tiny_city
from tests.streamlit_client import RawSession, session_ids

PASSWORDS = {"boss": "boss-pass-2020", "clerk": "clerk-pass-2020", "reader": "reader-pass-2020"}
ROLES = {"boss": "admin", "clerk": "staff", "reader": "viewer"}
COOKIE = "cmdmap_browser"
XSRF = "_streamlit_xsrf"
MIB = 1024 * 1024
SESSION_MB = 30  # CMDMAP_UPLOAD_SESSION_MB of the server: two files of 14 MiB fit, a third does not
LOGIN_FORM = "auth_login_main"  # the login form's key, in the page a client receives
LOGGED_IN = "auth_logout"  # the logout button's key: only a logged-in page has it


browser = pytest.fixture(scope="module")(chromium_session)


@pytest.fixture(scope="module")
def server(browser, tmp_path_factory):
    from geo.accounts import auth
    from geo.upload import open_city

    folder = write_tiny_city(tmp_path_factory.mktemp("identity") / "city")
    url = f"sqlite:///{folder.parent / 'store.sqlite'}"
    engine = open_city(url, folder)
    for name, password in PASSWORDS.items():
        auth.add_user(auth.SYSTEM, engine, name, ROLES[name], password)
    env = {"CMDMAP_DATA_DIR": str(folder), "CMDMAP_DATABASE_URL": url, "CMDMAP_BASEMAP": "none",
           "CMDMAP_REQUIRE_LOGIN": "true", "CMDMAP_UPLOAD_SESSION_MB": str(SESSION_MB)}
    with streamlit_server(env, name="server-identity") as running:
        yield running


@pytest.fixture
def open_page(browser, request):
    yield from page_opener(browser, request)


# --------------------------------------------------------------------------- helpers


def log_in(page, name: str) -> None:
    """Log in through the main form (login is required) and wait for the sidebar to say so."""
    poll(lambda: page.get_by_label("用户名").count() > 0, "the login form", page=page)
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(PASSWORDS[name])
    page.keyboard.press("Enter")
    poll(lambda: page.get_by_text("已登录").count() > 0, f"{name} logged in", page=page)


def upload_in_browser(page) -> tuple[str, int]:
    """Open the upload page and choose a file: (the session id its upload URL carries, the answer's status)."""
    answers: list[tuple[str, int]] = []
    page.on("response", lambda r: answers.append((r.url, r.status))
            if "/_stcore/upload_file/" in r.url and r.request.method == "PUT" else None)
    page.get_by_role("link", name="数据上传").click()
    uploader = page.locator('[data-testid="stFileUploader"]')
    poll(lambda: uploader.count() > 0 and "MB" in uploader.inner_text(), "the file uploader", page=page)
    name = "day.geojson" if "geojson" in uploader.inner_text() else "day.csv"
    uploader.locator('input[type="file"]').set_input_files({"name": name, "mimeType": "text/plain", "buffer": b"{}"})
    poll(lambda: answers, "the upload's answer", page=page)
    url, status = answers[0]
    return urlsplit(url).path.split("/_stcore/upload_file/")[1].split("/")[0], status


def watch_sessions(page) -> list[bytes]:
    """Keep every WebSocket frame the page receives from now on (reload the page after: a new session)."""
    frames: list[bytes] = []
    page.on("websocket", lambda ws: ws.on("framereceived",
                                          lambda payload: frames.append(payload) if isinstance(payload, bytes)
                                          else None))
    return frames


def cookies_of(page) -> dict[str, dict]:
    return {c["name"]: c for c in page.context.cookies()}


def fresh_cookies(base_url: str) -> dict[str, str]:
    """What any client gets by asking: a browser cookie (the page) and an XSRF cookie (the health check)."""
    jar = {}
    for path in ("/", "/_stcore/health"):
        with urllib.request.urlopen(base_url + path, timeout=30) as response:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                jar[name] = rest.split(";", 1)[0]
    return jar


def put_file(base_url: str, session_id: str, cookies: dict[str, str], body: bytes, file_id: str | None = None) -> int:
    """PUT ``body`` as one file to the session's upload URL, as Streamlit's page does; the HTTP status."""
    boundary = uuid.uuid4().hex
    payload = b"".join([f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"day.csv\"\r\n"
                        f"Content-Type: text/csv\r\n\r\n".encode(), body, f"\r\n--{boundary}--\r\n".encode()])
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}",
               "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    if XSRF in cookies:
        headers["X-Xsrftoken"] = cookies[XSRF]
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        connection.request("PUT", f"/_stcore/upload_file/{session_id}/{file_id or uuid.uuid4().hex}", payload,
                           headers)
        return connection.getresponse().status
    finally:
        connection.close()


def rss_mib(server) -> float:
    """The server process's resident memory."""
    for line in Path(f"/proc/{server.process.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


# --------------------------------------------------------------------------- the login and the session id


def test_the_sidebar_never_shows_the_raw_file_names_of_the_pages(server, open_page):
    """Kept first in this module: the server has had no session yet, as after a start or a restart.

    Was (issue #17, item 11): until a login reached app.py's ``st.navigation``, Streamlit took ``pages/``
    for its old multipage layout and every login screen's sidebar listed app, compounds, history, upload,
    users… Every text the sidebar shows is kept from the page's first moment, through a reload and a login.
    """
    page = open_page(server, "/upload", init_script=SIDEBAR_RECORDER).page  # a deep link, as a bookmark is
    poll(lambda: page.get_by_label("用户名").count() > 0 and app_idle(page), "the login form", page=page)
    page.wait_for_timeout(500)  # what the old layout sent came a moment after the form
    assert raw_page_names(sidebar_texts(page)) == set(), sidebar_texts(page)
    page.reload()
    poll(lambda: page.get_by_label("用户名").count() > 0 and app_idle(page), "the login form again", page=page)
    page.wait_for_timeout(500)
    assert raw_page_names(sidebar_texts(page)) == set(), sidebar_texts(page)
    log_in(page, "boss")
    poll(lambda: "数据上传" in page.locator('[data-testid="stSidebarNav"]').inner_text(), "the menu", page=page)
    texts = sidebar_texts(page)
    assert raw_page_names(texts) == set(), texts
    assert all(name in texts[-1] for name in ("总览", "数据上传", "账户管理"))


def test_a_session_id_taken_from_an_upload_url_carries_no_login(server, open_page):
    page = open_page(server, "/").page
    log_in(page, "boss")
    stolen, status = upload_in_browser(page)
    assert status == 204  # the admin's own upload passes the gate

    # a fresh client presenting the id, while the admin's browser is connected
    with RawSession(server.base_url, resume=stolen) as thief:
        seen = thief.run()
    assert thief.session_id != stolen and LOGIN_FORM in seen and LOGGED_IN not in seen
    assert "boss" not in seen

    # with the identity header forged (the web server replaces it with the key of the cookie presented)
    with RawSession(server.base_url, resume=stolen, headers={"X-Cmdmap-Browser": "0" * 64}) as thief:
        seen = thief.run()
    assert thief.session_id != stolen and LOGIN_FORM in seen and LOGGED_IN not in seen

    # with a cookie of its own (any client gets one by asking for the page)
    with RawSession(server.base_url, resume=stolen, cookies=fresh_cookies(server.base_url)) as thief:
        seen = thief.run()
    assert thief.session_id != stolen and LOGIN_FORM in seen and LOGGED_IN not in seen

    # the admin's browser was left alone: still logged in, on the next run too
    page.get_by_role("link", name="总览").click()
    poll(lambda: page.get_by_text("已登录：boss").count() > 0, "the admin still logged in", page=page)

    # and after the browser has gone (its session kept for a reconnect), the id is worth no more
    page.context.close()
    with RawSession(server.base_url, resume=stolen) as thief:
        seen = thief.run()
    assert LOGIN_FORM in seen and LOGGED_IN not in seen


def test_the_browser_cookie_is_httponly_and_alone_or_after_logout_is_no_login(server, open_page):
    page = open_page(server, "/").page
    log_in(page, "boss")
    cookie = cookies_of(page)[COOKIE]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert COOKIE not in page.evaluate("() => document.cookie")  # no script of the page can read it
    session_id, _ = upload_in_browser(page)
    jar = {name: c["value"] for name, c in cookies_of(page).items()}

    # the cookie is the browser: a new session of it (a reload, a new tab) takes the login up
    with RawSession(server.base_url, cookies=jar) as other_tab:
        seen = other_tab.run()
    assert other_tab.session_id != session_id and LOGGED_IN in seen and LOGIN_FORM not in seen

    # log out; then the browser's own cookie and session id together are no login
    page.get_by_role("button", name="退出登录").click()
    poll(lambda: page.get_by_label("用户名").count() > 0, "the login form after logging out", page=page)
    with RawSession(server.base_url, resume=session_id, cookies=jar) as same_browser:
        seen = same_browser.run()
    assert LOGIN_FORM in seen and LOGGED_IN not in seen
    with RawSession(server.base_url, cookies=jar) as new_tab:
        seen = new_tab.run()
    assert LOGIN_FORM in seen and LOGGED_IN not in seen


# --------------------------------------------------------------------------- uploads


def test_a_session_that_may_not_upload_gets_no_file_into_memory(server, open_page):
    body = b"\0" * (19 * MIB)
    anonymous = fresh_cookies(server.base_url)
    with RawSession(server.base_url, cookies=anonymous) as logged_out:
        logged_out.run()
        before = rss_mib(server)
        statuses = [put_file(server.base_url, logged_out.session_id, anonymous, body) for _ in range(25)]
        # without any cookie at all, the same
        statuses += [put_file(server.base_url, logged_out.session_id, {XSRF: anonymous[XSRF]}, body)
                     for _ in range(3)]
        grown = rss_mib(server) - before
    assert statuses == [403] * 28
    assert grown < 40, f"the server grew by {grown:.0f} MiB for refused uploads"

    # a viewer, logged in, from its own browser and into its own session, may not upload either
    page = open_page(server, "/").page
    frames = watch_sessions(page)
    page.reload(wait_until="domcontentloaded")
    log_in(page, "reader")
    jar = {name: c["value"] for name, c in cookies_of(page).items()}
    assert put_file(server.base_url, session_ids(frames)[-1], jar, b"0501\n") == 403


def test_staff_upload_within_the_session_limit_and_only_into_their_own_session(server, open_page):
    page = open_page(server, "/").page
    log_in(page, "clerk")
    session_id, status = upload_in_browser(page)
    assert status == 204
    jar = {name: c["value"] for name, c in cookies_of(page).items()}
    fourteen = b"\0" * (14 * MIB)
    # the staff member's browser and session: two files of 14 MiB fit under 30 MB, a third does not
    assert put_file(server.base_url, session_id, jar, fourteen, "first") == 204
    assert put_file(server.base_url, session_id, jar, fourteen, "second") == 204
    before = rss_mib(server)
    assert [put_file(server.base_url, session_id, jar, fourteen) for _ in range(10)] == [413] * 10
    assert rss_mib(server) - before < 40
    # removing a file makes room again
    parts = urlsplit(server.base_url)
    removal = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    removal.request("DELETE", f"/_stcore/upload_file/{session_id}/first",
                    headers={"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()), "X-Xsrftoken": jar[XSRF]})
    assert removal.getresponse().status == 204
    assert put_file(server.base_url, session_id, jar, fourteen, "third") == 204

    # the staff's cookie does not open the session of another browser (one not logged in) for files
    with RawSession(server.base_url, cookies=fresh_cookies(server.base_url)) as other_browser:
        other_browser.run()
        assert put_file(server.base_url, other_browser.session_id, jar, b"0501\n") == 403
    # nor does the session id from another browser
    assert put_file(server.base_url, session_id, fresh_cookies(server.base_url), b"0501\n") == 403


def test_a_deep_link_opens_its_page_with_its_filters_after_the_login(server, open_page):
    """Issue #18: a link to a page (here with a search) asked for a login, then landed on 总览 without its filters."""
    page = open_page(server, "/compounds?lang=zh&q=0501").page
    poll(lambda: page.get_by_label("用户名").count() > 0, "the login form", page=page)
    page.get_by_label("用户名").fill("clerk")
    page.get_by_label("密码").fill("wrong password")
    page.keyboard.press("Enter")
    poll(lambda: page.get_by_text("用户名或密码错误").count() > 0, "the refusal", page=page)
    assert page.get_by_label("用户名").input_value() == "clerk"  # a refused login keeps the name typed
    log_in(page, "clerk")
    poll(lambda: urlsplit(page.url).path == "/compounds" and "q=0501" in page.url, "the linked page's address",
         page=page)
    poll(lambda: page.get_by_label("按名称或编号搜索").count() > 0
         and page.get_by_label("按名称或编号搜索").input_value() == "0501",
         "the linked search", page=page)

    page.goto(server.base_url + "/upload", wait_until="domcontentloaded")  # a page only staff may open, reloaded
    poll(lambda: page.get_by_role("heading", name="数据上传").count() > 0, "the upload page, still logged in", page=page)
    assert "Page not found" not in page.content()


def test_a_browser_that_keeps_no_cookie_cannot_log_in(server, open_page):
    """Nothing to bind a login to: refused, with what to do, before the password is even looked at."""
    page = open_page(server, "/").page
    context = page.context

    def forget_the_cookie(route):
        # the page set it; the browser drops it before the page's scripts run and open their WebSocket
        if route.request.resource_type == "script":
            context.clear_cookies(name=COOKIE)
        route.fallback()

    context.route("**/*", forget_the_cookie)
    page.reload(wait_until="domcontentloaded")
    poll(lambda: page.get_by_label("用户名").count() > 0, "the login form", page=page)
    page.get_by_label("用户名").fill("boss")
    page.get_by_label("密码").fill(PASSWORDS["boss"])
    page.keyboard.press("Enter")
    poll(lambda: page.get_by_text("本浏览器没有发回本站的 Cookie").count() > 0, "the refusal", page=page)
    assert page.get_by_text("已登录").count() == 0 and COOKIE not in cookies_of(page)


def test_the_app_started_without_its_gate_shows_nothing(tmp_path):
    """``streamlit run app.py`` would have no browser binding and no upload gate: the page says how to start it."""
    folder = write_tiny_city(tmp_path / "city")
    env = {"CMDMAP_DATA_DIR": str(folder), "CMDMAP_DATABASE_URL": f"sqlite:///{tmp_path / 'store.sqlite'}",
           "CMDMAP_BASEMAP": "none"}
    with streamlit_server(env, name="server-ungated", script="app.py") as ungated:
        with RawSession(ungated.base_url) as client:
            seen = client.run()
    assert "streamlit run serve.py" in seen and LOGIN_FORM not in seen and "auth_login" not in seen
    assert "总览" not in seen  # no page, no navigation


def test_a_reload_a_new_tab_and_a_server_restart_keep_the_login_and_a_logout_ends_it_everywhere(open_page, tmp_path):
    """F5 logged people out (issue #18): the login is kept in the store for the browser's cookie.

    Both processes share a cookie secret, as docs/deploy.md says to set it: with one generated per start the
    browser's XSRF token is refused by the new process and the page stays at "CONNECTING" until reloaded.
    """
    from geo.accounts import auth
    from geo.upload import open_city
    from tests.browser import free_port

    folder = write_tiny_city(tmp_path / "city")
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    auth.add_user(auth.SYSTEM, open_city(url, folder), "clerk", "staff", PASSWORDS["clerk"])
    env = {"CMDMAP_DATA_DIR": str(folder), "CMDMAP_DATABASE_URL": url, "CMDMAP_BASEMAP": "none",
           "STREAMLIT_SERVER_COOKIE_SECRET": "restart-test-secret"}
    port = free_port()
    logged_in = "已登录：clerk"
    with streamlit_server(env, name="server-restart-1", port=port) as first:
        page = open_page(first, init_script=SIDEBAR_RECORDER).page
        poll(lambda: page.get_by_text("登录").count() > 0, "the sidebar login", page=page)
        page.get_by_text("登录", exact=True).first.click()
        log_in(page, "clerk")
        page.reload()  # F5
        poll(lambda: page.get_by_text(logged_in).count() > 0, "the login after a reload", page=page)
    with streamlit_server(env, name="server-restart-2", port=port) as second:  # the same address, a new process
        page.get_by_text("总览").first.click()  # the next click
        try:  # the page reconnects by itself (its retries back off: on a busy machine it may take longer)
            poll(lambda: page.get_by_role("link", name="数据上传").count() > 0, "the staff's menu after a restart",
                 page=page, timeout=45)
        except AssertionError:
            page.reload()  # what a person does with a page still "CONNECTING"
        poll(lambda: page.get_by_text(logged_in).count() > 0, "the login after a restart", page=page)
        # while it reconnected to the new process the sidebar kept the Chinese menu: never the pages' file names
        assert raw_page_names(sidebar_texts(page)) == set(), sidebar_texts(page)

        # a new tab of the same browser is logged in too; logging out there logs out the first tab as well
        tab = page.context.new_page()
        tab.bring_to_front()
        tab.goto(second.base_url + "/trends", wait_until="domcontentloaded")
        poll(lambda: tab.get_by_text(logged_in).count() > 0, "the login in a new tab", page=tab)
        tab.get_by_role("button", name="退出登录").click()
        poll(lambda: tab.get_by_text(logged_in).count() == 0, "the logout", page=tab)
        page.bring_to_front()
        page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="趋势").click()
        # the sidebar's login line goes first, the staff's menu with the same run's navigation a moment later
        poll(lambda: page.get_by_text(logged_in).count() == 0 and page.get_by_role("link", name="数据上传").count() == 0,
             "the first tab logged out at its next click, its menu without the staff's pages", page=page)
