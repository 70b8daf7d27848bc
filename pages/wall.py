"""Wall display: the command post's screen, refreshing itself all day with nobody at the mouse.

Two clocks: one reads new data (``wall_refresh_seconds``, and at once when the server has built a new
data version: :mod:`ui.follow`) and draws the top bar and the tiles; one
inside it turns the views and the attention list's pages (``wall_rotate_seconds``) and draws the map
beside them from the last data read. The map stays mounted through both: each sends it new statuses.
"""

import streamlit as st

from geo.domain import t
from geo.store import connect
from ui.follow import follow_new_data
from ui.login import may_still_view
from ui.navigation import require_navigation
from ui.settings import lang, settings
from ui.wallscreen import pinned_view, read_snapshot, tiles_row, top_bar, turn_seconds, turning_board, wall_css

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
    st.session_state.pop("store_damaged", None)  # said again below if the read finds a table still damaged
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
    tiles_row(snapshot, lg)
    turn()


@st.fragment(run_every=turn_seconds())
def turn() -> None:
    """The next view and attention page on the wall's own clock, from the last data read (none read here)."""
    if not may_still_view():  # this clock too reruns alone, without the gate
        st.rerun()
    snapshot = st.session_state.get("wall_last_good")
    if snapshot is not None:
        turning_board(snapshot, lang())


refresh()
follow_new_data()  # a new data version at once, not at the next refresh
