"""End-to-end tests in a real (headless, offline) Chromium against `streamlit run app.py`.

Two servers for the whole module: the shipped demo ``data/`` and the tiny city
of ``conftest.write_tiny_city`` (its compound 0502 is named
``<img src=x onerror=alert(1)>``). Both use the AutoNavi base map, so tile
requests are attempted and blocked: the only requests that may leave 127.0.0.1
are those images. Screenshots (1600x1000) go to ``tests/artifacts/``; on a
failure the page is saved as ``FAILED-<test>.png`` and the server's log tail
is printed.

Run: ``python -m pytest tests/test_browser.py -q`` (needs Chromium, see tests/browser.py).
The pytest.ini sets ``pythonpath = .``, so the helpers import as ``tests.browser``.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import unicodedata
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from tests.browser import (
    assert_no_exception,
    chromium_session,
    evaluate,
    hit_points,
    map_frame,
    map_frames,
    metric_tiles,
    new_page,
    page_opener,
    poll,
    screenshot,
    settle,
    streamlit_server,
)
from tests.conftest import XSS, write_tiny_city
from tests.filled_stores import DEMO_DATA, demo_store

TILE_HOST = "is.autonavi.com"  # CMDMAP_BASEMAP=amap
COUNT = re.compile(r"\((\d+)\)")


# --------------------------------------------------------------------------- fixtures


browser = pytest.fixture(scope="module")(chromium_session)


@pytest.fixture(scope="module")
def demo_server(browser, tmp_path_factory):
    # the store filled before the server starts, as the app's first run would: filling it there took a minute on a
    # shared box and ran out the first test's 60 s wait for the map
    url = demo_store(tmp_path_factory.mktemp("demo-store") / "store.sqlite")
    with streamlit_server({"CMDMAP_DATA_DIR": str(DEMO_DATA), "CMDMAP_BASEMAP": "amap",
                           "CMDMAP_DATABASE_URL": url}, name="server-demo") as server:
        yield server


@pytest.fixture(scope="module")
def tiny_server(browser, tmp_path_factory):
    folder = write_tiny_city(tmp_path_factory.mktemp("browser") / "city")
    with streamlit_server({"CMDMAP_DATA_DIR": str(folder), "CMDMAP_BASEMAP": "amap",
                           "CMDMAP_DATABASE_URL": f"sqlite:///{folder.parent / 'store.sqlite'}"},
                          name="server-tiny") as server:
        yield server


@pytest.fixture
def open_page(browser, request):
    """open_page(server, path) -> PageLog, with the page loaded; diagnostics are printed on failure."""
    yield from page_opener(browser, request)


# --------------------------------------------------------------------------- helpers


def assert_offline(log, tiles_expected: bool = True) -> None:
    """Only base-map tiles (images) were wanted from outside; no script or stylesheet."""
    assert log.foreign_non_images() == [], f"non-image requests to the internet: {log.foreign_non_images()}"
    foreign_hosts = {url.split("/")[2] for _, url in log.aborted}
    assert all(host.endswith(TILE_HOST) for host in foreign_hosts), f"unexpected hosts: {foreign_hosts}"
    if tiles_expected:
        assert log.aborted, "CMDMAP_BASEMAP=amap but no tile request was attempted"


def legend_counts(frame) -> dict[str, int]:
    """Legend label -> count, from the `.cmdmap-legend` control."""
    text = frame.locator(".cmdmap-legend").inner_text()
    counts = {}
    for line in text.splitlines():
        found = COUNT.search(line)
        if found:
            counts[line[:found.start()].strip()] = int(found.group(1))
    return counts


def stable_path_count(frame, expected: int | None = None) -> int:
    """The number of places the clickable layers show once it stopped changing (and equals ``expected``
    when given)."""
    seen = []

    def steady():
        seen.append(frame.evaluate("() => window.cmdmap.shown()"))
        return len(seen) >= 3 and seen[-1] == seen[-2] == seen[-3] and (expected is None or seen[-1] == expected)

    poll(steady, f"a steady number of map features (expected {expected}, saw {seen[-3:]})", interval=0.4)
    return seen[-1]


def details_column(page):
    """The details panel: the column whose heading is 详情 / Details."""
    return page.locator('[data-testid="stColumn"]').filter(
        has=page.get_by_role("heading", name=re.compile(r"^(详情|Details)$")))


def hover(page, frame, point: dict) -> str:
    """Move the mouse off the map until no tooltip is left, then onto ``point``; the new tooltip's text.

    Leaflet fades a tooltip out for 200 ms before removing it, so the old one
    must be gone before the new one is read.
    """
    tips = frame.locator(".leaflet-tooltip")
    page.mouse.move(2, 2)
    poll(lambda: tips.count() == 0, "the previous tooltip to go away", timeout=10)
    page.mouse.move(point["x"], point["y"])
    poll(lambda: tips.count() == 1, "a tooltip", timeout=5)
    return tips.first.inner_text()


def hover_until_tooltip(page, frame, wanted: str) -> dict:
    """Hover every clickable feature until its tooltip contains ``wanted``; returns that point."""
    def search():
        for point in hit_points(frame):
            try:
                text = hover(page, frame, point)
            except AssertionError:  # no tooltip here, try the next feature
                continue
            if wanted in text:
                return point
        return None

    return poll(search, f"a map feature whose tooltip contains {wanted!r}", interval=1.0)


def compound_names(folder: Path) -> set[str]:
    collection = json.loads((folder / "compounds.geojson").read_text(encoding="utf-8"))
    return {str(f["properties"]["name"]) for f in collection["features"]}


# --------------------------------------------------------------------------- tests


def test_compounds_map_legend_and_click(demo_server, open_page):
    log = open_page(demo_server, "/compounds")
    page = log.page
    frame = map_frame(page, paths=150)
    settle(page)
    assert_no_exception(page)

    legend = frame.locator(".cmdmap-legend")
    assert legend.is_visible()
    assert re.search(r"未报告\s*\(\d+\)", legend.inner_text()), legend.inner_text()
    counts = legend_counts(frame)
    assert "未报告" in counts and len(counts) >= 4, counts
    drawn = stable_path_count(frame)
    assert sum(counts.values()) == drawn, (counts, drawn)
    assert page.get_by_text("点击地图上的要素查看详情").is_visible()
    screenshot(page, "compounds.png")

    # Click a compound on screen (a point the map's own hit test resolves to it).
    point = hit_points(frame)[len(hit_points(frame)) // 2]
    name = hover(page, frame, point).splitlines()[0].strip()
    assert name in compound_names(DEMO_DATA), name
    page.mouse.click(point["x"], point["y"])

    poll(lambda: page.get_by_text("点击地图上的要素查看详情").count() == 0, "the click hint to go away")
    panel = details_column(page)
    poll(lambda: panel.locator("strong").first.inner_text().strip() == name,
         f"the details panel to show {name!r}")
    assert "封闭状态：" in panel.locator(".st-key-place_details").inner_text()  # its fields, each on a line
    settle(page)
    assert_no_exception(page)
    page.mouse.move(2, 2)
    screenshot(page, "compounds_clicked.png")
    assert_offline(log)
    assert log.dialogs == []


def test_overview_kpis_and_layer_control(demo_server, open_page):
    from geo.domain.labels import t

    log = open_page(demo_server, "/")
    page = log.page
    frame = map_frame(page, paths=150)
    # six tiles, a second row of five for the other places (markets, sales offices, agencies, parks, plants) and
    # the loop's four (open, overdue, closed in 7 days, 整改率: the demo's week of inspections)
    poll(lambda: page.locator('[data-testid="stMetric"]').count() == 15, "fifteen KPI tiles")
    settle(page)
    assert_no_exception(page)

    metrics = page.locator('[data-testid="stMetric"]')
    assert metrics.count() == 15
    assert "整改率" in metrics.nth(14).inner_text(), metrics.nth(14).inner_text()
    for i in range(15):
        assert metrics.nth(i).is_visible()
        assert re.search(r"\d", metrics.nth(i).inner_text()), metrics.nth(i).inner_text()
    assert re.search(r"\d+ / 12", metrics.nth(6).inner_text()), metrics.nth(6).inner_text()  # markets open of all
    page.set_viewport_size({"width": 1440, "height": 900})  # issue #18: labels and changes were cut ("较上一日…")
    page.wait_for_timeout(500)
    leaves, cut = page.evaluate("""() => { const leaves = [...document.querySelectorAll(
        '[data-testid="stMetricLabel"] *, [data-testid="stMetricDelta"] *')].filter(e => e.children.length === 0);
        return [leaves.length, leaves.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)]; }""")
    assert leaves >= 15 and cut == [], (leaves, cut)

    control = frame.locator(".leaflet-control-layers")
    assert control.is_visible()
    listed = control.inner_text()
    for key in ("layer_zone_outlines", "layer_compounds", "layer_sites", "layer_supplies", "layer_markets",
                "layer_plants"):
        assert t(key, "zh") in listed, (key, listed)
    legend = frame.locator(".cmdmap-legend")
    assert legend.is_visible()
    # the legend explains the layers that are on: the unticked ones' legends come with their layer
    assert t("legend_closure", "zh") in legend.inner_text() and t("legend_opening", "zh") not in legend.inner_text()
    control.get_by_text(t("layer_parks", "zh")).click()
    poll(lambda: t("legend_opening", "zh") in legend.inner_text(), "the open-or-closed legend with the parks")
    control.get_by_text(t("layer_parks", "zh")).click()
    poll(lambda: t("legend_opening", "zh") not in legend.inner_text(), "the legend without the parks")
    screenshot(page, "overview.png")
    assert_offline(log)


@pytest.mark.parametrize("page_path", ["zones", "sites", "supplies"])
def test_map_pages_load(demo_server, open_page, page_path):
    log = open_page(demo_server, f"/{page_path}")
    page = log.page
    frame = map_frame(page, paths=1)
    settle(page)
    assert_no_exception(page)
    assert frame.locator(".cmdmap-legend").is_visible()
    # Every feature on the map is counted once in the legend.
    counts = legend_counts(frame)
    assert stable_path_count(frame, expected=sum(counts.values())) >= 1, counts
    assert page.get_by_text(re.compile(r"显示 \d+ / 共 \d+ 条")).count() == 1
    screenshot(page, f"{page_path}.png")
    assert_offline(log)


def test_a_timeline_step_recolours_the_map_before_the_page_has_rerun(demo_server, open_page):
    """Issue #19: a click on 前一日 shows the date before on the map at once (the statuses came with the page,
    static/cmdmap/timeline.js), in the same task as the click, so no rerun can have arrived yet; the rerun
    then agrees, and brings the tooltips back."""
    page = open_page(demo_server, "/compounds").page
    frame = map_frame(page, paths=150)
    settle(page)
    before = legend_counts(frame)
    was, now, tooltips = page.evaluate("""() => {
        const frame = [...document.querySelectorAll('iframe')].find(f => f.contentWindow.cmdmap);
        const legend = () => frame.contentDocument.querySelector('.cmdmap-legend-body').textContent;
        const was = legend();
        document.querySelector('.st-key-timeline_back button').click();
        return [was, legend(), frame.contentWindow.cmdmap.tooltipFields()];
    }""")
    assert was != now and tooltips == 0  # recoloured from the glimpse alone: no tooltips in it
    poll(lambda: "date=" in page.url and frame.evaluate("() => window.cmdmap.tooltipFields()") > 0,
         "the page's rerun on the date before", page=page)
    settle(page)
    assert legend_counts(frame) != before and frame.locator(".cmdmap-legend-body").inner_text().replace("\n", "") \
        == now.replace("\n", "")
    assert_no_exception(page)


def test_two_quick_steps_leave_the_map_on_the_pages_date(demo_server, open_page):
    """前一日 then at once 后一日: the second click's rerun stops the first one before its update reaches the map,
    and the page comes back to the date it was on. The map showed the first click's glimpse until the next step:
    streamlit-folium does not send an update again that it sent before (found in CI, 2026-12-07)."""
    page = open_page(demo_server, "/compounds").page
    frame = map_frame(page, paths=150)
    settle(page)
    page.get_by_role("button", name="前一日").click()  # a date with dates on both sides
    poll(lambda: "date=" in page.url and page.get_by_role("button", name="后一日").is_enabled(), "the date before",
         page=page)
    settle(page)
    on, counts = parse_qs(urlsplit(page.url).query)["date"], legend_counts(frame)
    was, glimpsed = page.evaluate("""() => {
        const frame = [...document.querySelectorAll('iframe')].find(f => f.contentWindow.cmdmap);
        const legend = () => frame.contentDocument.querySelector('.cmdmap-legend-body').textContent;
        const was = legend();
        document.querySelector('.st-key-timeline_back button').click();
        const glimpsed = legend();
        document.querySelector('.st-key-timeline_forward button').click();
        return [was, glimpsed];
    }""")
    assert was != glimpsed  # the first click's glimpse of the date before was shown
    settle(page)
    assert parse_qs(urlsplit(page.url).query)["date"] == on
    poll(lambda: legend_counts(frame) == counts, "the legend of the page's date", page=page, timeout=15)
    poll(lambda: frame.evaluate("() => window.cmdmap.tooltipFields()") > 0, "the tooltips of the page's update",
         page=page, timeout=15)
    assert_no_exception(page)


def test_a_link_to_a_page_for_staff_or_to_no_page_is_answered_in_chinese(demo_server, open_page):
    """Issue #18: /upload opened logged out, or a mistyped address, gave Streamlit's English "Page not found"."""
    page = open_page(demo_server, "/upload").page
    poll(lambda: page.get_by_text("请先登录").count() > 0, "the page asking for a login", page=page)
    assert urlsplit(page.url).path == "/upload"
    page.goto(demo_server.base_url + "/uplaod", wait_until="domcontentloaded")
    poll(lambda: page.get_by_text("没有地址为 “/uplaod” 的页面").count() > 0, "the page saying there is none", page=page)
    assert "Page not found" not in page.content() and "not found" not in page.inner_text("body")
    page.get_by_role("link", name="总览").last.click()
    poll(lambda: urlsplit(page.url).path in ("/", "/overview") and page.get_by_text("没有地址为").count() == 0,
         "the overview", page=page)


