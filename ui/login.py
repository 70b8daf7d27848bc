"""Logging in and out in the app, and the role check of a page.

The login lives in ``st.session_state[SESSION_KEY]`` as a :class:`geo.accounts.auth.Session`
(never the password). On each run :func:`current_user` drops it after
``session_minutes`` without use and re-reads the account, so a disabled account
is logged out and a changed role applies at once.

A login belongs to the browser that logged in: it records the key of the browser
cookie its connection presented (``ui/server.py`` gives every browser one), and a run
whose connection presents another cookie, or none, finds the login gone and the
session's state emptied: a session id presented by someone else carries nothing.
A connection without the cookie cannot log in at all. While logged in, the session
is recorded in :data:`geo.accounts.LOGINS`, which the web server reads to let its
browser, and only it, send files.

Wiring in app.py (after the language switch, before st.navigation)::

    login_sidebar()
    gate()

Pages call ``require_role(action)`` first; the functions in ``geo`` that do the
action check again with :func:`geo.accounts.auth.require`.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx  # private: the session id

from geo.accounts import (
    COOKIE_NAME,
    LOGINS,
    KeptLogin,
    auth,
    browser_key,
    drop_login,
    find_display,
    keep_login,
    kept_login,
    touch_login,
)
from geo.domain import listing, t
from geo.store import connect, write_locked
from ui.cache import zone_names
from ui.data import SESSION_KEY, STORE_ERRORS, app_title
from ui.escape import plain
from ui.server import DISPLAY_ROLE, drop_session_files
from ui.settings import lang, settings

DISPLAY_KEY = "auth_display"  # the wall display token this session shows the wall with (it is in the URL anyway)
DISPLAY_PARAM = "display"  # the query parameter of the wall's address that carries a display token
EXPIRED_KEY = "auth_expired"  # True after a session timed out, until the next login
BUSY_WAIT_SECONDS = 90  # how long a login waits for an import holding the store's write lock
BUSY_RETRY_SECONDS = 2
TOUCH_EVERY = timedelta(minutes=1)  # how often a login in use writes its time to the store

_log = logging.getLogger(__name__)


def accounts_engine():
    """The engine of the ``database_url`` setting (tables created on first use)."""
    return connect(settings().database_url)


def served() -> bool:
    """Whether this run comes from a connection (every WebSocket handshake carries a Sec-WebSocket-Key; a test
    of the pages has no connection, and no cookie to bind a login to)."""
    return isinstance(st.context.headers.get("Sec-WebSocket-Key"), str)


def presented_browser() -> str | None:
    """The key of the browser cookie this run's connection presented at its handshake, or None."""
    cookie = st.context.cookies.get(COOKIE_NAME)
    return browser_key(cookie) if isinstance(cookie, str) else None


def client_address() -> str | None:
    """The address of this run's client, for throttling logins (None: the same machine, or no connection).

    Behind nginx on the same machine uvicorn takes it from ``X-Forwarded-For`` (it trusts 127.0.0.1);
    behind a proxy elsewhere set ``FORWARDED_ALLOW_IPS`` to its address (docs/deploy.md).
    """
    address = st.context.ip_address
    return address if isinstance(address, str) else None


def session_id() -> str | None:
    """This run's Streamlit session id (None outside a run)."""
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def foreign(session: auth.Session) -> bool:
    """Whether ``session`` was logged in from another browser than the one this connection presents."""
    if served() and session.browser is None:
        return True  # a login made without a browser cookie cannot happen served: it is not ours
    return session.browser != presented_browser()


def current_user(touch: bool = True) -> auth.User | None:
    """The logged-in user, or None; an idle, disabled or foreign session is dropped, a live one touched.

    Served, the login is the one kept in the store for the browser's cookie
    (:func:`geo.accounts.kept_login`): a reload, a new tab or a restarted server take it up
    again, and a logout in any tab of the browser ends it in all of them. Without a
    connection (a test of the pages) the session's own is used.

    Parameters
    ----------
    touch : bool
        Count this run as use of the login (the default). A timed refresh passes False,
        so that a screen refreshing itself does not keep an idle login alive.
    """
    session = st.session_state.get(SESSION_KEY)
    if isinstance(session, auth.Session) and foreign(session):
        take_back()
        return None
    session = session if isinstance(session, auth.Session) else None
    now, minutes = auth.utc_now(), settings().session_minutes
    browser = presented_browser() if served() else None
    try:
        kept = kept_login(accounts_engine(), browser, minutes, now) if browser is not None else None
    except STORE_ERRORS:  # cannot be read for now: the session's own login is kept for later
        browser = kept = None
    if browser is not None and kept is None:  # idle too long, logged out in another tab, or never logged in
        if session is not None:
            log_out(expired=session.expired(now, minutes))
        return None
    if kept is None:
        if session is None:
            return None
        if session.expired(now, minutes):
            log_out(expired=True)
            return None
        kept = KeptLogin(session.user.name, session.started_at, session.last_seen)
    try:
        user = auth.find_user(accounts_engine(), kept.name)
    except STORE_ERRORS:
        return session.user if session is not None else None  # accounts cannot be read: nobody new gets in
    if user is None:
        log_out()
        return None
    st.session_state[SESSION_KEY] = auth.Session(user, kept.started_at, now if touch else kept.last_seen, browser)
    if touch and browser is not None and now - kept.last_seen > TOUCH_EVERY:
        try:
            touch_login(accounts_engine(), browser, now)
        except STORE_ERRORS:
            pass  # the next run tries again
    if browser is not None and session_id() is not None:
        LOGINS.hold(session_id(), browser, user, idle_seconds=minutes * 60)
    return user


