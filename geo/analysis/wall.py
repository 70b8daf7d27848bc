"""The wall display's logic: which view and attention page to show, how fresh the data is, what just changed.

Pure functions with the time passed in, so that tests need no clock.

The wall turns on a clock of its own (``wall_rotate_seconds``), apart from the
one that reads new data (``wall_refresh_seconds``). Each turn moves to the next
view in the fixed order of :func:`geo.domain.wall_views` and to the next page of
the attention list, one step whatever the time since the last turn: a late tick
never skips a view, and a tick of the data clock in between turns nothing.

Examples
--------
>>> views = ("compounds", "sites", "zones")
>>> turn = take_turn(None, now=0, seconds=30, views=views, pages=2)
>>> shown = [turn]
>>> for now in (30, 45, 61, 200, 230):  # 45: a data refresh between two turns; 200: a turn 139 s late
...     turn = take_turn(turn, now, 30, views, pages=2)
...     shown.append(turn)
>>> [(turn.view, turn.page) for turn in shown]
[('compounds', 0), ('sites', 1), ('sites', 1), ('zones', 0), ('compounds', 1), ('sites', 0)]
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import weakref
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo.analysis.lookup import factorized, positions_in
from geo.domain import Text, kinds, t, wall_kinds, wall_views
from geo.store import Dataset


@dataclass(frozen=True)
class Turn:
    """What the wall shows now: a view, a page of the attention list, and since when (seconds, any clock)."""

    view: str
    page: int
    since: float


def next_view(current: str, views: tuple[str, ...]) -> str:
    """The view after ``current`` in the order of ``views``, round again at the end. A view no longer among
    ``views`` (its places were removed) is followed by the next one of the wall's fixed order that is.

    >>> next_view("sites", ("compounds", "sites", "zones")), next_view("zones", ("compounds", "sites", "zones"))
    ('zones', 'compounds')
    >>> next_view("supplies", ("compounds", "sites", "zones"))  # supplies gone: the zones come after it
    'zones'
    """
    if current in views:
        return views[(views.index(current) + 1) % len(views)]
    order = wall_views()
    later = [name for name in order[order.index(current) + 1:] if name in views] if current in order else []
    return (later or list(views))[0]


def take_turn(previous: Turn | None, now: float, seconds: float, views: tuple[str, ...], pages: int) -> Turn:
    """The wall's next :class:`Turn`: a step to the next view and page once ``seconds`` have passed since
    ``previous``, else ``previous`` again (kept within ``views`` and ``pages``, which new data may change).

    A timer fires a little early or late: a turn is due from a quarter of its period (at most a second)
    before its time, and a late one is still a single step. ``views`` of one (a pinned view, or the
    rotation switched off) still turn the pages.

    >>> take_turn(Turn("zones", 3, since=0), now=29.5, seconds=30, views=("compounds", "zones"), pages=2)
    Turn(view='compounds', page=0, since=29.5)
    >>> take_turn(Turn("zones", 3, since=0), now=10, seconds=30, views=("compounds",), pages=2)
    Turn(view='compounds', page=1, since=0)
    """
    if previous is None:
        return Turn(views[0], 0, now)
    if previous.view in views:
        view = previous.view
    else:
        view = next_view(previous.view, views)
    if now - previous.since >= seconds - min(1.0, seconds / 4):
        return Turn(next_view(previous.view, views), (previous.page + 1) % max(1, pages), now)
    return Turn(view, previous.page % max(1, pages), previous.since)


def page_count(items: int, size: int) -> int:
    """Pages of at most ``size`` items for ``items`` (one page when there is nothing).

    >>> page_count(0, 8), page_count(8, 8), page_count(181, 8)
    (1, 1, 23)
    """
    return max(1, math.ceil(items / max(1, size)))


def page_of(items: pd.DataFrame, page: int, size: int) -> pd.DataFrame:
    """Page ``page`` (from 0, counted round) of ``items``, ``size`` a page.

    >>> page_of(pd.DataFrame({"n": range(10)}), page=1, size=4)["n"].tolist()
    [4, 5, 6, 7]
    >>> page_of(pd.DataFrame({"n": range(10)}), page=5, size=4)["n"].tolist()  # 5 of 3 pages: the third
    [8, 9]
    """
    page %= page_count(len(items), size)
    return items.iloc[page * size:(page + 1) * size]


def data_age(last_update: dt.datetime | None, now: dt.datetime) -> Text | None:
    """How long ago data last arrived (the store's newest version), for the top of the wall.

    >>> now = dt.datetime(2020, 2, 26, 9, 0, tzinfo=dt.timezone.utc)
    >>> [data_age(now - dt.timedelta(minutes=m), now).zh for m in (0.5, 12, 185, 3000)]
    ['数据刚刚更新', '数据 12 分钟前更新', '数据 3 小时前更新', '数据 2 天前更新']
    """
    if last_update is None:
        return None
    minutes = max(0, int((now - last_update).total_seconds() // 60))
    if minutes < 1:
        return t("wall_data_just_now")
    if minutes < 60:
        return t("wall_data_minutes", minutes=minutes)
    if minutes < 48 * 60:
        return t("wall_data_hours", hours=minutes // 60)
    return t("wall_data_days", days=minutes // (24 * 60))


def city_wall_views(ds: Dataset) -> tuple[str, ...]:
    """The views a city's wall turns through: those with places to show. A city without zone shapes
    leaves the zones out, one with no market, agency, park or plant uploaded yet their shared view (a
    map of nothing for 30 seconds); a city with no place at all keeps the first view, empty."""
    found = tuple(name for name in wall_views() if any(
        not ds.layer(layer).empty for kind in wall_kinds(name) for layer in kinds.kind(kind).place_layers))
    return found or wall_views()[:1]


def banners(latest_date: str | None, last_update: dt.datetime | None, now: dt.datetime, stale_hours: float,
            missing: int, total: int) -> list[tuple[str, Text]]:
    """Warnings for the top of the wall, as (level, text): stale data, incomplete reports.

    >>> now = dt.datetime(2020, 2, 26, 9, 0, tzinfo=dt.timezone.utc)
    >>> [b[0] for b in banners("2020-02-25", now - dt.timedelta(hours=30), now, 24, 3, 200)]
    ['stale', 'incomplete']
    """
    found = []
    if latest_date is None:
        return [("stale", t("wall_no_reports"))]
    if last_update is not None and (now - last_update).total_seconds() > stale_hours * 3600:
        hours = int((now - last_update).total_seconds() // 3600)
        found.append(("stale", t("wall_stale", hours=hours)))
    if missing:
        found.append(("incomplete", t("wall_incomplete", date=latest_date, missing=missing, total=total)))
    return found


@dataclass(frozen=True, eq=False)
class PlaceStates:
    """Each place's state in a layer of one data version, kept as codes: what a wall compares with the version
    it showed before (a million compounds' states as a dict of text took 100 MB per layer, and each wall looped
    over it at every new version)."""

    ids: pd.Series  # text, a place a row
    codes: np.ndarray  # each row's position among ``labels``; -1 none
    labels: np.ndarray  # the states, as text
    # the changes since earlier states, by their id: (a weak reference to them, the places changed)
    since: dict = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, frame: pd.DataFrame) -> PlaceStates:
        """The states of a layer's ``frame`` (its ``id`` and ``category``)."""
        codes, labels = factorized(frame["category"])
        return cls(frame["id"], np.asarray(codes), np.asarray(labels.astype(str), dtype=object))


_COMPARING = threading.Lock()


def state_changes(previous: PlaceStates, current: PlaceStates) -> frozenset[str]:
    """The places of ``current`` whose state is not the one they had in ``previous`` (a place new since has not
    changed), found once for every wall and kept with ``current``: fifty walls each comparing a million states
    took 0.7 s of the server's time apiece at every new version.

    >>> before = PlaceStates.of(pd.DataFrame({"id": ["a", "b", "c"], "category": ["open", "open", None]}))
    >>> now = PlaceStates.of(pd.DataFrame({"id": ["d", "c", "b", "a"], "category": ["open", "open", "open", "x"]}))
    >>> sorted(state_changes(before, now)), state_changes(before, now) is state_changes(before, now)
    (['a', 'c'], True)
    """
    with _COMPARING:  # one wall compares, the others wait for its answer
        found = current.since.get(id(previous))
        if found is not None and found[0]() is previous:
            return found[1]
        changed = _compared(previous, current)
        current.since[id(previous)] = (weakref.ref(previous), changed)
        return changed


def _compared(previous: PlaceStates, current: PlaceStates) -> frozenset[str]:
    at = positions_in(current.ids, previous.ids)
    rows = np.flatnonzero(at >= 0)
    if not len(rows):
        return frozenset()
    # each earlier state's position among the current ones; one no place has now matches none (-2)
    found = positions_in(previous.labels, current.labels)
    moved = np.append(np.where(found >= 0, found, -2), -1)  # no state (-1) takes the -1 appended
    changed = rows[moved[previous.codes[at[rows]]] != current.codes[rows]]
    return frozenset(current.ids.iloc[changed].astype(str).tolist())


#: A wall's memory of what changed: when, and which places, a batch per new version within the highlight time.
Changes = tuple[tuple[float, frozenset[str]], ...]


def track_changes(previous: PlaceStates | None, current: PlaceStates, since: Changes, now: float,
                  minutes: float) -> tuple[Changes, frozenset[str]]:
    """Remember which places changed state since the ``previous`` states a wall showed, and when; return that
    memory, without what is older than ``minutes``, and the places to highlight.

    >>> states = [PlaceStates.of(pd.DataFrame({"id": ["a", "b"], "category": c})) for c in (["open", "open"],
    ...                                                                                   ["sealed", "open"])]
    >>> since, lit = track_changes(states[0], states[1], (), now=100, minutes=1)
    >>> sorted(lit), since
    (['a'], ((100, frozenset({'a'})),))
    >>> track_changes(states[1], states[1], since, now=200, minutes=1)
    ((), frozenset())
    """
    since = tuple((at, places) for at, places in since if now - at <= minutes * 60)
    if previous is not None and previous is not current:  # the same states (one version's, shared): none changed
        changed = state_changes(previous, current)
        if changed:
            since += ((now, changed),)
    return since, since[0][1] if len(since) == 1 else frozenset().union(*(places for _, places in since))
