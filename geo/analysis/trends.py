"""Day-by-day figures over every report date, for the trend charts of the history page."""

from __future__ import annotations

import pandas as pd

from geo.analysis.kpi import figures
from geo.analysis.views import Thresholds, compound_view, other_views, report_dates, site_view
from geo.domain import kinds
from geo.store import Dataset


def daily_figures(ds: Dataset, thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """One row per report date, one column per headline figure (the KPI keys)."""
    rows = []
    for date in report_dates(ds):
        rows.append({"date": date, **figures(compound_view(ds, date, thresholds), site_view(ds, date, thresholds),
                                             other_views(ds, date, thresholds))})
    return pd.DataFrame(rows, columns=["date", *(f.key for f in kinds.figures())]).set_index("date")
