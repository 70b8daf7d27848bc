"""The versioned store: every upload is a version, nothing is overwritten in place.

Each table of :mod:`geo.domain.schema` has a row table ``rows_<kind>`` whose rows carry
the version that added them (``added_in``) and, once replaced, the version that
retired them (``removed_in``). The current state is every row not retired; the
state at version N is every row added by N and not retired by N. A rollback is
a new version that retires what came later and adds back what was there.

Rows are read by :mod:`geo.store.rows`, compared by :mod:`geo.store.diff`; a new
store is filled from the data folder through the upload's checks (:mod:`geo.upload.city`).

Examples
--------
>>> from geo.store.engine import connect
>>> engine = connect("sqlite://")
>>> newest_version(engine)
0
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Integer, Table, and_, func, insert, or_, select, update
from sqlalchemy.engine import Engine

from geo.domain import TABLES, Text, member_of, t
from geo.store.daily import PHONE_REPORT, origins_of_rows
from geo.store.diff import (
    absent_rows,
    diff_rows,
    keep_absent_columns,
    key_text,
    place_column,
    place_texts,
    removal_fields,
    signatures,
)
from geo.store.engine import lock_for_writing
from geo.store.rows import alive_at, from_records, payload_columns, records
from geo.store.tables import ROWS, changes, files, versions


class NothingToRollBack(ValueError):
    """The table is already as it was after the chosen version."""

    def __init__(self, version: int):
        super().__init__(f"the table is already as it was after version {version}")
        self.version = version

    @property
    def text(self) -> Text:
        return t("version_nothing_to_roll_back", version=self.version)

    def message(self, lang: str = "zh") -> str:
        return self.text.pick(lang)


def summary_json(lines: list[Text]) -> str:
    """A version's summary lines as stored: a JSON list of [zh, en] pairs.

    >>> summary_json([Text("回退到版本 3", "Rolled back to version 3")])
    '[["回退到版本 3", "Rolled back to version 3"]]'
    """
    return json.dumps([list(line) for line in lines], ensure_ascii=False)


def summary_lines(stored: str | None) -> list[Text]:
    """The summary lines of a version, read back from :func:`summary_json` (None or empty: no lines).

    >>> summary_lines('[["回退到版本 3", "Rolled back to version 3"]]')[0].pick("en")
    'Rolled back to version 3'
    """
    return [Text(*line) for line in json.loads(stored or "[]")]


@dataclass(frozen=True)
class Applied:
    """What writing a version did."""

    version: int
    added: int
    changed: int
    removed: int


_written_here = 0  # versions this process has committed (see versions_written_here)
_when_written: list = []  # what to call with each version this process commits (see when_written)


def versions_written_here() -> int:
    """How many versions this process has committed so far: a page that remembers the newest version for the
    rest of its run (``ui.data.store_key``) reads it again after its own write.

    >>> before = versions_written_here(); _written(); versions_written_here() - before
    1
    """
    return _written_here


def when_written(listener) -> None:
    """Call ``listener(version)`` on the committing thread after each version this process commits (once, however
    often it is given): the app remembers which page's session wrote which version (``ui.data``)."""
    if listener not in _when_written:
        _when_written.append(listener)


def _written(version: int | None = None) -> None:
    global _written_here
    _written_here += 1  # a lost increment under threads still changes the number: all its readers look for
    for listener in list(_when_written):
        listener(version)


def newest_version(engine: Engine) -> int:
    """The id of the newest version (0 for an empty store): the key of every cache."""
    with engine.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.max(versions.c.id), 0))).scalar_one())


def version_stamp(engine: Engine, version: int) -> tuple | None:
    """What identifies version ``version`` in this store's history (its table, action and time), or None.

    A store restored from a backup made before ``version`` may hold another version of that number later: its
    stamp differs, so that what was computed from the first is not taken for the second.
    """
    with engine.connect() as conn:
        row = conn.execute(select(versions.c.kind, versions.c.action, versions.c.created_at)
                           .where(versions.c.id == version)).first()
    return tuple(row) if row is not None else None


def tables_changed_since(engine: Engine, version: int) -> set[str]:
    """The tables that versions newer than ``version`` wrote."""
    with engine.connect() as conn:
        return set(conn.execute(select(versions.c.kind).where(versions.c.id > version).distinct()).scalars())


def newest_version_time(engine: Engine) -> datetime.datetime | None:
    """When data last arrived (UTC): the latest time a version was written, or None for an empty store.

    The latest, not the newest version's: records of the past read from a file (the demo's morning of phone
    reports, stored at the times they were made) come after the versions that hold the days before them.
    """
    with engine.connect() as conn:
        moment = conn.execute(select(func.max(versions.c.created_at))).scalar()
    if moment is not None and moment.tzinfo is None:  # SQLite gives naive times back
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment


