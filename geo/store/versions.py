"""The versioned store: every upload is a version, nothing is overwritten in place.

Each table of :mod:`geo.domain.schema` has a row table ``rows_<kind>`` whose rows carry
the version that added them (``added_in``) and, once replaced, the version that
retired them (``removed_in``). The current state is every row not retired; the
state at version N is every row added by N and not retired by N. A rollback is
a new version that retires what came later and adds back what was there.

The first use of an empty store fills it from the data folder (the demo city),
one "seed" version per file, so the app always reads the store.

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
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy import (Column, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, MetaData, String, Table,
                        Text, and_, func, insert, or_, select, update)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from geo.store.engine import lock_for_writing, metadata
from geo.domain.per_value import apply_distinct
from geo.store.geomtype import Geometry
from geo.domain.schema import GEOMETRY_TABLES, STATUS_TABLES, TABLES, layer_tables, report_tables

KINDS = GEOMETRY_TABLES + STATUS_TABLES  # the tables whose row tables the migrations make
SYSTEM_USER = "system"

store_meta = Table("store_meta", metadata, Column("key", String(64), primary_key=True), Column("value", Text))

files = Table(
    "files", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
)

versions = Table(
    "versions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("action", String(16), nullable=False),  # seed, import, rollback
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("user_name", String(64), nullable=False),
    Column("file_name", String(255)),
    Column("file_id", Integer, ForeignKey("files.id")),
    Column("rows_in_file", Integer),
    Column("rows_added", Integer, nullable=False, default=0),
    Column("rows_changed", Integer, nullable=False, default=0),
    Column("rows_removed", Integer, nullable=False, default=0),
    Column("summary", Text),  # JSON list of [zh, en] lines
    Column("target_version", Integer),
)

changes = Table(
    "changes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("version_id", Integer, ForeignKey("versions.id"), nullable=False, index=True),
    Column("change", String(16), nullable=False),  # added, changed, removed
    Column("place", String(255)),
    Column("key", Text, nullable=False),
    Column("field", String(64)),
    Column("before", Text),
    Column("after", Text),
)

_TYPES = {"int": Integer, "float": Float}


def _row_table(kind: str, tables: MetaData = metadata) -> Table:
    table = TABLES[kind]
    columns = [Column("row_id", Integer, primary_key=True, autoincrement=True),
               Column("added_in", Integer, ForeignKey("versions.id"), nullable=False),
               Column("removed_in", Integer, ForeignKey("versions.id"))]
    columns += [Column(col.name, _TYPES.get(col.kind, Text)) for col in table.columns]
    if table.geometry:
        columns.append(Column("geometry", Geometry()))  # WKB hex to Python; a PostGIS geometry on PostgreSQL
    rows = Table(f"rows_{kind}", tables, *columns)
    if table.geometry:
        Index(f"ix_rows_{kind}_geometry", rows.c.geometry, postgresql_using="gist").ddl_if(dialect="postgresql")
    Index(f"ix_rows_{kind}_current", rows.c.removed_in, *[rows.c[k] for k in table.key])
    Index(f"ix_rows_{kind}_added", rows.c.added_in)
    return rows


class RowTables(dict):
    """Row tables by table name: those the migrations make, and those of kinds registered at run time.

    The first are on the shared metadata. A table a kind registered at run time brings
    (see :func:`geo.domain.kinds.register`) gets its row table when first asked for, on
    a metadata of its own, so that the schema the migrations make stays the shared
    metadata's; :func:`open_store` creates it in the database.
    """

    def __init__(self) -> None:
        super().__init__({kind: _row_table(kind) for kind in KINDS})
        self.registered = MetaData()
        versions.to_metadata(self.registered)  # the row tables' foreign keys point to it

    def __missing__(self, kind: str) -> Table:
        rows = self.registered.tables.get(f"rows_{kind}")
        if rows is not None and rows.info["table"] is TABLES[kind]:
            return rows
        if rows is not None:  # the kind was registered again with other columns
            self.registered.remove(rows)
        rows = _row_table(kind, self.registered)
        rows.info["table"] = TABLES[kind]
        return rows


ROWS = RowTables()


class NothingToRollBack(ValueError):
    """The table is already as it was after the chosen version."""

    def __init__(self, version: int):
        super().__init__(f"the table is already as it was after version {version}")
        self.version = version

    def message(self, lang: str = "zh") -> str:
        if lang == "zh":
            return f"数据已与版本 {self.version} 之后相同，无需回退。"
        return f"The table is already as it was after version {self.version}; nothing to roll back."


@dataclass(frozen=True)
class Applied:
    """What writing a version did."""

    version: int
    added: int
    changed: int
    removed: int


def newest_version(engine: Engine) -> int:
    """The id of the newest version (0 for an empty store): the key of every cache."""
    with engine.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.max(versions.c.id), 0))).scalar_one())


def newest_version_time(engine: Engine) -> datetime.datetime | None:
    """When the newest version was written (UTC), or None for an empty store."""
    with engine.connect() as conn:
        moment = conn.execute(select(versions.c.created_at).order_by(versions.c.id.desc()).limit(1)).scalar()
    if moment is not None and moment.tzinfo is None:  # SQLite gives naive times back
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment


def _payload_columns(kind: str) -> list[str]:
    return TABLES[kind].names + (["geometry"] if TABLES[kind].geometry else [])


def records(kind: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Rows as the database holds them: geometry as WKB hex, missing values as None."""
    out = pd.DataFrame({name: frame[name] if name in frame else pd.NA for name in TABLES[kind].names},
                       index=frame.index)
    if TABLES[kind].geometry:
        out["geometry"] = shapely.to_wkb(np.asarray(frame.geometry), hex=True)
    return out.astype(object).where(out.notna(), None)


