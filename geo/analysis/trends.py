"""Day-by-day figures over every report date, for the trend charts of the history page."""

from __future__ import annotations

import pandas as pd

from geo.analysis.kpi import figures
from geo.analysis.views import Thresholds, compound_view, report_dates, site_view
from geo.store import Dataset

SERIES = ("kpi_sealed", "kpi_controlled", "kpi_open", "kpi_resumption_rate", "kpi_short", "kpi_not_reported")


def daily_figures(ds: Dataset, thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """One row per report date, one column per headline figure (the KPI keys)."""
    rows = []
    for date in report_dates(ds):
        rows.append({"date": date, **figures(compound_view(ds, date, thresholds), site_view(ds, date, thresholds))})
    return pd.DataFrame(rows, columns=["date", *SERIES]).set_index("date")