def _python(values: pd.Series) -> list:
    """A column's values as the database driver binds them: Python objects, None where missing.

    >>> _python(pd.Series([1, None], dtype="Int64")), _python(pd.Series([np.float64(0.5), np.nan], dtype=object))
    ([1, None], [0.5, None])
    """
    out = values.to_numpy(dtype=object, na_value=None).tolist()  # a typed column's values come out as Python's
    # a column of objects may hold numpy's numbers: made Python's, unless all its values are text (3 s a million)
    if values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
        return [v.item() if isinstance(v, np.generic) else v for v in out]
    return out


COPY_FROM = 200
"""Rows from which PostgreSQL is sent an insert's rows by ``COPY`` (see :func:`_insert_many`)."""


def _insert_many(conn, table: Table, frame: pd.DataFrame, copy_from: int | None = None, **constant) -> None:
    """Insert the rows of ``frame``, each with ``constant`` added: in one COPY, or one executemany.

    The values are converted column by column (``DataFrame.to_dict("records")`` boxed 1.2 million
    values one at a time). PostgreSQL takes ``copy_from`` (:data:`COPY_FROM`) rows or more by ``COPY``:
    100,000 status rows and their history lines took 26 s as multi-row INSERTs, 10 s by COPY, on 2 busy
    cores (``bench/store_write.py``; most of the rest is PostgreSQL checking each row's foreign key). On SQLite
    the driver gets them as tuples: SQLAlchemy preparing each row's parameters took longer than SQLite
    storing them. Fewer rows on PostgreSQL are batched by SQLAlchemy into multi-row INSERTs.
    """
    values = {c: _python(frame[c]) for c in frame.columns} | {k: [v] * len(frame) for k, v in constant.items()}
    if conn.dialect.name == "postgresql" and len(frame) >= (COPY_FROM if copy_from is None else copy_from):
        _copy_rows(conn, table, values)
        return
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), [dict(zip(values, row)) for row in zip(*values.values())])
        return
    statement = insert(table).compile(dialect=conn.dialect, column_keys=list(values))
    conn.exec_driver_sql(statement.string, list(zip(*(values[k] for k in statement.positiontup))))


def _copy_rows(conn, table: Table, values: dict[str, list]) -> None:
    """Write the rows ``values`` holds (column name: values) into ``table`` by PostgreSQL's ``COPY FROM STDIN``.

    In ``conn``'s own transaction, so under its write lock and undone with it. psycopg writes each value
    in COPY's text form (NULL for None; tabs, newlines and backslashes escaped). A geometry, WKB hex
    without an SRID, is read by PostGIS' own input as the same shape and given the column's SRID (4326):
    the same geometry the row inserts' ``ST_SetSRID(ST_GeomFromEWKB(...), 4326)`` make.
    """
    # whole numbers read back as floats (an integer column with NULLs, as a rollback revives it): COPY's
    # text form of 3.0 is refused where an INSERT's parameter is cast (rounded) to 3
    values = {name: [round(v) if isinstance(v, float) else v for v in column]
              if isinstance(table.c[name].type, Integer) else column for name, column in values.items()}
    quote = conn.dialect.identifier_preparer
    names = ", ".join(quote.quote(name) for name in values)
    cursor = conn.connection.cursor()
    try:
        with cursor.copy(f"COPY {quote.format_table(table)} ({names}) FROM STDIN") as copy:
            for row in zip(*values.values()):
                copy.write_row(row)
    finally:
        cursor.close()


def _insert_file(conn, content: bytes | None) -> int | None:
    if content is None:
        return None
    return conn.execute(insert(files).values(sha256=hashlib.sha256(content).hexdigest(), size=len(content),
                                             content=content)).inserted_primary_key[0]


_FEW_VALUES = 500  # a key column with at most this many values in an upload narrows the read to them


def _may_share_key(kind: str, incoming: pd.DataFrame):
    """A condition that every stored row sharing a key with ``incoming`` meets, or None when none narrows much.

    It names the values of the key column with the fewest of them (the date of a daily report), as
    :func:`geo.store.diff.key_text` compares them: a missing value is the empty text, so it matches NULL and ''.
    """
    best = None
    for name in TABLES[kind].key:
        distinct = pd.unique(incoming[name])  # as values, not texts: 100,000 ids are not all made text
        if len(distinct) <= _FEW_VALUES and (best is None or len(distinct) < len(best[1])):
            best = (name, distinct)
    if best is None:
        return None
    texts = set(pd.Series(best[1], dtype=object).astype("string").fillna(""))
    column = ROWS[kind].c[best[0]]
    condition = column.in_(sorted(texts))
    return or_(condition, column.is_(None)) if "" in texts else condition


