"""Streamlit's navigation: never the old multipage layout of a ``pages/`` folder, and the page an address asks."""

from __future__ import annotations

import re
from functools import partial

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager  # private: the only switch for the mode below
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx  # private: the page asked

from geo.domain import t
from ui.escape import plain
from ui.settings import lang

_PAGE_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")


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


def asked_page() -> str:
    """The page name the address asked for ("upload" for ``/upload``), or "" (the main page, or a click in the menu)."""
    ctx = get_script_run_ctx()
    return (ctx.pages_manager.intended_page_name or "") if ctx is not None else ""


def unknown_page(asked: str, pages: list) -> "st.Page | None":
    """A hidden page for an address that names no page, saying so in the reader's language; else None.

    Without it Streamlit answers such an address with an English "Page not found" dialog
    and runs the main page. Only plain names are taken (what a mistyped link holds).
    """
    # the default page's ``url_path`` is "" (it is served at the root), but its own name is still its address:
    # taken for unknown, /overview (or an officer's /report) got a second page of that name and an error page
    if not _PAGE_NAME.fullmatch(asked) or asked in {page_path(page) for page in pages}:
        return None
    return st.Page(partial(_say_not_found, asked), title=t("page_not_found_title", lang()), icon="❓",
                   url_path=asked, visibility="hidden")


def page_path(page) -> str:
    """The name a page is reached by (``/overview``), also for the default page, which Streamlit serves at the
    root and reserves that name for (the name is private to ``st.Page``: ``url_path`` says "" for it)."""
    return getattr(page, "_url_path", None) or page.url_path


def _say_not_found(asked: str) -> None:
    lg = lang()
    st.warning(t("page_not_found", lg, path=plain(asked)))
    st.page_link("pages/overview.py", label=t("page_overview", lg), icon="📊")
