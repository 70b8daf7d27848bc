"""What the command post must look at now: the attention list of the wall display.

Four reasons, most urgent first: fever reported in a compound, a site resumed
without a health ledger (健康台账), a place with under N days of supplies, and a
place that has not reported today (零报告).

Examples
--------
>>> REASONS[0]
'fever'
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from geo.domain import MISSING

REASONS = ("fever", "no_ledger", "supplies", "missing")


def attention_items(compounds: pd.DataFrame, sites: pd.DataFrame, days: float,
                    others: Mapping[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """One row per place and reason: kind ('compounds', 'sites', …), id, name, zone_name, reason, value.

    ``compounds`` and ``sites`` are the views of one date (see :mod:`geo.analysis.views`); ``others``
    the views of the other kinds of places (markets, parks, …), whose silence is listed too.
    """
    parts = []
    fever = compounds.loc[pd.to_numeric(compounds["fever_reports"], errors="coerce").fillna(0) > 0]
    parts.append(fever.assign(kind="compounds", reason="fever", value=fever["fever_reports"].astype(float)))
    no_ledger = sites.loc[(sites["category"] == "resumed") & (sites["health_ledger"] == "no")]
    parts.append(no_ledger.assign(kind="sites", reason="no_ledger", value=float("nan")))
    for kind, view in (("compounds", compounds), ("sites", sites)):
        short = view.loc[pd.to_numeric(view["min_days"], errors="coerce") < days]
        parts.append(short.assign(kind=kind, reason="supplies", value=short["min_days"].astype(float)))
        silent = view.loc[view["report"] == MISSING]
        parts.append(silent.assign(kind=kind, reason="missing", value=float("nan")))
    for kind, view in (others or {}).items():
        silent = view.loc[view["report"] == MISSING]
        parts.append(silent.assign(kind=kind, reason="missing", value=float("nan")))
    columns = ["kind", "id", "name", "zone_name", "reason", "value"]
    items = pd.concat([p[columns] for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) \
        else pd.DataFrame(columns=columns)
    order = {reason: rank for rank, reason in enumerate(REASONS)}
    items["rank"] = items["reason"].map(order)
    # within a reason: the most fever first, the fewest days of supplies first
    items["sort"] = items["value"].where(items["reason"] != "fever", -items["value"])
    return items.sort_values(["rank", "sort", "name"], na_position="last").drop(columns=["rank", "sort"]).reset_index(
        drop=True)