def _from_records(kind: str, frame: pd.DataFrame):
    """Typed frame (a GeoDataFrame for layers) from database rows."""
    table = TABLES[kind]
    out = pd.DataFrame(index=frame.index)
    for col in table.columns:
        values = frame[col.name] if col.name in frame else pd.Series(pd.NA, index=frame.index)
        if col.kind == "int":
            out[col.name] = pd.to_numeric(values, errors="coerce").round().astype("Int64")
        elif col.kind == "float":
            out[col.name] = pd.to_numeric(values, errors="coerce").astype("Float64")
        else:
            out[col.name] = values.astype("string")
    if table.geometry:
        geometry = shapely.from_wkb(frame["geometry"].to_numpy()) if len(frame) else []
        return gpd.GeoDataFrame(out, geometry=list(geometry) if len(frame) else [], crs="EPSG:4326")
    return out


def _read_rows(engine: Engine, kind: str, condition) -> pd.DataFrame:
    rows = ROWS[kind]
    query = select(rows.c.row_id, *[rows.c[c] for c in _payload_columns(kind)]).where(condition).order_by(
        rows.c.row_id)  # PostgreSQL moves updated rows: keep the order rows were written in
    with engine.connect() as conn:
        # in chunks: a million supply rows fetched at once as Python tuples took a gigabyte at the peak
        chunks = list(pd.read_sql(query, conn, chunksize=100_000))
    if not chunks:
        return pd.DataFrame(columns=["row_id", *_payload_columns(kind)])
    return pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]


def place_names(engine: Engine, kind: str) -> pd.DataFrame:
    """Id and name of every current place of layer ``kind`` (no shapes: cheap at 100,000 places)."""
    rows = ROWS[kind]
    with engine.connect() as conn:
        return pd.read_sql(select(rows.c.id, rows.c.name).where(rows.c.removed_in.is_(None)), conn)


def place_ids(engine: Engine, kind: str) -> set[str]:
    """The ids of the current places of layer ``kind``, as text (without names: an upload's ids are checked
    against them, and names are read only for the suggestions when some id is unknown)."""
    rows = ROWS[kind]
    with engine.connect() as conn:
        ids = conn.execute(select(rows.c.id).where(rows.c.removed_in.is_(None))).scalars().all()
    return {str(i) for i in ids if i is not None}


def newest_report_date(engine: Engine) -> str | None:
    """The latest date any current status row reports, or None."""
    found = []
    with engine.connect() as conn:
        for kind in report_tables():
            rows = ROWS[kind]
            found.append(conn.execute(select(func.max(rows.c.date)).where(rows.c.removed_in.is_(None))).scalar())
    found = [str(d) for d in found if d]
    return max(found) if found else None


def current(engine: Engine, kind: str):
    """The rows of ``kind`` as the newest version has them."""
    frame = _read_rows(engine, kind, ROWS[kind].c.removed_in.is_(None))
    return _from_records(kind, frame.drop(columns="row_id").reset_index(drop=True))


