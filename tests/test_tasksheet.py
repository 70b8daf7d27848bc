"""The task sheet (交办单) of a responsible unit and the league table (整改排名), read back from the files.

Problems are handed out and moved through the store's own functions on a real SQLite store of the tiny
city; the .docx is opened with python-docx, the PDF's text extracted with pypdf (see tests/test_briefing.py).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from PIL import Image
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from geo.accounts import auth
from geo.analysis import league_table, with_streets
from geo.io import Photo, read_photo
from geo.report import document_docx, document_pdf, league_sheet, open_units, photo_reader, task_sheet
from geo.store import NewProblem, file_problem, load_store, move_problem, problems_frame
from geo.upload import open_city

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TODAY = dt.date.today()  # a closing is stamped with the clock: the problems are dated around it


@pytest.fixture(autouse=True)
def today_by_the_clock():
    """TODAY as the clock says when each test starts, before its store is made: a suite that ran across midnight
    dated its problems by the day it began and their closing by the next, one day late."""
    global TODAY
    TODAY = dt.date.today()


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


SUN, BUILDER = "阳光物业", "城建公司"
HOSTILE = '<script>alert(1)</script>=HYPERLINK("http://x","点我")\x00\x0b'


def jpeg(width: int, height: int, colour=(200, 30, 30)) -> Photo:
    """A photo as a phone's upload becomes one (geo.io.read_photo)."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "JPEG")
    return read_photo(out.getvalue(), "现场.jpg", 10_000_000)


def hand_out(engine, place_id, place, found, deadline, unit=SUN, description="东门无人值守", kind="compounds",
             shots=()) -> int:
    return file_problem(engine, NewProblem(kind, place_id, place, found, "gate", description, "property", unit,
                                           "王经理", "13800000000", deadline), by="li", shots=shots)


def move(engine, pid, *states):
    for seen, state in enumerate(states, start=1):
        move_problem(engine, pid, seen=seen, to=state, by="wang", role="staff", photos=1, note="不合格")


@pytest.fixture
def store(tiny_dir, tmp_path):
    """The tiny city with problems of two units in every state; ids by what they are."""
    engine = open_city(f"sqlite:///{tmp_path / 'tasks.sqlite'}", tiny_dir)
    ids = {
        "late": hand_out(engine, "0501", "金桂花园", day(-5), day(-2),
                         shots=[jpeg(640, 480)]),
        "fixing": hand_out(engine, "0503", "浮山小区", day(-3), TODAY,
                           description="登记台账缺失", shots=[jpeg(300, 600, (30, 30, 200))]),
        # fixed after its deadline, waiting for the bureau's re-check: not overdue
        "today": hand_out(engine, "0501", "金桂花园", day(-2), day(-1), description="消毒记录不全"),
        "closed": hand_out(engine, "0501", "金桂花园", day(-3), day(-1),
                           description="已整改的问题"),
        "returned": hand_out(engine, "0501", "金桂花园", day(-6), day(-3),
                             description="复核不通过的问题", shots=[replace(jpeg(200, 200), content=b"damaged")]),
        "other": hand_out(engine, "S1", "六岭棚改项目", day(-4), day(-3), unit=BUILDER,
                          description="别家单位的问题", kind="sites"),
    }
    move(engine, ids["fixing"], "in_progress")
    move(engine, ids["today"], "rectified")
    move(engine, ids["closed"], "rectified", "closed")
    move(engine, ids["returned"], "rectified", "returned")
    return engine, ids


def docx_of(data: bytes):
    doc = Document(io.BytesIO(data))
    return doc, [p.text for p in doc.paragraphs], [[[c.text for c in row.cells] for row in table.rows]
                                                   for table in doc.tables]


def pdf_text(data: bytes) -> str:
    # pypdf reads fpdf2's 2-byte codes with a NUL before each character (see tests/test_briefing.py)
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"[\s\x00]+", "", "".join(page.extract_text() for page in reader.pages))


