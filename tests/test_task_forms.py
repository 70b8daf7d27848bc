"""What the loop's forms send, checked: phone numbers, a problem, an inspection, a checklist, photos; and the
list of problems filtered and put in words."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from PIL import Image

from geo.analysis import (
    FormRefused,
    ProblemFilters,
    Unit,
    checklist_items,
    filter_problems,
    new_inspection,
    new_problem,
    problems_table,
    read_photos,
)
from geo.domain import phone_number
from geo.domain.tasks import DEFAULT_CHECKLISTS
from geo.store import checklist, connect, file_problem, problems_frame, record_inspection, save_checklist

DAY = dt.date(2020, 2, 20)
UNIT = Unit("property", "阳光物业", "王经理", "13800138000")


@pytest.mark.parametrize("typed,kept", [
    ("13800138000", "13800138000"),
    (" 138-0013-8000 ", "13800138000"),
    ("+86 138 0013 8000", "13800138000"),
    ("8613800138000", "13800138000"),
    ("１３８００１３８０００", "13800138000"),  # full-width digits from a Chinese keyboard
    ("0731-88886666", "0731-88886666"),
    ("（0731）8888666", "0731-8888666"),  # seven-digit local numbers still exist
    ("010 6552 9988", "010-65529988"),
    ("02158886666", "021-58886666"),
])
def test_a_number_one_can_dial_is_kept_in_one_form(typed, kept):
    assert phone_number(typed) == kept


@pytest.mark.parametrize("typed", ["", "   ", "88886666", "1380013800", "138001380001", "12800138000",
                                   "0731-0888666", "0731-88886666-12", "13800l38000", "电话13800138000", "110"])
def test_a_number_one_cannot_dial_is_refused(typed):
    assert phone_number(typed) is None


def test_a_problem_refused_names_every_field_to_fix():
    with pytest.raises(FormRefused) as refused:
        new_problem("compounds", None, None, DAY, None, "", Unit("?", " ", None, "12345"), DAY - dt.timedelta(1))
    assert [text.zh for text in refused.value.texts] == [
        "请选择地点。", "请选择问题类别。", "请填写问题描述。", "请选择责任单位类型。", "请填写责任单位名称。",
        "联系电话“12345”不对：请填 11 位手机号，或带区号的座机号（如 0731-88886666）。", "整改期限不能早于发现日期。"]
    assert all(text.en for text in refused.value.texts)


def test_a_problem_keeps_its_deadline_or_takes_three_days_and_stores_as_typed(store_url):
    given = new_problem("sites", "S1", "<b>工地</b>", DAY, "site_rules", "  未设隔离室 ", UNIT, dt.date(2020, 3, 1))
    assert (given.deadline, given.description, given.person) == (dt.date(2020, 3, 1), "未设隔离室", "王经理")
    default = new_problem("sites", "S1", "工地", DAY, "site_rules", "x", Unit("contractor", "城建", "", ""))
    assert (default.deadline, default.person, default.phone) == (dt.date(2020, 2, 23), None, None)
    engine = connect(store_url)
    file_problem(engine, given, by="li")
    assert problems_frame(engine).iloc[0]["place_name"] == "<b>工地</b>"  # escaping is the display's business


def test_an_inspection_needs_the_unit_only_when_an_item_failed(store_url):
    items = DEFAULT_CHECKLISTS["compounds"]
    nobody = Unit("property", "", None, None)
    passed = {item.code: "pass" for item in items}
    inspection, found = new_inspection("compounds", "0501", "金桂花园", DAY, "李四", items, passed, "", nobody)
    assert inspection.result == "pass" and found == []
    failed = {**passed, items[0].code: "fail", items[4].code: "fail"}
    with pytest.raises(FormRefused) as refused:
        new_inspection("compounds", "0501", "金桂花园", DAY, "李四", items, failed, "", nobody)
    assert [text.zh for text in refused.value.texts] == ["请填写责任单位名称。"]
    inspection, found = new_inspection("compounds", "0501", "金桂花园", DAY, "李四、王五", items, failed, " 东门 ", UNIT,
                                       dt.date(2020, 2, 21))
    assert [(p.item_code, p.category, p.deadline, p.phone) for p in found] == [
        (items[0].code, "gate", dt.date(2020, 2, 21), "13800138000"),
        (items[4].code, "duty", dt.date(2020, 2, 21), "13800138000")]
    engine = connect(store_url)
    iid = record_inspection(engine, inspection, by="li", found=found)
    assert problems_frame(engine)["inspection_id"].tolist() == [iid, iid]


def test_unanswered_items_are_named_in_each_language():
    items = DEFAULT_CHECKLISTS["sites"][:3]
    with pytest.raises(FormRefused) as refused:
        new_inspection("sites", "S1", "工地", DAY, "李四", items, {items[0].code: "pass"}, "", UNIT)
    text = refused.value.texts[0]
    assert text.zh == f"还有 2 项没有选择合格或不合格：{items[1].zh}、{items[2].zh}。"
    assert text.en == f"2 items are neither passed nor failed: {items[1].en}; {items[2].en}."


def test_a_checklist_edited_keeps_codes_makes_new_ones_and_refuses_mistakes(store_url):
    engine = connect(store_url)
    rows = [{"code": item.code, "zh": item.zh, "en": item.en, "category": item.category}
            for item in checklist(engine, "others")]
    rows[0]["category"] = "消毒消杀"  # the label the editor's list shows
    rows.append({"code": None, "zh": "收银台设置一米线", "en": None, "category": "Gates"})
    items = checklist_items("others", rows)
    assert items[0].category == "disinfection"
    assert (items[-1].code, items[-1].en, items[-1].category) == ("others_6", "收银台设置一米线", "gate")
    save_checklist(engine, "others", items, by="boss")
    assert [item.code for item in checklist(engine, "others")] == [item.code for item in items]
    with pytest.raises(FormRefused) as refused:
        checklist_items("others", [{"code": "a", "zh": "", "category": "gate"}, {"code": "a", "zh": "x", "category": "?"}])
    assert [text.zh for text in refused.value.texts] == ["第 1 行没有检查内容（中文）。", "第 2 行的问题类别不对：请从列表中选择。",
                                                         "第 2 行的编号 a 与上面一行重复。"]
    with pytest.raises(FormRefused):
        checklist_items("others", [{"code": None, "zh": None, "en": float("nan"), "category": None}])


def _png(side: int = 64) -> bytes:
    picture = io.BytesIO()
    Image.new("RGB", (side, side), "teal").save(picture, "PNG")
    return picture.getvalue()


def test_photos_are_all_or_nothing_within_a_problems_limits():
    shots = read_photos([("a.png", _png()), ("b.png", _png())], [], 15_000_000, 20_000_000, 9)
    assert [shot.content[:2] for shot in shots] == [b"\xff\xd8", b"\xff\xd8"]
    with pytest.raises(FormRefused) as refused:
        read_photos([("a.png", _png()), ("b.png", _png())], [1000] * 8, 15_000_000, 20_000_000, 9)
    assert "最多 9 张" in refused.value.texts[0].zh
    with pytest.raises(FormRefused) as refused:
        read_photos([("a.png", _png()), ("说明.txt", b"hello")], [], 15_000_000, 20_000_000, 9)
    assert len(refused.value.texts) == 1 and "说明.txt" in refused.value.texts[0].zh


def test_the_list_filtered_and_in_words_in_both_languages():
    frame = pd.DataFrame({
        "id": [1, 2, 3], "kind": ["compounds", "sites", "markets"], "place_id": ["a", "b", "c"],
        "place_name": ["阳光小区", "城南工地", "菜场"], "found_on": ["2020-02-18", "2020-02-20", "2020-02-24"],
        "category": ["gate", "site_rules", "other"], "description": ["x", "y", "z"],
        "unit_type": ["property", "contractor", "operator"], "unit_name": ["阳光物业", "城建公司", "菜场"],
        "deadline": ["2020-02-21", "2020-02-27", "2020-02-25"], "state": ["returned", "in_progress", "handed_out"],
        "closed_at": pd.to_datetime([None, None, None])})
    today = dt.date(2020, 2, 25)
    assert filter_problems(frame, ProblemFilters(), today)["id"].tolist() == [1, 2, 3]
    assert filter_problems(frame, ProblemFilters(overdue_only=True), today)["id"].tolist() == [1]  # 25th: in time
    assert filter_problems(frame, ProblemFilters(kinds=("sites", "markets"), states=("handed_out",)),
                           today)["id"].tolist() == [3]
    english = problems_table(frame, today, "en")
    assert english.columns.tolist() == ["No.", "Place", "Kind of place", "Found", "Category", "Description",
                                        "Responsible unit", "Deadline", "State", "Days"]
    assert english["Days"].tolist() == ["4 days overdue", "Open 5 days", "Open 1 day"]
    assert problems_table(frame, today, "zh")["问题类别"].tolist() == ["出入口管控", "工地防控措施", "其他"]