def test_the_timeline_recolours_the_map_in_place(demo_server, open_page):
    """Issue #19: a step to another report date recolours the open map (not drawn again) and its legend follows."""
    log = open_page(demo_server, "/compounds")
    page = log.page
    frame = map_frame(page, paths=150)
    settle(page)
    frame.evaluate("() => { window.cmdmapKept = true; }")  # gone if the map's frame were made again
    before = legend_counts(frame)
    page.get_by_role("button", name="前一日").click()
    poll(lambda: legend_counts(frame) != before, "the legend of the date before", page=page)
    assert frame.evaluate("() => window.cmdmapKept === true")
    assert sum(legend_counts(frame).values()) == sum(before.values())  # the same places, other colours
    day_before = legend_counts(frame)
    # the map recolours before the page's rerun; 后一日 is enabled by that rerun (clicked before, it does nothing)
    poll(lambda: page.get_by_role("button", name="后一日").is_enabled(), "后一日 enabled by the rerun", page=page)
    # clicked once that rerun has finished, as a person does (a click while it runs is
    # test_two_quick_steps_leave_the_map_on_the_pages_date's)
    settle(page, 0.5)
    page.get_by_role("button", name="后一日").click()
    poll(lambda: legend_counts(frame) == before, "the legend of the newest date again", page=page)
    assert frame.evaluate("() => window.cmdmapKept === true") and len(map_frames(page)) == 1
    assert_no_exception(page)

    # the map as a picture, for a report: drawn on the click, at 300 dpi, by a server that 5 sessions may share (the
    # default 30 s wait ran out once, the tooltip shown over the button in the failure's screenshot)
    settle(page, 0.3)  # the last step's run over: the button is not made again under the click
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="地图图片（PNG）").click()
    from PIL import Image

    picture = Image.open(download.value.path())
    assert picture.format == "PNG" and picture.width >= 1800  # 300 dpi
    assert download.value.suggested_filename == "物业小区_2020-02-25.png"  # named after the page and its date

    # printed (Ctrl+P, or saved as PDF): one clean page, the map without the sidebar, the controls and the list
    from pypdf import PdfReader

    printed = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    text = unicodedata.normalize("NFKC", printed.pages[0].extract_text())  # the PDF's CJK radicals as characters
    assert len(printed.pages) == 1, [p.extract_text()[:200] for p in printed.pages]
    assert "物业小区" in text and "未报告" in text  # the title, and the map's legend with its counts
    assert "前一日" not in text and "地图图片" not in text and "列表" not in text and "筛选" not in text, text

    # played (播放) from two dates back: the map recolours in place through the dates up to the newest (the day
    # before, then the day shown first, then any later one) and stops there, and not one pack of shapes is asked
    # for again (Playwright's request events, the page's and its frames')
    packs = len(_pack_requests(log))
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if "/app/static/cache/" in request.url else None)
    for _ in range(2):
        shown = parse_qs(urlsplit(page.url).query).get("date")
        page.get_by_role("button", name="前一日").click()
        poll(lambda: parse_qs(urlsplit(page.url).query).get("date") not in (None, shown), "the date before",
             page=page)
        settle(page, 0.3)
    seen = [legend_counts(frame)]
    page.get_by_role("button", name="播放").click()

    def played_to_the_newest() -> bool:
        counts = legend_counts(frame)
        if counts != seen[-1]:
            seen.append(counts)
        return page.get_by_role("button", name="后一日").is_disabled() and \
            page.get_by_role("button", name="播放").count() == 1

    poll(played_to_the_newest, "playing through to the newest date", page=page, interval=0.1)
    settle(page, 0.3)
    played_to_the_newest()  # the newest date's legend, if it came after the last look
    assert day_before in seen and before in seen[seen.index(day_before) + 1:], seen  # in order, in place
    assert frame.evaluate("() => window.cmdmapKept === true") and len(map_frames(page)) == 1
    assert asked == [] and len(_pack_requests(log)) == packs, asked
    assert_no_exception(page)