def test_a_units_sheet_lists_all_its_open_problems_overdue_first_and_nobody_elses(store):
    engine, ids = store
    sheet = task_sheet(problems_frame(engine), SUN, TODAY, photo_reader(engine), "zh", city="咸宁市")
    doc, paragraphs, tables = docx_of(document_docx(sheet))
    assert paragraphs[:3] == ["阳光物业疫情防控问题整改交办单", "责任单位：阳光物业",
                              f"交办单位：咸宁市住房和城乡建设局　交办日期：{TODAY}"]
    assert f"截至 {TODAY}，贵单位共有未销号问题 4 个，其中 2 个已超过整改期限（表中红色标出）。" in paragraphs
    rows = tables[0][1:]
    assert tables[0][0] == ["编号", "场所", "发现日期", "问题类别", "问题描述", "整改期限", "剩余/超期", "状态"]
    # overdue first (oldest deadline first), then by deadline; closed and other units' problems left out
    assert [int(row[0]) for row in rows] == [ids["returned"], ids["late"], ids["today"], ids["fixing"]]
    assert [row[6] for row in rows] == ["超期 3 天", "超期 2 天", "—", "今日到期"]  # 待复核: the unit's part is done
    assert [row[7] for row in rows] == ["退回", "待整改", "待复核", "整改中"]
    assert rows[1][1:6] == ["金桂花园", str(day(-5)), "出入口管控", "东门无人值守", str(day(-2))]
    red = [[run.font.color.rgb is not None for cell in row.cells for run in cell.paragraphs[0].runs]
           for row in doc.tables[0].rows[1:]]
    assert [all(flags) for flags in red] == [True, True, False, False]  # overdue rows printed in red
    text = "\n".join(paragraphs) + str(tables)
    assert "别家单位的问题" not in text and "已整改的问题" not in text and "六岭棚改项目" not in text
    # the photos: the two readable ones printed, the damaged one named with a note instead
    assert len(doc.inline_shapes) == 2
    captions = [cell for row in tables[1] for cell in row]
    assert f"问题 {ids['late']}：金桂花园" in captions[0 if "（照片" not in captions[0] else 1]
    assert any(f"（照片无法显示）\n问题 {ids['returned']}：金桂花园" == cell for cell in captions)
    assert paragraphs[-3:] == ["签收人：__________　　签收日期：______年____月____日", "咸宁市住房和城乡建设局（盖章）",
                               str(TODAY)]

    text = pdf_text(document_pdf(sheet))
    assert text.startswith("阳光物业疫情防控问题整改交办单责任单位：阳光物业")
    for description in ("复核不通过的问题", "东门无人值守", "消毒记录不全", "登记台账缺失"):
        assert description in text
    assert f"问题{ids['late']}：金桂花园问题{ids['fixing']}：浮山小区" in text  # the captions of the photos
    assert "超期3天" in text and "超期2天" in text and "今日到期" in text and "签收人" in text
    assert "别家单位的问题" not in text and "已整改的问题" not in text
    images = [image for page in PdfReader(io.BytesIO(document_pdf(sheet))).pages for image in page.images]
    assert len(images) == 2


def test_a_unit_without_open_problems_gets_a_sheet_that_says_so(store):
    engine, ids = store
    move(engine, ids["other"], "rectified", "closed")
    sheet = task_sheet(problems_frame(engine), BUILDER, TODAY, photo_reader(engine), "en")
    _, paragraphs, tables = docx_of(document_docx(sheet))
    assert f"On {TODAY} your unit has no open problem." in paragraphs
    assert tables == [] and (sheet.open, sheet.overdue) == (0, 0)
    assert "Receivedby:" in pdf_text(document_pdf(sheet))


def test_the_units_to_choose_are_those_with_open_problems_the_most_overdue_first(store):
    engine, ids = store
    frame = problems_frame(engine)
    assert open_units(frame, TODAY).values.tolist() == [[SUN, 4, 2], [BUILDER, 1, 1]]
    move(engine, ids["other"], "rectified", "closed")
    assert open_units(problems_frame(engine), TODAY).values.tolist() == [[SUN, 4, 2]]


def test_a_hostile_unit_name_and_description_leave_both_documents_whole(store):
    engine, _ = store
    unit = HOSTILE + "长" * 2000
    description = HOSTILE + "描述😀" * 1000
    pid = hand_out(engine, "0502", "<img src=x onerror=alert(1)>", day(-4), day(-1),
                   unit=unit, description=description, shots=[jpeg(4000, 200)])
    sheet = task_sheet(problems_frame(engine), unit, TODAY, photo_reader(engine), "zh")
    doc, paragraphs, tables = docx_of(document_docx(sheet))
    assert paragraphs[0].startswith('<script>alert(1)</script>=HYPERLINK("http://x","点我")长')  # as text, nothing run
    assert len(paragraphs[0]) < 120 and paragraphs[1] == "责任单位：" + unit.replace("\x00", "").replace("\x0b", "")
    row = tables[0][1]
    assert row[0] == str(pid) and row[1] == "<img src=x onerror=alert(1)>" and row[6] == "超期 1 天"
    assert row[4].startswith('<script>alert(1)</script>=HYPERLINK("http://x","点我")描述😀') and row[4].endswith("…")
    assert len(row[4]) == 300 - 2  # cut to 300 characters, then the two control characters Word cannot hold dropped
    assert len(doc.inline_shapes) == 1
    text = pdf_text(document_pdf(sheet))
    assert "<script>alert(1)</script>=HYPERLINK" in text and "超期1天" in text and "签收人" in text


