"""Which place and which date each row of a daily report is about, as integers, found once per dataset.

A version's build asked the same of a million compounds' six million report rows again and again: which of
the places each row names (the days' completeness, the ids matching no place, each zone's peaks by date) and
which date it has. Each time, six million strings were looked up in a hash table: 3 to 4 s at every ask, some
20 s of the warm-up after every start and import. Here each is found once per dataset (kept with it, like its
views) and given as positions, which numpy counts and groups by in a fraction of that.

Examples
--------
>>> import geopandas as gpd
>>> from shapely import Point
>>> from geo.domain import TABLES
>>> tables = {name: pd.DataFrame(columns=list(TABLES[name].names)) for name in TABLES}
>>> tables["compounds"] = gpd.GeoDataFrame({"id": ["C1", "C2"], "zone": ["Z1", None]},
...                                        geometry=[Point(0, 0), Point(1, 1)])
>>> tables["compound_status"] = pd.DataFrame({"compound_id": ["C2", "C9", "C1", None],
...                                           "date": ["2020-02-25", "2020-02-24", None, "2020-02-25"]})
>>> ds = Dataset(tables)
>>> place_rows(ds, "compound_status", "compounds").tolist()
[1, -1, 0, -1]
>>> codes, dates = column_codes(ds, "compound_status", "date")
>>> codes.tolist(), dates.tolist()
([1, 0, -1, 1], ['2020-02-24', '2020-02-25'])
>>> rows, code = day_rows(ds, "compound_status", "2020-02-25")
>>> rows.tolist(), code
([0, 3], 1)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.api.extensions import take

from geo.domain import TABLES
from geo.store import Dataset


def _kept(ds: Dataset, key: tuple, frames: tuple, make):
    """``make()``, kept in ``ds`` while its tables ``frames`` are the very frames it was made of."""
    found = ds.lookups.get(key)
    if found is not None and all(a is b for a, b in zip(found[0], frames)):
        return found[1]
    value = make()
    ds.lookups[key] = (frames, value)
    return value


def place_rows(ds: Dataset, report: str, layer: str) -> np.ndarray:
    """For each row of daily report ``report``, in order, the position in layer ``layer`` of the place it names
    (the first with that id), or -1: an id matching no place of the layer, or none. 32-bit: multiply as 64."""
    reports, places = ds.layer(report), ds.layer(layer)

    def make() -> np.ndarray:
        ids = pd.Index(places["id"].astype(str))
        first = np.flatnonzero(~ids.duplicated())
        # each distinct id looked up once: a million places' six million rows, 3.7 s one by one, 1.2 s so
        codes, named = factorized(reports[TABLES[report].key[0]])
        found = ids[first].get_indexer(pd.Index(named).astype(str))
        found = np.append(first, -1)[found]  # -1 (no such id) takes the -1 appended; no place at all: every id
        return np.where(codes >= 0, np.append(found, -1)[codes], -1).astype(np.int32)  # 24 MB of six million

    return _kept(ds, ("places", report, layer), (reports, places), make)


def position_type(count: int) -> type:
    """The smallest signed integer type that holds the positions among ``count`` values, and -1: a million
    compounds' twelve days of reports are twelve million dates and states, 46 MB each in 32 bits, 11 MB so.

    >>> position_type(12), position_type(128), position_type(1_000_000)
    (<class 'numpy.int8'>, <class 'numpy.int16'>, <class 'numpy.int32'>)
    """
    return next(kind for kind in (np.int8, np.int16, np.int32, np.int64) if count <= np.iinfo(kind).max)


def positions_in(values, among) -> np.ndarray:
    """For each of ``values`` (text: a pandas column, index or Arrow array), its position among ``among`` (the
    first, where it is there twice), or -1. Arrow hashes ``among`` and looks each value up: nothing is kept, and
    no value becomes a Python string (an index of a million ids kept its hash table and each id so, 100 MB).

    >>> positions_in(pd.Series(["b", "x", None]), pa.array(["a", "b", "b"])).tolist()
    [1, -1, -1]
    """
    return pc.index_in(_arrow_text(values), value_set=_arrow_text(among)).fill_null(-1).to_numpy()


def _arrow_text(values):
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return values
    return pa.array(pd.Series(values).astype("string").array)  # the column's own Arrow data, not a copy


def column_codes(ds: Dataset, report: str, column: str) -> tuple[np.ndarray, np.ndarray]:
    """For each row of daily report ``report``, in order, the position of its value of ``column`` (its date, its
    state) among the column's values (-1 for none; as :func:`position_type`: add or multiply them widened), and
    those values in order, as text."""
    reports = ds.layer(report)

    def make() -> tuple[np.ndarray, np.ndarray]:
        values = reports[column]
        if isinstance(values.dtype, pd.CategoricalDtype):  # the store's (geo.store.compact): its codes, in order
            values = values.cat.remove_unused_categories()
            named = np.asarray(values.cat.categories.astype(str), dtype=str)
            order = np.argsort(named, kind="stable")
            rank = np.empty(len(order) + 1, dtype=position_type(len(order)))
            rank[order], rank[-1] = np.arange(len(order)), -1
            return rank[values.cat.codes.to_numpy()], named[order]  # code -1 (none) ranked -1
        codes, named = pd.factorize(values.astype("string"), sort=True, use_na_sentinel=True)
        return np.asarray(codes, dtype=position_type(len(named))), np.asarray(named, dtype=object).astype(str)

    return _kept(ds, ("values", report, column), (reports,), make)


def factorized(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """(codes, the distinct values they point into) of ``values``; -1 for none. Categories give their own (a
    report's ids, :func:`geo.store.compact`): nothing is hashed."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), values.cat.categories
    return pd.factorize(values, use_na_sentinel=True)


def day_rows(ds: Dataset, report: str, date: str | None) -> tuple[np.ndarray, int]:
    """The rows of daily report ``report`` dated ``date``, in order, and that date's position among the report's
    dates (-1 when none is dated so)."""
    codes, dates = column_codes(ds, report, "date")
    found = np.flatnonzero(dates == date)
    if not len(found):
        return np.zeros(0, dtype=np.int64), -1
    return np.flatnonzero(codes == found[0]), int(found[0])


def ids_unique(ds: Dataset, layer: str) -> bool:
    """Whether no two places of layer ``layer`` share an id, found once per dataset (a million ids: 0.2 s). Only
    the answer is kept: an index of a million ids keeps its hash table and every id as a Python string, 100 MB."""
    places = ds.layer(layer)
    return _kept(ds, ("ids unique", layer), (places,), lambda: bool(places["id"].is_unique))


def place_zone_columns(ds: Dataset, layer: str, columns: tuple[str, ...]) -> pd.DataFrame:
    """The columns ``columns`` of each place's zone (see :func:`zone_rows`; none: missing values), a row per place
    of layer ``layer`` in order, once per dataset: the views of every date take the same ones (a million compounds'
    five columns of text, some 100 MB, and their zones looked up by id, 0.2 s, were made again for each view). Not
    to be changed in place."""
    places, zones = ds.layer(layer), ds.layer("zones")

    def make() -> pd.DataFrame:
        at = zone_rows(places, pd.Index(zones["id"]))
        return pd.DataFrame({c: take(zones[c].array, at, allow_fill=True) for c in columns})

    return _kept(ds, ("zone columns", layer, columns), (places, zones), make)


def state_began(ds: Dataset, report: str, layer: str, state: str) -> np.ndarray:
    """For each row of daily report ``report``, in order, the position of the date (see :func:`column_codes`) its
    place's state (column ``state``) of then began, or -1 (no place of ``layer``, no date or no state).

    A place's rows are walked by date (a date's rows in their order); a day it did not report does not break its
    run. A run begins with the rows before it only, so the answer for every date is found at once, once per
    dataset: each view sorted nine million rows again to find it for its own date (0.4 s of its 0.6 s).
    """
    reports, places = ds.layer(report), ds.layer(layer)

    def make() -> np.ndarray:
        place, (day, _) = place_rows(ds, report, layer), column_codes(ds, report, "date")
        held = column_codes(ds, report, state)[0]
        order = np.lexsort((day, place))  # by place, then date; a date's rows in their order
        order = order[((place >= 0) & (day >= 0) & (held >= 0))[order]]
        place, day, held = place[order], day[order], held[order]
        begins = np.ones(len(order), dtype=bool)
        begins[1:] = (place[1:] != place[:-1]) | (held[1:] != held[:-1])
        began = np.full(len(reports), -1, dtype=day.dtype)
        began[order] = day[np.maximum.accumulate(np.where(begins, np.arange(len(order)), 0))]
        return began

    return _kept(ds, ("began", report, layer, state), (reports, places), make)


def zone_rows(places: pd.DataFrame, zones: pd.Index) -> np.ndarray:
    """For each of ``places``, in order, the position among ``zones`` (ids) of the zone it lies in, or -1.

    >>> zone_rows(pd.DataFrame({"zone": ["Z2", None, "Z9"]}), pd.Index(["Z1", "Z2"])).tolist()
    [1, -1, -1]
    """
    named = places["zone"].notna().to_numpy(dtype=bool)
    return np.where(named, zones.get_indexer(places["zone"].astype(str)), -1)


#: Pairs (places × dates) at most found once through a table of flags, one byte each; more are hashed.
PAIR_FLAGS_MAX = 64_000_000


def distinct_pairs(place: np.ndarray, day: np.ndarray, days: int) -> np.ndarray:
    """Each pair of a place's and a date's positions once, as ``place * days + day``, in increasing order: the
    places that reported on each date, counted once however many rows they sent.

    Marked in a table of flags (a million compounds' nine days: 9 MB), where hashing their nine million rows took
    1.3 s of each start's and import's build.

    >>> distinct_pairs(np.array([2, 0, 2, 1]), np.array([1, 0, 1, 1]), 2).tolist()
    [0, 3, 5]
    """
    keys = place.astype(np.int64) * max(1, days) + day
    size = int(keys.max()) + 1 if len(keys) else 0
    if size > PAIR_FLAGS_MAX:
        return np.unique(keys)
    seen = np.zeros(size, dtype=bool)
    seen[keys] = True
    return np.flatnonzero(seen)
