"""The store the pages read: its engine, and the version to read, the last one read when the store fails."""

from __future__ import annotations

import datetime as dt
import sqlite3
import weakref

import pandas as pd
import streamlit as st
from sqlalchemy.exc import DBAPIError
from streamlit.runtime.scriptrunner import get_script_run_ctx

from geo import store
from geo.accounts import Scope, auth
from geo.domain import t
from geo.store import newest_version, read_error_text, versions_written_here
from geo.upload import open_city
from ui.settings import settings

# locked, read-only, damaged or gone (pandas wraps a failed read in an error of its own)
STORE_ERRORS = (DBAPIError, sqlite3.DatabaseError, pd.errors.DatabaseError, store.StoreTooNew)
SESSION_KEY = "auth_session"  # a geo.accounts.auth.Session while someone is logged in (ui/login.py keeps it)
VERSION_READ_KEY = "data_version_read"  # the newest data version this session's page read (ui.follow looks for newer)
VERSION_WRITTEN_KEY = "data_version_written"  # the newest data version this session's pages wrote (an upload's)
NEWER_PENDING_KEY = "data_newer_pending"  # whether the page shows the version before one the server is building
_last_good: dict[str, int] = {}  # store URL -> the newest version last read (its dataset stays cached)
_built: dict[str, int] = {}  # store URL -> the newest version a warm-up thread of this process has built (ui.warmup)
_building: dict[str, int] = {}  # store URL -> the version it is building now

#: Seconds a new version is left to the server's warm-up before a page builds it itself: a page meanwhile shows the
#: version before, which the warm-up has built.
BUILD_WAIT_SECONDS = 120.0


def built_version(url: str) -> int | None:
    """The newest data version of the store at ``url`` that this process's warm-up (:mod:`ui.warmup`) has built
    (or tried to: a failed build is for the pages to make and explain), or None when no warm-up watches it (a
    test's app).

    Pages left open rerun for it (:mod:`ui.follow`): they then find everything built instead of each
    building its own, and during a morning of phone reports they redraw as often as it builds, not at
    every report."""
    return _built.get(url)


def mark_building(url: str, version: int) -> None:
    """Say that the warm-up is building ``version`` of the store at ``url``: a page meanwhile shows the one before."""
    _building[url] = version


def mark_built(url: str, version: int) -> None:
    """Say that the warm-up has built ``version`` of the store at ``url``: the pages now show it."""
    _built[url] = version
    if _building.get(url) == version:
        del _building[url]


def engine():
    """The store's engine; a store never filled is filled from the data folder, through the upload's checks."""
    s = settings()
    return open_city(s.database_url, s.data_dir, s.upload_max_rows)


def city_name() -> str | None:
    """The name the city was started with, or None (also when the store cannot be read: the page says so)."""
    try:
        return store.city_name(engine())
    except STORE_ERRORS:
        return None


def app_title(lg: str) -> str:
    """The title of the app: the city's name first, when it has one."""
    name = city_name()
    return t("app_title_city", lg, city=name) if name else t("app_title", lg)


def store_error_text(exc: Exception) -> str:
    return read_error_text(exc)


def store_failure_message(exc: Exception, lg: str) -> str:
    """What to tell staff whose page met a store that cannot be read or written: a full disk and a read-only
    store are said plainly, anything else with the store's own words."""
    if isinstance(exc, store.StoreTooNew):  # no retry helps: another program's version is needed
        return exc.text.pick(lg)
    failure = store.store_failure(exc)
    if failure == "full":
        return t("store_full", lg, detail=store_error_text(exc))
    if failure == "read_only":
        return t("store_read_only", lg, detail=store_error_text(exc))
    return t("store_unavailable", lg, error=store_error_text(exc))


def store_read_only() -> bool:
    """Whether the store is read-only just now (a read-only disk or folder): everything is read, nothing saved."""
    try:
        return store.read_only(engine())
    except STORE_ERRORS:
        return False  # the page says that the store cannot be read


def refuse_changes_when_read_only(lg: str) -> None:
    """Stop a page whose purpose is a change (an upload, an edit) with a plain notice when the store is read-only."""
    if store_read_only():
        st.warning(t("store_read_only_refused", lg))
        st.stop()


# A run of a page -> the store key it read and the count of this process's own writes then. The page asks for the key
# some fifty times a run; every ask was two queries (a quarter of a page's run on the demo city), and one run
# could read two versions.
_read_this_run: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _this_run() -> object | None:
    """What stands for the current run of this session's page or fragment: an object Streamlit makes anew at the
    start of each (``ScriptRunContext.reset``); None outside a run, or in a Streamlit that has no such object."""
    return getattr(get_script_run_ctx(suppress_warning=True), "parallel_coordinator", None)