def test_streamlit_s_own_words_in_its_widgets_are_chinese(demo_server, open_page):
    """Issue #18, item 8: a multiselect's list offered "Select all" in Chinese mode."""
    page = open_page(demo_server, "/compounds").page
    poll(lambda: page.locator('[data-testid="stMultiSelect"]').count() > 0, "the filters", page=page)
    states = page.locator('[data-testid="stMultiSelect"]').filter(has_text="状态").first  # four states to choose

    def open_list_says_select_all() -> bool:
        if page.locator('[role="listbox"]').count() == 0:  # not open yet, or closed again by a rerun of the page
            states.click(timeout=5_000)
            return False
        return page.get_by_text("全选", exact=True).count() > 0

    poll(open_list_says_select_all, "全选 in the open list", page=page)
    assert page.get_by_text("Select all", exact=True).count() == 0
    # The running indicator's "Stop" shows only while a run lasts over half a second, which no page here does on
    # cue: its markup (a header button in the status widget, Streamlit 1.67) put on the page, the page's own
    # script says 停止 in its place; a "Stop" outside the widget (a place's name) stays as it is.
    page.evaluate("""() => {
      const widget = document.createElement("div");
      widget.setAttribute("data-testid", "stStatusWidget");
      widget.innerHTML = '<button kind="header"><div><p>Stop</p></div></button>';
      const other = document.createElement("p");
      other.id = "a-place-named-stop";
      other.textContent = "Stop";
      document.body.append(widget, other);
    }""")
    poll(lambda: page.locator('[data-testid="stStatusWidget"] button').inner_text() == "停止", "停止", page=page)
    assert page.locator("#a-place-named-stop").inner_text() == "Stop"


