"""When and by whom each place's current report of a day was stored: its version's time and user.

The report page (today's state of an officer's places) and the compliance view (who has not
reported by the deadline, who reported late) read the time a report came in from its version.

Examples
--------
>>> from geo.store.engine import connect
>>> reports_of_day(connect("sqlite://"), "compound_status", "2020-02-25").columns.tolist()
['id', 'reported_at', 'user_name', 'version']
"""

from __future__ import annotations

import datetime

import pandas as pd
from sqlalchemy import and_, func, select
from sqlalchemy.engine import Engine

from geo.domain import TABLES
from geo.store.rows import from_records, read_rows
from geo.store.tables import ROWS, versions


def reports_of_day(engine: Engine, kind: str, date: str) -> pd.DataFrame:
    """Each place with a current report of ``kind`` (a daily report table) dated ``date``: its id, when the
    version that stored the report was made (``reported_at``, aware UTC), by whom and which version.

    A place with several rows that day (supplies: one per item) is listed once, at its newest version.
    """
    rows = ROWS[kind]
    place = rows.c[TABLES[kind].key[0]]
    query = (select(place.label("id"), versions.c.created_at.label("reported_at"), versions.c.user_name,
                    versions.c.id.label("version"))
             .select_from(rows.join(versions, versions.c.id == rows.c.added_in))
             .where(rows.c.removed_in.is_(None), rows.c.date == date))
    with engine.connect() as conn:
        found = pd.DataFrame(conn.execute(query).all(), columns=["id", "reported_at", "user_name", "version"])
    if found.empty:
        return found.astype({"id": "string", "user_name": "string"})
    found["id"] = found["id"].astype("string")
    found["reported_at"] = [moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)
                            for moment in found["reported_at"]]  # SQLite gives naive UTC times back
    return found.sort_values("version").drop_duplicates("id", keep="last").reset_index(drop=True)


def last_report(engine: Engine, kind: str, place_id: str, upto: str) -> pd.DataFrame:
    """The current rows of ``kind`` (a daily report table) of place ``place_id`` on its newest date up to
    ``upto`` (included): one row, or one per item for supplies; none when it never reported by then."""
    rows = ROWS[kind]
    place = rows.c[TABLES[kind].key[0]]
    alive = and_(rows.c.removed_in.is_(None), place == str(place_id))
    newest = select(func.max(rows.c.date)).where(alive, rows.c.date <= upto).scalar_subquery()
    found = read_rows(engine, kind, and_(alive, rows.c.date == newest))
    return from_records(kind, found.drop(columns="row_id").reset_index(drop=True))