def store_key() -> tuple[str, int]:
    """The store URL and its newest version; when the store cannot be read, the last version read.

    That keeps every page showing the last good data (with a notice, see app.py) instead
    of failing; only a process that never read the store has nothing to show and raises.
    Every cache of :mod:`ui.cache` and :mod:`ui.packs` is keyed by it. Read once a run: the rest of the run reads
    the same version, unless this process writes one meanwhile (an upload shows what it imported).
    """
    run = _this_run()
    remembered = _read_this_run.get(run) if run is not None else None
    if remembered is not None and remembered[0] == versions_written_here():
        _, key, failure = remembered
    else:
        written = versions_written_here()
        key, failure = _read_store_key()
        if run is not None:
            _read_this_run[run] = written, key, failure
    if failure is not None:  # said at every ask: the page may have cleared it since (app.py, the wall)
        st.session_state["store_error"] = failure
    return key


def _read_store_key() -> tuple[tuple[str, int], str | None]:
    """The key, and why the store could not be read when it is the last good one."""
    url = settings().database_url
    store_engine = None
    try:
        store_engine = engine()
        newest = newest_version(store_engine)
        version = _shown_version(url, store_engine, newest)
    except STORE_ERRORS as exc:
        if store_engine is not None:
            store_engine.dispose()  # pooled connections keep a broken file's state: start afresh next time
        if url not in _last_good:
            raise
        return (url, _last_good[url]), store_error_text(exc)
    _last_good[url] = version
    st.session_state[VERSION_READ_KEY] = version
    st.session_state[NEWER_PENDING_KEY] = version < newest
    return (url, version), None


def remember_written(version: int | None) -> None:
    """Note in the session of the page run writing ``version`` (an upload, an edit, a rollback, a phone report)
    that it wrote it: the session shows it from now on, built or not (:func:`_shown_version`). Given to
    :func:`geo.store.when_written` by ``app.py``; nothing outside a page's run (a command-line import)."""
    if version is not None and get_script_run_ctx(suppress_warning=True) is not None:
        st.session_state[VERSION_WRITTEN_KEY] = max(version, st.session_state.get(VERSION_WRITTEN_KEY, 0))


def _shown_version(url: str, store_engine, newest: int) -> int:
    """The version a run shows: the store's newest, or, while this process's warm-up is building it just now, the
    newest version it has built (the page says so: :data:`NEWER_PENDING_KEY`).

    A visitor just after a million compounds' import waited 14 s for what the warm-up was building (its dataset,
    views and maps); now its page is drawn from the version before, and follows the new one once built
    (:mod:`ui.follow`). Not for a session that wrote the version (an upload shows what it imported:
    :func:`remember_written`) or has shown it already (a page never goes back), nor a version
    written more than :data:`BUILD_WAIT_SECONDS` ago (a build that never comes is made by the page).
    """
    built, shown = built_version(url), st.session_state.get(VERSION_READ_KEY)
    known = max(shown or 0, st.session_state.get(VERSION_WRITTEN_KEY, 0))  # shown or written by this session
    if built is None or _building.get(url) != newest or known >= newest:
        return newest  # a version the warm-up is not building now (spaced out, after phone reports) is the page's
    arrived = store.newest_version_time(store_engine)
    if arrived is None or (dt.datetime.now(dt.timezone.utc) - arrived).total_seconds() > BUILD_WAIT_SECONDS:
        return newest
    return max(built, shown or 0)


def viewing_scope() -> Scope | None:
    """The area the logged-in account of this session sees (None: the whole city, also when nobody is logged in).

    Read from the login :func:`ui.login.current_user` checked and re-read from the store at the start of this
    run (a scope changed by an admin applies at the next run). Every cache of :mod:`ui.cache` and
    :mod:`ui.packs` is keyed by it, so two accounts with different scopes never share a view.
    """
    session = st.session_state.get(SESSION_KEY)
    return session.user.scope if isinstance(session, auth.Session) else None


_last_problems: dict[str, tuple[tuple, pd.DataFrame]] = {}  # store URL -> the loop's stamp and problems last read


def problems_stamp() -> tuple:
    """What identifies the loop's problems as they stand (:func:`geo.store.problems_stamp`): a key for what is
    made of them; the stamp last read when the store cannot be read (() before any)."""
    url = settings().database_url
    try:
        return store.problems_stamp(engine())
    except STORE_ERRORS as exc:
        st.session_state["store_error"] = store_error_text(exc)
        return _last_problems.get(url, ((), None))[0]


def every_problem() -> pd.DataFrame:
    """Every problem of the whole city with its state now (:func:`geo.store.problems_frame`): a change of a
    problem's state is not a data version, so its stamp is looked at on every run and the problems read again
    when it moved. Pages read :func:`ui.cache.problems`, the problems inside the account's scope. When the store
    cannot be read, the problems last read (none in a process that never read them), with the notice of app.py,
    as for the rest of the data."""
    url = settings().database_url
    stamp = problems_stamp()
    last = _last_problems.get(url)
    if last is not None and last[0] == stamp:
        return last[1].copy(deep=False)  # shared by every session: a page's change lands on its own copy
    if not stamp:  # never read, and the store cannot be read now
        return pd.DataFrame(columns=store.PROBLEM_COLUMNS)
    try:
        frame = store.problems_frame(engine())
    except STORE_ERRORS as exc:
        st.session_state["store_error"] = store_error_text(exc)
        return last[1].copy(deep=False) if last is not None else pd.DataFrame(columns=store.PROBLEM_COLUMNS)
    _last_problems[url] = stamp, frame
    return frame.copy(deep=False)