def may_still_view() -> bool:
    """For a timed refresh: whether this session may still see the page.

    The login is checked as on every run (a foreign browser, an expired or disabled
    account end it) but the refresh does not count as use. Accounts that cannot be
    read for now keep the login, as :func:`current_user` does. A wall display's
    token is looked up again (a revoked one ends it).
    """
    current_user(touch=False)
    if not settings().require_login or isinstance(st.session_state.get(SESSION_KEY), auth.Session):
        return True
    return current_display() is not None


def current_display() -> str | None:
    """The name of the wall display this session shows the wall for, or None; a revoked token is dropped.

    Checked against the store on every run and every timed refresh. Accounts that cannot be
    read for now keep the display, as :func:`current_user` keeps a login.
    """
    token = st.session_state.get(DISPLAY_KEY)
    if not isinstance(token, str):
        return None
    try:
        display = find_display(accounts_engine(), token)
    except STORE_ERRORS:
        return st.session_state.get(f"{DISPLAY_KEY}_label")
    if display is None:
        _log.warning("a wall display's token was revoked or is not valid: session %s stops", (session_id() or "")[:8])
        end_display(refused=True)
        return None
    browser = presented_browser()
    if browser is not None and session_id() is not None:  # its map's packs and tiles: for this browser only
        # named by its token's hash, which the web server looks up (a revoked display gets nothing more);
        # a role no action allows
        LOGINS.hold(session_id(), browser, auth.User(display.token_hash, DISPLAY_ROLE),
                    idle_seconds=settings().session_minutes * 60)
    st.session_state[f"{DISPLAY_KEY}_label"] = display.label
    return display.label


def admit_display() -> str | None:
    """A session with a display token in its address (``?display=…``) shows the wall: the display's name, or None.

    Only with ``require_login`` (without it the wall is open anyway); only when nobody is logged in.
    """
    token = st.query_params.get(DISPLAY_PARAM)
    if not settings().require_login or not isinstance(token, str):
        return None
    if st.session_state.get(DISPLAY_KEY) != token:
        st.session_state[DISPLAY_KEY] = token
    return current_display()


def end_display(refused: bool = False) -> None:
    """Stop showing the wall as a display (``refused``: say so above the login form)."""
    st.session_state.pop(DISPLAY_KEY, None)
    st.session_state.pop(f"{DISPLAY_KEY}_label", None)
    if refused:
        st.session_state[f"{DISPLAY_KEY}_refused"] = True
    if session_id() is not None:
        LOGINS.release(session_id())


def take_back() -> None:
    """A connection of another browser is on a logged-in session: nothing of the session is left to it."""
    _log.warning("a login of %r was presented by another browser: session %s emptied",
                 st.session_state[SESSION_KEY].user.name, (session_id() or "")[:8])
    log_out()
    for key in list(st.session_state):
        del st.session_state[key]


def log_in(user: auth.User) -> None:
    """Start a session for ``user``, bound to the browser of this connection (a display it showed ends)."""
    end_display()
    session = auth.start_session(user, browser=presented_browser())
    if session.browser is not None:  # first: a login the store could not keep would end at the next run
        keep_login(accounts_engine(), session.browser, user.name, session.started_at)
    st.session_state[SESSION_KEY] = session
    st.session_state.pop(EXPIRED_KEY, None)


def log_out(expired: bool = False) -> None:
    """End the session (``expired``: say so on the next login form). Also the logout button's callback.

    The web server forgets the login at once, and the files the session sent are freed.
    """
    session = st.session_state.pop(SESSION_KEY, None)
    if expired:
        st.session_state[EXPIRED_KEY] = True
    if isinstance(session, auth.Session) and session.browser is not None and session.browser == presented_browser():
        try:
            drop_login(accounts_engine(), session.browser)
        except STORE_ERRORS:
            pass
    if session_id() is not None:
        LOGINS.release(session_id())
        if served():
            drop_session_files(session_id())


def login_form(where, key: str) -> None:
    """A login form in ``where`` (``st`` or ``st.sidebar``), with the last refusal under it.

    The login itself happens in :func:`submit_login`, before the script reruns, so
    the page that follows already sees the user.
    """
    lg = lang()
    if st.session_state.get(EXPIRED_KEY):
        where.info(t("auth_expired", lg))
    pending = st.session_state.pop(f"{key}_pending", None)
    if pending is not None:
        log_in_when_free(where, key, *pending)
    with where.form(key):  # a refused login keeps the name typed (the callback empties the password)
        st.text_input(t("auth_name", lg), key=f"{key}_name", max_chars=auth.MAX_NAME)
        st.text_input(t("auth_password", lg), type="password", key=f"{key}_password")
        st.form_submit_button(t("auth_login_button", lg), key=f"{key}_submit",
                              on_click=submit_login, args=(key,))
    refusal = st.session_state.pop(f"{key}_refusal", None)
    if refusal is not None:
        where.error(refusal.message(lg))


