"""Step and play through the report dates under the sidebar's date: the page follows, the map recolours in place.

Each step sets the date filter (the ``date`` widget's state) and reruns the page: the
map gets a new status update through st_folium's dynamic feature group, so the
shapes are not sent again (at 10,000 compounds the page script takes 0.08 s for a
new date, bench/README.md), and the KPI tiles and the legend's counts follow the
date like any other choice. So that a step shows at once, a map page sends with each rerun the
map's statuses and legend on the dates before and after (:func:`step_glimpses`): a click recolours
the open map in the browser while the page reruns (``static/cmdmap/timeline.js``). Playing is a fragment that ticks every
``play_seconds`` only while it plays, checking the login on every tick like the
wall's refresh; it stops at the newest date.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import streamlit as st

from geo.analysis import neighbours
from geo.domain import t
from geo.maps import timeline_script
from ui.login import may_still_view
from ui.settings import lang, settings

DATE_KEY = "date"  # the sidebar's date widget (ui.filterbar), which each step sets
NEXT_KEY = "timeline_next"  # the date a tick chose, applied before the date widget is made (it cannot change after)
PLAYING_KEY = "timeline_playing"
STEPPED_KEY = "timeline_stepped_at"  # monotonic time of the last step (or of pressing play)
RUN_KEY = "timeline_run"  # how many runs of a map page have sent the time line's steps


def _position(dates: list[str]) -> int:
    """The index of the date shown in ``dates`` (oldest first); the newest when none is chosen yet."""
    current = st.session_state.get(DATE_KEY)
    return dates.index(current) if current in dates else len(dates) - 1


def _step(dates: list[str], by: int) -> None:
    """Callback of ◀ and ▶: the date ``by`` report dates later (earlier when negative); a step stops playing."""
    st.session_state[PLAYING_KEY] = False
    st.session_state[DATE_KEY] = dates[max(0, min(len(dates) - 1, _position(dates) + by))]


def _toggle(dates: list[str]) -> None:
    """Callback of play/pause. Playing from the newest date starts again from the oldest."""
    playing = not st.session_state.get(PLAYING_KEY, False)
    st.session_state[PLAYING_KEY] = playing
    st.session_state[STEPPED_KEY] = time.monotonic()
    if playing and _position(dates) == len(dates) - 1:
        st.session_state[DATE_KEY] = dates[0]


def take_next_date() -> None:
    """Before the date widget is made: the date the last tick of playing chose, if any."""
    if NEXT_KEY in st.session_state:
        st.session_state[DATE_KEY] = st.session_state.pop(NEXT_KEY)


def time_controls(dates: list[str]) -> None:
    """Previous date, play/pause and next date, in the sidebar under the date; ``dates`` oldest first."""
    if len(dates) < 2:
        return
    lg, at = lang(), _position(dates)
    playing = bool(st.session_state.get(PLAYING_KEY, False))
    # Back and Next side by side, Play below the width of both: three in a row of the sidebar leave no room
    # for an English word next to its icon ("B…", "P…", "N…")
    back, forward = st.sidebar.columns(2)
    back.button(t("timeline_back", lg), key="timeline_back", on_click=_step, args=(dates, -1), disabled=at == 0,
                icon=":material/skip_previous:", help=t("timeline_back_help", lg), width="stretch")
    forward.button(t("timeline_forward", lg), key="timeline_forward", on_click=_step, args=(dates, 1),
                   disabled=at == len(dates) - 1, icon=":material/skip_next:", help=t("timeline_forward_help", lg),
                   width="stretch")
    st.sidebar.button(t("timeline_pause" if playing else "timeline_play", lg), key="timeline_play", on_click=_toggle,
                      args=(dates,), icon=":material/pause:" if playing else ":material/play_arrow:",
                      help=t("timeline_play_help", lg, seconds=f"{settings().play_seconds:g}"), width="stretch")
    if not playing:
        return

    @st.fragment(run_every=settings().play_seconds)
    def advance() -> None:
        """One tick of playing: the next date, for the whole page; at the newest date, stop."""
        if not may_still_view():  # a timed run checks the login like any other (the wall's refresh too)
            st.rerun()
        if not st.session_state.get(PLAYING_KEY) or \
                time.monotonic() - st.session_state.get(STEPPED_KEY, 0.0) < 0.9 * settings().play_seconds:
            return  # the page's own run, or a tick too soon after the last step
        st.session_state[STEPPED_KEY] = time.monotonic()
        position = _position(dates)
        if position < len(dates) - 1:
            st.session_state[NEXT_KEY] = dates[position + 1]
        if position + 1 >= len(dates) - 1:
            st.session_state[PLAYING_KEY] = False  # the newest date is shown: playing ends there
        st.rerun(scope="app")

    with st.sidebar:
        advance()


def step_glimpses(date: str | None, dates: list[str], glimpse_of: Callable[[str], str]) -> None:
    """Let a step of the time line recolour the open map at once: ``glimpse_of(d)`` is the map's
    :attr:`geo.maps.MapUpdate.glimpse` on the report date ``d``, asked for the dates just before and after
    ``date`` (``dates`` oldest first). Put after everything else on the page: it costs the page nothing
    until then, and the states it builds are the ones the step's own rerun then finds made."""
    near = neighbours(date, dates)
    if not near or st.session_state.get(PLAYING_KEY):
        return
    glimpses = {by: glimpse_of(near[by]) if by in near else "null" for by in (-1, 1)}
    dates_near = json.dumps({str(by): near.get(by) for by in (-1, 1)})
    # the run's number makes the element new at every run, so that its script runs again: a run that came back to
    # the date shown before (a step and its undo) must still tell the map which date the page is on
    run = st.session_state[RUN_KEY] = st.session_state.get(RUN_KEY, 0) + 1
    steps = (f'{{"date":{json.dumps(date)},"run":{run},"-1":{glimpses[-1]},"1":{glimpses[1]},'
             f'"near":{dates_near}}}')
    st.html('<span class="cmdmap-steps"></span>'
            '<style>[data-testid="stElementContainer"]:has(.cmdmap-steps){display:none}</style>'
            f"<script>{timeline_script()}({steps});</script>", unsafe_allow_javascript=True)