def _alive_at(kind: str, version: int):
    rows = ROWS[kind]
    return and_(rows.c.added_in <= version, or_(rows.c.removed_in.is_(None), rows.c.removed_in > version))


def state_at(engine: Engine, kind: str, version: int):
    """The rows of ``kind`` as they were right after ``version``."""
    frame = _read_rows(engine, kind, _alive_at(kind, version))
    return _from_records(kind, frame.drop(columns="row_id").reset_index(drop=True))


def _joined(frame: pd.DataFrame) -> pd.Series:
    """Each row's values as one text, joined by the unit separator (column-wise: fast at 100,000 rows)."""
    if frame.empty:
        return pd.Series([], dtype="string", index=frame.index)
    columns = [frame[c].astype("string").fillna("") for c in frame.columns]
    out = columns[0]
    for column in columns[1:]:
        out = out + "\x1f" + column
    return out


def _key_text(kind: str, frame: pd.DataFrame) -> pd.Series:
    return _joined(frame[list(TABLES[kind].key)])


def _comparable(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Values as text so that 3 and 3.0, None and NaN compare equal."""
    out = pd.DataFrame(index=frame.index)
    for c in columns:
        # once per distinct value: formatting each of a million numbers took seconds
        out[c] = apply_distinct(frame[c], _comparable_text).astype("string").fillna("")
    return out


def _comparable_text(values: pd.Series) -> pd.Series:
    """Numbers (also numbers written as text) as their 10 significant digits, anything else as its text."""
    numbers = pd.to_numeric(values, errors="coerce")
    as_number = numbers.map(lambda v: f"{v:.10g}", na_action="ignore").astype("string")
    return as_number.where(numbers.notna(), values.astype("string"))


def _signatures(kind: str, frame: pd.DataFrame) -> pd.Series:
    """One text per row of everything it holds, for comparing content across copies."""
    return _joined(_comparable(frame, _payload_columns(kind)))


def member_of(values, allowed: set) -> np.ndarray:
    """``values.isin(allowed)`` by a set lookup per value: pandas' isin on text took seconds at 100,000 rows."""
    items = np.asarray(values, dtype=object)  # iterating pyarrow text directly steps through it value by value
    return np.fromiter((v in allowed for v in items), bool, len(items))


def _python(values: pd.Series) -> list:
    """A column's values as the database driver binds them: Python objects, None where missing."""
    out = values.astype(object).where(values.notna(), None).tolist()
    return [v.item() if isinstance(v, np.generic) else v for v in out]


def _insert_many(conn, table: Table, frame: pd.DataFrame, **constant) -> None:
    """Insert the rows of ``frame``, each with ``constant`` added, in one executemany.

    The values are converted column by column (``DataFrame.to_dict("records")`` boxed 1.2 million
    values one at a time). On SQLite the driver gets them as tuples: SQLAlchemy preparing each row's
    parameters took longer than SQLite storing them. Elsewhere SQLAlchemy batches the rows into
    multi-row INSERTs, faster than the driver's own executemany.
    """
    values = {c: _python(frame[c]) for c in frame.columns} | {k: [v] * len(frame) for k, v in constant.items()}
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), [dict(zip(values, row)) for row in zip(*values.values())])
        return
    statement = insert(table).compile(dialect=conn.dialect, column_keys=list(values))
    conn.exec_driver_sql(statement.string, list(zip(*(values[k] for k in statement.positiontup))))


def _insert_file(conn, content: bytes | None) -> int | None:
    if content is None:
        return None
    return conn.execute(insert(files).values(sha256=hashlib.sha256(content).hexdigest(), size=len(content),
                                             content=content)).inserted_primary_key[0]


def _place_column(kind: str) -> str | None:
    return TABLES[kind].place_name


