"""Shared page plumbing: language, settings, the cached dataset and views, safe text."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager  # private: see require_navigation
from sqlalchemy.exc import DBAPIError

from geo import settings as settings_mod
from geo.store.dataset import Dataset, load_store
from geo.store.engine import connect
from geo.store import newest_version, open_store
from geo.domain.labels import t
from geo.maps import Source, initial_bounds
from geo.maps.pack import pack_places, write_pack
from geo.analysis.views import Thresholds, compound_view, report_dates, site_view, supply_view, unmatched_ids
from geo.analysis.zones import zone_metrics

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: object) -> str:
    """Text for a Streamlit markdown element, shown as typed: every markdown and HTML character escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def require_navigation() -> None:
    """Make sure app.py (and so st.navigation) runs, even when the first visit opens a page's URL.

    Streamlit treats a folder named ``pages/`` as the old multipage layout until
    ``st.navigation`` is called once in the process; a first visit to
    ``/compounds`` would then run the page without app.py (no language switch,
    no login, no page set-up). Leaving that mode and rerunning hands the URL to
    st.navigation. It happens once per server process.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def settings() -> dict:
    return settings_mod.load()


def lang() -> str:
    """The UI language chosen by the sidebar switch (bound to ``?lang=``), else the setting."""
    chosen = st.session_state.get("lang")
    return chosen if chosen in ("zh", "en") else settings()["language"]


def thresholds() -> Thresholds:
    s = settings()
    return Thresholds(low=float(s["supply_low_days"]), critical=float(s["supply_critical_days"]))


def engine():
    """The store's engine; an empty store is filled from the data folder on first use."""
    s = settings()
    return open_store(str(s["database_url"]), s["data_dir"])


@st.cache_resource(show_spinner=False, max_entries=2)
def _load(url: str, version: int) -> Dataset:
    # The newest version is part of the cache key: an upload or rollback loads a new dataset.
    return load_store(connect(url))


STORE_ERRORS = (DBAPIError, sqlite3.DatabaseError)  # locked, read-only, damaged or gone
_last_good: dict[str, int] = {}  # store URL -> the newest version last read (its dataset stays cached)


def store_error_text(exc: Exception) -> str:
    return str(getattr(exc, "orig", None) or exc).splitlines()[0][:120]


def _key() -> tuple[str, int]:
    """The store URL and its newest version; when the store cannot be read, the last version read.

    That keeps every page showing the last good data (with a notice, see app.py) instead
    of failing; only a process that never read the store has nothing to show and raises.
    """
    url = str(settings()["database_url"])
    store_engine = None
    try:
        store_engine = engine()
        version = newest_version(store_engine)
    except STORE_ERRORS as exc:
        if store_engine is not None:
            store_engine.dispose()  # pooled connections keep a broken file's state: start afresh next time
        if url not in _last_good:
            raise
        st.session_state["store_error"] = store_error_text(exc)
        return url, _last_good[url]
    _last_good[url] = version
    return url, version


def dataset() -> Dataset:
    return _load(*_key())


# A resource, not data: shared by every session without a copy (100,000 compounds unpickled on every rerun
# cost more than the page). Callers never change a view in place.
@st.cache_resource(show_spinner=False, max_entries=32)
def _view(kind: str, url: str, version: int, date: str, low: float, critical: float):
    ds = _load(url, version)
    limits = Thresholds(low, critical)
    if kind == "compounds":
        return compound_view(ds, date, limits)
    if kind == "sites":
        return site_view(ds, date, limits)
    if kind == "supplies":
        return supply_view(ds, date, limits)
    return zone_metrics(ds, date, limits)


def view(kind: str, date: str):
    """The status view of ``kind`` ('compounds', 'sites', 'supplies', 'zones') on ``date``, cached."""
    limits = thresholds()
    return _view(kind, *_key(), date, limits.low, limits.critical)


@st.cache_resource(show_spinner=False, max_entries=4)
def _dates(url: str, version: int) -> list[str]:
    return report_dates(_load(url, version))


@st.cache_resource(show_spinner=False, max_entries=4)
def _unmatched(url: str, version: int) -> dict[str, list[str]]:
    return unmatched_ids(_load(url, version))


def dates() -> list[str]:
    """Every report date of the newest data, computed once per data version."""
    return _dates(*_key())


def unmatched() -> dict[str, list[str]]:
    """Per status table, the ids that match no place (see :func:`geo.analysis.views.unmatched_ids`), once per version."""
    return _unmatched(*_key())


def page_header(title_key: str, date: str | None) -> None:
    lg = lang()
    st.title(t(title_key, lg), anchor=False)
    if date:
        st.caption(t("data_as_of", lg, date=date))


@st.cache_resource(show_spinner=False, max_entries=32)
def _shared(key: tuple, _build):
    return _build()


def shared(key: tuple, build):
    """``build()``, once for every session per data version and ``key``, which must name all else it uses.

    For what costs a page most at 100,000 places (a map's statuses): every visitor
    of the same page, date and filters gets the one result. Keep results small.
    """
    return _shared((*_key(), *key), build)


#: Packs of places are written here and served by Streamlit's static file serving (``/app/static/cache``).
PACK_DIR = Path(__file__).resolve().parent.parent / "static" / "cache"


@st.cache_resource(show_spinner=False, max_entries=12)
def _source(url: str, version: int, kind: str, datum: str) -> Source:
    pack = pack_places(_load(url, version).layer(kind), datum)
    written = write_pack(pack, PACK_DIR)  # a read-only install embeds the pack in the page instead
    return Source(pack, f"/app/static/cache/{pack.file_name}" if written else None)


def place_sources(kinds: tuple[str, ...], datum: str) -> list[Source]:
    """The packed places of dataset layers ``kinds``, built once per data version for every session."""
    return [_source(*_key(), kind, datum) for kind in kinds]


@st.cache_data(show_spinner=False, max_entries=16)
def _home(url: str, version: int, kind: str, share: float):
    return initial_bounds(_load(url, version).layer(kind), share=share)


def home_bounds(kind: str, share: float = 0.9):
    """Where a map of dataset layer ``kind`` opens before any filter: the same for every rerun."""
    return _home(*_key(), kind, share)
