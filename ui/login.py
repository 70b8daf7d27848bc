"""Logging in and out in the app, and the role check of a page.

The login lives in ``st.session_state[SESSION_KEY]`` as a :class:`geo.accounts.auth.Session`
(never the password). On each run :func:`current_user` drops it after
``session_minutes`` without use and re-reads the account, so a disabled account
is logged out and a changed role applies at once.

Wiring in app.py (after the language switch, before st.navigation)::

    login_sidebar()
    gate()

Pages call ``require_role(action)`` first; the functions in ``geo`` that do the
action check again with :func:`geo.accounts.auth.require`.
"""

from __future__ import annotations

import streamlit as st

from geo.accounts import auth
from geo.domain import t
from geo.store import connect
from ui.data import STORE_ERRORS
from ui.escape import plain
from ui.settings import lang, settings

SESSION_KEY = "auth_session"  # a geo.accounts.auth.Session while someone is logged in
EXPIRED_KEY = "auth_expired"  # True after a session timed out, until the next login


def accounts_engine():
    """The engine of the ``database_url`` setting (tables created on first use)."""
    return connect(settings().database_url)


def current_user() -> auth.User | None:
    """The logged-in user, or None; an idle or disabled session is dropped, a live one touched."""
    session = st.session_state.get(SESSION_KEY)
    if not isinstance(session, auth.Session):
        return None
    now = auth.utc_now()
    if session.expired(now, settings().session_minutes):
        log_out(expired=True)
        return None
    try:
        user = auth.find_user(accounts_engine(), session.user.name)
    except STORE_ERRORS:
        return None  # accounts cannot be read: nobody may act for now, the login is kept for later
    if user is None:
        log_out()
        return None
    st.session_state[SESSION_KEY] = auth.Session(user, session.started_at, now)
    return user


def log_in(user: auth.User) -> None:
    """Start a session for ``user``."""
    st.session_state[SESSION_KEY] = auth.start_session(user)
    st.session_state.pop(EXPIRED_KEY, None)


def log_out(expired: bool = False) -> None:
    """End the session (``expired``: say so on the next login form). Also the logout button's callback."""
    st.session_state.pop(SESSION_KEY, None)
    if expired:
        st.session_state[EXPIRED_KEY] = True


def login_form(where, key: str) -> None:
    """A login form in ``where`` (``st`` or ``st.sidebar``), with the last refusal under it.

    The login itself happens in :func:`submit_login`, before the script reruns, so
    the page that follows already sees the user.
    """
    lg = lang()
    if st.session_state.get(EXPIRED_KEY):
        where.info(t("auth_expired", lg))
    with where.form(key, clear_on_submit=True):
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
    try:
        user = auth.authenticate(accounts_engine(), name, password)
    except auth.LoginRefused as refusal:
        st.session_state[f"{key}_refusal"] = refusal
        return
    log_in(user)


def login_sidebar() -> None:
    """In the sidebar: who is logged in and a logout button, or a compact login form.

    With ``require_login`` on and nobody logged in the form is left to :func:`gate`.
    """
    lg = lang()
    user = current_user()
    if user is not None:
        st.sidebar.markdown(plain(t("auth_logged_in", lg, name=user.name, role=t(f"auth_role_{user.role}", lg))))
        st.sidebar.button(t("auth_logout", lg), key="auth_logout", on_click=log_out)
    elif not settings().require_login:
        with st.sidebar.expander(t("auth_login_title", lg), expanded=bool(st.session_state.get(EXPIRED_KEY))):
            login_form(st, "auth_login_sidebar")


def gate() -> None:
    """When ``require_login`` is on and nobody is logged in: a login form in the main area, then stop."""
    if not settings().require_login or current_user() is not None:
        return
    lg = lang()
    st.title(t("app_title", lg), anchor=False)
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
