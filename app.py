"""Entry point: page set-up, language switch, login, and the navigation each role may see."""

from functools import partial

import streamlit as st

from geo.accounts import auth
from geo.domain import TABLES, kinds, listing, t
from geo.settings import SettingRefused
from geo.store import when_written
from ui.cache import city_has_places
from ui.chrome import streamlit_words
from ui.data import (
    NEWER_PENDING_KEY,
    STORE_ERRORS,
    app_title,
    remember_written,
    store_failure_message,
    store_read_only,
)
from ui.login import admit_display, current_display, current_user, gate, login_sidebar, served
from ui.navigation import asked_page, unknown_page
from ui.placepage import render_place_page
from ui.printing import print_style
from ui.server import installed
from ui.settings import lang, settings
from ui.style import app_style
from ui.urlstate import from_url, to_url

# Nothing is served with a setting guarding access that is not understood (serve.py does not even start),
# nor without the web server's gate in front of the app (started as app.py directly).
try:
    settings()
except SettingRefused as refused:
    st.error(refused.text.both("\n\n"))
    st.stop()
if served() and not installed():
    st.error(t("server_gate_missing").both("\n\n"))
    st.stop()
when_written(remember_written)  # the session that writes a version shows it at once (ui.data._shown_version)
from_url("lang", ["zh", "en"], default=settings().language)
st.set_page_config(page_title=app_title(lang()), page_icon="🗺️", layout="wide")
print_style()
app_style()  # a phone: a shorter map, the headline figures as a strip

lg = st.sidebar.radio(t("language", lang()), ["zh", "en"], key="lang", horizontal=True,
                      format_func=lambda code: {"zh": "中文", "en": "English"}[code])
to_url("lang", lg)
streamlit_words(lg)
login_sidebar()

user = current_user()
# A wall display (a token in the wall's address, login required): the wall, and no other page at all.
display = (admit_display() or current_display()) if user is None else None
kiosk = st.query_params.get("kiosk") == "1" or display is not None
try:
    new_city = not city_has_places()  # a city with no places yet opens on the steps to fill it
except STORE_ERRORS:
    new_city = False  # the overview says that the store cannot be read
officer = user is not None and user.role == "officer"
pages = [
    *([st.Page("pages/welcome.py", title=t("page_welcome", lg), icon="👋", default=True, url_path="welcome")]
      if new_city else []),
    # a grid officer opens on its report page (pages/report.py), everyone else on the overview
    st.Page("pages/overview.py", title=t("page_overview", lg), icon="📊", default=not new_city and not officer,
            url_path="overview"),
    st.Page("pages/trends.py", title=t("page_trends", lg), icon="📈", url_path="trends"),
    st.Page("pages/compare.py", title=t("page_compare", lg), icon="🔀", url_path="compare"),
    # one page per kind of place: its own script, else the standard place page
    *(st.Page(kind.page or partial(render_place_page, kind.name), title=t(kind.title, lg), icon=kind.icon,
              url_path=kind.name) for kind in kinds.KINDS.values()),
]
# Pages a role may not use are not offered in the menu, but their addresses are kept (hidden), so that a link
# to one says in Chinese who may open it, and opens it after a login; each page and action checks on the server.
pages.append(st.Page("pages/wall.py", title=t("page_wall", lg), icon="🖥️", url_path="wall"))
for script, title, icon, path, action in (("pages/report.py", "page_report", "📝", "report", "report_daily"),
                                          ("pages/problems.py", "page_problems", "🚩", "problems", "view"),
                                          ("pages/inspect.py", "page_inspect", "✅", "inspect", "inspect"),
                                          ("pages/upload.py", "page_upload", "📤", "upload", "upload"),
                                          ("pages/edit.py", "page_edit", "📍", "edit", "upload"),
                                          ("pages/tasksheets.py", "page_tasksheets", "📋", "tasksheets",
                                           "task_sheets"),
                                          ("pages/history.py", "page_history", "🕘", "history", "history"),
                                          ("pages/users.py", "auth_page_users", "👥", "users", "manage_users")):
    pages.append(st.Page(script, title=t(title, lg), icon=icon, url_path=path,
                         default=officer and not new_city and path == "report",
                         visibility="visible" if auth.can(user, action) else "hidden"))
if (missing := unknown_page(asked_page(), pages)) is not None:
    pages.append(missing)
if display is not None:
    pages = [st.Page("pages/wall.py", title=t("page_wall", lg), icon="🖥️", url_path="wall", default=True)]
# kiosk=1 (the wall display): no navigation at all, just the page the URL names. Expanded: past twelve pages
# Streamlit would fold the last ones (upload, history, accounts) behind "View more".
# Logged out where a login is required: no menu, but the address's page is resolved first, so that the login
# form keeps the link (/compounds?q=…) and the page opens after the login; the gate stops the run before it.
locked = settings().require_login and user is None and display is None
page = st.navigation(pages, position="hidden" if kiosk or locked else "sidebar", expanded=True)
gate()
notice = st.empty()  # above the page: a store that cannot be read is said first
st.session_state.pop("store_error", None)
st.session_state.pop("store_damaged", None)
try:
    page.run()
except STORE_ERRORS as exc:  # never a traceback: what failed, that nothing changed, what to do
    notice.error(store_failure_message(exc, lg))
else:
    stale = st.session_state.pop("store_error", None)
    damaged = st.session_state.pop("store_damaged", None)
    if stale and page.url_path != "wall":  # the wall has its own discreet notice
        notice.warning(t("store_stale", lg, error=stale))
    elif damaged and page.url_path != "wall":  # what can be read is shown; what cannot, named
        notice.error(t("store_tables_unreadable", lg, tables=listing([TABLES[k].text for k in damaged]),
                       error=next(iter(damaged.values()))))
    elif page.url_path != "wall" and store_read_only():  # it reads as usual: say once that nothing can be saved
        notice.info(t("store_read_only_notice", lg))
    elif page.url_path != "wall" and st.session_state.get(NEWER_PENDING_KEY):  # the wall follows it unsaid
        notice.info(t("data_newer_pending", lg))