def test_streamlit_s_own_words_in_english_leave_the_page_working(demo_server, open_page):
    """In English the catalogue's word for "Stop" is "Stop": the script wrote it again at every change it saw,
    its own included, and the page's thread never came back (the map never drew, the browser took no input)."""
    page = open_page(demo_server, "/compounds?lang=en").page
    poll(lambda: evaluate(page.main_frame, "() => document.querySelector('[data-testid=stMultiSelect]') !== null",
                          timeout=5), "the filters")
    # evaluate() with a time limit: a frozen page would never answer a plain one
    evaluate(page.main_frame, """() => {
      const widget = document.createElement("div");
      widget.setAttribute("data-testid", "stStatusWidget");
      widget.id = "a-stop-button";
      widget.innerHTML = '<button kind="header"><div><p>Stop</p></div></button>';
      document.body.append(widget);
    }""", timeout=10)
    assert evaluate(page.main_frame, "() => document.getElementById('a-stop-button').innerText", timeout=10) == "Stop"
    map_frame(page, paths=1)
    # a page switched from Chinese without a reload: the indicator Streamlit keeps says the English word
    evaluate(page.main_frame, "() => { document.querySelector('#a-stop-button p').textContent = '停止'; }", timeout=10)
    poll(lambda: evaluate(page.main_frame, "() => document.getElementById('a-stop-button').innerText",
                          timeout=10) == "Stop", "Stop in place of 停止")


