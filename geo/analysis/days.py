"""Which report day is the current one: the newest day complete enough, not the newest date in the data.

Reports trickle in every morning: a day with 8 of 248 places reported is not a
collapse of every figure, it is a day being reported. So a day is shown as the
current one only when enough places have reported on it (the setting
``complete_share``) or when a person chooses it; until then pages and the wall
stay on the last complete day and say how far the new day has got. Changes
(the KPI deltas, the "previous" state of a place) compare complete days only.

Examples
--------
>>> days = Days(("2020-02-24", "2020-02-25"), {"2020-02-24": 248, "2020-02-25": 37}, total=248, share=0.9)
>>> days.current, days.pending, days.before("2020-02-24")
('2020-02-24', ('2020-02-25',), None)
>>> days.before("2020-02-25") is None  # a partial day is compared with nothing
True
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np

from geo.analysis.lookup import column_codes, distinct_pairs, place_rows
from geo.analysis.views import report_dates
from geo.domain import Text, kinds, t
from geo.store import Dataset


@dataclass(frozen=True)
class Days:
    """Every report date with how many places reported on it, and the share that makes a day complete."""

    dates: tuple[str, ...]  # oldest first
    reported: dict[str, int] = field(repr=False)  # places with a report, per date
    total: int  # places that report (compounds and sites)
    share: float  # of ``total``; see :meth:`complete`

    def complete(self, date: str | None) -> bool:
        """Whether ``date`` is complete enough: at most ``1 - share`` of the places without a report, rounded up,
        so that in a small city one late place does not hold its day back.

        >>> Days(("d",), {"d": 4}, total=5, share=0.9).complete("d"), Days(("d",), {"d": 3}, 5, 0.9).complete("d")
        (True, False)
        """
        if date is None:
            return False
        allowed_missing = math.ceil(round((1.0 - self.share) * self.total, 9))
        return self.total - self.reported.get(date, 0) <= allowed_missing

    @property
    def current(self) -> str | None:
        """The day shown when nobody chose one: the newest complete day, else the newest (none is complete)."""
        complete = [d for d in self.dates if self.complete(d)]
        if complete:
            return complete[-1]
        return self.dates[-1] if self.dates else None

    @property
    def pending(self) -> tuple[str, ...]:
        """Days newer than the current one: being reported, not shown unless chosen."""
        current = self.current
        return tuple(d for d in self.dates if current is not None and d > current)

    def before(self, date: str | None) -> str | None:
        """The complete day before ``date`` to compare it with, or None (``date`` itself is not complete)."""
        if not self.complete(date):
            return None
        earlier = [d for d in self.dates if d < date and self.complete(d)]
        return earlier[-1] if earlier else None

    def progress(self, date: str, today: dt.date) -> Text:
        """'今日已报告 37/248' for the calendar day, else the date's own line ('2020-02-26 已报告 8/248')."""
        counts = {"reported": self.reported.get(date, 0), "total": self.total}
        if date == today.isoformat():
            return t("progress_today", **counts)
        return t("progress_date", date=date, **counts)


def reported_places(ds: Dataset) -> tuple[dict[str, int], int]:
    """Per report date, the places (of the kinds with places of their own) that reported; and all such places.

    A report naming no known place counts for none: it is not a place of the city.
    """
    reported: dict[str, int] = {}
    total = 0
    for entry in kinds.reporting_kinds():
        if entry.layer is None:  # supplies: reported by the compounds and sites, not places of their own
            continue
        total += ds.layer(entry.layer)["id"].astype("string").nunique()
        places = place_rows(ds, entry.report, entry.layer)  # positions, found once (a million places: 3 s)
        codes, dates = column_codes(ds, entry.report, "date")
        sent = (places >= 0) & (codes >= 0)
        once = distinct_pairs(places[sent], codes[sent], len(dates))  # each place once a date
        for date, count in zip(dates, np.bincount(once % max(1, len(dates)), minlength=len(dates))):
            if count:
                reported[date] = reported.get(date, 0) + int(count)
    return reported, total


def report_days(ds: Dataset, share: float) -> Days:
    """The report dates of ``ds`` (every status table's) with their completeness; ``share`` 0: every day counts."""
    reported, total = reported_places(ds)
    return Days(tuple(report_dates(ds)), reported, total, share)


def neighbours(date: str | None, dates: list[str]) -> dict[int, str]:
    """The report dates just before (-1) and after (1) ``date`` among ``dates`` (oldest first), where there are.

    >>> neighbours("2020-02-26", ["2020-02-25", "2020-02-26"])
    {-1: '2020-02-25'}
    """
    if len(dates) < 2 or date not in dates:
        return {}
    at = dates.index(date)
    return {by: dates[at + by] for by in (-1, 1) if 0 <= at + by < len(dates)}
