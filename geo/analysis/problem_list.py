"""The list of problems as the 问题整改 page shows and exports it: filtered, in words, overdue ones marked.

From the frame of :func:`geo.store.tasks.problems_frame` and a ``today`` passed in, so that
tests need no clock. Codes become the words of their vocabulary in the page's language;
the last column says how long a problem has been open, or by how many days it is overdue.

Examples
--------
>>> import datetime as dt
>>> frame = pd.DataFrame({
...     "id": [1, 2, 3], "kind": ["compounds", "sites", "compounds"], "place_id": ["a", "b", "c"],
...     "place_name": ["阳光小区", "城南工地", "金桂花园"], "found_on": ["2020-02-18", "2020-02-20", "2020-02-21"],
...     "category": ["gate", "site_rules", "temperature"], "description": ["东门无人值守", "未设隔离室", "未测温"],
...     "unit_type": ["property", "contractor", "property"], "unit_name": ["阳光物业", "城建公司", "阳光物业"],
...     "deadline": ["2020-02-21", "2020-02-27", "2020-02-24"], "state": ["handed_out", "rectified", "closed"],
...     "closed_at": pd.to_datetime([None, None, "2020-02-23 09:00"])})
>>> today = dt.date(2020, 2, 25)
>>> filter_problems(frame, ProblemFilters(units=("阳光物业",), overdue_only=True), today)["id"].tolist()
[1]
>>> problems_table(frame, today, "zh")[["编号", "状态", "天数"]].values.tolist()
[[1, '待整改', '超期 4 天'], [2, '待复核', '已 5 天'], [3, '已销号', '用时 2 天']]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from geo.accounts import format_time
from geo.analysis.tasks import days_open, is_open, is_overdue
from geo.domain import kind, t, vocab


@dataclass(frozen=True)
class ProblemFilters:
    """What the list is narrowed to; an empty choice is no filter."""

    states: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    overdue_only: bool = False


def filter_problems(frame: pd.DataFrame, filters: ProblemFilters, today: dt.date) -> pd.DataFrame:
    """The rows of ``frame`` that ``filters`` keep, in their order."""
    keep = pd.Series(True, index=frame.index)
    for column, chosen in (("state", filters.states), ("category", filters.categories),
                           ("unit_name", filters.units), ("kind", filters.kinds)):
        if chosen:
            keep &= frame[column].isin(chosen)
    if filters.overdue_only:
        keep &= is_overdue(frame, today)
    return frame[keep]


def days_text(frame: pd.DataFrame, today: dt.date, lang: str) -> pd.Series:
    """Per problem: 超期 N 天 (open past its deadline), 已 N 天 (open), 用时 N 天 (closed)."""
    overdue = is_overdue(frame, today)
    late = (pd.Timestamp(today) - pd.to_datetime(frame["deadline"])).dt.days
    spent = days_open(frame, today)
    keys = pd.Series("problem_days_open", index=frame.index).where(is_open(frame), "problem_days_closed")
    keys = keys.where(~overdue, "problem_days_overdue")
    return pd.Series([t(key, lang, days=int(late_days if key == "problem_days_overdue" else spent_days))
                      for key, late_days, spent_days in zip(keys, late, spent)], index=frame.index, dtype=object)


def place_kind_label(kind_name: str, lang: str) -> str:
    """The name of a kind of place (物业小区, 在建工地, …) as its page is titled."""
    return t(kind(kind_name).title, lang)


def problems_table(frame: pd.DataFrame, today: dt.date, lang: str) -> pd.DataFrame:
    """The list as shown and exported: number, place, kind, found, category, description, unit, deadline, state,
    days; in the page's language, texts as typed (escaping is the display's business, not the data's)."""
    words = {
        "problem_col_id": frame["id"].astype(int),
        "problem_col_place": frame["place_name"],
        "problem_col_kind": frame["kind"].map(lambda k: place_kind_label(k, lang)),
        "problem_col_found": frame["found_on"],
        "problem_col_category": frame["category"].map(lambda c: vocab.label("problem_category", c, lang)),
        "problem_col_description": frame["description"],
        "problem_col_unit": frame["unit_name"],
        "problem_col_deadline": frame["deadline"],
        "problem_col_state": frame["state"].map(lambda s: vocab.label("problem_state", s, lang)),
        "problem_col_days": days_text(frame, today, lang),
    }
    return pd.DataFrame({t(key, lang): values for key, values in words.items()}).reset_index(drop=True)


def history_table(events: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A problem's changes (:func:`geo.store.tasks.problem_history`) as people read them: when (local time, to the
    minute), the state it went to, who, the note, how many photos came with it.

    >>> events = pd.DataFrame({"seq": [1, 2], "state": ["handed_out", "returned"],
    ...                        "at": pd.to_datetime(["2020-02-20 01:00", "2020-02-21 02:30"]), "by": ["li", "wang"],
    ...                        "note": [None, "消毒记录缺页"], "photos": [[], [7, 8]]})
    >>> history_table(events, "en")[["State", "By", "Note", "Photos"]].values.tolist()
    [['Handed out', 'li', '', 0], ['Sent back', 'wang', '消毒记录缺页', 2]]
    """
    return pd.DataFrame({
        t("history_col_at", lang): [format_time(None if pd.isna(at) else pd.Timestamp(at).to_pydatetime())
                                    for at in events["at"]],
        t("history_col_state", lang): [vocab.label("problem_state", state, lang) for state in events["state"]],
        t("history_col_by", lang): events["by"],
        t("history_col_note", lang): events["note"].fillna(""),
        t("history_col_photos", lang): events["photos"].map(len),
    })
