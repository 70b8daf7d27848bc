"""When, by whom and how each place's current report of a day was stored: its version's time, user and action.

The report page (today's state of an officer's places) and the compliance view (who has not
reported by the deadline, who reported late) read the time a report came in from its version; the
upload's preview reads which stored rows a phone report made (action ``report``) before a table
replaces them.

Examples
--------
>>> from geo.store.engine import connect
>>> reports_of_day(connect("sqlite://"), "compound_status", "2020-02-25").columns.tolist()
['id', 'reported_at', 'user_name', 'version', 'action']
>>> row_origins(connect("sqlite://"), "compound_status", []).columns.tolist()
['row_id', 'version', 'action', 'user_name', 'reported_at']
"""

from __future__ import annotations

import datetime

import pandas as pd
from sqlalchemy import and_, func, select
from sqlalchemy.engine import Engine

from geo.domain import TABLES
from geo.store.rows import from_records, read_rows
from geo.store.tables import ROWS, versions

#: The action of a version stored from the report page (a phone), as opposed to an upload's "import".
PHONE_REPORT = "report"


def local_time(moment: datetime.datetime) -> datetime.datetime:
    """An aware UTC time as the server's local time, naive (the calendar day and the deadline are local).

    >>> local_time(datetime.datetime(2020, 2, 25, 0, 12, tzinfo=datetime.timezone.utc)).tzinfo is None
    True
    """
    return pd.Timestamp(moment).to_pydatetime().astimezone().replace(tzinfo=None)


def _aware(moments) -> list[datetime.datetime]:
    # SQLite gives naive UTC times back, PostgreSQL aware ones
    return [moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc) for moment in moments]


def reports_of_day(engine: Engine, kind: str, date: str) -> pd.DataFrame:
    """Each place with a current report of ``kind`` (a daily report table) dated ``date``: its id, when the
    version that stored the report was made (``reported_at``, aware UTC), by whom, which version and its
    ``action`` (:data:`PHONE_REPORT` from the report page, "import" from a table).

    A place with several rows that day (supplies: one per item) is listed once, at its newest version.
    """
    rows = ROWS[kind]
    place = rows.c[TABLES[kind].key[0]]
    columns = ["id", "reported_at", "user_name", "version", "action"]
    query = (select(place.label("id"), versions.c.created_at.label("reported_at"), versions.c.user_name,
                    versions.c.id.label("version"), versions.c.action)
             .select_from(rows.join(versions, versions.c.id == rows.c.added_in))
             .where(rows.c.removed_in.is_(None), rows.c.date == date))
    with engine.connect() as conn:
        found = pd.DataFrame(conn.execute(query).all(), columns=columns)
    if found.empty:
        return found.astype({"id": "string", "user_name": "string", "action": "string"})
    found["id"] = found["id"].astype("string")
    found["reported_at"] = _aware(found["reported_at"])
    return found.sort_values("version").drop_duplicates("id", keep="last").reset_index(drop=True)


def row_origins(engine: Engine, kind: str, row_ids: list[int]) -> pd.DataFrame:
    """The version that stored each row of ``kind`` named by ``row_ids`` (the store's own row numbers): its
    number, ``action``, ``user_name`` and time (``reported_at``, aware UTC), one line per row found."""
    with engine.connect() as conn:
        return origins_of_rows(conn, kind, row_ids)


def origins_of_rows(conn, kind: str, row_ids: list[int]) -> pd.DataFrame:
    """:func:`row_origins` inside an open connection (a write's transaction, whose lock it then reads under)."""
    rows = ROWS[kind]
    columns = ["row_id", "version", "action", "user_name", "reported_at"]
    found = []
    for start in range(0, len(row_ids), 500):  # bound parameters stay under every back end's limit
        chunk = [int(r) for r in row_ids[start:start + 500]]
        found += conn.execute(
            select(rows.c.row_id, versions.c.id, versions.c.action, versions.c.user_name, versions.c.created_at)
            .select_from(rows.join(versions, versions.c.id == rows.c.added_in))
            .where(rows.c.row_id.in_(chunk))).all()
    out = pd.DataFrame(found, columns=columns)
    if len(out):
        out["reported_at"] = _aware(out["reported_at"])
    return out


def has_phone_reports(engine: Engine) -> bool:
    """Whether any version was stored from the report page (a phone): a data folder's morning is read once."""
    with engine.connect() as conn:
        return conn.execute(select(versions.c.id).where(versions.c.action == PHONE_REPORT).limit(1)).first() is not None


def last_report(engine: Engine, kind: str, place_id: str, upto: str) -> pd.DataFrame:
    """The current rows of ``kind`` (a daily report table) of place ``place_id`` on its newest date up to
    ``upto`` (included): one row, or one per item for supplies; none when it never reported by then."""
    rows = ROWS[kind]
    place = rows.c[TABLES[kind].key[0]]
    alive = and_(rows.c.removed_in.is_(None), place == str(place_id))
    newest = select(func.max(rows.c.date)).where(alive, rows.c.date <= upto).scalar_subquery()
    found = read_rows(engine, kind, and_(alive, rows.c.date == newest))
    return from_records(kind, found.drop(columns="row_id").reset_index(drop=True))
