"""Trend charts: the day-by-day headline figures, drawn the same way on the trends and the history pages."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from geo.analysis import Filters, Thresholds, apply_filters, daily_figures, figures_by, view_of
from geo.domain import kinds, t, vocab
from ui.cache import data_key, dataset, days_for, refreshed_from, scoped, shared, shared_for, view_for
from ui.settings import settings, thresholds


def _place_filters(filters: Filters) -> Filters:
    """The filters that choose places (not the date): a trend runs over every date up to the chosen one."""
    return Filters(district=filters.district, street=filters.street, zone=filters.zone, status=filters.status,
                   q=filters.q)


_last_trends: dict[tuple, tuple[int, pd.DataFrame]] = {}  # (store, scope, places, limits) -> (version, figures)


def _known_days(memo: tuple, url: str, version: int) -> pd.DataFrame | None:
    """The figures of days made for an earlier version that ``version`` has not changed (see
    :func:`ui.cache.refreshed_from`): after a new day's import, all days but the new one."""
    last = _last_trends.get(memo)
    if last is None:
        return None
    if last[0] == version:  # the same data, asked for other dates
        return last[1]
    lineage = refreshed_from(url, version)
    if lineage is None or lineage[0] != last[0]:
        return None
    written = lineage[1]
    return last[1] if written is None else last[1].loc[last[1].index < written]


def _view_of_day(url: str, version: int, scope: str, limits: Thresholds, share: float, kind: str,
                 date: str) -> pd.DataFrame:
    """The view of ``kind`` on ``date``: the pages' own (:func:`ui.cache.view_for`) for the day they open on and
    the one before it, which the server has built with each new version (:func:`ui.cache.prepare`); made here for
    older days, which would push the pages' views out of their cache."""
    report = days_for(url, version, scope, share)
    if report.current is not None and date in (report.current, report.before(report.current)):
        return view_for(kind, url, version, scope, date, limits)
    return view_of(scoped(url, version, scope), kind, date, limits, kept=False)


#: Report dates in each overview tile's small trend: its figure on the last ones up to the date shown.
SPARKLINE_DATES = 14


def trend_of(filters: Filters = Filters(), until: str | None = None, last: int | None = None) -> pd.DataFrame:
    """:func:`geo.analysis.daily_figures` of the places ``filters`` keep (the ``last`` dates up to ``until``),
    once per data version for everyone; the days a new version did not change are taken from the last one."""
    return trend_for(data_key(), _place_filters(filters), until, last, thresholds(), settings().complete_share)


def trend_for(data: tuple[str, int, str], places: Filters, until: str | None, last: int | None,
              limits: Thresholds, share: float) -> pd.DataFrame:
    """:func:`trend_of` for the data key ``data`` (store URL, version, scope text), the place filters ``places``
    (no date), the supply thresholds ``limits`` and a day complete at ``share``, where no session is at hand:
    the server's warm-up makes the overview's for the whole city, which took its first visitor 2.8 s on the demo
    city (fourteen days of every kind's views), each new version's first visitor after a restart."""
    url, version, scope = data
    memo = (url, scope, places, limits.low, limits.critical)

    def build() -> pd.DataFrame:
        known = _known_days(memo, url, version)
        figures = daily_figures(scoped(url, version, scope), limits, lambda view: apply_filters(view, places), until,
                                last, known=known, view=partial(_view_of_day, url, version, scope, limits, share))
        if len(_last_trends) >= 64:
            _last_trends.clear()
        # every day known of this version, whatever dates the next page asks for (the overview its last seven)
        _last_trends[memo] = (version, figures if known is None else figures.combine_first(known).sort_index())
        return figures

    return shared_for(data, ("trend", places, until, last, limits.low, limits.critical), build)


def by_district(key: str, filters: Filters = Filters(), until: str | None = None) -> pd.DataFrame:
    """Figure ``key`` by day and district (see :func:`geo.analysis.figures_by`), cached as :func:`trend_of`."""
    places, limits = _place_filters(filters), thresholds()
    return shared(("trend_by_district", key, places, until, limits.low, limits.critical),
                  lambda: figures_by(dataset(), key, "district", limits, lambda view: apply_filters(view, places),
                                     until))


def show_trend_charts(trend: pd.DataFrame, lg: str) -> None:
    """Closure, resumption, supplies, reporting and the other places' figures, one chart each, by day."""
    def chart(where, keys, colours=None):
        where.line_chart(trend[keys].rename(columns=lambda k: t(k, lg)), x_label=t("f_date", lg), color=colours)

    closure, rates = st.columns(2)
    # each state in the colour the maps give it (未封闭 green, 全封闭 red), not the chart's own palette
    states = {"kpi_sealed": "sealed", "kpi_controlled": "controlled", "kpi_open": "open"}
    chart(closure, list(states), [vocab.color("closure", code) for code in states.values()])
    chart(rates, ["kpi_resumption_rate"])
    short, silent = st.columns(2)
    chart(short, ["kpi_short"])
    chart(silent, ["kpi_not_reported"])
    # how many of the other places supervised are open, of the kinds the city has
    counted = [f.key for k in kinds.KINDS.values() if k.layer and not dataset().layer(k.layer).empty
               for f in k.figures if f.state]
    if counted:
        chart(st, counted)


def labelled(trend: pd.DataFrame, lg: str) -> pd.DataFrame:
    """The figures by day with their labels as headers and the date as a column (a table, an export)."""
    return trend.rename(columns=lambda k: t(k, lg)).rename_axis(t("f_date", lg)).reset_index()
