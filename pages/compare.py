"""Compare two dates: which places changed state between them, the transitions counted, the list to export."""

import streamlit as st

from geo.domain import t
from ui.compare import choose_before, choose_kind, show_comparison
from ui.filterbar import sidebar_filters
from ui.mappage import page_header
from ui.navigation import require_navigation
from ui.settings import lang
from ui.urlstate import to_url

require_navigation()
lg = lang()
filters = sidebar_filters(None, search=False, timeline=False)  # its date is the later one of the two
page_header("page_compare", filters.date)
kind = choose_kind()
before = choose_before(filters.date) if filters.date else None
if kind is None or before is None:
    st.info(t("compare_needs_two_dates", lg))
    st.stop()
to_url("cmp_a", before)
show_comparison(kind, before, filters.date, filters)
