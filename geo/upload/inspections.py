"""Inspections uploaded as a table: one row a visit, one column a checklist item, 合格 or 不合格 in each.

The office's sheet of a day's inspections, as the teams fill it in Excel (or export it
as CSV, GBK or UTF-8): the date, the place (its id, or its name when the sheet has no
ids), the inspectors, a column per item of the kind's checklist (:func:`template` writes
the headers), notes, and who must fix what failed by when. Every row is checked before
anything is stored, with the same plain Chinese problems as the other uploads (row,
column, what to write instead), grouped when they repeat; a failed item becomes a
problem handed out to the row's responsible unit, three days to fix unless the row says.

Examples
--------
>>> import pandas as pd
>>> from geo.domain.tasks import DEFAULT_CHECKLISTS
>>> items = DEFAULT_CHECKLISTS["compounds"][:2]
>>> places = pd.DataFrame({"id": ["0501", "0502"], "name": ["金桂花园", "温泉名城"]})
>>> sheet = ("检查日期,小区名称,检查人员,只留一个出入口，其余出入口封闭,进出人员、车辆逐一登记,责任单位\\r\\n"
...          "2020-02-25,金桂花园,督导组,合格,×,安居物业\\r\\n2020-02-25,温泉名城,督导组,√,√,\\r\\n")
>>> found = read_inspections(sheet.encode("gb18030"), "检查表.csv", "compounds", items, places,
...                          today=dt.date(2020, 2, 26))
>>> [(i.place_id, i.result, [p.item_code for p in f]) for i, f in found.rows], found.problems
([('0501', 'fail', ['c_register']), ('0502', 'pass', [])], [])
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from geo.domain import Problem, t, vocab
from geo.domain.schema import Column, Table
from geo.domain.tasks import CheckItem
from geo.domain.text import Text
from geo.io.export import to_xlsx_bytes
from geo.io.read import match_headers, parse_dates, raw_rows, short
from geo.store.tasks import NewInspection, NewProblem
from geo.upload.check import suggest

DEADLINE_DAYS = 3  # a failed item's deadline when the row gives none

#: The sheet's own columns, before and after the checklist's items.
FIXED = (
    Column("date", "检查日期", "Date", "date", True, ("日期", "督导日期")),
    Column("place_id", "场所编号", "Place ID", aliases=("小区编号", "工地编号", "编号")),
    Column("place_name", "场所名称", "Place name", aliases=("小区名称", "项目名称", "工地名称", "名称", "场所", "小区", "工地", "项目", "点位")),
    Column("inspectors", "检查人员", "Inspectors", aliases=("检查人", "督导人员", "检查组")),
    Column("notes", "备注", "Notes", aliases=("说明", "检查情况")),
    Column("unit_name", "责任单位", "Responsible unit", aliases=("整改单位", "物业公司", "施工单位")),
    Column("person", "责任人", "Responsible person", aliases=("联系人", "负责人")),
    Column("phone", "联系电话", "Phone", aliases=("电话", "手机", "手机号")),
    Column("deadline", "整改期限", "Deadline", "date", aliases=("期限", "整改时限")),
)


def sheet_table(items: tuple[CheckItem, ...] | list[CheckItem]) -> Table:
    """The sheet's columns for a checklist: the fixed ones with an item's words (or code) as its header."""
    columns = [*FIXED[:4], *(Column(f"item:{item.code}", item.zh, item.en, "code:inspection_result",
                                    aliases=(item.code,)) for item in items), *FIXED[4:]]
    return Table("inspections", "inspections.xlsx", "检查记录", "Inspections", tuple(columns))


def template(items: tuple[CheckItem, ...] | list[CheckItem]) -> bytes:
    """An empty sheet with the checklist's headers, as .xlsx, and a second sheet saying what to write."""
    table = sheet_table(items)
    empty = pd.DataFrame(columns=[column.zh for column in table.columns])
    what = pd.DataFrame([{t("template_header", "zh"): column.zh,
                          t("template_required", "zh"): t("template_must" if column.required or column.vocabulary
                                                          else "template_may", "zh"),
                          t("template_what", "zh"): t("inspection_sheet_item" if column.vocabulary
                                                      else f"inspection_sheet_{column.name}", "zh")}
                         for column in table.columns])
    results = [term.zh for term in vocab.VOCABULARIES["inspection_result"]]
    return to_xlsx_bytes(empty, "检查记录", extra={t("template_sheet", "zh"): what},
                         choices={column.zh: results for column in table.columns if column.vocabulary})


