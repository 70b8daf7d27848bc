"""One city's tables (its layers and daily reports) as the newest version of the store has them.

Places without a zone (compounds, sites) get one by spatial join (see :mod:`geo.store.spatial`).
:func:`refresh_store` brings a dataset up to date reading only the daily reports that changed: in a morning of
phone reports a version arrives every few seconds, and each one read the whole city again for every page.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
from sqlalchemy.exc import DBAPIError

from geo.domain import TABLES, Problem, layer_tables, report_tables
from geo.store import spatial
from geo.store.rows import current, current_rows, first_date_written_since, from_records, payload_columns
from geo.store.versions import newest_version, tables_changed_since, version_stamp

# what reading a table raises when its pages are damaged (pandas wraps the driver's error in its own)
READ_ERRORS = (DBAPIError, sqlite3.DatabaseError, pd.errors.DatabaseError)


@dataclass
class Dataset:
    tables: dict[str, pd.DataFrame]  # every table of geo.domain.schema.TABLES by name, layers as GeoDataFrames
    problems: list[Problem] = field(default_factory=list)
    zones_assigned: int = 0  # places whose zone came from the spatial join
    unreadable: dict[str, str] = field(default_factory=dict)  # table -> why it could not be read (it is empty)
    #: daily report -> the store's ``row_id`` of each of its rows, in order: what :func:`refresh_store` needs to
    #: read again only the days written since
    row_ids: dict[str, np.ndarray] = field(default_factory=dict)
    #: views made of these tables, the newest few (see :func:`geo.analysis.place_view`): not given, never copied
    made: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    #: which place and date each report row is about, found once (see :mod:`geo.analysis.lookup`): not given, never
    #: copied
    lookups: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self):
        self.tables = {kind: compact(kind, frame) if kind in _REPORTS else frame for kind, frame in self.tables.items()}
        self.row_ids = {kind: _narrow_row_ids(ids) for kind, ids in self.row_ids.items()}

    def layer(self, kind: str):
        """The table ``kind``: a geometry layer or a daily report."""
        return self.tables[kind]

    @property
    def zones(self) -> gpd.GeoDataFrame:
        return self.tables["zones"]

    @property
    def compounds(self) -> gpd.GeoDataFrame:
        return self.tables["compounds"]

    @property
    def sites(self) -> gpd.GeoDataFrame:
        return self.tables["sites"]

    @property
    def compound_status(self) -> pd.DataFrame:
        return self.tables["compound_status"]

    @property
    def site_status(self) -> pd.DataFrame:
        return self.tables["site_status"]

    @property
    def supplies(self) -> pd.DataFrame:
        return self.tables["supplies"]


_REPORTS = frozenset(report_tables())
_COUNT_TYPES = (pd.Int8Dtype(), pd.Int16Dtype(), pd.Int32Dtype(), pd.Int64Dtype())


def _narrow_row_ids(ids) -> np.ndarray:
    """The store's row ids ``ids`` in 32 bits when all fit (a million compounds' twelve days: 46 MB, not 92).

    >>> _narrow_row_ids(np.array([1, 7], dtype=np.int64)).dtype, _narrow_row_ids(np.array([2 ** 40])).dtype
    (dtype('int32'), dtype('int64'))
    """
    ids = np.asarray(ids)
    if ids.dtype.itemsize > 4 and (not len(ids) or (ids.min() >= 0 and ids.max() <= np.iinfo(np.int32).max)):
        return ids.astype(np.int32)
    return ids


def _narrowest(counts: pd.Series):
    """The narrowest of :data:`_COUNT_TYPES` that holds every one of ``counts`` (8 bits when there is none)."""
    if not counts.notna().any():
        return _COUNT_TYPES[0]
    low, high = counts.min(), counts.max()
    return next(kind for kind in _COUNT_TYPES if np.iinfo(kind.type).min <= low and high <= np.iinfo(kind.type).max)


def compact(kind: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Daily report ``kind`` with its text columns (as the store reads them: pandas' ``string``) kept as categories.

    A million compounds' ten days are ten million rows naming the same million compounds, ten dates and a few
    states again and again: as text they held 0.75 of the 1.43 GB the status table took in memory, and the
    server 4.9 GB after its warm-up (``bench/warm_memory.py``). Each distinct value is now kept once, and a row
    holds its position. Columns of other types (a test's frame of plain objects) are left as they are, as are
    columns already categories, whose categories are made ``string`` (Parquet gives them back as ``str``, and an
    empty column as objects). Counts are kept in the fewest bits that hold every one of their column:
    a gate count or a day's fever reports in 8, residents in 16, a larger one in 32 or 64. A million compounds'
    twelve days' seven counts took 85 MB a column in 64 bits, 56 MB in 32, and take 24 to 36 MB so. Sums stay
    64-bit (numpy's and pandas' sums widen them), and a view widens its counts to 32 bits (geo.analysis.views),
    so that a page adding two of them cannot wrap.

    >>> frame = compact("compound_status", pd.DataFrame({"date": pd.array(["2020-02-25", None, "2020-02-25"],
    ...     dtype="string"), "residents": pd.array([1, None, 3000], dtype="Int64"),
    ...     "gates_open": pd.array([1, 2, None], dtype="Int32"), "fever_reports": pd.array([1, 2 ** 40, None],
    ...     dtype="Int64")}))
    >>> frame["date"].cat.categories.tolist(), frame["date"].cat.codes.tolist(), frame["date"].max()
    (['2020-02-25'], [0, -1, 0], '2020-02-25')
    >>> [str(frame[c].dtype) for c in ("residents", "gates_open", "fever_reports")]
    ['Int16', 'Int8', 'Int64']
    """
    columns = TABLES[kind].columns
    counts = {c.name for c in columns if c.kind == "int"}
    changed, text = {}, {c.name for c in columns if c.kind not in ("int", "float")}
    for name in (c for c in frame.columns if c in counts):
        column = frame[name]
        if isinstance(column.dtype, pd.core.arrays.integer.IntegerDtype) and column.dtype.itemsize > 1:
            narrow = _narrowest(column)
            if narrow.itemsize < column.dtype.itemsize:
                changed[name] = column.astype(narrow)
    for name in (c for c in frame.columns if c in text):
        column = frame[name]
        if (isinstance(column.dtype, pd.StringDtype) and column.dtype.na_value is pd.NA) or (
                column.dtype == object and not column.notna().any()):  # Parquet's empty text column: objects
            # dates in their order (ISO dates sort as text): the newest is ``max()``, as it was of the text
            changed[name] = column.astype("string").astype(pd.CategoricalDtype(ordered=name == "date"))
        elif isinstance(column.dtype, pd.CategoricalDtype) and not (
                isinstance(column.cat.categories.dtype, pd.StringDtype) and column.cat.categories.dtype.na_value is pd.NA):
            changed[name] = column.cat.rename_categories(column.cat.categories.astype("string"))
    return frame.assign(**changed) if changed else frame


