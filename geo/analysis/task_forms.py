"""What the loop's forms send, checked and turned into the store's records: a problem, an inspection, a checklist.

A form is refused as a whole with :class:`FormRefused`, whose ``texts`` name every field
to fix (in both languages), so that staff at a gate fix them all at once and lose nothing.
The deadline left empty is :data:`DEADLINE_DAYS` days after the problem was found.

Examples
--------
>>> import datetime as dt
>>> unit = Unit("property", " 阳光物业 ", "王经理", "138 0013 8000")
>>> problem = new_problem("compounds", "XQ-1", "阳光小区", dt.date(2020, 2, 20), "gate", "东门无人值守", unit)
>>> problem.unit_name, problem.phone, problem.deadline
('阳光物业', '13800138000', datetime.date(2020, 2, 23))
>>> new_problem("compounds", "XQ-1", "阳光小区", dt.date(2020, 2, 20), "gate", " ", Unit("property", "", None, "8888"))
Traceback (most recent call last):
...
geo.analysis.task_forms.FormRefused: 3
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from geo.domain import Text, join, t, vocab
from geo.domain.phones import phone_number
from geo.domain.tasks import CheckItem
from geo.io import Photo, PhotoRefused, photos_fit, read_photo
from geo.store.tasks import NewInspection, NewProblem

DEADLINE_DAYS = 3  # 限期 3 天: what the bureau's task sheets give unless the inspector says otherwise
MAX_TEXT = 500  # a description or a note
MAX_NAME = 100  # a unit, a person, an inspector


class FormRefused(ValueError):
    """A form not saved; ``texts`` says every field to fix, in both languages."""

    def __init__(self, texts: Sequence[Text]) -> None:
        super().__init__(len(texts))
        self.texts = list(texts)


@dataclass(frozen=True)
class Unit:
    """Who must fix a problem: the kind of unit (vocabulary ``unit_type``), its name, a person and a phone."""

    unit_type: str
    unit_name: str
    person: str | None
    phone: str | None


def unit_refusals(unit: Unit) -> list[Text]:
    """What is wrong with ``unit``: no name, a name too long, a phone that cannot be dialled.

    >>> [text.zh for text in unit_refusals(Unit("street", "东街街道", None, "0731-8888"))]
    ['联系电话“0731-8888”不对：请填 11 位手机号，或带区号的座机号（如 0731-88886666）。']
    """
    refusals = []
    if unit.unit_type not in vocab.codes("unit_type"):
        refusals.append(t("form_unit_type_missing"))
    if not unit.unit_name.strip():
        refusals.append(t("form_unit_missing"))
    for value in (unit.unit_name, unit.person or ""):
        if len(value.strip()) > MAX_NAME:
            refusals.append(t("form_too_long", limit=MAX_NAME))
    if (unit.phone or "").strip() and phone_number(unit.phone) is None:
        refusals.append(t("form_phone_invalid", phone=unit.phone.strip()))
    return refusals


def _checked_unit(unit: Unit) -> Unit:
    return Unit(unit.unit_type, unit.unit_name.strip(), (unit.person or "").strip() or None,
                phone_number(unit.phone) if (unit.phone or "").strip() else None)


def _deadline(found: dt.date, deadline: dt.date | None) -> dt.date:
    return deadline if deadline is not None else found + dt.timedelta(days=DEADLINE_DAYS)


def new_problem(kind: str, place_id: str | None, place_name: str | None, found: dt.date, category: str | None,
                description: str, unit: Unit, deadline: dt.date | None = None) -> NewProblem:
    """The problem a 登记问题 form describes, or :class:`FormRefused` naming every field to fix."""
    refusals = []
    if not place_id:
        refusals.append(t("form_place_missing"))
    if category not in vocab.codes("problem_category"):
        refusals.append(t("form_category_missing"))
    if not description.strip():
        refusals.append(t("form_description_missing"))
    elif len(description.strip()) > MAX_TEXT:
        refusals.append(t("form_too_long", limit=MAX_TEXT))
    refusals += unit_refusals(unit)
    if _deadline(found, deadline) < found:
        refusals.append(t("form_deadline_before_found"))
    if refusals:
        raise FormRefused(refusals)
    unit = _checked_unit(unit)
    return NewProblem(kind, str(place_id), str(place_name or place_id), found, category, description.strip(),
                      unit.unit_type, unit.unit_name, unit.person, unit.phone, _deadline(found, deadline))


def new_inspection(kind: str, place_id: str | None, place_name: str | None, day: dt.date, inspectors: str,
                   items: Sequence[CheckItem], answers: Mapping[str, str | None], notes: str, unit: Unit,
                   deadline: dt.date | None = None) -> tuple[NewInspection, list[NewProblem]]:
    """The inspection an 现场检查 form describes and the problems its failed items become (one per failed item,
    its category the item's, its unit the one the form names once), or :class:`FormRefused`.

    >>> items = (CheckItem("c_gate", "只留一个出入口", "One gate", "gate"),
    ...          CheckItem("c_temp", "逐一测温", "Temperatures", "temperature"))
    >>> unit = Unit("property", "阳光物业", None, None)
    >>> inspection, found = new_inspection("compounds", "XQ-1", "阳光小区", dt.date(2020, 2, 20), "李四", items,
    ...                                    {"c_gate": "pass", "c_temp": "fail"}, "", unit)
    >>> inspection.result, [(p.category, p.description, p.item_code, str(p.deadline)) for p in found]
    ('fail', [('temperature', '逐一测温', 'c_temp', '2020-02-23')])
    >>> try:
    ...     new_inspection("compounds", "XQ-1", "阳光小区", dt.date(2020, 2, 20), "", items, {"c_gate": "pass"}, "",
    ...                    unit)
    ... except FormRefused as refused:
    ...     print([text.zh for text in refused.texts])
    ['请填写检查人员。', '还有 1 项没有选择合格或不合格：逐一测温。']
    """
    refusals = []
    if not place_id:
        refusals.append(t("form_place_missing"))
    if not inspectors.strip():
        refusals.append(t("form_inspectors_missing"))
    elif len(inspectors.strip()) > MAX_NAME:
        refusals.append(t("form_too_long", limit=MAX_NAME))
    if len(notes.strip()) > MAX_TEXT:
        refusals.append(t("form_too_long", limit=MAX_TEXT))
    unanswered = [item for item in items if answers.get(item.code) not in ("pass", "fail")]
    if unanswered:
        refusals.append(t("form_items_unanswered", count=len(unanswered),
                          items=join((Text(item.zh, item.en) for item in unanswered), Text("、", "; "))))
    failed = [item for item in items if answers.get(item.code) == "fail"]
    if failed:
        refusals += unit_refusals(unit)
        if _deadline(day, deadline) < day:
            refusals.append(t("form_deadline_before_found"))
    if refusals:
        raise FormRefused(refusals)
    inspection = NewInspection(kind, str(place_id), str(place_name or place_id), day, inspectors.strip(),
                               {item.code: answers[item.code] for item in items}, tuple(items),
                               notes.strip() or None)
    unit = _checked_unit(unit) if failed else unit
    found = [NewProblem(kind, str(place_id), str(place_name or place_id), day, item.category, item.zh,
                        unit.unit_type, unit.unit_name, unit.person, unit.phone, _deadline(day, deadline), item.code)
             for item in failed]
    return inspection, found


def checklist_items(name: str, rows: Iterable[Mapping[str, object]]) -> list[CheckItem]:
    """The items an admin's table of checklist ``name`` gives, in order, or :class:`FormRefused`.

    Each row has ``code`` (kept when given, so that past inspections still match; made up for a new line),
    ``zh`` (needed), ``en`` (the Chinese when empty) and ``category`` (a code or a label of ``problem_category``).
    Empty rows are dropped.

    >>> rows = [{"code": "c_gate", "zh": "只留一个出入口", "en": "One gate", "category": "出入口管控"},
    ...         {"code": None, "zh": "电梯按钮消毒", "en": "", "category": "disinfection"}, {"zh": " "}]
    >>> [(i.code, i.en, i.category) for i in checklist_items("compounds", rows)]
    [('c_gate', 'One gate', 'gate'), ('compounds_2', '电梯按钮消毒', 'disinfection')]
    """
    items, refusals, seen = [], [], set()
    given = [{key: ("" if value is None or value != value else str(value).strip()) for key, value in row.items()}
             for row in rows]
    given = [row for row in given if any(row.values())]
    taken = {row.get("code") for row in given}
    for line, row in enumerate(given, start=1):
        zh, en = row.get("zh", ""), row.get("en", "")
        category = vocab.to_code("problem_category", row.get("category", "")) if row.get("category") else None
        if not zh:
            refusals.append(t("form_item_no_text", line=line))
        if category is None:
            refusals.append(t("form_item_no_category", line=line))
        if len(zh) > MAX_TEXT or len(en) > MAX_TEXT:
            refusals.append(t("form_too_long", limit=MAX_TEXT))
        code = row.get("code") or next(f"{name}_{n}" for n in range(line, line + len(given) + 2)
                                       if f"{name}_{n}" not in taken | seen)
        if code in seen:
            refusals.append(t("form_item_code_twice", line=line, code=code))
        seen.add(code)
        items.append(CheckItem(code, zh, en or zh, category or "other"))
    if not items:
        refusals.append(t("form_checklist_empty"))
    if refusals:
        raise FormRefused(refusals)
    return items


def read_photos(files: Iterable[tuple[str, bytes]], have: Sequence[int], max_bytes: int, max_total: int,
                max_count: int) -> list[Photo]:
    """The photos of ``files`` (name, bytes) as the store keeps them, added to a problem or an inspection whose
    photos have the sizes ``have``; :class:`FormRefused` naming every file refused (not a picture, too big) or the
    first one past the limits of one problem (``max_count`` photos, ``max_total`` bytes): all or nothing.

    >>> read_photos([("说明.jpg", b"<svg onload='alert(1)'/>")], [], 15_000_000, 20_000_000, 9)
    Traceback (most recent call last):
    ...
    geo.analysis.task_forms.FormRefused: 1
    >>> read_photos([], [100] * 9, 15_000_000, 20_000_000, 9)
    []
    """
    shots, refusals, sizes = [], [], list(have)
    for name, data in files:
        try:
            photo = read_photo(data, name, max_bytes)
        except PhotoRefused as refused:
            refusals.append(refused.text)
            continue
        beyond = photos_fit(sizes, len(photo.content), max_total=max_total, max_count=max_count)
        if beyond is not None:
            refusals.append(beyond)
            break
        sizes.append(len(photo.content))
        shots.append(photo)
    if refusals:
        raise FormRefused(refusals)
    return shots