@dataclass
class InspectionSheet:
    """What a sheet holds: each row's inspection with the problems its failed items become, and what is wrong."""

    rows: list[tuple[NewInspection, list[NewProblem]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def found(self) -> int:
        return sum(len(found) for _, found in self.rows)


def _refusal(name: str, key: str, **values) -> InspectionSheet:
    return InspectionSheet([], [Problem.of(name, None, None, None, key, **values)])


def read_inspections(data: bytes, name: str, kind: str, items: tuple[CheckItem, ...] | list[CheckItem],
                     places: pd.DataFrame, today: dt.date) -> InspectionSheet:
    """Read and check a sheet of inspections of places of ``kind`` (``places``: their id and name)."""
    table = sheet_table(items)
    try:
        raw = raw_rows(data, None)
    except Exception as exc:  # a broken file of any kind is a message, never a traceback
        return _refusal(name, "read_unreadable_table", detail=short(exc))
    top = next((i for i in range(min(10, len(raw)))
                if len(match_headers([str(v) for v in raw.iloc[i] if isinstance(v, str)], table)) >= 2), 0)
    if raw.empty:
        return _refusal(name, "read_empty")
    headers = [str(h).strip() if isinstance(h, str) else "" for h in raw.iloc[top].tolist()]
    mapping = match_headers([h for h in headers if h], table)
    at = {column: headers.index(header) for header, column in mapping.items()}
    header_of = {column: header for header, column in mapping.items()}
    asked = [item for item in items if f"item:{item.code}" in at]
    if "date" not in at or not ({"place_id", "place_name"} & set(at)) or not asked:
        return _refusal(name, "inspection_sheet_columns", items="、".join(f"“{item.zh}”" for item in items[:3]))
    body = raw.iloc[top + 1:]
    body = body.loc[body.notna().any(axis=1)]
    rows = pd.DataFrame({column: body[position].astype("string").str.strip() for column, position in at.items()})
    rows.index = [int(i) + 1 for i in body.index]  # as a spreadsheet numbers them
    problems: list[Problem] = []

    def problem(row, column, key, **values) -> None:
        value = rows.at[row, column] if column in rows else None
        problems.append(Problem.of(name, row, header_of.get(column), None if pd.isna(value) else value, key,
                                   **values))

    dates = parse_dates(rows["date"])
    deadlines = parse_dates(rows["deadline"]) if "deadline" in rows else pd.Series(pd.NA, index=rows.index)
    ids = dict(zip(places["id"].astype(str), places["name"].astype(str)))
    by_name: dict[str, list[str]] = {}
    for place, place_name in ids.items():
        by_name.setdefault(place_name, []).append(place)
    sheet = InspectionSheet()
    for row in rows.index:
        count = len(problems)
        date = dates[row]
        if pd.isna(date):
            problem(row, "date", "inspection_sheet_bad_date")
        elif date > today.isoformat():
            problem(row, "date", "rule_not_future", value=date)
        place = _place(rows, row, ids, by_name)
        if isinstance(place, Text):
            column = "place_id" if "place_id" in rows and not pd.isna(rows.at[row, "place_id"]) else "place_name"
            problems.append(Problem(name, row, header_of.get(column), None, place, key="inspection_sheet_place"))
        results: dict[str, str] = {}
        for item in asked:
            cell = rows.at[row, f"item:{item.code}"]
            code = vocab.to_code("inspection_result", cell) if not pd.isna(cell) else None
            if code is None:
                problem(row, f"item:{item.code}", "inspection_sheet_result")
            else:
                results[item.code] = code
        failed = [item for item in asked if results.get(item.code) == "fail"]
        unit = _text(rows, row, "unit_name")
        if failed and not unit:
            problem(row, "unit_name", "inspection_sheet_no_unit")
        deadline = deadlines[row]
        if failed and not pd.isna(deadline) and not pd.isna(date) and deadline < date:
            problem(row, "deadline", "inspection_sheet_deadline_before", date=date)
        if len(problems) > count:
            continue
        day = dt.date.fromisoformat(date)
        place_id = place
        inspection = NewInspection(kind, place_id, ids[place_id], day, _text(rows, row, "inspectors") or "—",
                                   results, tuple(asked), _text(rows, row, "notes"))
        due = dt.date.fromisoformat(deadline) if not pd.isna(deadline) else day + dt.timedelta(days=DEADLINE_DAYS)
        found = [NewProblem(kind, place_id, ids[place_id], day, item.category, item.zh,
                            "property" if kind == "compounds" else "contractor" if kind == "sites" else "operator",
                            unit, _text(rows, row, "person"), _text(rows, row, "phone"), due, item.code)
                 for item in failed]
        sheet.rows.append((inspection, found))
    sheet.problems = problems
    return sheet


def _text(rows: pd.DataFrame, row: int, column: str) -> str | None:
    if column not in rows or pd.isna(rows.at[row, column]):
        return None
    return str(rows.at[row, column]).strip() or None


def _place(rows: pd.DataFrame, row: int, ids: dict[str, str], by_name: dict[str, list[str]]) -> str | Text:
    """The id of the row's place, or what is wrong (unknown, or a name several places have)."""
    given = _text(rows, row, "place_id")
    named = _text(rows, row, "place_name")
    places = pd.DataFrame({"id": list(ids), "name": list(ids.values())})
    if given:
        if given in ids:
            return given
        near = suggest(given, named, places)
        return t("inspection_sheet_unknown_place", value=given, near="、".join(near) or "—")
    if not named:
        return t("inspection_sheet_no_place")
    matches = by_name.get(named, [])
    if len(matches) == 1:
        return matches[0]
    if matches:
        return t("inspection_sheet_same_name", value=named, ids="、".join(matches[:5]))
    near = suggest(named, named, places)
    return t("inspection_sheet_unknown_place", value=named, near="、".join(near) or "—")
