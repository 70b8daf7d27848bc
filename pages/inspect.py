"""Inspection on site (现场检查), made for a phone: a place, its checklist, pass or fail per item, photos; the
failed items are handed out as problems. Admins edit the checklists here too."""

import streamlit as st

from geo.domain import t
from ui.data import refuse_changes_when_read_only
from ui.inspect import render_inspect_page
from ui.login import require_role
from ui.navigation import require_navigation
from ui.settings import lang

require_navigation()
lg = lang()
user = require_role("inspect")
refuse_changes_when_read_only(lg)  # no form: nothing of it could be saved
st.title(t("page_inspect", lg), anchor=False)
render_inspect_page(user)
