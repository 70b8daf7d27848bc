"""Reading the current rows of a table: as the database holds them, and typed back for the rest of the code.

Each table's rows live in ``rows_<kind>`` (:mod:`geo.store.tables`); a row is
current while no version has retired it (``removed_in`` is NULL).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy import and_, func, or_, select, union_all
from sqlalchemy.engine import Engine

from geo.domain import TABLES, layer_tables, report_tables
from geo.domain.per_value import member_of, text_set
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


def read_rows(engine: Engine, kind: str, condition, *more) -> pd.DataFrame:
    """The rows of ``kind`` that meet ``condition``, or any of ``more`` (each can use an index of its own, where
    their OR could not: a million compounds' day after an import, 3.4 -> 2.4 s), in the order written."""
    rows = ROWS[kind]
    selects = [select(rows.c.row_id, *[rows.c[c] for c in payload_columns(kind)]).where(c) for c in (condition, *more)]
    # PostgreSQL moves updated rows: keep the order rows were written in
    query = (union_all(*selects) if more else selects[0]).order_by("row_id")
    with engine.connect() as conn:
        # in chunks: a million supply rows fetched at once as Python tuples took a gigabyte at the peak
        chunks = list(pd.read_sql(query, conn, chunksize=100_000) if TABLES[kind].geometry else
                      fetched_frames(conn, query, 100_000))
    if not chunks:
        return pd.DataFrame(columns=["row_id", *payload_columns(kind)])
    return pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]


def fetch_frame(conn, query) -> pd.DataFrame:
    """``query``'s rows as a frame, taken from the database driver's own cursor: SQLAlchemy making a row object
    of each of a million reports took 3 s of an import's check. Only for columns the driver gives as they are
    (text, numbers), not for those SQLAlchemy converts (shapes, times)."""
    result = conn.execute(query)
    try:
        columns, rows = list(result.keys()), result.cursor.fetchall()
    finally:
        result.close()
    return pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame({c: [] for c in columns})


def fetched_frames(conn, query, size: int):
    """:func:`fetch_frame` a frame of at most ``size`` rows at a time (none for no row)."""
    result = conn.execute(query)
    try:
        columns = list(result.keys())
        while rows := result.cursor.fetchmany(size):
            yield pd.DataFrame(rows, columns=columns)
    finally:
        result.close()


def place_names(engine: Engine, kind: str) -> pd.DataFrame:
    """Id and name of every current place of layer ``kind`` (no shapes: cheap at 100,000 places)."""
    rows = ROWS[kind]
    with engine.connect() as conn:
        return fetch_frame(conn, select(rows.c.id, rows.c.name).where(rows.c.removed_in.is_(None)))


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
        return text_set(fetch_frame(conn, query)[place.name])


def current(engine: Engine, kind: str):
    """The rows of ``kind`` as the newest version has them."""
    return current_rows(engine, kind)[0]


def current_rows(engine: Engine, kind: str, dated_from: str | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """:func:`current` with each row's ``row_id`` (the order they were written in); with ``dated_from``, of a
    daily report, only its rows of that date or later (and any without a date)."""
    rows = ROWS[kind]
    now = rows.c.removed_in.is_(None)
    dated = [now] if dated_from is None else [and_(now, rows.c.date >= dated_from), and_(now, rows.c.date.is_(None))]
    frame = read_rows(engine, kind, *dated)
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


#: Places without a report on the newest day before looked up by themselves at most, in :func:`latest_before`;
#: more, and every current report is grouped by place.
LOOKED_UP_ALONE = 50_000


def latest_before(engine: Engine, kind: str, column: str, date: str, places) -> pd.Series:
    """``column`` of the latest current report dated before ``date`` of each of ``places`` (ids), by place id.

    The database picks the rows: the newest date before ``date`` is one look in the reports' index of dates
    and its reports one range of it (a million compounds' day, where grouping their week of seven million
    reports took seconds); the places without a report that day are looked up by themselves in the index
    of places, or, when more than :data:`LOOKED_UP_ALONE` are, every current report is grouped by place.
    """
    rows = ROWS[kind]
    place, dated, alive = rows.c[TABLES[kind].key[0]], rows.c.date, rows.c.removed_in.is_(None)
    wanted = text_set(places)
    with engine.connect() as conn:
        newest = conn.execute(select(func.max(dated)).where(alive, dated < date)).scalar()
        if newest is None:  # no earlier report (and a report without a date is none: "date = NULL" would find it)
            return pd.Series([], index=pd.Index([], dtype="string"), dtype="string", name=column)
        found = fetch_frame(conn, select(place.label("place"), rows.c[column]).where(alive, dated == newest))
        missing = sorted(wanted - text_set(found["place"]))
        if len(missing) > LOOKED_UP_ALONE:
            found = pd.concat([found, _latest_by_place(conn, kind, column, newest)], ignore_index=True)
        else:
            found = pd.concat([found, *(_latest_by_place(conn, kind, column, newest, place.in_(missing[i:i + 500]))
                                        for i in range(0, len(missing), 500))], ignore_index=True)
    found = found[member_of(found["place"].astype(str), wanted)].drop_duplicates("place")  # one report a date
    return pd.Series(found[column].to_numpy(), index=found["place"].astype("string"), dtype="string", name=column)


def _latest_by_place(conn, kind: str, column: str, date: str, *where) -> pd.DataFrame:
    """``column`` of each place's latest current report dated before ``date`` (of the places ``where`` says)."""
    rows = ROWS[kind]
    place, dated, alive = rows.c[TABLES[kind].key[0]], rows.c.date, rows.c.removed_in.is_(None)
    newest = select(place.label("place"), func.max(dated).label("date")).where(alive, dated < date, *where).group_by(
        place).subquery()
    # an outer join from the places makes SQLite look each report up by its index, where an inner
    # join read every current report; each (place, date) has its report, so no row is left empty
    query = select(newest.c.place, rows.c[column]).select_from(
        newest.outerjoin(rows, and_(alive, place == newest.c.place, dated == newest.c.date)))
    return fetch_frame(conn, query)
