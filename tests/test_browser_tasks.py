"""A problem filed from a phone (390x844, a touch screen) in a real (headless, offline) Chromium (issue #20):
a clerk at the gate logs in, files a problem with a photo taken there, and sees the place ringed on the map
and the photo's dot where it was taken."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image

from geo.accounts import auth
from geo.store import photos_of, problems_frame
from geo.store.engine import connect
from geo.upload import open_city
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

browser = pytest.fixture(scope="module")(chromium_session)
PHONE = {"width": 390, "height": 844}
PASSWORD = "gate-keeper-2020"
DOCS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
WHERE = (29.834, 114.304)  # by the tiny city's 金桂花园 (0501): the photo's EXIF position


def gate_photo() -> bytes:
    """A phone's JPEG with its position in EXIF (GPS IFD), as a camera writes it."""
    def dms(value: float):
        degrees = int(value)
        minutes = int((value - degrees) * 60)
        return (degrees, minutes, round(((value - degrees) * 60 - minutes) * 60, 2))

    exif = Image.Exif()
    exif[0x0110] = "Phone"  # a model: an ordinary tag beside the GPS ones
    exif.get_ifd(0x8825).update({1: "N", 2: dms(WHERE[0]), 3: "E", 4: dms(WHERE[1])})
    out = io.BytesIO()
    Image.new("RGB", (640, 480), "#c0ca33").save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture(scope="module")
def tasks_server(browser, tmp_path_factory):
    """(server, store URL): the tiny city with a clerk (staff); logging in is required."""
    folder = write_tiny_city(tmp_path_factory.mktemp("browser-tasks") / "city")
    url = f"sqlite:///{folder.parent / 'store.sqlite'}"
    auth.add_user(auth.SYSTEM, open_city(url, folder), "clerk", "staff", PASSWORD)
    with streamlit_server({"CMDMAP_DATA_DIR": str(folder), "CMDMAP_DATABASE_URL": url, "CMDMAP_BASEMAP": "none",
                           "CMDMAP_REQUIRE_LOGIN": "true"}, name="server-tasks") as server:
        yield server, url


@pytest.fixture
def open_phone(browser, request):
    yield from page_opener(browser, request, default_viewport=PHONE, has_touch=True, is_mobile=True,
                           device_scale_factor=2)


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the select box labelled ``label`` (typing narrows a long list)."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has=page.get_by_text(label, exact=True))
    offered = page.get_by_role("option", name=option).first

    def listed() -> bool:  # on two busy cores the list may open late, or close again on a rerun: ask again
        if offered.count() and offered.is_visible():
            return True
        box.locator("input").tap(timeout=5_000)
        box.locator("input").fill(option, timeout=5_000)
        return False

    poll(listed, f"{option} listed under {label}", page=page)
    offered.tap()


def test_a_problem_filed_from_a_phone_with_a_photo_is_ringed_on_the_map_with_the_photo_where_taken(
        tasks_server, open_phone):
    server, url = tasks_server
    page = open_phone(server, "/problems").page
    form = page.locator('[data-testid="stForm"]').filter(has=page.get_by_label("用户名", exact=True))
    poll(lambda: form.is_visible(), "the login form")
    form.get_by_label("用户名", exact=True).fill("clerk")
    form.get_by_label("密码", exact=True).fill(PASSWORD)
    form.get_by_role("button", name="登录").tap()
    filing = page.locator('[data-testid="stExpander"]').filter(has_text="登记问题")
    poll(lambda: filing.count() == 1, "the filing form's expander")
    settle(page, 0.3)
    filing.locator("summary").tap()
    choose(page, "地点（可输入名称搜索）", "金桂花园（0501）")
    choose(page, "问题类别", "出入口管控")
    page.get_by_label("问题描述").fill("东门无人值守，外来车辆直接进出")
    page.get_by_label("责任单位名称").fill("咸宁市安居物业")
    page.get_by_label("联系电话").fill("13800138000")
    page.locator('[data-testid="stForm"] input[type="file"]').set_input_files(
        [{"name": "东门.jpg", "mimeType": "image/jpeg", "buffer": gate_photo()}])
    poll(lambda: page.get_by_text("东门.jpg").count() >= 1, "the photo attached")
    page.get_by_role("button", name="登记并交办").tap()
    poll(lambda: len(problems_frame(connect(url))) == 1, "the problem stored")
    (shot,) = photos_of(connect(url), problem_id=int(problems_frame(connect(url))["id"].iloc[0]))
    assert (round(shot.lat, 3), round(shot.lon, 3)) == WHERE
    frame = map_frame(page, paths=2)  # the ring round the compound and the photo's dot
    page.locator('iframe[title="streamlit_folium.st_folium"]').scroll_into_view_if_needed()
    settle(page, 0.3)
    keys = poll(lambda: {p["key"] for p in hit_points(frame)} >= {"problems", "photos"} and
                {p["key"] for p in hit_points(frame)}, "the ring and the photo's dot on the map")
    assert keys >= {"problems", "photos"}
    assert_no_exception(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]  # nothing sideways
    shutil.copyfile(screenshot(page, "phone_problem.png"), DOCS / "phone_problem.png")
