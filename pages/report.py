"""Report today (今日填报): a grid officer's places from a phone, same as yesterday in one tap or a short form;
for the command post, the places not reported by the deadline as a call list."""

import datetime

import streamlit as st

from geo.domain import t
from ui.dailyreport import render_report_page
from ui.data import refuse_changes_when_read_only
from ui.login import require_role
from ui.navigation import require_navigation
from ui.settings import lang

require_navigation()
lg = lang()
user = require_role("report_daily")
refuse_changes_when_read_only(lg)  # nothing typed here could be saved
st.title(t("page_report", lg), anchor=False)
st.caption(t("daily_intro", lg, date=datetime.date.today().isoformat()))
render_report_page(user)
