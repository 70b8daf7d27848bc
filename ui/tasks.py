"""The loop's headline figures on the overview: open, overdue, closed in a week, and the rectification rate."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from geo.analysis import TaskFigures, delta_arrow
from geo.domain import t
from ui.style import KPI_STRIP

#: The second strip of tiles (a phone slides it sideways like the first: ui/style.py).
TASK_STRIP = f"{KPI_STRIP}_tasks"


def task_tiles(figures: TaskFigures | None, day: dt.date, lg: str) -> None:
    """Four tiles under the headline figures, counted on ``day``; nothing for a city whose loop has no problem
    yet (None), rather than four zeros."""
    if figures is None:
        return
    strip = st.container(key=TASK_STRIP)
    strip.caption(t("overview_tasks_as_of", lg, date=day.isoformat()))
    rate = "—" if figures.rate is None else f"{figures.rate:g}%"
    change = None if figures.rate_change is None else f"{figures.rate_change:+g}%"
    tiles = [("kpi_problems_open", f"{figures.open}", None, "off"),
             ("kpi_problems_overdue", f"{figures.overdue}", None, "off"),
             ("kpi_problems_closed_week", f"{figures.closed_week}", None, "off"),
             ("kpi_rectification_rate", rate, change, "normal")]  # a higher rate is better: green
    for column, (key, value, delta, colour) in zip(strip.columns(len(tiles)), tiles):
        column.metric(t(key, lg), value, delta, border=True, delta_color=colour,
                      delta_description=t("kpi_vs_week_before", lg) if delta else None,
                      delta_arrow=delta_arrow(figures.rate_change))
