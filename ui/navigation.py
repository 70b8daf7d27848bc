"""Streamlit's navigation mode, entered on the first visit whatever URL it opens."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager  # private: the only switch for the mode below


def require_navigation() -> None:
    """Make sure app.py (and so st.navigation) runs, even when the first visit opens a page's URL.

    Streamlit treats a folder named ``pages/`` as the old multipage layout until
    ``st.navigation`` is called once in the process; a first visit to
    ``/compounds`` would then run the page without app.py (no language switch,
    no login, no page set-up). Leaving that mode and rerunning hands the URL to
    st.navigation. It happens once per server process.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
