"""Wall display: the command post's screen, refreshing itself all day with nobody at the mouse."""

import streamlit as st

from geo.domain import t
from geo.store import connect
from ui.login import may_still_view
from ui.navigation import require_navigation
from ui.settings import lang, settings
from ui.wallscreen import board, pinned_view, read_snapshot, top_bar, wall_css

require_navigation()
wall_css()


@st.fragment(run_every=max(5, settings().wall_refresh_seconds))
def refresh() -> None:
    """Read and draw; when reading fails, keep the last good picture and say so discreetly."""
    # A timed refresh runs only this function: the login is checked here too, every tick; one gone (expired,
    # disabled, presented by another browser, a wall display's token revoked) reruns the whole app, which asks
    # for a login before anything is drawn.
    if not may_still_view():
        st.rerun()
    lg = lang()
    error = None
    try:
        snapshot = read_snapshot(lg, pinned_view())
        st.session_state["wall_last_good"] = snapshot
    except Exception as exc:  # the wall never shows a traceback; it retries on the next refresh
        snapshot = st.session_state.get("wall_last_good")
        error = type(exc).__name__
        # pooled connections keep a broken file's state: start afresh at the next refresh
        connect(settings().database_url).dispose()
    top_bar(snapshot, lg, error)
    if snapshot is None:
        st.markdown(t("wall_waiting", lg))
        return
    board(snapshot, lg)


refresh()
