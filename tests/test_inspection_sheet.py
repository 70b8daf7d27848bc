"""Inspections uploaded as a table (issue #20, item 1), fed as a bureau's office would: real files, not ours."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd

from geo.domain import group_problems
from geo.domain.tasks import DEFAULT_CHECKLISTS
from geo.store import connect, inspections_frame, problems_frame, record_inspection
from geo.upload.inspections import read_inspections, template

ITEMS = DEFAULT_CHECKLISTS["compounds"]
PLACES = pd.DataFrame({"id": ["XA-C0001", "XA-C0002", "XA-C0003", "XA-C0004"],
                       "name": ["金桂花园", "温泉名城", "阳光小区", "阳光小区"]})  # two compounds of one name
TODAY = dt.date(2020, 2, 26)
HEAD = ["检查日期", "小区名称", "检查人员", *(item.zh for item in ITEMS), "责任单位", "责任人", "联系电话"]


def sheet(rows: list[list[str]], head=HEAD, title: str | None = None) -> bytes:
    """A CSV as Excel saves it on a Chinese Windows: GB18030, CRLF, maybe a title row above the headers."""
    lines = ([title] if title else []) + [",".join(head)] + [",".join(row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode("gb18030")


def read(data: bytes, name="督导检查表.csv"):
    return read_inspections(data, name, "compounds", ITEMS, PLACES, TODAY)


def test_a_gbk_sheet_with_a_title_row_names_and_ticks_is_read_and_failed_items_become_problems(tmp_path):
    data = sheet([["2020/2/25", "金桂花园", "市局督导组", "√", "×", "√", "√", "合格", "不合格", "安居物业", "王经理",
                   "13800000000"],
                  ["2月25日", "温泉名城", "市局督导组", *["合格"] * len(ITEMS), "", "", ""]],
                 title="咸安区物业小区防控督导检查表")
    found = read(data)
    assert found.problems == []
    assert [(i.place_id, i.inspected_on.isoformat(), i.result) for i, _ in found.rows] == [
        ("XA-C0001", "2020-02-25", "fail"), ("XA-C0002", "2020-02-25", "pass")]
    problems = found.rows[0][1]
    assert [(p.item_code, p.category, p.unit_name, p.deadline.isoformat()) for p in problems] == [
        ("c_register", "registration", "安居物业", "2020-02-28"), ("c_supplies", "supplies", "安居物业", "2020-02-28")]
    engine = connect(f"sqlite:///{tmp_path / 'store.sqlite'}")
    for inspection, failed in found.rows:
        record_inspection(engine, inspection, by="clerk", found=failed, source="table", file_name="督导检查表.csv")
    assert inspections_frame(engine)[["place_name", "result", "failed"]].values.tolist() == [
        ["温泉名城", "pass", 0], ["金桂花园", "fail", 2]]  # newest first
    assert problems_frame(engine)[["place_id", "state", "description"]].values.tolist() == [
        ["XA-C0001", "handed_out", ITEMS[1].zh], ["XA-C0001", "handed_out", ITEMS[5].zh]]


def test_every_wrong_row_is_named_with_its_column_and_fix_and_nothing_is_kept_of_it():
    ok = ["合格"] * len(ITEMS)
    found = read(sheet([
        ["2020-02-25", "阳光小区", "组", *ok, "", "", ""],  # two places of that name
        ["2020-02-25", "金桂园", "组", *ok, "", "", ""],  # misspelled
        ["昨天", "金桂花园", "组", *ok, "", "", ""],  # not a date
        ["2020-03-25", "金桂花园", "组", *ok, "", "", ""],  # in the future
        ["2020-02-25", "金桂花园", "组", "不合格", *ok[1:], "", "", ""],  # failed, and nobody to fix it
        ["2020-02-25", "温泉名城", "组", "好", *ok[1:], "", "", ""],  # not a result
    ]))
    assert found.rows == []
    said = {(p.row, p.column): p.zh for p in found.problems}
    assert "多个场所（XA-C0003、XA-C0004），请改填场所编号" in said[(2, "小区名称")]
    assert "相近的有：XA-C0001（金桂花园）" in said[(3, "小区名称")]
    assert "不是日期" in said[(4, "检查日期")] and "在未来" in said[(5, "检查日期")]
    assert "请填写责任单位" in said[(6, "责任单位")]
    assert "请填写 合格 或 不合格" in said[(7, ITEMS[0].zh)]


def test_a_mistake_on_every_row_is_said_once_as_a_group():
    rows = [["2020-02-25", "金桂花园", "组", "好", *["合格"] * (len(ITEMS) - 1), "", "", ""] for _ in range(300)]
    groups = group_problems(read(sheet(rows)).problems)
    assert len(groups) == 1 and "300" in groups[0].title.zh


def test_a_sheet_that_is_not_one_says_which_columns_it_needs():
    for data in (b"", "name,lat,lon\r\nx,1,2\r\n".encode("gb18030"), b"\x00\x01\x02 binary"):
        found = read(data)
        assert found.rows == [] and len(found.problems) == 1 and found.problems[0].row is None
        assert "检查" in found.problems[0].zh or "无法读取" in found.problems[0].zh or "空" in found.problems[0].zh


def test_the_template_filled_in_excel_reads_back():
    book = openpyxl.load_workbook(io.BytesIO(template(ITEMS)))
    assert book.sheetnames == ["检查记录", "填写说明"]
    headers = [cell.value for cell in book["检查记录"][1]]
    assert headers[:4] == ["检查日期", "场所编号", "场所名称", "检查人员"] and ITEMS[0].zh in headers
    page = book["检查记录"]
    values = {"检查日期": dt.datetime(2020, 2, 25), "场所编号": "XA-C0002", "检查人员": "组", "责任单位": "物业",
              **{item.zh: "合格" for item in ITEMS}, ITEMS[2].zh: "不合格", "整改期限": "2020-02-27"}
    for column, header in enumerate(headers, start=1):
        page.cell(row=2, column=column, value=values.get(header))
    buffer = io.BytesIO()
    book.save(buffer)
    found = read(buffer.getvalue(), "检查表.xlsx")
    assert found.problems == []
    (inspection, problems), = found.rows
    assert inspection.place_name == "温泉名城" and [p.deadline.isoformat() for p in problems] == ["2020-02-27"]