def test_the_trends_and_the_comparison_of_two_dates_draw(demo_server, open_page):
    """Everyone's time pages: the day-by-day charts, and a map of only the places that changed (README shots)."""
    docs = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
    log = open_page(demo_server, "/trends")
    page = log.page
    poll(lambda: page.locator('[data-testid="stVegaLiteChart"]').count() >= 5, "the trend charts")
    settle(page)
    assert_no_exception(page)
    shutil.copyfile(screenshot(page, "trends.png"), docs / "trends.png")
    log = open_page(demo_server, "/compare?" + urlencode({"cmp_kind": "compounds", "cmp_a": "2020-02-24",
                                                          "date": "2020-02-25"}))
    page = log.page
    frame = map_frame(page, paths=1)
    settle(page)
    assert_no_exception(page)
    summary = page.get_by_text(re.compile(r"(\d+) 个物业小区的状态有变化")).first.inner_text()
    changed = int(re.search(r"(\d+) 个物业小区", summary).group(1))
    assert sum(legend_counts(frame).values()) == changed  # only the places that changed are drawn
    shutil.copyfile(screenshot(page, "compare.png"), docs / "compare.png")
    assert_offline(log)


def test_names_are_escaped(tiny_server, open_page):
    log = open_page(tiny_server, "/compounds")
    page = log.page
    frame = map_frame(page, paths=3)
    settle(page)
    assert_no_exception(page)

    point = hover_until_tooltip(page, frame, XSS)
    tooltip = frame.locator(".leaflet-tooltip").first
    assert XSS in tooltip.inner_text()
    assert tooltip.locator("img").count() == 0
    assert frame.locator("img[src='x']").count() == 0

    # The table (a canvas grid with an accessible DOM mirror) shows the name as typed.
    cells = page.locator('[data-testid="stDataFrame"] td[role="gridcell"]')
    poll(lambda: any(XSS == cells.nth(i).inner_text() for i in range(cells.count())),
         "the table cell with the literal name")

    page.mouse.click(point["x"], point["y"])
    panel = details_column(page)
    poll(lambda: panel.locator("strong").first.inner_text().strip() == XSS, "the details panel of 0502")
    settle(page)
    assert_no_exception(page)
    assert page.locator("img[src='x']").count() == 0
    assert XSS in hover(page, frame, point)  # the tooltip, in the screenshot too
    assert frame.locator(".leaflet-tooltip img").count() == 0
    page.wait_for_timeout(400)  # the tooltip's fade-in
    screenshot(page, "escaping.png")
    assert log.dialogs == [], f"a script ran: {log.dialogs}"
    assert_offline(log)