def read_error_text(exc: BaseException) -> str:
    """The database's own words for a failed read, first line (pandas and SQLAlchemy wrap them with the SQL).

    >>> read_error_text(pd.errors.DatabaseError("Execution failed on sql 'SELECT …'"))
    "Execution failed on sql 'SELECT …'"
    """
    while exc.__cause__ is not None:
        exc = exc.__cause__
    return str(getattr(exc, "orig", None) or exc).splitlines()[0][:120]


def load_store(engine) -> Dataset:
    """The newest version of every table in the store, as a Dataset.

    A table that cannot be read (its pages damaged) is empty and named in ``unreadable``, so
    that what can be read is still shown; when no table can be read the first error is raised.
    """
    frames, unreadable, first_error, row_ids = {}, {}, None, {}
    reports = set(report_tables())
    for kind in (*layer_tables(), *report_tables()):
        try:
            if kind in reports:
                frames[kind], row_ids[kind] = current_rows(engine, kind)
            else:
                frames[kind] = current(engine, kind)
        except READ_ERRORS as exc:
            first_error = first_error or exc
            unreadable[kind] = read_error_text(exc)
            frames[kind] = from_records(kind, pd.DataFrame(columns=payload_columns(kind)))
    if len(unreadable) == len(frames):
        raise first_error
    assigned = 0
    for kind in [name for name in layer_tables() if "zone" in TABLES[name].names]:  # places in zones
        frames[kind] = spatial.zones_named(frames[kind], frames["zones"])
        if engine.dialect.name == "postgresql":  # the join on PostGIS's index: large cities stay fast
            frames[kind], count = spatial.assign_zones_in_database(engine, kind, frames[kind])
        else:
            frames[kind], count = spatial.assign_zones(frames[kind], frames["zones"])
        assigned += count
    return Dataset(frames, problems=[], zones_assigned=assigned, unreadable=unreadable, row_ids=row_ids)


