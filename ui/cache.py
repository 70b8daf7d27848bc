"""What the pages compute from the store, once per data version for every session: dataset, views, dates.

The one place where an account's scope (:mod:`geo.accounts.scope`) takes effect for the pages: every
function here reads :func:`dataset`, the store's dataset cut to the logged-in account's scope
(:func:`ui.data.viewing_scope`), and every cache is keyed by that scope too (:func:`data_key`), so
that two accounts with different scopes never share a cached view, figure, map state or pack.
Only :func:`load_dataset` is the whole city: for the dataset cut here and nothing else.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import time
import weakref
from collections.abc import Callable
from inspect import signature

import pandas as pd
import streamlit as st

from geo.accounts import Scope, place_ids, scoped_dataset
from geo.analysis import (
    METRICS,
    Days,
    Kpi,
    Thresholds,
    kpis_of,
    other_kinds,
    outside_zones,
    report_dates,
    report_days,
    unmatched_ids,
    unplaced_places,
    view_of,
    zone_peaks,
)
from geo.domain.kinds import KINDS
from geo.maps import initial_bounds
from geo.settings import Settings
from geo.store import Dataset, Loaded, connect, has_places, read_newest, refresh_store, write_snapshot
from ui.data import every_problem, store_key, viewing_scope
from ui.settings import settings, thresholds

#: Every call of a cache of one data version (:func:`per_version`) by its store URL and version: the cached
#: function and the arguments that key its entry, which :func:`forget_versions_before` drops.
_CALLS: dict[tuple[str, int], set[tuple[Callable, tuple]]] = {}
_CALLS_LOCK = threading.Lock()
_CALLS_KEPT = 64  # versions remembered at most: a process without a warm-up (a test's app) forgets none


def per_version(max_entries: int, data: Callable[[tuple], tuple] = lambda args: args[:2]):
    """``st.cache_resource`` of what one data version makes, whose entries :func:`forget_versions_before` drops
    once a newer version is built; ``data(args)`` gives a call's store URL and version (its first two arguments).

    Without it the version before an import stayed in every cache beside the new one until pushed out: its
    reports, lookups, views and maps (at a million compounds the server held 4.1 GB after an import's build
    where a start on the new version holds 3.0). Arguments that are not part of a cache's
    key (named with a leading '_') must come last: the entry is dropped by the arguments before them.
    """

    def decorate(func):
        cached = st.cache_resource(show_spinner=False, max_entries=max_entries)(func)
        names = list(signature(func).parameters)
        keyed = next((i for i, name in enumerate(names) if name.startswith("_")), len(names))
        if not all(name.startswith("_") for name in names[keyed:]):
            raise TypeError(f"{func.__name__}: arguments left out of the key must come last")

        @functools.wraps(func)
        def call(*args):
            with _CALLS_LOCK, contextlib.suppress(TypeError):  # a key Python cannot hash is left to the cache's own
                _CALLS.setdefault(tuple(data(args)), set()).add((call, args[:keyed]))
                if len(_CALLS) > _CALLS_KEPT:
                    _CALLS.pop(min(_CALLS, key=lambda key: key[1]))
            return cached(*args)

        call.clear = cached.clear
        return call

    return decorate


def forget_versions_before(url: str, version: int) -> int:
    """Drop from the caches of :func:`per_version` every entry of the store at ``url`` older than ``version``,
    once ``version`` is built (:mod:`ui.warmup`); how many were dropped.

    A page still running on an older version keeps what it holds, and makes again what it asks for next. The
    views of older days a leader looked at go too, though the import left those days as they were: kept, at a
    million compounds each day's views of every kind held 300 MB more than a start on the new version; made
    again, a day's compounds take 6 s. The views of the two days the pages open on are the build's own, taken
    from the version before where the import left their day as it was (:func:`_made_view`).
    """
    with _CALLS_LOCK:
        older = [key for key in _CALLS if key[0] == url and key[1] < version]
        calls = [call for key in older for call in _CALLS.pop(key)]
    for cached, args in calls:
        cached.clear(*args)
    return len(calls)


@per_version(max_entries=4)
def _has_places(url: str, version: int) -> bool:
    return has_places(connect(url))


def city_has_places() -> bool:
    """Whether the city has any place yet (a new one opens on its welcome page until it has), once per version."""
    return _has_places(*store_key())


_last_read: dict[str, Loaded] = {}  # store URL -> the dataset read last, which the next version's refreshes


@per_version(max_entries=2)
def load_dataset(url: str, version: int) -> Dataset:
    """The dataset of the store at ``url`` as of ``version``: the one before it with the daily reports written
    since read again (see :func:`geo.store.refresh_store`), or the first time the store's snapshot brought up to
    date (:mod:`geo.store.snapshot`), else the whole store."""
    # The newest version is part of the cache key: an upload, a phone report or a rollback makes a new dataset.
    last = _last_read.get(url)
    loaded = read_newest(connect(url)) if last is None else refresh_store(connect(url), last)
    _last_read[url] = loaded
    # a version read meanwhile stands for this one: nothing is said of its days
    if len(_refreshed) >= 256:  # one entry a version: a day of phone reports writes thousands
        _refreshed.clear()
    _refreshed[url, version] = loaded.refreshed if loaded.version == version else None
    return loaded.dataset


_refreshed: dict[tuple[str, int], tuple[int, str | None] | None] = {}


def keep_snapshot(url: str) -> None:
    """Write the dataset this process read last from the store at ``url`` as the store's snapshot, which the next
    start reads instead of the store (:func:`geo.store.write_snapshot`: nothing when it is there already)."""
    last = _last_read.get(url)
    if last is not None:
        write_snapshot(connect(url), last)


def refreshed_from(url: str, version: int) -> tuple[int, str | None] | None:
    """The version the dataset of ``version`` was brought up from and the earliest report date written since (None:
    none), before which every day reads as it did then (:attr:`geo.store.Loaded.refreshed`); None when unknown."""
    return _refreshed.get((url, version))


def data_key() -> tuple[str, int, str]:
    """The store URL, its newest version (see :func:`ui.data.store_key`) and the text of the viewing account's
    scope ('' for the whole city): the key of every cache of what a page shows."""
    url, version = store_key()
    scope = viewing_scope()
    return url, version, scope.text if scope is not None else ""


@per_version(max_entries=64)
def scoped(url: str, version: int, scope: str) -> Dataset:
    """The dataset of ``version`` cut to ``scope`` (its text, '' for the whole city), cached for every session:
    what :func:`dataset` gives; called by key where no session is at hand (a download made on its own thread)."""
    return scoped_dataset(load_dataset(url, version), Scope.of_text(scope))


RETRY_SECONDS = 30  # how long a dataset missing damaged tables is kept before the store is read again
_partial_since: dict[tuple[str, int], float] = {}


def dataset() -> Dataset:
    """The newest dataset; one missing tables that could not be read is said (``app.py``) and read again later.

    Every cache here is keyed by the store's version, which a restore of the damaged store need not
    change: so while tables are missing, every cache is emptied every :data:`RETRY_SECONDS`, and the
    pages recover by themselves once the tables can be read again.
    """
    url, version, scope = data_key()
    key = url, version
    found = scoped(url, version, scope)
    if found.unreadable:
        st.session_state["store_damaged"] = found.unreadable
        since = _partial_since.setdefault(key, time.monotonic())
        if time.monotonic() - since > RETRY_SECONDS:
            _partial_since.pop(key, None)
            st.cache_resource.clear()
            st.cache_data.clear()
    return found


#: The view made last of each kind, store, scope, date and thresholds: its version, and the view while a cache
#: still holds it (a weak reference: a million compounds' views of every day kept here would fill the memory).
_LAST_VIEWS: dict[tuple, tuple[int, weakref.ref]] = {}


def _made_view(kind: str, url: str, version: int, scope: str, date: str, low: float, critical: float):
    """The view of ``date``, or the one made of the version this one was brought up from when nothing written
    since is dated ``date`` or earlier (a view of a day reads no later day's reports): after a new day's import
    the day before is not made again (6 s of each kind's at a million compounds)."""
    ds = scoped(url, version, scope)  # read first: it says what was written since the version before
    key = (kind, url, scope, date, low, critical)
    last, refreshed = _LAST_VIEWS.get(key), refreshed_from(url, version)
    made = None
    if last is not None and refreshed is not None and refreshed[0] == last[0] and \
            (refreshed[1] is None or date < refreshed[1]):
        made = last[1]()
    if made is None:
        made = view_of(ds, kind, date, Thresholds(low, critical))
    if len(_LAST_VIEWS) >= 4096:
        _LAST_VIEWS.clear()
    _LAST_VIEWS[key] = (version, weakref.ref(made))
    return made


# A resource, not data: shared by every session without a copy (100,000 compounds unpickled on every rerun
# cost more than the page). Callers never change a view in place.
@per_version(max_entries=32, data=lambda args: args[1:3])
def _view(kind: str, url: str, version: int, scope: str, date: str, low: float, critical: float):
    return _made_view(kind, url, version, scope, date, low, critical)


# Scoped accounts' views apart: a district's hundred officers, each with a view of its own, must not push
# the whole city's (the costly ones, at 100,000 compounds) out of their cache.
@per_version(max_entries=256, data=lambda args: args[1:3])
def _scoped_view(kind: str, url: str, version: int, scope: str, date: str, low: float, critical: float):
    return _made_view(kind, url, version, scope, date, low, critical)


def view_for(kind: str, url: str, version: int, scope: str, date: str, limits: Thresholds):
    """:func:`view` of the store at ``url`` as of ``version`` inside ``scope`` (its text, '' for the whole city),
    where no session is at hand (the server's warm-up)."""
    return (_scoped_view if scope else _view)(kind, url, version, scope, date, limits.low, limits.critical)


def view(kind: str, date: str):
    """The status view of the kind of place ``kind`` ('compounds', 'zones', …) on ``date``, inside the viewing
    account's scope, cached."""
    return view_for(kind, *data_key(), date, thresholds())


def kpis(date: str | None, keep=lambda view: view) -> list[Kpi]:
    """The figures of ``date`` and their change since the comparable day before (see
    :func:`geo.analysis.compute_kpis`), from the cached views of every kind narrowed by ``keep`` (a page's
    filters): a rerun of the overview or a refresh of the wall made every kind's view of both days again."""

    def narrowed(day: str | None) -> tuple:
        return (keep(view("compounds", day)), keep(view("sites", day)),
                {name: keep(view(name, day)) for name in other_kinds()})

    before = days().before(date)
    return kpis_of(dataset(), narrowed(date), narrowed(before) if before else None)


@per_version(max_entries=4)
def _dates(url: str, version: int, scope: str) -> list[str]:
    return report_dates(scoped(url, version, scope))


@per_version(max_entries=4)
def _unmatched(url: str, version: int, scope: str) -> dict[str, list[str]]:
    return unmatched_ids(scoped(url, version, scope))


@per_version(max_entries=4)
def _outside(url: str, version: int, scope: str):
    return outside_zones(scoped(url, version, scope))


def outside() -> pd.DataFrame:
    """The places no zone holds (see :func:`geo.analysis.views.outside_zones`), once per data version."""
    return _outside(*data_key())


@per_version(max_entries=4)
def _unplaced(url: str, version: int, scope: str):
    return unplaced_places(scoped(url, version, scope))


def unplaced() -> pd.DataFrame:
    """The places still to be placed (see :func:`geo.analysis.views.unplaced_places`), once per data version."""
    return _unplaced(*data_key())


@per_version(max_entries=4)
def _days(url: str, version: int, scope: str, share: float) -> Days:
    return report_days(scoped(url, version, scope), share)


def days_for(url: str, version: int, scope: str, share: float) -> Days:
    """:func:`days` of the store at ``url`` as of ``version`` inside ``scope``, a day complete at ``share``."""
    return _days(url, version, scope, share)


def days() -> Days:
    """The report dates with their completeness (see :class:`geo.analysis.days.Days`), once per data version."""
    return _days(*data_key(), settings().complete_share)


def city_days() -> Days:
    """:func:`days` of the whole city, whatever the account's scope: the day a city reports is one for all."""
    url, version, _ = data_key()
    return _days(url, version, "", settings().complete_share)


def dates() -> list[str]:
    """Every report date of the newest data, computed once per data version."""
    return _dates(*data_key())


def unmatched() -> dict[str, list[str]]:
    """Per status table, the ids that match no place (see :func:`geo.analysis.views.unmatched_ids`), once per version."""
    return _unmatched(*data_key())


@per_version(max_entries=32, data=lambda args: args[0][:2])
def _shared(key: tuple, _build):
    return _build()


@per_version(max_entries=256, data=lambda args: args[0][:2])  # apart, as :func:`_scoped_view`
def _scoped_shared(key: tuple, _build):
    return _build()


def shared_for(data: tuple[str, int, str], key: tuple, build):
    """:func:`shared` of the data key ``data`` (store URL, version, scope text), where no session is at hand:
    the server's warm-up makes what the first visitors' pages would wait for."""
    full = (*data, *key)
    return (_scoped_shared if full[2] else _shared)(full, build)


def shared(key: tuple, build):
    """``build()``, once for every session per data version, scope and ``key``, which must name all else it uses.

    For what costs a page most at 100,000 places (a map's statuses): every visitor
    of the same page, date and filters gets the one result. Keep results small.
    """
    return shared_for(data_key(), key, build)


def zone_names() -> dict[str, str]:
    """Each zone's name by its id inside the viewing account's scope (its id when it has no name), once per data
    version: a nation's 71,000 zones made into a dict on every run of every page took 0.3 s."""

    def build() -> dict[str, str]:
        zones = dataset().zones
        ids = zones["id"].astype(str).tolist()
        names = zones["name"].astype("string").str.strip().tolist()
        return {i: name if isinstance(name, str) and name else i for i, name in zip(ids, names)}

    return shared(("zone_names",), build)


@st.cache_data(show_spinner=False, max_entries=16)
def _home(url: str, version: int, scope: str, kinds: tuple[str, ...], share: float):
    ds = scoped(url, version, scope)
    frames = [ds.layer(kind)[["geometry"]] for kind in kinds]
    return initial_bounds(pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0], share=share)


def home_bounds(*kinds: str, share: float = 0.9):
    """Where a map of dataset layers ``kinds`` (their places together) opens before any filter: the same for
    every rerun."""
    return _home(*data_key(), kinds, share) if kinds else None


def problems() -> pd.DataFrame:
    """The loop's problems of the places inside the viewing account's scope (all of them for the whole city),
    with their state now (:func:`ui.data.every_problem`, read on every run)."""
    frame = every_problem()
    if viewing_scope() is None:
        return frame
    return frame.loc[frame["place_id"].astype(str).isin(place_ids(dataset()))]


#: The metrics whose breaks follow their peak over every date (a share's breaks are fixed).
COUNT_METRICS = tuple(m.code for m in METRICS if m.unit != "%")


@per_version(max_entries=64)
def _zone_peaks(url: str, version: int, scope: str, low: float, critical: float) -> pd.DataFrame:
    found = scoped(url, version, scope)
    return zone_peaks(found, report_dates(found), Thresholds(low, critical))


def zone_top(zones: pd.DataFrame, metric_code: str) -> float | None:
    """The largest value of the metric ``metric_code`` over every report date among ``zones`` (a view's zones
    under its filters), the top its choropleth's breaks cover so that they stay the same from date to date
    (:func:`geo.analysis.zones.class_breaks`); every zone's peaks are computed once per data version. None for
    a share: its breaks are fixed."""
    if metric_code not in COUNT_METRICS:
        return None
    limits = thresholds()
    peaks = _zone_peaks(*data_key(), limits.low, limits.critical)
    found = peaks[metric_code].reindex(zones["id"].astype(str)).max()
    return None if pd.isna(found) else float(found)


def prepare(url: str, version: int, settings: Settings) -> str | None:
    """What a page of the whole city asks for first, built for ``version`` of the store at ``url`` by the functions
    above, as a page's first run would (:mod:`ui.warmup` calls it off the pages' threads): the dataset, its dates,
    days and zone peaks, the places no zone holds or still to be placed, and every kind's view of the date the
    pages show first and of the report date before it. That date (None before any day is reported).

    The date's views come first: a visitor during a start's build waits for what its page shows (a million
    compounds' zone peaks took 4 s, the views of each day 5 s)."""
    low, critical = settings.supply_low_days, settings.supply_critical_days
    days = _days(url, version, "", settings.complete_share)
    date = days.current
    for day in (date, days.before(date)):  # the day shown, and the day its changes are counted from
        if day is not None:
            for name in KINDS:
                _view(name, url, version, "", day, low, critical)
    _dates(url, version, "")
    _unmatched(url, version, "")
    _outside(url, version, "")
    _unplaced(url, version, "")
    _zone_peaks(url, version, "", low, critical)
    return date
