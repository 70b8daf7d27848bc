"""The staff upload path, end to end, in a real (headless, offline) Chromium against `streamlit run app.py`.

One server for the module, on the tiny city of ``conftest.write_tiny_city`` and a
fresh SQLite store seeded before the server starts, with two accounts: ``clerk``
(staff) and ``reader`` (viewer). The base map is off (``CMDMAP_BASEMAP=none``),
so no request at all may leave 127.0.0.1.

- staff: log in through the sidebar form, open the upload page from the
  navigation, pick 小区日报, upload a GBK CSV, see the dry run (summary and
  preview map) with nothing stored, take the file away and put it back (the
  confirmation goes and comes with it), confirm (once: nothing is left to
  confirm again), and find the new day on the compounds map;
- a file with errors: every problem listed, nothing to confirm;
- logged out and viewer: no upload page in the navigation, and asking for it
  anyway shows no file uploader.

Screenshots (1600x1000) go to ``tests/artifacts/``; on a failure each page is
saved as ``FAILED-<test>-<n>.png`` and the server's log tail is printed.

Run: ``python -m pytest tests/test_browser_upload.py -q`` (needs Chromium, see tests/browser.py).
"""

from __future__ import annotations

import contextlib
import re

import pytest

from tests.browser import (
    assert_no_exception,
    chromium_session,
    hit_points,
    map_frame,
    page_opener,
    poll,
    screenshot,
    settle,
    streamlit_server,
)
from tests.conftest import write_tiny_city
from tests.test_browser import details_column, hover

COUNT = re.compile(r"\((\d+)\)")
PASSWORDS = {"clerk": "clerk-pass-2020", "reader": "reader-pass-2020"}
HEADER = "小区编号,小区名称,日期,封闭状态,今日发热人数\n"
DAY = (HEADER + "0501,金桂花园,2020-02-26,全封闭,1\n"
                "0503,浮山小区,2020-02-26,封闭管理,0\n").encode("gbk")
# An unknown status, a negative number and an unknown id: three problems.
BAD = (HEADER + "0501,金桂花园,2020-02-26,关门,0\n"
                "XA-9,无名小区,2020-02-26,封闭管理,-3\n").encode("gbk")


# --------------------------------------------------------------------------- fixtures


browser = pytest.fixture(scope="module")(chromium_session)


@pytest.fixture(scope="module")
def upload_server(browser, tmp_path_factory):
    """(server, store URL): the tiny city in a store seeded, with its accounts, before the server starts."""
    from geo.accounts import auth
    from geo.upload import open_city

    folder = write_tiny_city(tmp_path_factory.mktemp("browser-upload") / "city")
    url = f"sqlite:///{folder.parent / 'store.sqlite'}"
    engine = open_city(url, folder)
    auth.add_user(auth.SYSTEM, engine, "clerk", "staff", PASSWORDS["clerk"])
    auth.add_user(auth.SYSTEM, engine, "reader", "viewer", PASSWORDS["reader"])
    with streamlit_server({"CMDMAP_DATA_DIR": str(folder), "CMDMAP_DATABASE_URL": url, "CMDMAP_BASEMAP": "none"},
                          name="server-upload") as server:
        yield server, url


@pytest.fixture
def open_page(browser, request):
    """open_page(server, path) -> PageLog, with the page loaded; diagnostics are printed on failure."""
    yield from page_opener(browser, request)


# --------------------------------------------------------------------------- helpers


def newest(url: str) -> int:
    from geo.store import newest_version
    from geo.store.engine import connect

    return newest_version(connect(url))


def assert_offline(log) -> None:
    """With CMDMAP_BASEMAP=none nothing at all is wanted from outside: no tile, script or stylesheet."""
    assert log.aborted == [], f"requests to the internet: {log.aborted[:20]}"
    assert log.dialogs == [], f"a script ran: {log.dialogs}"


def sidebar(page):
    return page.locator('[data-testid="stSidebar"]')


def nav_link(page, title: str):
    """The sidebar navigation link whose text contains ``title``."""
    return page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title)


def wait_for_nav(page) -> None:
    """The app ran once: the navigation is there (the compounds page is offered to everyone)."""
    poll(lambda: nav_link(page, "物业小区").count() == 1, "the sidebar navigation")
    settle(page, 0.5)


