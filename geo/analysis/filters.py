"""The view a leader picks (date, district, street, zone, status, name search) and what passes it.

The pages keep each choice in the URL (``ui/urlstate.py``), so a link opens the same view.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd

MAX_QUERY_LENGTH = 100  # a search longer than this is cut: a URL is no place for an essay


@dataclass(frozen=True)
class Filters:
    date: str | None = None
    district: tuple[str, ...] = ()
    street: tuple[str, ...] = ()
    zone: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    q: str = ""
    held: int = 0  # in its state for at least this many days (封闭 14 天以上); 0 keeps every place


def place_key(filters: Filters) -> str:
    """Which places the filters keep, as text ('' when none is set): a map re-frames when it changes,
    not when only the date does.

    >>> place_key(Filters(date="2020-02-25")), place_key(Filters(zone=("Z1",)))
    ('', '[[], [], ["Z1"], [], ""]')
    """
    chosen = [list(filters.district), list(filters.street), list(filters.zone), list(filters.status), filters.q]
    if filters.held:
        chosen.append(filters.held)
    return json.dumps(chosen, ensure_ascii=False) if any(chosen) else ""


def apply_filters(view: pd.DataFrame, filters: Filters, status_column: str = "category") -> pd.DataFrame:
    """The rows of ``view`` that pass every filter (an empty filter passes everything).

    >>> view = pd.DataFrame({"name": ["金桂花园", "温泉名城"], "street": ["温泉街道", "浮山街道"],
    ...                      "district": ["咸安区"] * 2, "zone": ["Z1", "Z2"], "category": ["open", "sealed"]})
    >>> apply_filters(view, Filters(q="金桂"))["name"].tolist()
    ['金桂花园']
    """
    keep = pd.Series(True, index=view.index)
    for key, column in (("district", "district"), ("street", "street"), ("zone", "zone"),
                        ("status", status_column)):
        chosen = getattr(filters, key)
        if chosen and column in view:
            keep &= view[column].isin(chosen).fillna(False).astype(bool)
    if filters.q.strip():
        needle = filters.q.strip().casefold()
        haystack = view["name"].astype("string").fillna("").str.casefold()
        if "id" in view:
            haystack = haystack + " " + view["id"].astype("string").fillna("").str.casefold()
        keep &= haystack.str.contains(needle, regex=False)
    if filters.held and "state_days" in view:
        keep &= (view["state_days"] >= filters.held).fillna(False).astype(bool)
    return view.loc[keep]