def _existing_rows(conn, kind: str, incoming: pd.DataFrame, every: bool = False) -> pd.DataFrame:
    """The current rows as the database holds them (with ``row_id``) that may share a key with ``incoming``.

    Only those can change :func:`diff_rows`' answer; a daily report then reads one day of a table
    that holds months of them. ``every``: all current rows (a replacement retires those it lacks).
    """
    rows = ROWS[kind]
    condition = rows.c.removed_in.is_(None)
    narrower = None if every else _may_share_key(kind, incoming)
    query = select(rows.c.row_id, *[rows.c[c] for c in payload_columns(kind)]).where(
        condition if narrower is None else and_(condition, narrower)).order_by(rows.c.row_id)
    return pd.read_sql(query, conn)


def _compare(conn, kind: str, incoming: pd.DataFrame, present: list[str] | None, replace: bool = False) -> tuple:
    """``incoming`` with its absent columns filled from the store, its diff against the store (delta, fields)
    and, when it ``replace``-s the table, the ids of the stored rows it lacks (their lines are in fields)."""
    existing = _existing_rows(conn, kind, incoming, every=replace)
    if present is not None:
        incoming = keep_absent_columns(kind, incoming, from_records(kind, existing), present)
    stored = records(kind, incoming)
    delta, fields = diff_rows(kind, existing, stored)
    retired: list[int] = []
    if replace:
        absent = absent_rows(kind, existing, stored)
        retired = [int(r) for r in absent["row_id"]]
        if len(absent):
            fields = pd.concat([fields, removal_fields(kind, absent)], ignore_index=True)
    return incoming, delta, fields, retired


def _table_state(conn, kind: str) -> tuple:
    """The newest version of table ``kind`` (its number and time): every change of its rows is a version of it."""
    newest = conn.execute(select(versions.c.id, versions.c.created_at).where(versions.c.kind == kind)
                          .order_by(versions.c.id.desc()).limit(1)).first()
    return tuple(newest) if newest is not None else (0, None)


@dataclass(frozen=True)
class Compared:
    """What storing ``frame`` as table ``kind`` would change (:func:`compare`), against the table as it was at
    its version ``based_on``: :func:`apply_rows` stores this as it is while that is still its newest version,
    instead of comparing again under the write lock (the comparison is most of an import's time, and of a
    phone report's)."""

    kind: str
    frame: pd.DataFrame  # the rows to store, their absent columns filled from the store
    delta: pd.DataFrame
    fields: pd.DataFrame
    retired: list[int]
    based_on: tuple
    replace: bool


def compare(engine: Engine, kind: str, incoming: pd.DataFrame, present: list[str] | None = None,
            replace: bool = False) -> Compared:
    """What :func:`apply_rows` would store, without storing (see :class:`Compared`).

    With ``replace`` the fields also list, as ``removed``, each stored row whose key ``incoming`` lacks.
    """
    with engine.connect() as conn:
        based_on = _table_state(conn, kind)  # read first: a version landing meanwhile makes it stale, not wrong
        frame, delta, fields, retired = _compare(conn, kind, incoming, present, replace)
    return Compared(kind, frame, delta, fields, retired, based_on, replace)


class ReportArrived(RuntimeError):
    """Phone reports the person did not see would be replaced: they arrived after the upload was checked."""

    def __init__(self, count: int):
        super().__init__(f"{count} phone reports arrived since the check")
        self.count = count

    @property
    def text(self) -> Text:
        return t("check_phone_arrived", count=self.count)


