"""What the pages compute from the store, once per data version for every session: dataset, views, dates."""

from __future__ import annotations

import time

import pandas as pd
import streamlit as st

from geo.analysis import (
    Days,
    Thresholds,
    outside_zones,
    report_dates,
    report_days,
    unmatched_ids,
    unplaced_places,
    view_of,
)
from geo.maps import initial_bounds
from geo.store import Dataset, connect, has_places, load_store
from ui.data import store_key
from ui.settings import settings, thresholds


@st.cache_resource(show_spinner=False, max_entries=4)
def _has_places(url: str, version: int) -> bool:
    return has_places(connect(url))


def city_has_places() -> bool:
    """Whether the city has any place yet (a new one opens on its welcome page until it has), once per version."""
    return _has_places(*store_key())


@st.cache_resource(show_spinner=False, max_entries=2)
def load_dataset(url: str, version: int) -> Dataset:
    """The dataset of the store at ``url`` as of ``version``."""
    # The newest version is part of the cache key: an upload or rollback loads a new dataset.
    return load_store(connect(url))


RETRY_SECONDS = 30  # how long a dataset missing damaged tables is kept before the store is read again
_partial_since: dict[tuple[str, int], float] = {}


def dataset() -> Dataset:
    """The newest dataset; one missing tables that could not be read is said (``app.py``) and read again later.

    Every cache here is keyed by the store's version, which a restore of the damaged store need not
    change: so while tables are missing, every cache is emptied every :data:`RETRY_SECONDS`, and the
    pages recover by themselves once the tables can be read again.
    """
    key = store_key()
    found = load_dataset(*key)
    if found.unreadable:
        st.session_state["store_damaged"] = found.unreadable
        since = _partial_since.setdefault(key, time.monotonic())
        if time.monotonic() - since > RETRY_SECONDS:
            _partial_since.pop(key, None)
            st.cache_resource.clear()
            st.cache_data.clear()
    return found


# A resource, not data: shared by every session without a copy (100,000 compounds unpickled on every rerun
# cost more than the page). Callers never change a view in place.
@st.cache_resource(show_spinner=False, max_entries=32)
def _view(kind: str, url: str, version: int, date: str, low: float, critical: float):
    return view_of(load_dataset(url, version), kind, date, Thresholds(low, critical))


def view(kind: str, date: str):
    """The status view of the kind of place ``kind`` ('compounds', 'zones', …) on ``date``, cached."""
    limits = thresholds()
    return _view(kind, *store_key(), date, limits.low, limits.critical)


@st.cache_resource(show_spinner=False, max_entries=4)
def _dates(url: str, version: int) -> list[str]:
    return report_dates(load_dataset(url, version))


@st.cache_resource(show_spinner=False, max_entries=4)
def _unmatched(url: str, version: int) -> dict[str, list[str]]:
    return unmatched_ids(load_dataset(url, version))


@st.cache_resource(show_spinner=False, max_entries=4)
def _outside(url: str, version: int):
    return outside_zones(load_dataset(url, version))


def outside() -> pd.DataFrame:
    """The places no zone holds (see :func:`geo.analysis.views.outside_zones`), once per data version."""
    return _outside(*store_key())


@st.cache_resource(show_spinner=False, max_entries=4)
def _unplaced(url: str, version: int):
    return unplaced_places(load_dataset(url, version))


def unplaced() -> pd.DataFrame:
    """The places still to be placed (see :func:`geo.analysis.views.unplaced_places`), once per data version."""
    return _unplaced(*store_key())


@st.cache_resource(show_spinner=False, max_entries=4)
def _days(url: str, version: int, share: float) -> Days:
    return report_days(load_dataset(url, version), share)


def days() -> Days:
    """The report dates with their completeness (see :class:`geo.analysis.days.Days`), once per data version."""
    return _days(*store_key(), settings().complete_share)


def dates() -> list[str]:
    """Every report date of the newest data, computed once per data version."""
    return _dates(*store_key())


def unmatched() -> dict[str, list[str]]:
    """Per status table, the ids that match no place (see :func:`geo.analysis.views.unmatched_ids`), once per version."""
    return _unmatched(*store_key())


@st.cache_resource(show_spinner=False, max_entries=32)
def _shared(key: tuple, _build):
    return _build()


def shared(key: tuple, build):
    """``build()``, once for every session per data version and ``key``, which must name all else it uses.

    For what costs a page most at 100,000 places (a map's statuses): every visitor
    of the same page, date and filters gets the one result. Keep results small.
    """
    return _shared((*store_key(), *key), build)


@st.cache_data(show_spinner=False, max_entries=16)
def _home(url: str, version: int, kinds: tuple[str, ...], share: float):
    ds = load_dataset(url, version)
    frames = [ds.layer(kind)[["geometry"]] for kind in kinds]
    return initial_bounds(pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0], share=share)


def home_bounds(*kinds: str, share: float = 0.9):
    """Where a map of dataset layers ``kinds`` (their places together) opens before any filter: the same for
    every rerun."""
    return _home(*store_key(), kinds, share) if kinds else None
