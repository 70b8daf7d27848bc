"""Start the app: ``streamlit run serve.py`` (what ``./run.sh app`` does), never ``streamlit run app.py``.

The app (``app.py``) runs behind :class:`ui.server.BrowserGate`, which binds each login
to the browser that logged in and refuses files from sessions that may not upload;
app.py itself shows nothing without it; it also serves the tiles of ``basemap=file``.
A tile file that cannot serve is named in the log at start (the maps go on without tiles). A setting that guards access and has a value
that is not understood stops the start here, with a message naming it.
"""

import contextlib
import sys

import streamlit as st
from starlette.middleware import Middleware

from geo.maps import basemap_problem
from geo.report import start_schedule
from geo.settings import SettingRefused, load
from geo.upload import open_city
from ui.navigation import leave_pages_folder_mode
from ui.server import BrowserGate

try:
    settings = load()
except SettingRefused as refused:
    print(refused.text.both("\n"), file=sys.stderr)
    sys.exit(2)
problem = basemap_problem(settings)
if problem is not None:  # said at start, in the log; the maps go on without tiles and say so too
    print(problem.both("\n"), file=sys.stderr)

# before the first session: the sidebar never lists the raw file names of pages/ (see ui.navigation)
leave_pages_folder_mode()


@contextlib.asynccontextmanager
async def scheduled_briefing(_app):
    """While the server runs: the morning briefing written every day at ``briefing_time`` (geo.report.schedule)."""
    # the store as the pages open it: a new one is first filled from the data folder
    schedule = start_schedule(lambda: open_city(settings.database_url, settings.data_dir), settings)
    try:
        yield None
    finally:
        if schedule is not None:
            schedule.stop()


app = st.App("app.py", middleware=[Middleware(BrowserGate)], lifespan=scheduled_briefing)