def log_in(page, name: str) -> None:
    """Log in as ``name`` through the sidebar's login expander; wait for '已登录：name'."""
    wait_for_nav(page)
    side = sidebar(page)
    expander = side.locator('[data-testid="stExpander"]').filter(has_text="登录")
    form = side.locator('[data-testid="stForm"]')
    if not form.is_visible():
        expander.locator("summary").click()
    poll(lambda: form.is_visible(), "the login form to open")
    logged_in = side.get_by_text(f"已登录：{name}")
    for attempt in range(3):
        # a click while a run replaces the form is lost with what was typed (a CI run under load waited 60 s
        # for a login never sent): typed and sent while Streamlit is idle, and again if the form came back
        settle(page, 0.3)
        if logged_in.count() == 1:
            break
        if not form.is_visible():
            expander.locator("summary").click()
            poll(lambda: form.is_visible(), "the login form to open again")
        form.get_by_label("用户名", exact=True).fill(name)
        form.get_by_label("密码", exact=True).fill(PASSWORDS[name])
        form.get_by_role("button", name="登录").click()
        with contextlib.suppress(AssertionError):
            poll(lambda: logged_in.count() == 1, f"'已登录：{name}' in the sidebar", timeout=20)
            break
    poll(lambda: logged_in.count() == 1, f"'已登录：{name}' in the sidebar")
    settle(page, 0.5)
    assert_no_exception(page)


def open_upload_page(page) -> None:
    """Click the upload link in the navigation (the same tab keeps the same session and so the login)."""
    link = nav_link(page, "数据上传")
    poll(lambda: link.count() == 1, "the 数据上传 link in the navigation")
    link.click()
    poll(lambda: page.get_by_role("heading", name="数据上传", exact=True).count() == 1, "the upload page")
    settle(page, 0.5)
    assert_no_exception(page)


