"""Streamlit's navigation mode: never the old multipage layout of a ``pages/`` folder, from the first session on."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager  # private: the only switch for the mode below


def leave_pages_folder_mode() -> None:
    """For the whole process, before its first session: ``pages/`` is not Streamlit's old multipage layout.

    Streamlit takes a folder named ``pages/`` beside the main script for the old layout until
    ``st.navigation`` is called once in the process. Until then every session first runs a
    navigation of the folder's file names (app, compounds, history, upload, users, …), which stays
    in the sidebar until app.py's own ``st.navigation`` replaces it. With login required the
    login form stops the script before that call, so the login screen of a new or restarted server,
    and every page reconnecting to it, showed those raw names instead of the Chinese menu. serve.py
    calls this when the server starts, before any session.
    """
    PagesManager.uses_pages_directory = False


def require_navigation() -> None:
    """Make sure app.py (and so st.navigation) runs, even when the first visit opens a page's URL.

    Only for a process that did not start through serve.py (a test of the pages): there the first
    visit to ``/compounds`` would run the page without app.py (no language switch, no login, no page
    set-up). Leaving that mode and rerunning hands the URL to st.navigation, once per process.
    """
    if PagesManager.uses_pages_directory:
        leave_pages_folder_mode()
        st.rerun()
