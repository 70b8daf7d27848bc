"""What the command post must look at now: the attention list of the wall display.

Five reasons, most urgent first: fever reported in a compound, a site resumed
without a health ledger (健康台账), a place with problems handed out and not closed
by their deadline (逾期未整改), a place with under N days of supplies, and a place
that has not reported today (零报告).

Examples
--------
>>> REASONS[0]
'fever'
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from geo.analysis.lookup import column_codes, factorized, positions_in
from geo.domain import MISSING, TABLES, kinds
from geo.store import Dataset

REASONS = ("fever", "no_ledger", "overdue", "supplies", "missing")


def attention_items(compounds: pd.DataFrame, sites: pd.DataFrame, days: float,
                    others: Mapping[str, pd.DataFrame] | None = None,
                    overdue: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per place and reason: kind ('compounds', 'sites', …), id, name, zone_name, reason, value.

    ``compounds`` and ``sites`` are the views of one date (see :mod:`geo.analysis.views`); ``others``
    the views of the other kinds of places (markets, parks, …), whose silence is listed too; ``overdue``
    the places with overdue problems (:func:`geo.analysis.tasks.open_by_place`: kind, place_id, overdue), the
    most overdue first.
    """
    parts = []
    if overdue is not None and len(overdue):
        views = {"compounds": compounds, "sites": sites, **(others or {})}
        late = overdue.loc[overdue["overdue"] > 0]
        for kind, rows in late.groupby("kind", sort=False):
            if kind not in views:
                continue
            places = views[kind].drop_duplicates("id").set_index("id")
            rows = rows.loc[rows["place_id"].isin(places.index)]
            found = places.loc[rows["place_id"], ["name", "zone_name"]].reset_index(names="id")
            parts.append(found.assign(kind=kind, reason="overdue", value=rows["overdue"].astype(float).to_numpy()))
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
    # within a reason: the most fever and the most overdue problems first, the fewest days of supplies first
    items["sort"] = items["value"].where(~items["reason"].isin(["fever", "overdue"]), -items["value"])
    return items.sort_values(["rank", "sort", "name"], na_position="last").drop(columns=["rank", "sort"]).reset_index(
        drop=True)


def with_last_reports(items: pd.DataFrame, ds: Dataset, date: str | None) -> pd.DataFrame:
    """``items`` with ``last_report``: each place's newest report date up to ``date`` (None: never reported),
    so that the wall says how fresh each place's own figures are, and since when a silent one is silent.

    >>> from geo.store import Dataset
    >>> reports = pd.DataFrame({"compound_id": ["C1", "C1", "C2"], "date": ["2020-02-23", "2020-02-25", "2020-02-24"]})
    >>> ds = Dataset({"compound_status": reports})
    >>> items = pd.DataFrame({"kind": ["compounds", "compounds", "compounds"], "id": ["C1", "C2", "C3"]})
    >>> with_last_reports(items, ds, "2020-02-24")["last_report"].tolist()
    ['2020-02-23', '2020-02-24', None]
    """
    found: dict[tuple[str, str], str] = {}
    for kind in items["kind"].unique() if len(items) else ():
        report = kinds.kind(kind).report
        if not report:
            continue
        key = TABLES[report].key[0]
        if ds.layer(report).empty or key not in ds.layer(report) or date is None:
            continue
        found.update({(kind, place): day for place, day in _newest_reports(ds, report, key, items, kind, date)})
    keys = zip(items["kind"].astype(str), items["id"].astype(str))
    return items.assign(last_report=pd.Series([found.get(key) for key in keys], index=items.index, dtype=object))


def _newest_reports(ds: Dataset, report: str, key: str, items: pd.DataFrame, kind: str, date: str):
    """(id, its newest date up to ``date``) of each place of ``kind`` among ``items`` that daily report
    ``report`` has a row of by then. By positions: the listed places' rows among a million compounds' twelve
    million, their dates made text and grouped by id as text, took 9 to 10 s of each wall's build."""
    wanted = pd.unique(items.loc[items["kind"] == kind, "id"].astype(str).to_numpy())
    codes, ids = factorized(ds.layer(report)[key])
    # each distinct id of the report: its place among the wanted ones (-1: not wanted)
    listed = positions_in(ids, wanted)
    days, dates = column_codes(ds, report, "date")
    before = int(np.searchsorted(dates, date, side="right"))  # the dates up to ``date`` (sorted, as text)
    item = np.where(codes >= 0, np.append(listed, -1)[codes], -1)
    rows = np.flatnonzero((item >= 0) & (days >= 0) & (days < before))
    newest = np.full(len(wanted), -1, dtype=np.int64)
    np.maximum.at(newest, item[rows], days[rows])
    return [(str(wanted[i]), str(dates[newest[i]])) for i in np.flatnonzero(newest >= 0)]

