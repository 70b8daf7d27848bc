"""Move a store to another database (SQLite to PostgreSQL): every version, its rows, files, changes and accounts.

``python -m geo move-store --to postgresql+psycopg://user@host/cmdmap`` copies the
configured store (``--from`` another URL) into an empty database, table by table
in one transaction: ids are kept, so version numbers, history and rollback targets
stay as they were. The source is not changed except for being brought to the
newest schema first.

Examples
--------
>>> import tempfile
>>> import pandas as pd
>>> from geo.store.engine import connect
>>> from geo.store.versions import apply_rows
>>> folder = tempfile.mkdtemp()
>>> source, target = connect(f"sqlite:///{folder}/old.sqlite"), connect(f"sqlite:///{folder}/new.sqlite")
>>> frame = pd.DataFrame({"site_id": ["S1"], "date": ["2020-02-25"], "resumption": ["resumed"]})
>>> apply_rows(source, "site_status", frame, "clerk").version
1
>>> move_store(source, target)["versions"]
1
"""

from __future__ import annotations

import datetime

from sqlalchemy import DateTime, Integer, func, insert, select
from sqlalchemy.engine import Engine

from geo.domain import Text, t
from geo.store.engine import lock_for_writing
from geo.store.tables import metadata

CHUNK = 2000  # rows per insert: bounded memory for large stores


class TargetNotEmpty(RuntimeError):
    """The target database already holds a store: moving would mix two histories."""

    def __init__(self, text: Text):
        super().__init__(text.en)
        self.text = text


def _tables():
    return metadata.sorted_tables  # parents before children: foreign keys hold at every insert


def _utc(table, row: dict) -> dict:
    """SQLite gives times stored with a zone back naive; they were written in UTC."""
    for column in table.columns:
        value = row.get(column.name)
        if (isinstance(column.type, DateTime) and column.type.timezone and isinstance(value, datetime.datetime)
                and value.tzinfo is None):
            row[column.name] = value.replace(tzinfo=datetime.timezone.utc)
    return row


def move_store(source: Engine, target: Engine) -> dict[str, int]:
    """Copy every table of ``source`` into the empty store ``target``; returns the rows copied per table."""
    tables = _tables()
    counts = {}
    with source.connect() as src, target.begin() as dst:
        lock_for_writing(dst)
        for table in tables:
            if dst.execute(select(func.count()).select_from(table)).scalar_one():
                raise TargetNotEmpty(t("version_target_not_empty", table=table.name))
        for table in tables:
            order = list(table.primary_key.columns)
            result = src.execution_options(stream_results=True).execute(select(table).order_by(*order))
            counts[table.name] = 0
            for chunk in result.mappings().partitions(CHUNK):
                dst.execute(insert(table), [_utc(table, dict(row)) for row in chunk])
                counts[table.name] += len(chunk)
        if dst.dialect.name == "postgresql":
            _advance_sequences(dst, tables)
    return counts


def _advance_sequences(conn, tables) -> None:
    """Ids were copied as they were: the next version, file or user continues after the largest."""
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) == 1 and isinstance(keys[0].type, Integer):
            name = keys[0].name  # tables without a sequence give NULL, which setval ignores
            conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table.name}', '{name}'), "
                                 f"COALESCE(MAX({name}), 1), MAX({name}) IS NOT NULL) FROM {table.name}")
