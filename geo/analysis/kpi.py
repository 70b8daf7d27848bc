"""Headline figures for a report date, each with its change since the previous report date.

Examples
--------
>>> resumption_rate(pd.Series(["resumed", "applied", "missing", "resumed"]))
50.0
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from geo.analysis.days import Days, report_days
from geo.analysis.views import Thresholds, compound_view, other_views, site_view
from geo.domain import MISSING, kinds, t
from geo.store import Dataset


@dataclass(frozen=True)
class Kpi:
    key: str  # a key of geo.domain.labels
    value: float
    delta: float | None  # None when there is no previous report date
    unit: str = ""  # "%" for rates
    rise: str | None = None  # what a rise means, "good" or "bad" (see geo.domain.kinds.Figure)
    total: int | None = None  # out of how many places, for a figure counting a state ("12 / 14")

    def shown(self, lang: str) -> str:
        """The value as a tile shows it: ``92.3%``, or ``12 / 14`` when it counts a state of so many places.

        >>> Kpi("kpi_parks_open", 1, None, total=2).shown("zh"), Kpi("kpi_resumption_rate", 92.3, 1, "%").shown("en")
        ('1 / 2', '92.3%')
        """
        value = f"{self.value:g}{self.unit}"
        return value if self.total is None else t("kpi_of_total", lang, value=value, total=self.total)


def delta_arrow(change: float | None) -> str:
    """The arrow of a tile's change (Streamlit's ``delta_arrow``): none when nothing changed, since "+0" under an
    arrow up reads as a rise; else up or down by its sign.

    >>> delta_arrow(0), delta_arrow(0.0), delta_arrow(-3), delta_arrow(2.5), delta_arrow(None)
    ('off', 'off', 'auto', 'auto', 'auto')
    """
    return "off" if change == 0 else "auto"


def resumption_rate(states: pd.Series) -> float:
    """Resumed sites as a percentage of all sites (a site that did not report counts as not resumed)."""
    if len(states) == 0:
        return 0.0
    return round(100.0 * float((states == "resumed").sum()) / len(states), 1)


def figures(compounds: pd.DataFrame, sites: pd.DataFrame,
            others: Mapping[str, pd.DataFrame] | None = None) -> dict[str, float]:
    """The raw figures of one date from the views of compounds, sites and ``others`` (see :func:`other_views`;
    possibly filtered), in the order of :func:`geo.domain.kinds.figures`.

    A figure counting a state (``Figure.state``) is the number of its kind's places in it; a kind
    missing from ``others`` has none.
    """
    others = others or {}
    closure = compounds["category"].value_counts()
    short = compounds["supply_level"].isin(["low", "critical"]).sum() + sites["supply_level"].isin(
        ["low", "critical"]).sum()
    found = {
        "kpi_sealed": int(closure.get("sealed", 0)),
        "kpi_controlled": int(closure.get("controlled", 0)),
        "kpi_open": int(closure.get("open", 0)),
        "kpi_resumption_rate": resumption_rate(sites["category"]),
        "kpi_short": int(short),
        "kpi_not_reported": int(sum((view["report"] == MISSING).sum() for view in (compounds, sites, *others.values()))),
    }
    for kind in kinds.KINDS.values():
        for figure in kind.figures:
            if figure.state:
                view = others.get(kind.name)
                found[figure.key] = 0 if view is None else int((view["category"] == figure.state).sum())
    return {f.key: found[f.key] for f in kinds.figures() if f.key in found}


def _totals(others: Mapping[str, pd.DataFrame]) -> dict[str, int]:
    """Out of how many places each figure counting a state counts."""
    return {f.key: len(view) for name, view in others.items() for f in kinds.kind(name).figures if f.state}


def compute_kpis(ds: Dataset, date: str, thresholds: Thresholds = Thresholds(),
                 keep=lambda view: view, complete_share: float = 0.0, days: Days | None = None) -> list[Kpi]:
    """KPIs of ``date`` and their change since the previous comparable report date.

    ``keep`` narrows a view to the places of interest (the page's filters), the
    same way on both dates so that the change compares like with like. Comparable
    days are complete enough (``complete_share`` of the places reported, see
    :class:`geo.analysis.days.Days`): a partial day has no change, not a fake collapse.
    ``days``: the report days of ``ds`` when the caller has them already (they take seconds at 100,000 places).
    """
    before_date = (days or report_days(ds, complete_share)).before(date)
    return kpis_of(ds, narrowed_views(ds, date, thresholds, keep),
                   narrowed_views(ds, before_date, thresholds, keep) if before_date else None)


def narrowed_views(ds: Dataset, date: str, thresholds: Thresholds = Thresholds(),
                   keep=lambda view: view) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, pd.DataFrame]]:
    """The views of compounds, sites and the :func:`other_views` of ``date``, each narrowed by ``keep``."""
    return (keep(compound_view(ds, date, thresholds)), keep(site_view(ds, date, thresholds)),
            other_views(ds, date, thresholds, keep))


def kpis_of(ds: Dataset, now: tuple, before: tuple | None) -> list[Kpi]:
    """The KPIs from the :func:`narrowed_views` of a date and of the comparable date before it (None: none), for a
    caller that has those views anyway (the briefing): :func:`compute_kpis` makes them itself."""
    others = now[2]
    before = figures(*before) if before is not None else None
    now = figures(*now)
    totals = _totals(others)
    # a city without parks (none uploaded yet) has no "0 / 0 parks open" tile
    absent = {f.key for name in others if ds.layer(kinds.kind(name).layer).empty for f in kinds.kind(name).figures}
    return [
        Kpi(key, value, None if before is None else round(value - before[key], 1), kinds.figure(key).unit,
            kinds.figure(key).rise, totals.get(key))
        for key, value in now.items() if key not in absent
    ]
