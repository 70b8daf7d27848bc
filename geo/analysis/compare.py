"""Two report dates compared: the places whose state changed, and the transitions counted.

Each kind's view has its places' state in ``category`` (see :mod:`geo.analysis.kind_view`), "missing"
when a place did not report; comparing two views of one kind says who went from what to what.

Examples
--------
>>> a = pd.DataFrame({"id": ["C1", "C2", "C3"], "name": ["甲", "乙", "丙"], "category": ["sealed", "open", "open"]})
>>> b = pd.DataFrame({"id": ["C1", "C2", "C3"], "name": ["甲", "乙", "丙"],
...                   "category": ["controlled", "open", "missing"]})
>>> changed = changed_places(a, b)
>>> changed[["id", "before", "after"]].values.tolist()
[['C1', 'sealed', 'controlled'], ['C3', 'open', 'missing']]
>>> transitions(changed).values.tolist()
[['open', 'missing', 1], ['sealed', 'controlled', 1]]
"""

from __future__ import annotations

import pandas as pd

from geo.domain import MISSING

#: The columns of a changed place besides its states: who and where, as the view has them.
PLACE_COLUMNS = ("id", "name", "zone_name", "district", "street")


def changed_places(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """The places of ``after`` whose ``category`` differs from ``before``'s (a place new in ``after`` counts
    as not reported before), with their ``before`` and ``after`` states, in ``after``'s order."""
    states = before.drop_duplicates("id").set_index("id")["category"].astype("string")
    was = after["id"].map(states).astype("string").fillna(MISSING)
    now = after["category"].astype("string").fillna(MISSING)
    differs = (was != now).to_numpy()
    out = after.loc[differs, [c for c in PLACE_COLUMNS if c in after]].copy()
    out["before"], out["after"] = was[differs].to_numpy(), now[differs].to_numpy()
    return out.reset_index(drop=True)


def transitions(changed: pd.DataFrame) -> pd.DataFrame:
    """How many places went from each state to each other: columns ``before``, ``after``, ``count``, most first."""
    if changed.empty:
        return pd.DataFrame(columns=["before", "after", "count"])
    counts = changed.groupby(["before", "after"]).size().rename("count").reset_index()
    return counts.sort_values(["count", "before", "after"], ascending=[False, True, True]).reset_index(drop=True)
