"""Reading the current rows of a table: as the database holds them, and typed back for the rest of the code.

Each table's rows live in ``rows_<kind>`` (:mod:`geo.store.tables`); a row is
current while no version has retired it (``removed_in`` is NULL).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Engine

from geo.domain import TABLES, layer_tables, report_tables
from geo.store.tables import ROWS


def payload_columns(kind: str) -> list[str]:
    return TABLES[kind].names + (["geometry"] if TABLES[kind].geometry else [])


def records(kind: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Rows as the database holds them: geometry as WKB hex, missing values as None."""
    out = pd.DataFrame({name: frame[name] if name in frame else pd.NA for name in TABLES[kind].names},
                       index=frame.index)
    if TABLES[kind].geometry:
        out["geometry"] = shapely.to_wkb(np.asarray(frame.geometry), hex=True)
    return out.astype(object).where(out.notna(), None)


def from_records(kind: str, frame: pd.DataFrame):
    """Typed frame (a GeoDataFrame for layers) from database rows."""
    table = TABLES[kind]
    columns = {}
    for col in table.columns:
        values = frame[col.name] if col.name in frame else pd.Series(pd.NA, index=frame.index)
        if col.kind == "int":
            columns[col.name] = pd.to_numeric(values, errors="coerce").round().astype("Int64")
        elif col.kind == "float":
            columns[col.name] = pd.to_numeric(values, errors="coerce").astype("Float64")
        else:
            columns[col.name] = values.astype("string")
    out = pd.DataFrame(columns, index=frame.index)  # at once: a column at a time cost each of 16 tables 4 ms
    if table.geometry:
        # a place not yet placed (待定位) has no geometry: NULL, read by pandas as None or NaN
        wkb = frame["geometry"].to_numpy(dtype=object)
        geometry = shapely.from_wkb(np.where(pd.notna(wkb), wkb, None)) if len(frame) else []
        return gpd.GeoDataFrame(out, geometry=list(geometry) if len(frame) else [], crs="EPSG:4326")
    return out


def read_rows(engine: Engine, kind: str, condition) -> pd.DataFrame:
    rows = ROWS[kind]
    query = select(rows.c.row_id, *[rows.c[c] for c in payload_columns(kind)]).where(condition).order_by(
        rows.c.row_id)  # PostgreSQL moves updated rows: keep the order rows were written in
    with engine.connect() as conn:
        # in chunks: a million supply rows fetched at once as Python tuples took a gigabyte at the peak
        chunks = list(pd.read_sql(query, conn, chunksize=100_000))
    if not chunks:
        return pd.DataFrame(columns=["row_id", *payload_columns(kind)])
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


def current_counts(engine: Engine) -> dict[str, int]:
    """How many current rows each table has (places of each layer, rows of each daily report)."""
    counts = {}
    with engine.connect() as conn:
        for kind in (*layer_tables(), *report_tables()):
            rows = ROWS[kind]
            counts[kind] = conn.execute(select(func.count()).where(rows.c.removed_in.is_(None))).scalar_one()
    return counts


def has_places(engine: Engine) -> bool:
    """Whether any layer has a current place (a new city has none until its first upload)."""
    with engine.connect() as conn:
        return any(conn.execute(select(ROWS[kind].c.row_id).where(ROWS[kind].c.removed_in.is_(None)).limit(1)).first()
                   for kind in layer_tables())


def newest_report_date(engine: Engine) -> str | None:
    """The latest date any current status row reports, or None."""
    found = []
    with engine.connect() as conn:
        for kind in report_tables():
            rows = ROWS[kind]
            found.append(conn.execute(select(func.max(rows.c.date)).where(rows.c.removed_in.is_(None))).scalar())
    found = [str(d) for d in found if d]
    return max(found) if found else None


def reported_on(engine: Engine, kind: str, date: str) -> set[str]:
    """The place ids with a current report of ``kind`` (a status table) dated ``date``."""
    rows = ROWS[kind]
    place = rows.c[TABLES[kind].key[0]]
    query = select(place).where(rows.c.removed_in.is_(None), rows.c.date == date).distinct()
    with engine.connect() as conn:
        return {str(value) for value in conn.execute(query).scalars()}


def current(engine: Engine, kind: str):
    """The rows of ``kind`` as the newest version has them."""
    return current_rows(engine, kind)[0]


def current_rows(engine: Engine, kind: str, dated_from: str | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """:func:`current` with each row's ``row_id`` (the order they were written in); with ``dated_from``, of a
    daily report, only its rows of that date or later (and any without a date)."""
    rows = ROWS[kind]
    condition = rows.c.removed_in.is_(None)
    if dated_from is not None:
        condition = and_(condition, or_(rows.c.date >= dated_from, rows.c.date.is_(None)))
    frame = read_rows(engine, kind, condition)
    ids = frame["row_id"].to_numpy(dtype=np.int64)
    return from_records(kind, frame.drop(columns="row_id").reset_index(drop=True)), ids


def first_date_written_since(engine: Engine, kind: str, version: int) -> str | None:
    """The earliest report date of table ``kind`` whose rows versions newer than ``version`` added or retired (None:
    none): every day before it reads as it did at ``version``."""
    rows = ROWS[kind]
    written = or_(rows.c.added_in > version, rows.c.removed_in > version)
    with engine.connect() as conn:
        return conn.execute(select(func.min(rows.c.date)).where(written)).scalar()


def alive_at(kind: str, version: int):
    rows = ROWS[kind]
    return and_(rows.c.added_in <= version, or_(rows.c.removed_in.is_(None), rows.c.removed_in > version))


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
