"""Trends: the headline figures day by day for the places the filters keep, and by district side by side."""

import streamlit as st

from geo.domain import kinds, t
from geo.io import to_csv_bytes
from ui.filterbar import sidebar_filters
from ui.mappage import export_of, page_header
from ui.navigation import require_navigation
from ui.settings import lang
from ui.trends import by_district, labelled, show_trend_charts, trend_of
from ui.urlstate import from_url, to_url

require_navigation()
lg = lang()
filters = sidebar_filters(None, search=False, timeline=False)
page_header("page_trends", filters.date)
trend = trend_of(filters, until=filters.date)
if trend.empty:
    st.info(t("no_report_dates", lg))
    st.stop()
st.caption(t("trends_intro", lg, days=len(trend), first=trend.index[0], last=trend.index[-1]))
show_trend_charts(trend, lg)

st.subheader(t("trends_by_district", lg), anchor=False)
keys = [f.key for f in kinds.figures()]
from_url("trend_figure", keys, default=keys[0])
key = st.selectbox(t("trends_figure", lg), keys, key="trend_figure", format_func=lambda k: t(k, lg))
to_url("trend_figure", key)
districts = by_district(key, filters, until=filters.date)
if any(districts.columns):
    st.line_chart(districts.rename(columns=lambda d: d or t("trends_no_district", lg)), x_label=t("f_date", lg),
                  y_label=t(key, lg))
else:  # places without districts (no zones): one line would repeat the chart above
    st.info(t("trends_no_districts", lg))

st.subheader(t("trends_table", lg), anchor=False)
table = labelled(trend, lg)
st.dataframe(table, hide_index=True, width="stretch")
export = export_of(t("page_trends", lg), filters)  # the last day and the filters in its name and title line
st.download_button(t("download_csv", lg), to_csv_bytes(table, title=export.title), f"{export.stem}.csv", "text/csv",
                   key="trends_csv", on_click="ignore")
