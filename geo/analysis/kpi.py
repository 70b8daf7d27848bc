"""Headline figures for a report date, each with its change since the previous report date.

Examples
--------
>>> resumption_rate(pd.Series(["resumed", "applied", "missing", "resumed"]))
50.0
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.analysis.days import report_days
from geo.analysis.views import Thresholds, compound_view, site_view
from geo.domain import MISSING, kinds
from geo.store import Dataset


@dataclass(frozen=True)
class Kpi:
    key: str  # a key of geo.domain.labels
    value: float
    delta: float | None  # None when there is no previous report date
    unit: str = ""  # "%" for rates
    rise: str | None = None  # what a rise means, "good" or "bad" (see geo.domain.kinds.Figure)


def resumption_rate(states: pd.Series) -> float:
    """Resumed sites as a percentage of all sites (a site that did not report counts as not resumed)."""
    if len(states) == 0:
        return 0.0
    return round(100.0 * float((states == "resumed").sum()) / len(states), 1)


def figures(compounds: pd.DataFrame, sites: pd.DataFrame) -> dict[str, float]:
    """The raw figures of one date from the compound and site views (possibly filtered)."""
    closure = compounds["category"].value_counts()
    short = compounds["supply_level"].isin(["low", "critical"]).sum() + sites["supply_level"].isin(
        ["low", "critical"]).sum()
    return {
        "kpi_sealed": int(closure.get("sealed", 0)),
        "kpi_controlled": int(closure.get("controlled", 0)),
        "kpi_open": int(closure.get("open", 0)),
        "kpi_resumption_rate": resumption_rate(sites["category"]),
        "kpi_short": int(short),
        "kpi_not_reported": int((compounds["report"] == MISSING).sum() + (sites["report"] == MISSING).sum()),
    }


def compute_kpis(ds: Dataset, date: str, thresholds: Thresholds = Thresholds(),
                 keep=lambda view: view, complete_share: float = 0.0) -> list[Kpi]:
    """KPIs of ``date`` and their change since the previous comparable report date.

    ``keep`` narrows a view to the places of interest (the page's filters), the
    same way on both dates so that the change compares like with like. Comparable
    days are complete enough (``complete_share`` of the places reported, see
    :class:`geo.analysis.days.Days`): a partial day has no change, not a fake collapse.
    """
    now = figures(keep(compound_view(ds, date, thresholds)), keep(site_view(ds, date, thresholds)))
    before_date = report_days(ds, complete_share).before(date)
    before = (figures(keep(compound_view(ds, before_date, thresholds)), keep(site_view(ds, before_date, thresholds)))
              if before_date else None)
    return [
        Kpi(key, value, None if before is None else round(value - before[key], 1), kinds.figure(key).unit,
            kinds.figure(key).rise)
        for key, value in now.items()
    ]