#: The sidebar's buttons whose words are cut (an ellipsis on the label or any box inside the button): their text.
CUT_BUTTON_WORDS = """() => [...document.querySelectorAll('[data-testid="stSidebar"] button')]
    .filter(b => b.offsetParent && [b, ...b.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth + 1))
    .map(b => b.innerText)"""


def test_url_state_filter_and_language(demo_server, open_page):
    query = urlencode({"street": "温泉街道", "lang": "en"})
    log = open_page(demo_server, f"/compounds?{query}")
    page = log.page
    frame = map_frame(page, paths=1)
    poll(lambda: page.get_by_role("heading", name="Compounds", exact=True).count() == 1, "the English title")
    settle(page)
    assert_no_exception(page)

    caption = page.get_by_text(re.compile(r"^\d+ of \d+ shown$"))
    poll(lambda: caption.count() == 1, "the 'N of M shown' caption")
    shown, total = map(int, re.findall(r"\d+", caption.inner_text()))
    assert 0 < shown < total, caption.inner_text()
    assert stable_path_count(frame, expected=shown) == shown
    assert "Not reported" in frame.locator(".cmdmap-legend").inner_text()
    tooltip = hover(page, frame, hit_points(frame)[0])
    assert ": " in tooltip and "：" not in tooltip, tooltip  # a label and its value joined as English joins them
    assert "street=" in page.url and "lang=en" in page.url, page.url
    cut = page.evaluate(CUT_BUTTON_WORDS)
    assert not cut and page.get_by_role("button", name="Back").count() == 1, cut
    screenshot(page, "compounds_filtered_en.png")
    assert_offline(log)