@dataclass(frozen=True)
class Loaded:
    """A dataset and the version of the store it was read at (with that version's :func:`version_stamp`)."""

    dataset: Dataset
    version: int
    stamp: tuple | None
    #: When it was brought up from an earlier one (:func:`refresh_store`): that version, and the earliest report
    #: date written since (None: no report), before which every day reads as it did then. None when read whole.
    refreshed: tuple[int, str | None] | None = None


def read_store(engine) -> Loaded:
    """:func:`load_store`, with the version it was read at (read first: a version arriving meanwhile is read
    again by the next :func:`refresh_store`, never missed)."""
    version = newest_version(engine)
    return Loaded(load_store(engine), version, version_stamp(engine, version))


def refresh_store(engine, since: Loaded) -> Loaded:
    """``since`` brought up to the store's newest version, reading again only the daily reports written since.

    A layer written since (places added, moved, retired, or rolled back), a table that could not be read, no
    version since (the caller emptied its cache to read the store again), or a store whose version
    ``since.version`` is another one now (restored from a backup) reads everything again, as :func:`load_store`.
    """
    version = newest_version(engine)
    if since.dataset.unreadable or version <= since.version or version_stamp(engine, since.version) != since.stamp:
        return read_store(engine)  # nothing written since is asked again when the cache was emptied: read afresh
    changed = tables_changed_since(engine, since.version)
    if not changed <= set(report_tables()):
        return read_store(engine)
    old = since.dataset
    tables, row_ids, written = dict(old.tables), dict(old.row_ids), []
    try:
        for kind in changed:
            dated_from = first_date_written_since(engine, kind, since.version)
            tables[kind], row_ids[kind] = _brought_up(engine, kind, old, dated_from)
            written += [dated_from] if dated_from else []
    except READ_ERRORS:
        return read_store(engine)  # which says what cannot be read
    return Loaded(Dataset(tables, list(old.problems), old.zones_assigned, row_ids=row_ids), version,
                  version_stamp(engine, version), (since.version, min(written, default=None)))


def _brought_up(engine, kind: str, old: Dataset, dated_from: str | None) -> tuple[pd.DataFrame, np.ndarray]:
    """Daily report ``kind`` as the store has it now, from ``old``'s: its days before ``dated_from`` (the earliest
    date written since, so read as they were) kept, the others read again, all in the order they were written.

    A new day of a million compounds read again only that day: reading the five days before too took 40 s of
    the first visit after the import.
    """
    ids = old.row_ids.get(kind)
    if dated_from is None or ids is None:
        return current_rows(engine, kind)
    frame = old.tables[kind]
    kept = _dated_before(frame["date"], dated_from)
    new, new_ids = current_rows(engine, kind, dated_from)
    kept_rows, new = _same_categories(frame[kept], compact(kind, new))
    merged, merged_ids = pd.concat([kept_rows, new], ignore_index=True), np.concatenate([ids[kept], new_ids])
    order = np.argsort(merged_ids, kind="stable")
    return merged.take(order).reset_index(drop=True), merged_ids[order]


def _dated_before(dates: pd.Series, day: str) -> np.ndarray:
    """Whether each of ``dates`` (text, or categories of text) is before ``day``; no date is not.

    >>> _dated_before(pd.Series(["2020-02-24", None, "2020-02-26"], dtype="string").astype("category"), "2020-02-25")
    array([ True, False, False])
    """
    if isinstance(dates.dtype, pd.CategoricalDtype):  # each distinct date compared once, not ten million rows
        early = np.append(np.asarray(dates.cat.categories.astype(str) < day, dtype=bool), False)
        return early[dates.cat.codes.to_numpy()]  # code -1 (no date): the False appended
    return (dates < day).fillna(False).to_numpy(dtype=bool)


def _same_categories(a: pd.DataFrame, b: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``a`` and ``b`` with each column that is categories in both given the union of both's, so that
    ``pd.concat`` keeps it as categories (it falls back to text when they differ)."""
    union = {c: a[c].cat.categories.union(b[c].cat.categories) for c in a.columns
             if c in b.columns and isinstance(a[c].dtype, pd.CategoricalDtype)
             and isinstance(b[c].dtype, pd.CategoricalDtype)}
    return tuple(f.assign(**{c: f[c].cat.set_categories(u) for c, u in union.items()}) for f in (a, b))
