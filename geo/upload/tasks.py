"""Reading a file of the loop's records (``tasks.json``): inspections and problems with their histories.

The data folder may hold one beside its tables (the demo city's week of inspections
does), and a new store reads it once, after the places it names. Each problem's history
is replayed through :func:`geo.store.tasks.move_problem`, so that a record the loop
would not allow (closed before it was fixed, a state that does not exist) is refused
like a bad row of a table: named, with the fix, and nothing of that problem stored.

Examples
--------
>>> from geo.store import connect
>>> engine = connect("sqlite://")
>>> text = '''{"inspections": [], "problems": [{"kind": "compounds", "place_id": "X1", "place_name": "阳光小区",
...   "found_on": "2020-02-20", "category": "gate", "description": "东门无人", "unit_type": "property",
...   "unit_name": "阳光物业", "deadline": "2020-02-23", "history": [
...   {"state": "handed_out", "at": "2020-02-20T10:00:00", "by": "督导组"},
...   {"state": "closed", "at": "2020-02-21T10:00:00", "by": "督导组"}]}]}'''
>>> stored, problems = import_tasks(engine, text.encode(), "tasks.json")
>>> stored, [p.zh for p in problems]
(0, ['tasks.json 第 1 个问题：不能从“待整改”直接变为“已销号”。请按 待整改 → 整改中 → 待复核 → 已销号 的顺序记录。'])
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy.engine import Engine

from geo.domain import t, vocab
from geo.domain.tasks import DEFAULT_CHECKLISTS, FIRST_STATE, checklist_of, inspected_kinds, step
from geo.domain.text import Text
from geo.store.tasks import NewInspection, NewProblem, ProblemRefused, file_problem, move_problem, record_inspection

FILE = "tasks.json"
BY = "导入"  # who filed a record whose history names nobody


def _date(value) -> dt.date:
    return dt.date.fromisoformat(str(value)[:10])


def _moment(value) -> dt.datetime:
    return dt.datetime.fromisoformat(str(value))


def _problem_of(record: dict) -> NewProblem:
    kind, category, unit_type = record["kind"], record["category"], record["unit_type"]
    if kind not in inspected_kinds() or category not in vocab.codes("problem_category") \
            or unit_type not in vocab.codes("unit_type"):
        raise ValueError
    return NewProblem(kind, str(record["place_id"]), str(record["place_name"]), _date(record["found_on"]), category,
                      str(record["description"]), unit_type, str(record["unit_name"]), record.get("person"),
                      record.get("phone"), _date(record["deadline"]), record.get("item_code"))


def _wrong_step(history: list[dict]) -> Text | None:
    """What is wrong with a history's order of states, or None."""
    states = [entry.get("state") for entry in history]
    if not states or states[0] != FIRST_STATE:
        return t("tasks_file_first_state", state=vocab.term("problem_state", FIRST_STATE).text)
    for start, to in zip(states, states[1:]):
        if to not in vocab.codes("problem_state"):
            return t("tasks_file_unknown_state", state=str(to))
        if step(start, to) is None:
            return t("tasks_file_wrong_step", start=vocab.term("problem_state", start).text,
                     to=vocab.term("problem_state", to).text)
    if any(entry.get("state") == "returned" and not str(entry.get("note") or "").strip() for entry in history):
        return t("task_step_needs_note")
    return None


def import_tasks(engine: Engine, data: bytes, name: str = FILE, by: str = BY) -> tuple[int, list[Text]]:
    """Store the inspections and problems of a records file; returns the problems stored and what was refused.

    A problem whose history breaks the loop's steps, or whose fields cannot be read, is
    refused alone (said with its number in the file); the others are stored.
    """
    try:
        records = json.loads(data.decode("utf-8-sig"))
        inspections, problems = records["inspections"], records["problems"]
    except (ValueError, KeyError, TypeError):
        return 0, [t("tasks_file_unreadable", file=name)]
    refused: list[Text] = []
    numbers: dict[str, int] = {}  # an inspection's number in the file → its id, for its problems
    for n, record in enumerate(inspections, start=1):
        try:
            items = DEFAULT_CHECKLISTS[checklist_of(record["kind"])]
            inspection = NewInspection(record["kind"], str(record["place_id"]), str(record["place_name"]),
                                       _date(record["date"]), str(record["inspectors"]), dict(record["results"]),
                                       items, record.get("notes"))
        except (ValueError, KeyError, TypeError):
            refused.append(t("tasks_file_bad_inspection", file=name, number=n))
            continue
        numbers[str(record.get("number", n))] = record_inspection(
            engine, inspection, by=inspection.inspectors, source="file", file_name=name,
            at=dt.datetime.combine(inspection.inspected_on, dt.time(9)))
    stored = 0
    for n, record in enumerate(problems, start=1):
        history = record.get("history") or []
        try:
            problem = _problem_of(record)
            moments = [_moment(entry["at"]) for entry in history]
        except (ValueError, KeyError, TypeError):
            refused.append(t("tasks_file_bad_problem", file=name, number=n))
            continue
        wrong = _wrong_step(history)
        if wrong is not None:
            refused.append(t("tasks_file_problem", file=name, number=n, reason=wrong))
            continue
        pid = file_problem(engine, problem, by=history[0].get("by") or by, at=moments[0],
                           inspection_id=numbers.get(str(record.get("inspection"))))
        try:
            for seq, (entry, moment) in enumerate(zip(history[1:], moments[1:]), start=1):
                move_problem(engine, pid, seen=seq, to=entry["state"], by=entry.get("by") or by, role="admin",
                             note=entry.get("note"), at=moment, imported=True)
        except ProblemRefused as refusal:  # checked above: only a change made meanwhile by someone else
            refused.append(t("tasks_file_problem", file=name, number=n, reason=refusal.text))
        stored += 1
    return stored, refused
