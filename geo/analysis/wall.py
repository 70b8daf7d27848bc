"""The wall display's logic: which view to show, how fresh the data is, what just changed.

Pure functions with the time passed in, so that tests need no clock.

Examples
--------
>>> pick_view(now=65, rotate_seconds=30, pinned=None)
'supplies'
>>> pick_view(now=95, rotate_seconds=30, pinned="zones")
'zones'
"""

from __future__ import annotations

import datetime as dt

from geo.domain import Text, kinds, t, wall_kinds, wall_views
from geo.store import Dataset


def pick_view(now: float, rotate_seconds: float, pinned: str | None, views: tuple[str, ...] | None = None) -> str:
    """The view to show: the pinned one, else the one the rotation has reached (see ``Kind.wall``) among
    ``views`` (by default every view on the wall; a city's own are :func:`city_wall_views`).

    >>> pick_view(now=95, rotate_seconds=30, pinned=None, views=("compounds", "sites", "supplies"))
    'compounds'
    """
    views = views or wall_views()
    if pinned in views:
        return pinned
    if rotate_seconds <= 0:
        return views[0]
    return views[int(now // rotate_seconds) % len(views)]


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


def track_changes(previous: dict[str, str] | None, current: dict[str, str], since: dict[str, float], now: float,
                  minutes: float) -> tuple[dict[str, float], set[str]]:
    """Remember when each place's state last changed; return that memory and the places to highlight.

    >>> since, lit = track_changes({"a": "open"}, {"a": "sealed", "b": "open"}, {}, now=100, minutes=1)
    >>> sorted(lit), since
    (['a'], {'a': 100})
    >>> track_changes({"a": "sealed"}, {"a": "sealed"}, since, now=200, minutes=1)[1]
    set()
    """
    since = {k: v for k, v in since.items() if now - v <= minutes * 60 and k in current}
    if previous is not None:
        for key, state in current.items():
            if key in previous and previous[key] != state:
                since[key] = now
    return since, set(since)
