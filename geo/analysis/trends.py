"""Day-by-day figures over the report dates: the trends page, the history page, the district comparison.

One function gives every chart its figures (:func:`daily_figures`), the same :func:`geo.analysis.kpi.figures`
the overview's tiles show for one date, for the places the page's filters keep.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from geo.analysis.kpi import figures
from geo.analysis.views import (
    Thresholds,
    compound_view,
    other_kinds,
    other_views,
    place_view,
    report_dates,
    site_view,
)
from geo.domain import kinds
from geo.store import Dataset

Keep = Callable[[pd.DataFrame], pd.DataFrame]


def _identity(view: pd.DataFrame) -> pd.DataFrame:
    return view


def _dates(ds: Dataset, until: str | None, last: int | None) -> list[str]:
    dates = [d for d in report_dates(ds) if until is None or d <= until]
    return dates[-last:] if last else dates


def daily_figures(ds: Dataset, thresholds: Thresholds = Thresholds(), keep: Keep = _identity,
                  until: str | None = None, last: int | None = None, known: pd.DataFrame | None = None,
                  view: Callable[[str, str], pd.DataFrame] | None = None) -> pd.DataFrame:
    """One row per report date (up to ``until``, the ``last`` ones), one column per headline figure (the KPI
    keys), of the places ``keep`` leaves in each view (the page's filters).

    ``known``: rows of dates whose figures are known already (the same places, filters and thresholds, every
    report up to that date unchanged), taken as they are: a new day's import makes one day's views, not
    every day's again. ``view(kind, date)``: the view of a kind of place on a date, as
    :func:`geo.analysis.views.place_view` makes it (a page's cache of them); made here by default.
    """
    columns = [f.key for f in kinds.figures()]
    if view is None:
        def view(kind: str, date: str) -> pd.DataFrame:
            return place_view(ds, kind, date, thresholds)
    rows = []
    for date in _dates(ds, until, last):
        if known is not None and date in known.index:
            rows.append({"date": date, **known.loc[date, columns].to_dict()})
            continue
        rows.append({"date": date, **figures(keep(view("compounds", date)), keep(view("sites", date)),
                                             {name: keep(view(name, date)) for name in other_kinds()})})
    return pd.DataFrame(rows, columns=["date", *columns]).set_index("date")


def figures_by(ds: Dataset, key: str, by: str = "district", thresholds: Thresholds = Thresholds(),
               keep: Keep = _identity, until: str | None = None) -> pd.DataFrame:
    """Figure ``key`` by day (rows) and by the values of column ``by`` of the places (columns: each district
    side by side); a place with no such value is under "" (no district)."""
    rows = []
    for date in _dates(ds, until, None):
        compounds, sites = keep(compound_view(ds, date, thresholds)), keep(site_view(ds, date, thresholds))
        others = other_views(ds, date, thresholds, keep)
        groups = sorted({*_values(compounds, by), *_values(sites, by), *(v for o in others.values()
                                                                         for v in _values(o, by))})
        row = {"date": date}
        for group in groups:
            row[group] = figures(_only(compounds, by, group), _only(sites, by, group),
                                 {k: _only(o, by, group) for k, o in others.items()})[key]
        rows.append(row)
    return pd.DataFrame(rows).set_index("date") if rows else pd.DataFrame()


def _values(view: pd.DataFrame, by: str) -> set[str]:
    return set(view[by].astype("string").fillna("")) if by in view else {""}


def _only(view: pd.DataFrame, by: str, group: str) -> pd.DataFrame:
    if by not in view:
        return view if group == "" else view.iloc[0:0]
    return view.loc[view[by].astype("string").fillna("") == group]