def choose_kind(page, label: str, layer: bool = False) -> None:
    """Pick ``label`` in the 表格类型 selectbox and wait for its file uploader (csv/xlsx; and geojson for a layer)."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="表格类型")
    box.click()
    page.get_by_role("option", name=label, exact=True).click()
    # A react-aria combobox: the choice is the value of its input, not text.
    poll(lambda: box.get_by_role("combobox").input_value() == label, f"the selectbox to show {label!r}")
    uploader = page.locator('[data-testid="stFileUploader"]')
    poll(lambda: "csv" in uploader.inner_text() and ("geojson" in uploader.inner_text()) == layer,
         "the file uploader of a layer (csv, xlsx, geojson)" if layer else "the file uploader of a table (csv, xlsx)")
    settle(page, 0.5)


def upload(page, name: str, content: bytes) -> None:
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content})


def legend_counts(frame) -> dict[str, int]:
    """Legend label -> count, from the `.cmdmap-legend` control."""
    text = frame.locator(".cmdmap-legend").inner_text()
    counts = {}
    for line in text.splitlines():
        found = COUNT.search(line)
        if found:
            counts[line[:found.start()].strip()] = int(found.group(1))
    return counts


def confirm_button(page):
    return page.get_by_role("button", name="确认导入")


# --------------------------------------------------------------------------- tests


def test_staff_uploads_a_day_and_sees_it_on_the_map(upload_server, open_page):
    server, url = upload_server
    log = open_page(server, "/")
    page = log.page
    log_in(page, "clerk")
    assert nav_link(page, "数据上传").count() == 1
    assert nav_link(page, "历史版本").count() == 1
    open_upload_page(page)
    choose_kind(page, "小区日报")
    # Streamlit's own English words on the uploader (issue #18, item 8): the button says 选择文件, no size line
    dropzone = page.locator('[data-testid="stFileUploaderDropzone"]').first
    button = dropzone.locator("button").first
    assert button.evaluate("b => getComputedStyle(b, '::after').content") == '"选择文件"'
    assert button.evaluate("b => getComputedStyle(b).fontSize") == "0px"  # "Upload" takes no room
    assert button.evaluate("b => getComputedStyle(b, '::after').whiteSpace") == "nowrap"  # not 选择/文件
    assert not page.locator('[data-testid="stFileUploaderDropzoneInstructions"]').first.is_visible()  # "…per file"

    before = newest(url)
    assert before > 0, "the store was not seeded"
    upload(page, "日报.csv", DAY)
    poll(lambda: page.get_by_role("heading", name="导入后将会").count() == 1, "the dry run's preview")
    # the chip of the file chosen says its name, and its remove button is no 选择文件 (it was: "日报.csv ⊗选择文件")
    chip = page.locator('[data-testid="stFileChip"]').first
    assert "日报.csv" in chip.inner_text()
    assert chip.locator("button").evaluate("b => getComputedStyle(b, '::after').content") in ("none", "normal")
    assert chip.locator("button").evaluate("b => getComputedStyle(b).fontSize") != "0px"
    poll(lambda: page.get_by_text("新增 2 行小区日报").count() == 1, "the summary line '新增 2 行小区日报'")
    main = page.locator('[data-testid="stMain"]')
    assert page.get_by_text(re.compile(r"1 个转为全封闭")).count() == 1, main.inner_text()
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    preview = map_frame(page, paths=3)  # the three compounds, the two changed ones highlighted
    assert preview.locator(".leaflet-container").is_visible()
    poll(lambda: confirm_button(page).count() == 1, "the 确认导入 button")
    settle(page)
    assert_no_exception(page)
    page.get_by_role("heading", name="导入后将会").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    screenshot(page, "upload_preview.png")
    assert newest(url) == before, "the dry run stored something"

    # Taking the file away takes its preview and the confirmation with it; putting it back brings them back.
    page.get_by_role("button", name="Remove 日报.csv").click()
    poll(lambda: page.locator('[data-testid="stFileChip"]').count() == 0, "the file to be removed")
    settle(page, 0.5)
    assert confirm_button(page).count() == 0, "确认导入 is still offered for a file that was removed"
    assert page.get_by_role("heading", name="导入后将会").count() == 0
    upload(page, "日报.csv", DAY)
    poll(lambda: confirm_button(page).count() == 1, "the 确认导入 button of the file put back")
    assert page.get_by_text("新增 2 行小区日报").count() == 1
    settle(page, 0.5)

    confirm_button(page).click()
    done = page.get_by_text(re.compile(r"已导入，版本 \d+"))
    poll(lambda: done.count() == 1, "'已导入' after confirming")
    assert newest(url) == before + 1
    assert f"版本 {before + 1}" in done.inner_text(), done.inner_text()
    settle(page, 0.5)
    assert_no_exception(page)
    # The file is still attached, but it is done: no second dry run, nothing to confirm again.
    assert confirm_button(page).count() == 0, main.inner_text()
    assert page.get_by_role("heading", name="导入后将会").count() == 0
    assert newest(url) == before + 1

    nav_link(page, "物业小区").click()
    # 2 of the 5 places reported for 2020-02-26: the page stays on the complete day and says how far the new
    # one has got (issue 18: a partial day is not a collapse); the person chooses the new date to see it
    poll(lambda: page.get_by_text("2020-02-26 已报告 2/5").count() == 1, "the new day's progress on the compounds page")
    assert page.get_by_text("数据截至 2020-02-25").count() == 1
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="日报日期")
    newer = page.get_by_role("option", name="2020-02-26", exact=True)

    def offered() -> bool:  # the list may open late on two busy cores, or close again on a rerun: open it again
        if newer.count() and newer.is_visible():
            return True
        box.click(timeout=5_000)
        return False

    poll(offered, "2020-02-26 among the report dates", page=page)
    newer.click()
    poll(lambda: page.get_by_text("数据截至 2020-02-26").count() == 1, "'数据截至 2020-02-26' on the compounds page")
    frame = map_frame(page, paths=3)
    # 0501 sealed, 0503 controlled, 0502 sent nothing for 2020-02-26.
    wanted = {"全封闭": 1, "封闭管理": 1, "未报告": 1}
    poll(lambda: {k: v for k, v in legend_counts(frame).items() if v} == wanted,
         f"the legend to count {wanted}")
    settle(page)
    assert_no_exception(page)
    assert page.get_by_text("数据截至 2020-02-26").count() == 1
    screenshot(page, "upload_on_map.png")
    assert_offline(log)


def test_a_file_with_errors_lists_every_problem_and_cannot_be_imported(upload_server, open_page):
    server, url = upload_server
    log = open_page(server, "/")
    page = log.page
    log_in(page, "clerk")
    open_upload_page(page)
    choose_kind(page, "小区日报")
    before = newest(url)

    upload(page, "bad.csv", BAD)
    error = page.locator('[data-testid="stAlertContentError"]')
    poll(lambda: error.count() == 1 and "个问题" in error.inner_text(), "the error box with '个问题'")
    assert "bad.csv 有 3 个问题" in error.inner_text(), error.inner_text()
    poll(lambda: page.locator('[data-testid="stDataFrame"]').count() == 1, "the table of problems")
    settle(page)
    assert_no_exception(page)
    assert confirm_button(page).count() == 0
    assert page.get_by_role("heading", name="导入后将会").count() == 0
    assert newest(url) == before
    screenshot(page, "upload_errors.png")
    assert_offline(log)


def _ask_for_upload_page(page) -> None:
    """Go to /upload in the same tab and so the same session (a new URL would open a new, logged-out one).

    This is what the browser's back/forward buttons do: the front end looks the path up among the pages
    the server offered this session and, not finding it, reruns the page it is on.
    """
    page.evaluate("() => { history.pushState({}, '', '/upload');"
                  " window.dispatchEvent(new PopStateEvent('popstate')); }")


def _assert_no_upload(page, who: str) -> None:
    """No uploader: the app fell back to a page anyone may see (the overview), or the page refused."""
    settle(page)
    assert_no_exception(page)
    assert page.locator('[data-testid="stFileUploader"]').count() == 0, f"{who} sees a file uploader"
    assert confirm_button(page).count() == 0
    assert nav_link(page, "数据上传").count() == 0, f"{who} is offered 数据上传"
    fell_back = page.get_by_role("heading", name="总览", exact=True).count() == 1
    refused = page.locator('[data-testid="stAlertContentWarning"]').filter(
        has_text=re.compile("请先登录|无权")).count() == 1
    assert fell_back or refused, f"{who}: {page.locator('[data-testid=stMain]').inner_text()[:300]}"


def test_logged_out_and_viewer_cannot_upload(upload_server, open_page):
    server, _ = upload_server
    # Logged out: no upload page in the navigation, none at its URL.
    log = open_page(server, "/")
    page = log.page
    wait_for_nav(page)
    assert nav_link(page, "数据上传").count() == 0
    assert nav_link(page, "历史版本").count() == 0
    page.goto(server.base_url + "/upload", wait_until="domcontentloaded")
    wait_for_nav(page)
    _assert_no_upload(page, "a visitor opening /upload")
    assert_offline(log)

    # A viewer: the same, in the session of the login.
    log = open_page(server, "/")
    page = log.page
    log_in(page, "reader")
    assert nav_link(page, "数据上传").count() == 0
    assert nav_link(page, "历史版本").count() == 0
    _ask_for_upload_page(page)
    page.wait_for_timeout(500)
    wait_for_nav(page)
    assert sidebar(page).get_by_text("已登录：reader").count() == 1  # still the same session
    _assert_no_upload(page, "a viewer asking for /upload")
    assert_offline(log)


# A bureau's list of sites as exported from its records: GB18030 with CRLF, no ids, and headers that do not say
# which column is longitude (东西) and which latitude (南北): found by their values, shown in the mapping step.
SITE_LIST = "\r\n".join(["名称,东西,南北,建设单位", "温泉路工地,114.3102,29.8405,城投",
                          "浮山二期,114.3221,29.8452,城发", "金桂三期,114.3307,29.8511,城投"]).encode("gb18030")


def test_staff_upload_a_list_of_points_check_the_columns_and_click_a_new_place(upload_server, open_page):
    server, url = upload_server
    log = open_page(server, "/")
    page = log.page
    log_in(page, "clerk")
    open_upload_page(page)
    choose_kind(page, "在建工地", layer=True)
    before = newest(url)
    upload(page, "工地名单.csv", SITE_LIST)
    poll(lambda: page.get_by_text("新增 3 个在建工地").count() == 1, "the summary '新增 3 个在建工地'")
    assert page.get_by_text(re.compile("按数值判断：经度取自“东西”")).count() == 1
    mapping = page.locator('[data-testid="stExpander"]').filter(has_text="列对应")
    mapping.locator("summary").click()
    box = mapping.locator('[data-testid="stSelectbox"]').filter(has_text="经度")
    poll(lambda: box.first.get_by_role("combobox").input_value() == "东西", "the mapping to show 经度 = 东西")
    assert page.get_by_role("button", name="下载加上编号的名单").count() == 1
    settle(page)
    assert_no_exception(page)
    preview = map_frame(page, paths=4)
    # the places that stay drawn first, under the three the upload adds
    assert preview.evaluate("window.cmdmap.drawOrder('preview')") == ["pt_same", "pt_changed"]
    screenshot(page, "upload_point_list.png")
    confirm_button(page).click()
    poll(lambda: page.get_by_text(re.compile(r"已导入，版本 \d+")).count() == 1, "'已导入' after confirming")
    assert newest(url) == before + 1

    nav_link(page, "在建工地").click()
    # the upload page's preview map (the same four places) must be gone first, or it is the frame found
    poll(lambda: page.get_by_text(re.compile(r"已导入，版本 \d+")).count() == 0, "the sites page", page=page)
    frame = map_frame(page, paths=4)  # the tiny city's site and the three new ones
    settle(page)
    assert_no_exception(page)
    names = {}
    for point in hit_points(frame):
        names[hover(page, frame, point).splitlines()[0].strip()] = point
    new = [name for name in names if "浮山二期" in name]
    assert new, f"浮山二期 is not on the map: {sorted(names)}"
    page.mouse.click(names[new[0]]["x"], names[new[0]]["y"])
    panel = details_column(page)
    poll(lambda: "浮山二期" in panel.inner_text(), "the details panel to show 浮山二期")
    settle(page)
    assert_no_exception(page)
    page.mouse.move(2, 2)
    screenshot(page, "point_list_on_map.png")
    assert_offline(log)
