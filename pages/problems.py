"""Problems (问题整改): the list with filters and exports, one problem's details, photos, history and steps,
and filing a problem found without an inspection (staff)."""

import streamlit as st

from geo.domain import t
from ui.login import require_role
from ui.navigation import require_navigation
from ui.problems import render_problems_page
from ui.settings import lang

require_navigation()
lg = lang()
user = require_role("view")  # everyone who may view sees the problems; the steps are for staff (handle_problems)
st.title(t("page_problems", lg), anchor=False)
render_problems_page(user)
