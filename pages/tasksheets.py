"""Task sheets: a responsible unit's open problems to download as Word and PDF (staff), and the league table."""

import streamlit as st

from geo.analysis import with_streets
from geo.domain import t
from ui.cache import dataset, problems
from ui.data import engine
from ui.login import require_role
from ui.navigation import require_navigation
from ui.settings import lang
from ui.tasksheet import league_tables, task_sheet_downloads

require_navigation()
lg = lang()
require_role("view")  # the league is for everyone who may view; the sheets themselves for staff (task_sheets)
st.title(t("page_tasksheets", lg), anchor=False)
st.caption(t("tasksheet_intro", lg))
store = engine()
task_sheet_downloads(store, lg)
st.subheader(t("league_heading", lg), anchor=False)
league_tables(with_streets(problems(), dataset()), lg)
