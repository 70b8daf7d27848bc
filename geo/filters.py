"""The view a leader picks (date, district, street, zone, status, name search), and its URL form.

The same :class:`Filters` reads from and writes to the query string, so a link
opens the same view.

Examples
--------
>>> f = Filters.from_query({"date": ["2020-02-25"], "street": ["温泉街道"], "status": ["sealed", "bogus"]},
...                        statuses=["open", "controlled", "sealed", "missing"])
>>> f.street, f.status
(('温泉街道',), ('sealed',))
>>> f.to_query()["street"]
['温泉街道']
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Iterable, Mapping

import pandas as pd

MULTI = ("district", "street", "zone", "status")
MAX_QUERY_LENGTH = 100  # a search longer than this is cut: a URL is no place for an essay


@dataclass(frozen=True)
class Filters:
    date: str | None = None
    district: tuple[str, ...] = ()
    street: tuple[str, ...] = ()
    zone: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    q: str = ""

    @classmethod
    def from_query(cls, params: Mapping[str, Iterable[str]], statuses: Iterable[str] | None = None,
                   dates: Iterable[str] | None = None) -> "Filters":
        """Read the query string (each key to its list of values); unknown values are dropped."""
        def values(key):
            raw = params.get(key) or []
            if isinstance(raw, str):
                raw = [raw]
            return tuple(dict.fromkeys(v for v in raw if isinstance(v, str) and v.strip()))

        status = values("status")
        if statuses is not None:
            allowed = set(statuses)
            status = tuple(s for s in status if s in allowed)
        date = next(iter(values("date")), None)
        if dates is not None and date not in set(dates):
            date = None
        q = next(iter(values("q")), "")[:MAX_QUERY_LENGTH]
        return cls(date=date, district=values("district"), street=values("street"), zone=values("zone"),
                   status=status, q=q)

    def to_query(self) -> dict[str, list[str] | str]:
        """The non-empty parts, ready for ``st.query_params.from_dict``."""
        query: dict[str, list[str] | str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value:
                query[f.name] = list(value) if f.name in MULTI else value
        return query

    def with_(self, **changes) -> "Filters":
        return replace(self, **changes)


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
    return view.loc[keep]
