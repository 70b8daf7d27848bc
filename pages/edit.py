"""Edit places: place a place still to be placed (待定位) or move a misplaced one by a click, rename, retire."""

import streamlit as st

from geo.domain import t
from ui.data import refuse_changes_when_read_only
from ui.login import require_role
from ui.navigation import require_navigation
from ui.placeedit import render_edit_page
from ui.settings import lang

require_navigation()
lg = lang()
user = require_role("upload")
refuse_changes_when_read_only(lg)  # no form: nothing of it could be saved
st.title(t("page_edit", lg), anchor=False)
st.caption(t("edit_intro", lg))
render_edit_page(user)