def test_leaflet_is_served_by_the_app(demo_server, open_page):
    log = open_page(demo_server, "/compounds")
    page = log.page
    map_frame(page, paths=150)
    settle(page, 0.5)
    from geo.maps import map_scripts

    (bundle,) = [url for _, url in map_scripts()]  # Leaflet and our scripts, one file
    for path in (bundle, "/app/static/vendor/leaflet/leaflet.css"):
        responses = log.responses_for(path)
        assert responses, f"{path} was never requested; responses: {[r[1] for r in log.responses][-30:]}"
        assert all(status == 200 for status, _, _ in responses), responses
        assert all(url.startswith(demo_server.base_url) for _, url, _ in responses), responses
    assert_offline(log)


def _pack_requests(log) -> list[tuple[int, str, str]]:
    return [r for r in log.responses if "/app/static/cache/places-" in r[1]]


def _decoded_by_the_page(frame) -> list[str]:
    return [name for name in frame.evaluate("Object.keys(window.cmdmap.marks())") if "decoded by the page" in name]


def test_packs_come_zipped_and_early_from_the_page(demo_server, open_page):
    """The page itself fetches the gzipped packs and its worker decodes them (static/cmdmap/preload.js,
    packworker.js); the map's frame uses them as they are (the other tests hover and click on them)."""
    log = open_page(demo_server, "/compounds")
    page = log.page
    frame = map_frame(page, paths=150)
    settle(page, 0.5)
    packs = _pack_requests(log)
    assert packs and all(status == 200 and url.endswith(".json.gz") for status, url, _ in packs), packs
    # fetched once, by the page: the map's frame found the page's fetch
    assert len(packs) == len({url for _, url, _ in packs}), packs
    assert {frame_url for _, _, frame_url in packs} == {page.url}, packs
    assert len(_decoded_by_the_page(frame)) == 2  # zones and compounds
    assert frame.evaluate("window.cmdmap.drawn('compounds')") >= 150
    # a page opened from the sidebar (no new document) fetches its packs early too
    page.locator('[data-testid="stSidebarNav"] a[href$="/sites"]').click()
    # (the log fills in while Playwright is called, hence the wait in the check)
    poll(lambda: page.wait_for_timeout(50) or len({url for _, url, _ in _pack_requests(log)}) == 3,
         "the sites page's pack fetched by the page")
    sites = poll(lambda: next((f for f in map_frames(page) if f.evaluate("!!(window.cmdmap && "
                                                                        "window.cmdmap.drawn('sites'))")), None),
                 "the sites map drawn")
    assert len(_decoded_by_the_page(sites)) == 2  # zones and sites
    assert_offline(log)