def test_a_problems_street_is_its_places_zones_street(store, tiny_dir):
    engine, ids = store
    dataset = load_store(engine)
    hand_out(engine, "GONE-1", "已拆除小区", day(-4), day(3), unit=BUILDER)
    frame = with_streets(problems_frame(engine), dataset)
    streets = dict(zip(frame["place_name"], frame["street"]))
    # 0503 names no zone: the store's spatial join put it in Z2
    assert streets["金桂花园"] == "温泉街道" and streets["浮山小区"] == "浮山街道"
    assert streets["六岭棚改项目"] == "温泉街道" and pd.isna(streets["已拆除小区"])
    table = league_table(frame, "street", TODAY, "zh")
    assert table.columns.tolist() == ["街道", "问题数", "未销号", "超期", "整改率", "平均整改天数"]
    assert table.values.tolist()[0][:5] == ["温泉街道", 5, 4, 3, 20.0]
    assert "未划分街道" in table["街道"].tolist()
    by_unit = league_table(frame, "unit_name", TODAY, "en")
    assert by_unit.iloc[0].tolist()[:5] == [SUN, 5, 4, 2, 20.0] and by_unit.columns[0] == "Responsible unit"


def test_the_league_paper_has_the_totals_and_both_tables(store):
    engine, _ = store
    frame = with_streets(problems_frame(engine), load_store(engine))
    sheet = league_sheet(frame, TODAY, "zh", city="咸宁市")
    _, paragraphs, tables = docx_of(document_docx(sheet))
    assert paragraphs[:2] == ["疫情防控问题整改情况排名", f"咸宁市住房和城乡建设局　{TODAY}"]
    assert f"截至 {TODAY}，共发现问题 6 个，未销号 5 个，其中超期 3 个；整改率 16.7%。" in paragraphs
    assert [p for p in paragraphs if re.match(r"^[一二三]、", p)] == ["一、总体情况", "二、各责任单位整改情况",
                                                                    "三、各街道整改情况"]
    assert tables[0][1] == [SUN, "5", "4", "2", "20%", "3"]  # the one closed: found 3 days ago, closed today
    assert tables[1][0][0] == "街道" and {row[0] for row in tables[1][1:]} == {"温泉街道", "浮山街道"}
    assert "各街道整改情况" in pdf_text(document_pdf(sheet))


# --------------------------------------------------------------------------- the page


@pytest.fixture
def page_store(page_env):
    hand_out(page_env, "0501", "金桂花园", day(-5), day(-1))
    hand_out(page_env, "S1", "六岭棚改项目", TODAY, day(3), unit=BUILDER, kind="sites")
    auth.add_user(auth.SYSTEM, page_env, "reader", "viewer", "tulip-harbor-2020")
    return page_env


def open_page(name, role):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth_session"] = auth.start_session(auth.User(name, role))
    at.switch_page("pages/tasksheets.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_staff_choose_a_unit_the_most_overdue_first_and_download_its_sheet(page_store):
    at = open_page("clerk", "staff")
    assert at.title[0].value == "交办单"
    choice = at.selectbox(key="tasksheet_unit")
    assert choice.options == ["阳光物业（未销号 1，超期 1）", "城建公司（未销号 1，超期 0）"]
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert {"交办单 Word", "交办单 PDF", "排名 Word", "排名 PDF"} <= set(buttons)
    unit, street = at.dataframe
    assert unit.value.iloc[:, 0].tolist() == [SUN, BUILDER] and unit.value["超期"].tolist() == [1, 0]
    assert street.value["街道"].tolist() == ["温泉街道"] and street.value["问题数"].tolist() == [2]


def test_a_viewer_sees_the_league_but_no_task_sheet(page_store):
    at = open_page("reader", "viewer")
    assert not at.selectbox and "交办单仅供住建局工作人员和管理员下载。" in [c.value for c in at.caption]
    assert {b.proto.label for b in at.get("download_button")} == {"排名 Word", "排名 PDF"}
    assert at.dataframe[0].value["未销号"].tolist() == [1, 1]