def apply_rows(engine: Engine, kind: str, incoming: pd.DataFrame, user_name: str, action: str = "import",
               file_name: str | None = None, content: bytes | None = None, summary: list[Text] | None = None,
               rows_in_file: int | None = None, present: list[str] | None = None, replace: bool = False,
               replaceable_reports: frozenset[int] | None = None, at: datetime.datetime | None = None,
               compared: Compared | None = None) -> Applied:
    """Write a version: add new keys, replace changed rows, leave the rest. One transaction: all or nothing.

    ``present`` names the columns the file had; the others keep their stored values. With ``replace``
    the rows whose keys ``incoming`` lacks are retired too (a whole layer replaced): the rows of other
    tables that name them (their daily reports) are left as they are, and a rollback brings them back.
    With ``replaceable_reports`` (the stored rows of phone reports the person saw it replace), a phone
    report among the rows to replace that is not one of them raises :class:`ReportArrived`, under the lock.
    ``at`` (aware) is when the version was made, for records of the past read from a file (now by default).
    ``compared``: :func:`compare`'s answer for these rows, stored as it is while the table has no newer version.
    """
    rows = ROWS[kind]
    with engine.begin() as conn:
        lock_for_writing(conn)
        if (compared is not None and compared.kind == kind and compared.frame is incoming
                and compared.replace == replace and compared.based_on == _table_state(conn, kind)):
            delta, fields, retired = compared.delta, compared.fields, compared.retired
        else:  # read inside the transaction: a concurrent import is diffed against, never lost
            incoming, delta, fields, retired = _compare(conn, kind, incoming, present, replace)
        if replaceable_reports is not None and len(delta):
            origins = origins_of_rows(conn, kind, [int(r) for r in delta["_row_id"].dropna()])
            unseen = set(origins.loc[origins["action"] == PHONE_REPORT, "row_id"].astype(int)) - replaceable_reports
            if unseen:
                raise ReportArrived(len(unseen))
        version = conn.execute(insert(versions).values(
            kind=kind, action=action, created_at=at or datetime.datetime.now(datetime.timezone.utc),
            user_name=user_name, file_name=file_name, file_id=_insert_file(conn, content),
            rows_in_file=len(incoming) if rows_in_file is None else rows_in_file,
            summary=summary_json(summary or []),
        )).inserted_primary_key[0]
        replaced = [int(r) for r in delta["_row_id"].dropna()] if len(delta) else []
        gone = replaced + retired
        for start in range(0, len(gone), 500):
            conn.execute(update(rows).where(rows.c.row_id.in_(gone[start:start + 500])).values(removed_in=version))
        if len(delta):
            _insert_many(conn, rows, delta[payload_columns(kind)], added_in=version)
        if len(fields) and action != "seed":
            _insert_many(conn, changes, fields, version_id=version)
        added = int((delta["_change"] == "added").sum()) if len(delta) else 0
        conn.execute(update(versions).where(versions.c.id == version).values(
            rows_added=added, rows_changed=len(replaced), rows_removed=len(retired)))
    _written(version)
    return Applied(version, added, len(replaced), len(retired))


def retire_rows(engine: Engine, kind: str, ids: list[str], user_name: str, action: str = "edit",
                summary: list[Text] | None = None) -> Applied:
    """Write a version that retires the current rows of layer ``kind`` whose id is in ``ids`` (a place retired).

    Their daily reports are left as they are, and a rollback brings the places back.
    """
    rows = ROWS[kind]
    texts = sorted({str(i) for i in ids})
    with engine.begin() as conn:
        lock_for_writing(conn)
        current = pd.read_sql(select(rows.c.row_id, *[rows.c[c] for c in payload_columns(kind)]).where(
            rows.c.removed_in.is_(None), rows.c.id.in_(texts)), conn)
        version = conn.execute(insert(versions).values(
            kind=kind, action=action, created_at=datetime.datetime.now(datetime.timezone.utc),
            user_name=user_name, rows_in_file=0, summary=summary_json(summary or []))).inserted_primary_key[0]
        gone = [int(r) for r in current["row_id"]]
        conn.execute(update(rows).where(rows.c.row_id.in_(gone)).values(removed_in=version))
        if len(current):
            _insert_many(conn, changes, removal_fields(kind, current), version_id=version)
        conn.execute(update(versions).where(versions.c.id == version).values(
            rows_added=0, rows_changed=0, rows_removed=len(gone)))
    _written(version)
    return Applied(version, 0, 0, len(gone))


class NewerVersion(RuntimeError):
    """The table has a version newer than the one an undo was asked for: undoing now would undo it too."""