@pytest.mark.parametrize("missing, pack_ending", [("DecompressionStream", ".json"), ("Worker", ".json.gz")])
def test_an_older_browser_still_gets_the_map(demo_server, browser, missing, pack_ending):
    """No DecompressionStream: the map's frame fetches the plain packs. No Worker: the page still fetches the
    zipped packs early, and the map's frame decodes them. Either way the same map is drawn."""
    log = new_page(browser)
    log.page.context.add_init_script(f"delete window.{missing};")
    try:
        log.page.goto(demo_server.base_url + "/compounds", wait_until="domcontentloaded")
        frame = map_frame(log.page, paths=150)
        packs = _pack_requests(log)
        assert packs and all(url.endswith(pack_ending) for _, url, _ in packs), packs
        assert _decoded_by_the_page(frame) == []
        assert frame.evaluate("window.cmdmap.drawn('compounds')") >= 150
    finally:
        log.page.context.close()


def test_the_overviews_briefing_buttons_download_word_and_pdf_with_the_tiles_figures(tiny_server, open_page):
    """The briefing is built on the click, on a thread of the server's own (AppTest cannot run that part)."""
    from docx import Document
    from pypdf import PdfReader

    page = open_page(tiny_server, "/?district=咸安区").page
    settle(page)
    assert_no_exception(page)
    tiles = metric_tiles(page, 6)
    files = {}
    for label in ("日报 Word", "日报 PDF"):
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name=label).click()
        files[label] = Path(download.value.path()).read_bytes()
        assert download.value.suggested_filename.startswith("疫情防控工作日报_2020-02-25_咸安区")
    rows = [[cell.text for cell in row.cells] for row in Document(io.BytesIO(files["日报 Word"])).tables[0].rows]
    assert {label: value for label, value, _ in rows[1:]} == tiles
    text = re.sub(r"[\s\x00]+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(files["日报 PDF"])).pages))
    assert all(f"{label}{value}" in text for label, value in tiles.items()), tiles


#: In the map's frame: redraw the compounds' layer at ``zoom`` recording, for each outline stroked, its width and
#: the size across of the place traced last (screen pixels).
STROKES = """(zoom) => {
  const map = window[Object.keys(window).find((k) => k.startsWith("map_") && window[k] instanceof L.Map)];
  let layer = null;
  map.eachLayer((l) => { if (l._redrawAll && l.key === "compounds") { layer = l; } });
  map.setZoom(zoom, {animate: false});  // the view set at once: its redraw below sees it
  const strokes = [], trace = layer._trace, stroke = CanvasRenderingContext2D.prototype.stroke;
  let across = 0;
  layer._trace = function (ctx, g, f, v) {
    across = Math.max(g.box[4 * f + 2] - g.box[4 * f], g.box[4 * f + 3] - g.box[4 * f + 1]) * v.scale;
    return trace.call(this, ctx, g, f, v);
  };
  CanvasRenderingContext2D.prototype.stroke = function () {
    strokes.push([this.lineWidth, across]); return stroke.apply(this, arguments);
  };
  try { layer._redrawAll(); } finally { CanvasRenderingContext2D.prototype.stroke = stroke; delete layer._trace; }
  return strokes;
}"""


def test_small_places_get_a_thin_outline_and_big_ones_their_style_s(demo_server, open_page):
    """A wide outline costs the software rasterizer far more: a nation's 21,455 compounds in view at zoom 15 were
    drawn in 1.0 s with their two-pixel outlines, 0.6 s with one-pixel ones on those under 40 pixels across."""
    log = open_page(demo_server, "/compounds")
    frame = map_frame(log.page, paths=150)
    settle(log.page)
    widths = {}
    for zoom in (13, 14, 15, 16, 17, 18):
        for width, across in evaluate(frame, STROKES, zoom, timeout=20):
            widths.setdefault(across >= 40, set()).add(width)
    assert widths[False] == {1}, widths  # under 40 pixels across: one pixel, whatever the style
    assert 2 in widths[True], widths  # the statuses' own two-pixel outline on the big ones
    assert_no_exception(log.page)
