"""The next upload a test or benchmark makes: the clerk's table of the day after the newest complete one.

For a place already reported that day (the demo city's morning came in from phones), the table carries the
report as it is, so that the upload completes the day without replacing anyone's report; every other place
reports as it did on the complete day.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd


def next_day_rows(url: str, kind: str, new: str | None = None) -> tuple[pd.DataFrame, str, str, set[str]]:
    """(rows, newest complete date, the day after, ids already reported that day) of daily report ``kind``.

    The newest complete date is the newest with at least 90 % as many places as the best-reported date; the
    new day is the one after it, unless ``new`` names it. Each place not reported on the new day reports as
    it last did before it.
    Rows for ids that match no place are left out: a store seeded before the data folder was checked may
    hold some, and a real upload would be refused for them.
    """
    from geo.domain import TABLES, kinds
    from geo.store import current
    from geo.store.engine import connect

    key = TABLES[kind].key[0]
    engine = connect(url)
    try:
        rows = current(engine, kind)
        layers = kinds.of_report(kind).place_layers
        known = set().union(*(set(current(engine, layer)["id"].astype(str)) for layer in layers))
    finally:
        engine.dispose()
    rows = rows.assign(date=rows["date"].astype(str), **{key: rows[key].astype(str)})
    rows = rows[rows[key].isin(known)]
    counts = rows.groupby("date")[key].nunique()
    complete = max(date for date, count in counts.items() if count >= 0.9 * counts.max())
    new = new or (dt.date.fromisoformat(complete) + dt.timedelta(days=1)).isoformat()
    reported = rows[rows["date"] == new].drop_duplicates(key)
    before = rows[(rows["date"] < new) & ~rows[key].isin(set(reported[key]))].sort_values("date")
    day = before.drop_duplicates(key, keep="last").assign(date=new)
    return pd.concat([day, reported], ignore_index=True), complete, new, set(reported[key])


def next_day_report(url: str) -> tuple[pd.DataFrame, str, str]:
    """(rows, newest complete date, new date): the compounds' table of the day after (see :func:`next_day_rows`)."""
    return next_day_rows(url, "compound_status")[:3]