def submit_login(key: str) -> None:
    """Callback of the login form ``key``: log in, or keep the refusal; the password is not kept."""
    name = st.session_state.get(f"{key}_name") or ""
    password = st.session_state.get(f"{key}_password") or ""
    st.session_state[f"{key}_password"] = ""
    if served() and presented_browser() is None:  # nothing to bind the login to: refused before any password check
        st.session_state[f"{key}_refusal"] = auth.LoginRefused("auth_no_browser_cookie")
        return
    try:
        if write_locked(accounts_engine()):
            raise BusyStore
        log_in(auth.authenticate(accounts_engine(), name, password, address=client_address()))
    except auth.LoginRefused as refusal:
        st.session_state[f"{key}_refusal"] = refusal
    except (BusyStore, *STORE_ERRORS):  # an import holds the store: the form waits in the page, saying so
        st.session_state[f"{key}_pending"] = (name, password)


class BusyStore(Exception):
    """Another connection holds the store's write lock (an import is being written)."""


def log_in_when_free(where, key: str, name: str, password: str) -> None:
    """Retry a login while the store is busy, saying so, for up to :data:`BUSY_WAIT_SECONDS`.

    A login writes (the time of the login, a failure's count), and SQLite has one writer at a
    time: an import of a large file holds the store for a while. Logged in, the page reruns.
    """
    lg = lang()
    notice, start = where.empty(), time.monotonic()
    while True:
        waited = time.monotonic() - start
        notice.info(t("auth_store_busy", lg, seconds=int(waited)))
        try:
            if write_locked(accounts_engine()):
                raise BusyStore
            log_in(auth.authenticate(accounts_engine(), name, password, address=client_address()))
        except auth.LoginRefused as refusal:
            notice.empty()
            where.error(refusal.message(lg))
            return
        except (BusyStore, *STORE_ERRORS):
            if waited + BUSY_RETRY_SECONDS > BUSY_WAIT_SECONDS:  # the notice stays: how long it waited
                where.error(t("auth_store_busy_gave_up", lg, seconds=int(BUSY_WAIT_SECONDS)))
                return
            time.sleep(BUSY_RETRY_SECONDS)
            continue
        st.rerun()


def login_sidebar() -> None:
    """In the sidebar: who is logged in and a logout button, or a compact login form.

    With ``require_login`` on and nobody logged in the form is left to :func:`gate`.
    """
    lg = lang()
    user = current_user()
    if user is not None:
        st.sidebar.markdown(plain(t("auth_logged_in", lg, name=user.name, role=t(f"auth_role_{user.role}", lg))))
        if user.scope is not None:
            st.sidebar.caption(plain(scope_line(user.scope, lg)))
        st.sidebar.button(t("auth_logout", lg), key="auth_logout", on_click=log_out)
    elif not settings().require_login:
        with st.sidebar.expander(t("auth_login_title", lg), expanded=bool(st.session_state.get(EXPIRED_KEY))):
            login_form(st, "auth_login_sidebar")


def scope_line(scope: auth.Scope, lg: str) -> str:
    """The area a scoped account sees, in a few words: 范围：咸安区, 范围：温泉街道, 范围：甲片区、乙片区,
    范围：3 个场所 (zones by their names, as the filters show them)."""
    if scope.by == "places":
        return t("scope_line", lg, area=t("scope_places", lg, count=len(scope.values)))
    values = list(scope.values)
    if scope.by == "zone":
        try:
            names = zone_names()
        except STORE_ERRORS:
            names = {}
        values = [names.get(value) or value for value in values]
    shown = values[:5] + (["…"] if len(values) > 5 else [])
    return t("scope_line", lg, area=listing(shown).pick(lg) if len(shown) > 1 else shown[0])


def gate() -> None:
    """When ``require_login`` is on and nobody is logged in: a login form in the main area, then stop."""
    if not settings().require_login or current_user() is not None or admit_display() is not None:
        return
    lg = lang()
    st.title(plain(app_title(lg)), anchor=False)  # the city's name is shown as typed
    if st.session_state.pop(f"{DISPLAY_KEY}_refused", None):
        st.error(t("display_refused", lg))
    st.info(t("auth_login_required", lg))
    login_form(st, "auth_login_main")
    st.stop()


def require_role(action: str) -> auth.User | None:
    """Stop the page with a warning unless the current user may do ``action``; return the user."""
    user = current_user()
    try:
        auth.require(user, action, require_login=settings().require_login)
    except auth.PermissionDenied as error:
        st.warning(error.message(lang()))
        st.stop()
    return user