def rollback(engine: Engine, target: int, user_name: str, newest: int | None = None) -> Applied:
    """A new version that brings the table of version ``target`` back to its state right after it.

    With ``newest`` (an undo of that version), it is done only while ``newest`` is still the table's newest
    version, checked under the write lock: an import landing meanwhile is never undone with it.
    """
    with engine.connect() as conn:
        kind = conn.execute(select(versions.c.kind).where(versions.c.id == target)).scalar_one_or_none()
    if kind is None:
        raise LookupError(f"version {target} does not exist")
    rows = ROWS[kind]
    with engine.begin() as conn:
        lock_for_writing(conn)
        if newest is not None and conn.execute(select(func.count()).select_from(versions).where(
                versions.c.kind == kind, versions.c.id > newest)).scalar():
            raise NewerVersion(newest)
        now_rows = pd.read_sql(select(rows).where(rows.c.removed_in.is_(None)).order_by(rows.c.row_id), conn)
        then_rows = pd.read_sql(select(rows).where(alive_at(kind, target)).order_by(rows.c.row_id), conn)
        # compare by content, not by row: a row revived by an earlier rollback is a copy
        now_sig, then_sig = (np.asarray(signatures(kind, r), dtype=object) for r in (now_rows, then_rows))
        retire = sorted(now_rows.loc[~member_of(now_sig, set(then_sig)), "row_id"].astype(int))
        revive = then_rows.loc[~member_of(then_sig, set(now_sig))]
        if not retire and revive.empty:
            raise NothingToRollBack(target)
        version = conn.execute(insert(versions).values(
            kind=kind, action="rollback", created_at=datetime.datetime.now(datetime.timezone.utc),
            user_name=user_name, target_version=target, rows_added=len(revive), rows_removed=len(retire),
            summary=summary_json([t("version_rolled_back", version=target)]),
        )).inserted_primary_key[0]
        for start in range(0, len(retire), 500):
            conn.execute(update(rows).where(rows.c.row_id.in_(retire[start:start + 500])).values(removed_in=version))
        if len(revive):
            _insert_many(conn, rows, revive[payload_columns(kind)], added_in=version)
        log = pd.concat([_rollback_log(kind, "removed", now_rows[now_rows["row_id"].isin(retire)]),
                         _rollback_log(kind, "added", revive)], ignore_index=True)
        if len(log):
            _insert_many(conn, changes, log, version_id=version)
    _written(version)
    return Applied(version, len(revive), 0, len(retire))


#: The actions a person may undo on their own: an import, and an edit of one place (its position, name, retiring).
UNDOABLE = ("import", "edit")


def undoable_import(engine: Engine, user_name: str) -> tuple[int, int] | None:
    """``user_name``'s newest import and the version its table had just before it, while no later version of
    that table exists (nothing newer builds on it); else None.

    Undoing it is a rollback to that earlier version (see :func:`rollback`).
    """
    with engine.connect() as conn:
        own = conn.execute(select(versions.c.id, versions.c.kind).where(
            versions.c.user_name == user_name, versions.c.action.in_(UNDOABLE)).order_by(versions.c.id.desc())
            .limit(1)).first()
        if own is None:
            return None
        later = conn.execute(select(func.count()).select_from(versions).where(
            versions.c.kind == own.kind, versions.c.id > own.id)).scalar()
        before = conn.execute(select(func.max(versions.c.id)).where(
            versions.c.kind == own.kind, versions.c.id < own.id)).scalar()
    if later or before is None:
        return None
    return int(own.id), int(before)


def _rollback_log(kind: str, change: str, rows: pd.DataFrame) -> pd.DataFrame:
    """The history lines of the rows a rollback retires or revives: each with its raw key and place."""
    place = place_column(kind)
    return pd.DataFrame({"change": change, "key": key_text(kind, rows).to_numpy(dtype=object),
                         "place": place_texts(rows, rows.index, place)},
                        columns=["change", "key", "place"])


def history(engine: Engine) -> pd.DataFrame:
    """Every version, newest first (without file contents)."""
    query = select(versions.c.id, versions.c.kind, versions.c.action, versions.c.created_at, versions.c.user_name,
                   versions.c.file_name, versions.c.rows_in_file, versions.c.rows_added, versions.c.rows_changed,
                   versions.c.rows_removed, versions.c.summary, versions.c.target_version,
                   files.c.size).select_from(versions.outerjoin(files)).order_by(versions.c.id.desc())
    with engine.connect() as conn:
        return pd.read_sql(query, conn)


def version_changes(engine: Engine, version: int) -> pd.DataFrame:
    query = select(changes.c.change, changes.c.key, changes.c.place, changes.c.field, changes.c.before,
                   changes.c.after).where(changes.c.version_id == version).order_by(changes.c.id)
    with engine.connect() as conn:
        frame = pd.read_sql(query, conn)
    frame["key"] = frame["key"].str.replace("\x1f", " / ", regex=False)  # rollback rows keep the raw key
    return frame


def original_file(engine: Engine, version: int) -> tuple[str, bytes] | None:
    """The file an upload was made from, byte for byte."""
    query = select(versions.c.file_name, files.c.content).select_from(versions.join(files)).where(
        versions.c.id == version)
    with engine.connect() as conn:
        row = conn.execute(query).first()
    return None if row is None else (row.file_name, bytes(row.content))
