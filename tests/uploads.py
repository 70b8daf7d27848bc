"""The next upload a test or benchmark makes: the newest day's compound reports again, one day later."""

from __future__ import annotations

import datetime as dt

import pandas as pd


def next_day_report(url: str) -> tuple[pd.DataFrame, str, str]:
    """(rows, newest date, new date): the store's newest compound reports dated the day after.

    Rows for ids that match no compound are left out: a store seeded before the data folder was checked
    may hold some, and a real upload would be refused for them.
    """
    from geo.store import current
    from geo.store.engine import connect

    engine = connect(url)
    try:
        rows = current(engine, "compound_status")
        known = set(current(engine, "compounds")["id"].astype(str))
    finally:
        engine.dispose()
    newest = str(rows["date"].astype(str).max())
    new = (dt.date.fromisoformat(newest) + dt.timedelta(days=1)).isoformat()
    day = rows[(rows["date"].astype(str) == newest) & rows["compound_id"].astype(str).isin(known)].copy()
    day["date"] = new
    return day.drop_duplicates("compound_id"), newest, new
