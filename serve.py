"""Start the app: ``streamlit run serve.py`` (what ``./run.sh app`` does), never ``streamlit run app.py``.

The app (``app.py``) runs behind :class:`ui.server.BrowserGate`, which binds each login
to the browser that logged in and refuses files from sessions that may not upload;
app.py itself shows nothing without it; it also serves the tiles of ``basemap=file``.
While it runs, each new version of the store is read and made ready for the pages before a visitor
asks (``ui/warmup.py``). A tile file that cannot serve is named in the log at start (the maps go on without tiles). A setting that guards access and has a value
that is not understood stops the start here, with a message naming it.
"""

import contextlib
import sys

import streamlit as st
from starlette.middleware import Middleware

from geo.maps import basemap_problem
from geo.report import start_schedule
from geo.settings import SettingRefused, load
from geo.store import connect
from geo.upload import open_city
from ui.navigation import leave_pages_folder_mode
from ui.server import BrowserGate
from ui.warmup import Warmer

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
async def background_work(_app):
    """While the server runs: the morning briefing written every day at ``briefing_time`` (geo.report.schedule),
    and each new data version's dataset, views and packs built before a visitor asks (ui.warmup)."""
    # the store as the pages open it: a new one is first filled from the data folder
    def store():
        return open_city(settings.database_url, settings.data_dir)

    schedule = start_schedule(store, settings)
    # the store as it is: a new one is filled by the first page that opens it, as before, and then built here
    warmer = Warmer(lambda: connect(settings.database_url), settings).start()
    try:
        yield None
    finally:
        warmer.stop()
        if schedule is not None:
            schedule.stop()


app = st.App("app.py", middleware=[Middleware(BrowserGate)], lifespan=background_work)