def diff_rows(kind: str, existing: pd.DataFrame, incoming: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Compare incoming rows with the existing ones by key.

    Returns the incoming rows that are new or differ (with a ``_change`` column,
    'added' or 'changed', and ``_row_id`` of the row they replace), and one row
    per changed field (key, field, before, after) for the history.
    """
    # rows with the same key texts have the same key values: only the other columns can differ
    columns = [c for c in _payload_columns(kind) if c not in TABLES[kind].key]
    incoming = incoming.copy()
    incoming["_key"] = _key_text(kind, incoming).to_numpy()
    existing = existing.copy()
    existing["_key"] = _key_text(kind, existing).to_numpy()
    old = existing.drop_duplicates("_key", keep="last").set_index("_key")
    new = incoming.drop_duplicates("_key", keep="last").set_index("_key")
    common = new.index.intersection(old.index)
    before = _comparable(old.loc[common], columns)
    after = _comparable(new.loc[common], columns)
    differs = (before != after)
    changed_keys = common[differs.any(axis=1).to_numpy()] if len(common) else common
    added_keys = new.index.difference(old.index)
    result = new.loc[added_keys.append(changed_keys)].copy()
    result["_change"] = ["added"] * len(added_keys) + ["changed"] * len(changed_keys)
    result["_row_id"] = [None] * len(added_keys) + old.loc[changed_keys, "row_id"].tolist() if "row_id" in old else None
    place = _place_column(kind)
    fields = (_changed_fields(differs.loc[changed_keys], before, after, _place_names(new, changed_keys, place))
              if len(changed_keys) else [])
    columns = ["change", "key", "field", "before", "after", "place"]
    added = pd.DataFrame({
        "change": "added", "key": added_keys.str.replace("\x1f", " / ").to_numpy(), "field": None, "before": None,
        "after": None, "place": _place_names(new, added_keys, place),
    }, columns=columns)
    field_frame = pd.concat([pd.DataFrame(fields, columns=columns), added], ignore_index=True) if fields else added
    return result.reset_index(names="_key"), field_frame


def _place_names(new: pd.DataFrame, keys: pd.Index, place: str | None) -> list:
    """The place name of each key's row as text (None for a table without names)."""
    return [None] * len(keys) if place is None else [_text(v) for v in new.loc[keys, place].to_numpy(dtype=object)]


def _changed_fields(differs: pd.DataFrame, before: pd.DataFrame, after: pd.DataFrame, places: list) -> list[dict]:
    """One record per field that differs, row by row: its text before and after (a shape's is not shown).

    ``differs`` has a row per changed key; the values are picked by position (a lookup per field by
    key and name took seconds for a day of corrections).
    """
    keys = differs.index
    rows, columns = np.nonzero(differs.to_numpy(dtype=bool))
    before_text = before.loc[keys, differs.columns].to_numpy(dtype=object)
    after_text = after.loc[keys, differs.columns].to_numpy(dtype=object)
    shown = keys.str.replace("\x1f", " / ").tolist()
    fields = []
    for row, column in zip(rows.tolist(), columns.tolist()):
        field = differs.columns[column]
        b, a = ("（旧图形）", "（新图形）") if field == "geometry" else (before_text[row, column], after_text[row, column])
        fields.append({"change": "changed", "key": shown[row], "field": field, "before": b, "after": a,
                       "place": places[row]})
    return fields


def _text(value):
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def keep_absent_columns(kind: str, incoming: pd.DataFrame, existing: pd.DataFrame, present: list[str]) -> pd.DataFrame:
    """A file without a column keeps the stored values of that column (a partial update), row by row.

    >>> old = pd.DataFrame({"site_id": ["S1"], "date": ["2020-02-25"], "resumption": ["applied"],
    ...                     "workers_total": [200]})
    >>> new = pd.DataFrame({"site_id": ["S1"], "date": ["2020-02-25"], "resumption": ["resumed"],
    ...                     "workers_total": [None]})
    >>> keep_absent_columns("site_status", new, old, ["site_id", "date", "resumption"])["workers_total"].tolist()
    [200]
    """
    absent = [c for c in TABLES[kind].names if c not in present and c in existing.columns]
    if not absent or existing.empty or incoming.empty:
        return incoming
    keys = list(TABLES[kind].key)
    old = existing.drop_duplicates(keys, keep="last").set_index(keys)[absent]
    filled = incoming.copy()
    index = pd.MultiIndex.from_frame(filled[keys].astype(str)) if len(keys) > 1 else filled[keys[0]].astype(str)
    old.index = (pd.MultiIndex.from_frame(old.index.to_frame().astype(str)) if len(keys) > 1
                 else old.index.astype(str))
    for column in absent:
        stored = old[column].reindex(index).to_numpy()
        known = pd.notna(stored)
        values = np.array(filled[column].astype(object).to_numpy(), dtype=object)
        values[known] = stored[known]
        filled[column] = pd.array(values, dtype=filled[column].dtype) if known.any() else filled[column]
    return filled


_FEW_VALUES = 500  # a key column with at most this many values in an upload narrows the read to them


def _may_share_key(kind: str, incoming: pd.DataFrame):
    """A condition that every stored row sharing a key with ``incoming`` meets, or None when none narrows much.

    It names the values of the key column with the fewest of them (the date of a daily report), as
    :func:`_key_text` compares them: a missing value is the empty text, so it matches NULL and ''.
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


def _existing_rows(conn, kind: str, incoming: pd.DataFrame) -> pd.DataFrame:
    """The current rows as the database holds them (with ``row_id``) that may share a key with ``incoming``.

    Only those can change :func:`diff_rows`' answer; a daily report then reads one day of a table
    that holds months of them.
    """
    rows = ROWS[kind]
    condition = rows.c.removed_in.is_(None)
    narrower = _may_share_key(kind, incoming)
    query = select(rows.c.row_id, *[rows.c[c] for c in _payload_columns(kind)]).where(
        condition if narrower is None else and_(condition, narrower)).order_by(rows.c.row_id)
    return pd.read_sql(query, conn)


def _compare(conn, kind: str, incoming: pd.DataFrame, present: list[str] | None) -> tuple:
    """``incoming`` with its absent columns filled from the store, and its diff against the store (delta, fields)."""
    existing = _existing_rows(conn, kind, incoming)
    if present is not None:
        incoming = keep_absent_columns(kind, incoming, _from_records(kind, existing), present)
    delta, fields = diff_rows(kind, existing, records(kind, incoming))
    return incoming, delta, fields


def preview(engine: Engine, kind: str, incoming: pd.DataFrame,
            present: list[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """What :func:`apply_rows` would store, without storing: the rows (absent columns filled), the delta, the fields."""
    with engine.connect() as conn:
        return _compare(conn, kind, incoming, present)


def latest_before(engine: Engine, kind: str, column: str, date: str) -> pd.Series:
    """``column`` of each place's latest current report dated before ``date``, by place id.

    The database picks the rows: 300,000 reports are not fetched to keep 100,000.
    """
    rows = ROWS[kind]
    place, dated, alive = rows.c[TABLES[kind].key[0]], rows.c.date, rows.c.removed_in.is_(None)
    newest = select(place.label("place"), func.max(dated).label("date")).where(alive, dated < date).group_by(
        place).subquery()
    # an outer join from the places makes SQLite look each report up by its index, where an inner
    # join read every current report; each (place, date) has its report, so no row is left empty
    query = select(newest.c.place, rows.c[column]).select_from(
        newest.outerjoin(rows, and_(alive, place == newest.c.place, dated == newest.c.date)))
    with engine.connect() as conn:
        found = pd.read_sql(query, conn).drop_duplicates("place")  # a place reports once a date: never dropped
    return pd.Series(found[column].to_numpy(), index=found["place"].astype("string"), dtype="string", name=column)


def apply_rows(engine: Engine, kind: str, incoming: pd.DataFrame, user_name: str, action: str = "import",
               file_name: str | None = None, content: bytes | None = None, summary: list | None = None,
               rows_in_file: int | None = None, present: list[str] | None = None) -> Applied:
    """Write a version: add new keys, replace changed rows, leave the rest. One transaction: all or nothing.

    ``present`` names the columns the file had; the others keep their stored values.
    """
    rows = ROWS[kind]
    with engine.begin() as conn:
        lock_for_writing(conn)
        # read inside the transaction: a concurrent import is diffed against, never lost
        incoming, delta, fields = _compare(conn, kind, incoming, present)
        version = conn.execute(insert(versions).values(
            kind=kind, action=action, created_at=datetime.datetime.now(datetime.timezone.utc),
            user_name=user_name, file_name=file_name, file_id=_insert_file(conn, content),
            rows_in_file=len(incoming) if rows_in_file is None else rows_in_file,
            summary=json.dumps(summary or [], ensure_ascii=False),
        )).inserted_primary_key[0]
        replaced = [int(r) for r in delta["_row_id"].dropna()] if len(delta) else []
        for start in range(0, len(replaced), 500):
            conn.execute(update(rows).where(rows.c.row_id.in_(replaced[start:start + 500])).values(removed_in=version))
        if len(delta):
            _insert_many(conn, rows, delta[_payload_columns(kind)], added_in=version)
        if len(fields) and action != "seed":
            _insert_many(conn, changes, fields, version_id=version)
        added = int((delta["_change"] == "added").sum()) if len(delta) else 0
        conn.execute(update(versions).where(versions.c.id == version).values(
            rows_added=added, rows_changed=len(replaced), rows_removed=0))
    return Applied(version, added, len(replaced), 0)


def rollback(engine: Engine, target: int, user_name: str) -> Applied:
    """A new version that brings the table of version ``target`` back to its state right after it."""
    with engine.connect() as conn:
        kind = conn.execute(select(versions.c.kind).where(versions.c.id == target)).scalar_one_or_none()
    if kind is None:
        raise LookupError(f"version {target} does not exist")
    rows = ROWS[kind]
    with engine.begin() as conn:
        lock_for_writing(conn)
        now_rows = pd.read_sql(select(rows).where(rows.c.removed_in.is_(None)).order_by(rows.c.row_id), conn)
        then_rows = pd.read_sql(select(rows).where(_alive_at(kind, target)).order_by(rows.c.row_id), conn)
        # compare by content, not by row: a row revived by an earlier rollback is a copy
        now_sig, then_sig = (np.asarray(_signatures(kind, r), dtype=object) for r in (now_rows, then_rows))
        retire = sorted(now_rows.loc[~member_of(now_sig, set(then_sig)), "row_id"].astype(int))
        revive = then_rows.loc[~member_of(then_sig, set(now_sig))]
        if not retire and revive.empty:
            raise NothingToRollBack(target)
        version = conn.execute(insert(versions).values(
            kind=kind, action="rollback", created_at=datetime.datetime.now(datetime.timezone.utc),
            user_name=user_name, target_version=target, rows_added=len(revive), rows_removed=len(retire),
            summary=json.dumps([[f"回退到版本 {target}", f"Rolled back to version {target}"]], ensure_ascii=False),
        )).inserted_primary_key[0]
        for start in range(0, len(retire), 500):
            conn.execute(update(rows).where(rows.c.row_id.in_(retire[start:start + 500])).values(removed_in=version))
        if len(revive):
            _insert_many(conn, rows, revive[_payload_columns(kind)], added_in=version)
        log = pd.concat([_rollback_log(kind, "removed", now_rows[now_rows["row_id"].isin(retire)]),
                         _rollback_log(kind, "added", revive)], ignore_index=True)
        if len(log):
            _insert_many(conn, changes, log, version_id=version)
    return Applied(version, len(revive), 0, len(retire))


def _rollback_log(kind: str, change: str, rows: pd.DataFrame) -> pd.DataFrame:
    """The history lines of the rows a rollback retires or revives: each with its raw key and place."""
    place = _place_column(kind)
    return pd.DataFrame({"change": change, "key": _key_text(kind, rows).to_numpy(dtype=object),
                         "place": _place_names(rows, rows.index, place)},
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


def seed_from_folder(engine: Engine, data_dir: str | Path) -> bool:
    """Fill an empty store from the data folder, once (safe when several processes start together)."""
    from geo.io.read import read_layer, read_table

    try:
        with engine.begin() as conn:
            conn.execute(insert(store_meta).values(key="seeded", value=str(data_dir)))
    except IntegrityError:
        return False
    data_dir = Path(data_dir)
    for kind in (*layer_tables(), *report_tables()):
        path = data_dir / TABLES[kind].file
        if not path.exists():
            continue
        content = path.read_bytes()
        if TABLES[kind].geometry:
            frame, problems = read_layer(content, kind, name=path.name)
        else:
            reading = read_table(content, kind, name=path.name)
            frame, problems = reading.frame, reading.problems
        summary = [[f"初始数据：{len(frame)} 行", f"Initial data: {len(frame)} rows"]]
        if problems:
            summary.append([f"{len(problems)} 行有问题未导入", f"{len(problems)} rows with problems not imported"])
        apply_rows(engine, kind, frame, SYSTEM_USER, "seed", path.name, content, summary, rows_in_file=len(frame))
    return True


def open_store(url: str, data_dir: str | Path) -> Engine:
    """The store at ``url``, filled from ``data_dir`` if it is still empty; the row tables of every kind made."""
    from geo.store.engine import connect

    engine = connect(url)
    for kind in (*layer_tables(), *report_tables()):
        if kind not in KINDS:  # a table of a kind registered at run time: no migration makes it
            ROWS[kind].create(engine, checkfirst=True)
    if newest_version(engine) == 0:
        seed_from_folder(engine, data_dir)
    return engine
