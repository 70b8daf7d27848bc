"""Pages left open follow new data: the overview, trends, comparison, the maps and the wall redraw by themselves.

Until now a leader's page showed new data only when reloaded, and the wall at its next refresh (a minute):
the median screen showed an import 37 s after it (``bench/README.md``). Now a fragment of each such page
looks every ``follow_seconds`` at the newest version the server has built (:func:`ui.data.built_version`,
no query) and reruns the page when it is newer than the one the page read. Rerunning for a *built* version
means a crowd of screens redraws from caches made once, and during a morning of phone reports as often as
the server builds (every ``build_spacing_seconds`` at most), not at every report. In a process without a
warm-up thread (a test's app) the store's newest version is asked instead.
"""

from __future__ import annotations

import time

import streamlit as st

from geo.store import newest_version
from ui.data import STORE_ERRORS, VERSION_READ_KEY, built_version, engine
from ui.login import may_still_view
from ui.settings import settings

RERAN_FOR_KEY = "follow_reran_for"  # (version, monotonic time) this session last reran for
#: Seconds before a page whose rerun for a version did not read it asks again (a store failing just then; one
#: wall of fifty in bench/load.py, for a reason not found): not at every look, and not never.
RETRY_SECONDS = 30.0


def newer_version_ready(read: int | None, url: str) -> int | None:
    """The data version of the store at ``url`` ready to be shown, when it is newer than ``read`` (the one a page
    read), else None: the newest the server has built (:func:`ui.data.built_version`), or without a warm-up
    thread in this process the store's newest."""
    if read is None:
        return None
    ready = built_version(url)
    if ready is None:
        try:
            ready = newest_version(engine())
        except STORE_ERRORS:  # the page says so at its next run; nothing new to show meanwhile
            return None
    return ready if ready > read else None


def rerun_due(last: tuple[int, float] | None, ready: int, now: float) -> bool:
    """Whether a page should rerun for version ``ready``, having last rerun for ``last`` (version, time).

    >>> rerun_due(None, 7, 100.0), rerun_due((6, 99.0), 7, 100.0), rerun_due((7, 99.0), 7, 100.0)
    (True, True, False)
    >>> rerun_due((7, 60.0), 7, 100.0)  # it asked 40 s ago and still has not read it: once more
    True
    """
    return last is None or last[0] != ready or now - last[1] >= RETRY_SECONDS


def follow_new_data() -> None:
    """Rerun the whole page for a version :func:`newer_version_ready` finds, looking every ``follow_seconds``
    (0: never).

    Once for each version, and again only :data:`RETRY_SECONDS` later if the page still has not read it: a
    store that fails just then makes the page show the last version it read, still older, and it must not
    rerun at every look. Its timed runs check the login as every timed run does: one gone reruns the app,
    which asks for it."""
    seconds = settings().follow_seconds
    if seconds <= 0:
        return

    @st.fragment(run_every=seconds)
    def look() -> None:
        if not may_still_view():
            st.rerun()
        ready = newer_version_ready(st.session_state.get(VERSION_READ_KEY), settings().database_url)
        if ready is not None and rerun_due(st.session_state.get(RERAN_FOR_KEY), ready, time.monotonic()):
            st.session_state[RERAN_FOR_KEY] = (ready, time.monotonic())
            st.rerun()

    look()
