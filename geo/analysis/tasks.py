"""What the loop's records say: open, overdue and closed problems, the rectification rate, the league table.

All from the frame of :func:`geo.store.tasks.problems_frame` and a ``today`` passed in,
so that tests need no clock. A problem is overdue when it is still open after its
deadline; the rectification rate (整改率) is the share of the problems found by a day
that were closed (销号) by that day.

Examples
--------
>>> import datetime as dt
>>> frame = pd.DataFrame({
...     "id": [1, 2, 3, 4], "kind": "compounds", "place_id": ["a", "a", "b", "c"],
...     "found_on": ["2020-02-18", "2020-02-19", "2020-02-20", "2020-02-24"],
...     "deadline": ["2020-02-21", "2020-02-22", "2020-02-27", "2020-02-27"],
...     "state": ["closed", "handed_out", "rectified", "handed_out"],
...     "closed_at": pd.to_datetime(["2020-02-20 10:00", None, None, None]),
...     "unit_name": ["阳光物业", "阳光物业", "城建公司", "城建公司"], "street": ["东街", "东街", "西街", "西街"]})
>>> figures = task_figures(frame, dt.date(2020, 2, 25))
>>> figures.open, figures.overdue, figures.closed_week, figures.rate, figures.rate_change
(3, 1, 1, 25.0, 25.0)
>>> league(frame, "unit_name", dt.date(2020, 2, 25))[["unit_name", "problems", "overdue", "rate"]].values.tolist()
[['阳光物业', 2, 1, 50.0], ['城建公司', 2, 0, 0.0]]
>>> open_by_place(frame, dt.date(2020, 2, 25)).to_dict("records")[0]
{'kind': 'compounds', 'place_id': 'a', 'open': 1, 'overdue': 1}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from geo.domain import t
from geo.domain.tasks import OPEN_STATES, UNFIXED_STATES
from geo.store import Dataset

WEEK = 7  # days: "closed this week", and the rate's change is against a week before


def as_of(frame: pd.DataFrame, report_day: str | None, today: dt.date) -> dt.date:
    """The day the loop's figures are counted on: ``today``, unless the newest records (the report day shown,
    the problems found and changed) are older. A store of past data (the demo city's February 2020) is counted
    on its last day, not with every open problem years overdue.

    >>> frame = pd.DataFrame({"found_on": ["2020-02-24"], "changed_at": pd.to_datetime(["2020-02-25 09:00"])})
    >>> as_of(frame, "2020-02-25", dt.date(2026, 12, 5)), as_of(frame, "2026-12-05", dt.date(2026, 12, 5))
    (datetime.date(2020, 2, 25), datetime.date(2026, 12, 5))
    """
    days = [report_day] if report_day else []
    if len(frame):
        days += [str(frame["found_on"].max()), str(frame["changed_at"].max().date())]
    return min(today, dt.date.fromisoformat(max(days))) if days else today


def is_open(frame: pd.DataFrame) -> pd.Series:
    return frame["state"].isin(OPEN_STATES)


def is_overdue(frame: pd.DataFrame, today: dt.date) -> pd.Series:
    """Not yet fixed after its deadline (the deadline day itself is still in time). A fix reported and waiting
    for the bureau's re-check (待复核) is not overdue: the unit has done its part by then."""
    return frame["state"].isin(UNFIXED_STATES) & (frame["deadline"] < today.isoformat())


def days_open(frame: pd.DataFrame, today: dt.date) -> pd.Series:
    """Days from being found to being closed, or to ``today`` while open."""
    found = pd.to_datetime(frame["found_on"])
    end = frame["closed_at"].dt.normalize().fillna(pd.Timestamp(today))
    return (end - found).dt.days.clip(lower=0)


def rate_on(frame: pd.DataFrame, day: dt.date) -> float | None:
    """The share (%) of the problems found by ``day`` that were closed by the end of it; None when none was found."""
    found = frame[frame["found_on"] <= day.isoformat()]
    if found.empty:
        return None
    closed = found["closed_at"].notna() & (found["closed_at"] < pd.Timestamp(day + dt.timedelta(days=1)))
    return round(100 * float(closed.mean()), 1)


@dataclass(frozen=True)
class TaskFigures:
    """The loop's headline figures on a day."""

    open: int
    overdue: int
    closed_week: int  # closed in the seven days up to today
    rate: float | None  # 整改率, %
    rate_change: float | None  # against a week before, percentage points


def task_figures(frame: pd.DataFrame, today: dt.date) -> TaskFigures:
    """The figures of the overview and the wall (see the module)."""
    week_start = pd.Timestamp(today - dt.timedelta(days=WEEK - 1))
    closed_week = int((frame["closed_at"].notna() & (frame["closed_at"] >= week_start)
                       & (frame["closed_at"] < pd.Timestamp(today + dt.timedelta(days=1)))).sum())
    rate, before = rate_on(frame, today), rate_on(frame, today - dt.timedelta(days=WEEK))
    change = None if rate is None or before is None else round(rate - before, 1)
    return TaskFigures(int(is_open(frame).sum()), int(is_overdue(frame, today).sum()), closed_week, rate, change)


def league(frame: pd.DataFrame, by: str, today: dt.date) -> pd.DataFrame:
    """Problems, open, overdue, closed, rate (%) and average days to close, by ``by`` (a column: the responsible
    unit, the street); the most overdue first."""
    work = frame.assign(open=is_open(frame), overdue=is_overdue(frame, today), closed=frame["closed_at"].notna(),
                        days=days_open(frame, today).where(frame["closed_at"].notna()))
    table = (work.groupby(by, sort=False, dropna=False)
             .agg(problems=("id", "size"), open=("open", "sum"), overdue=("overdue", "sum"),
                  closed=("closed", "sum"), days=("days", "mean"))
             .reset_index())
    table["rate"] = (100 * table["closed"] / table["problems"]).round(1)
    table["days"] = table["days"].round(1)
    table[["open", "overdue", "closed"]] = table[["open", "overdue", "closed"]].astype(int)
    return (table.sort_values(["overdue", "open", "problems"], ascending=False, kind="stable")
            .reset_index(drop=True)[[by, "problems", "open", "overdue", "closed", "rate", "days"]])


def open_by_place(frame: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """For each place with open problems: how many, and how many of them are overdue."""
    work = frame[is_open(frame)].assign(overdue=lambda f: is_overdue(f, today))
    return (work.groupby(["kind", "place_id"], sort=False)
            .agg(open=("id", "size"), overdue=("overdue", "sum")).reset_index()
            .astype({"open": int, "overdue": int}))


def of_places(frame: pd.DataFrame, views: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The problems of the places in ``views`` (kind → a view with ``id``): those the page's filters keep.

    >>> frame = pd.DataFrame({"kind": ["compounds", "sites", "compounds"], "place_id": ["a", "s", "b"]})
    >>> of_places(frame, {"compounds": pd.DataFrame({"id": ["a"]})})["place_id"].tolist()
    ['a']
    """
    keep = pd.Series(False, index=frame.index)
    for kind, view in views.items():
        keep |= (frame["kind"] == kind) & frame["place_id"].isin(set(view["id"].astype(str)))
    return frame.loc[keep]


def with_streets(problems: pd.DataFrame, dataset: Dataset) -> pd.DataFrame:
    """``problems`` with the ``street`` (and ``district``) of each place: the zone the place is in (named in its
    row or found by the store's spatial join), and that zone's street; missing for a place the city no longer has,
    or one in no zone, or a city whose zones name no street."""
    zones = pd.DataFrame(dataset.zones.drop(columns="geometry", errors="ignore"))
    zones = zones.reindex(columns=["id", "street", "district"]).rename(columns={"id": "zone"})
    parts = []
    for kind in problems["kind"].dropna().unique():
        places = dataset.tables.get(kind)
        if places is None or places.empty or "zone" not in places:
            continue
        parts.append(pd.DataFrame({"kind": kind, "place_id": places["id"].astype(str),
                                   "zone": places["zone"].astype("string")}))
    if not parts:
        return problems.assign(street=pd.Series(pd.NA, index=problems.index, dtype="string"),
                               district=pd.Series(pd.NA, index=problems.index, dtype="string"))
    placed = (pd.concat(parts, ignore_index=True).drop_duplicates(["kind", "place_id"])
              .merge(zones.astype({"zone": "string"}), on="zone", how="left"))
    out = problems.drop(columns=["street", "district"], errors="ignore").merge(
        placed[["kind", "place_id", "street", "district"]], on=["kind", "place_id"], how="left")
    out.index = problems.index
    for column in ("street", "district"):
        text = out[column].astype("string").str.strip()
        out[column] = text.where(text != "")
    return out


#: The columns of a league table as shown (page and documents), after the column it is grouped by.
LEAGUE_SHOWN = {"problems": "league_col_problems", "open": "league_col_open", "overdue": "league_col_overdue",
                "rate": "league_col_rate", "days": "league_col_days"}


def league_table(frame: pd.DataFrame, by: str, today: dt.date, lang: str) -> pd.DataFrame:
    """:func:`league` by ``by`` ('unit_name' or 'street') for a person to read: headers in ``lang``, a blank
    street named as such, rate (%) and average days to close as numbers (missing when nothing was closed).

    >>> frame = pd.DataFrame({"id": [1, 2], "state": ["closed", "handed_out"], "found_on": "2020-02-18",
    ...     "deadline": "2020-02-21", "closed_at": pd.to_datetime(["2020-02-20", None]), "street": [None, "东街"]})
    >>> league_table(frame, "street", dt.date(2020, 2, 25), "zh").values.tolist()
    [['东街', 1, 1, 1, 0.0, nan], ['未划分街道', 1, 0, 0, 100.0, 2.0]]
    """
    table = league(frame, by, today)
    name = t("league_col_unit" if by == "unit_name" else "league_col_street", lang)
    names = table[by].astype("string").str.strip()
    blank = t("league_no_street", lang) if by == "street" else "—"
    table[by] = names.where(names.notna() & (names != ""), blank).astype(object)
    return table[[by, *LEAGUE_SHOWN]].rename(columns={by: name, **{k: t(v, lang) for k, v in LEAGUE_SHOWN.items()}})
