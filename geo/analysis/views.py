"""Join each day's status onto the geometry, and derive supply levels and report states.

Every view has one row per place of the geometry layer (never fewer): a place
with no report on the selected date keeps its row with ``report == "missing"``
and ``category == "missing"`` (the bureau's 零报告 rule: silence is a state).

Examples
--------
>>> supply_level([10.0, 5.0, 1.0, float("inf")], low=7, critical=3).tolist()
['adequate', 'low', 'critical', 'adequate']
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from pandas.api.extensions import take

from geo.analysis.lookup import (
    column_codes,
    day_rows,
    ids_unique,
    place_rows,
    place_zone_columns,
    positions_in,
    state_began,
)
from geo.domain import MISSING, TABLES, codes, kinds, layer_tables, report_tables
from geo.store import Dataset


@dataclass(frozen=True)
class Thresholds:
    """Days of cover below which supplies are low (偏紧) and critical (告急)."""

    low: float = 7.0
    critical: float = 3.0


#: What :func:`place_supplies` gives for no supplies: its columns, typed as when there are some, no row, indexed
#: by text as the places' ids are (an empty store's places join it too). Untyped, a million places' view took
#: 60 MB of empty objects.
_NO_SUPPLIES = pd.DataFrame({"supply_level": pd.Series(dtype="str"), "min_days": pd.Series(dtype=float),
                             "short_items": pd.Series(dtype="str")}, index=pd.Index([], dtype=object, name="place_id"))


def report_dates(ds: Dataset) -> list[str]:
    """Every date that any status table reports, oldest first."""
    dates: set[str] = set()
    for name in report_tables():
        dates.update(ds.layer(name)["date"].dropna().drop_duplicates().astype(str))  # a set of millions took 1 s
    return sorted(dates)


def previous_date(dates: list[str], date: str) -> str | None:
    """The report date before ``date``, or None.

    >>> previous_date(["2020-02-24", "2020-02-25"], "2020-02-25")
    '2020-02-24'
    """
    earlier = [d for d in dates if d < date]
    return earlier[-1] if earlier else None


def _level_ranks(days: np.ndarray, low: float, critical: float) -> np.ndarray:
    """Each days of cover's supply level as its position among the levels (adequate, low, critical): the worst
    of a place's items is the highest."""
    order = codes("supply_level")
    return np.select([days < critical, days < low], [order.index("critical"), order.index("low")],
                     order.index("adequate"))


def supply_level(days_of_cover, low: float, critical: float) -> np.ndarray:
    days = np.asarray(days_of_cover, dtype=float)
    return np.asarray(codes("supply_level"))[_level_ranks(days, low, critical)]


def supply_rows(ds: Dataset, date: str, thresholds: Thresholds) -> pd.DataFrame:
    """Supply rows of ``date`` with their days of cover and level (no daily use: endless cover)."""
    rows = ds.supplies.loc[ds.supplies["date"] == date].copy()
    on_hand = rows["on_hand"].astype(float).to_numpy()
    use = rows["daily_use"].astype(float).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        days = np.where(use > 0, on_hand / np.where(use > 0, use, 1), np.inf)
    rows["days_of_cover"] = days
    rows["level"] = supply_level(days, thresholds.low, thresholds.critical)
    return rows


def place_supplies(ds: Dataset, date: str, thresholds: Thresholds) -> pd.DataFrame:
    """One row per reporting place: worst level, fewest days of cover and the short items.

    The date's last asked is kept with the dataset: the compounds' and the sites' views of a date both ask for it
    (100,000 compounds' four items: 0.45 s each). Not to be changed in place."""
    key = (date, thresholds)
    found = ds.lookups.get("place_supplies")
    if found is not None and found[0] == key and found[1] is ds.supplies:
        return found[2]
    result = _place_supplies(ds, date, thresholds)
    ds.lookups["place_supplies"] = (key, ds.supplies, result)
    return result


def _place_supplies(ds: Dataset, date: str, thresholds: Thresholds) -> pd.DataFrame:
    rows = supply_rows(ds, date, thresholds)
    if rows.empty:
        return _NO_SUPPLIES.copy()
    # the levels' positions, not their text: mapping each row's text to its rank took half of the time
    rank = _level_ranks(rows["days_of_cover"].to_numpy(), thresholds.low, thresholds.critical)
    grouped = rows.assign(rank=rank).groupby("place_id", sort=False)
    worst = grouped["rank"].max()
    result = pd.DataFrame({
        "supply_level": pd.Series(np.asarray(codes("supply_level"), dtype=object)[worst.to_numpy()],
                                  index=worst.index, dtype="str"),
        "min_days": grouped["days_of_cover"].min(),
    })
    short_rows = rows.loc[rank != codes("supply_level").index("adequate")]
    # "gloves,masks": strings summed per place (one C loop, not a Python call per place)
    short = (short_rows["item"].astype(object) + ",").groupby(short_rows["place_id"].astype(object)).sum()
    result["short_items"] = short.str[:-1].reindex(result.index).fillna("")
    return result


#: A view's columns of its place's zone: the zone's own column, and its name in a view.
ZONE_COLUMNS = {"name": "zone_name", "district": "district", "street": "street", "leader": "leader",
                "phone": "zone_phone"}


def _zone_attributes(ds: Dataset) -> pd.DataFrame:
    zones = pd.DataFrame(ds.zones.drop(columns="geometry"))
    return zones.rename(columns={"id": "zone", **ZONE_COLUMNS})[["zone", *ZONE_COLUMNS.values()]]


def _taken(values: pd.Series, rows: np.ndarray):
    """``values`` at positions ``rows`` (-1: none), as an array; the reports' text, kept as categories by the store
    (:func:`geo.store.compact`), as text again: a view's columns are counted, searched and filled by pages, where
    categories would count the states absent that day. Taken from the categories by code, not converted after:
    converting each view's million rows took 1.3 s of a 100,000-compound trend's 7 s.

    >>> codes = pd.Series(["b", None, "a"], dtype="string").astype("category")
    >>> _taken(codes, np.array([2, -1, 0, 1])).tolist()
    ['a', <NA>, 'b', <NA>]
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        picked = np.where(rows >= 0, codes[np.maximum(rows, 0)] if len(codes) else -1, -1)
        return values.cat.categories.array.take(picked, allow_fill=True)
    return take(values.array, rows, allow_fill=True)


#: What a view's ``report`` column says of a place: taken by position (0: none that day), as text.
_REPORTED = pd.array([MISSING, "reported"], dtype="str")


def _join(places: gpd.GeoDataFrame, layer: str, reports: pd.DataFrame, day: np.ndarray, at: np.ndarray, key: str,
          ds: Dataset, supplies: pd.DataFrame, state: str) -> gpd.GeoDataFrame:
    """``places`` (each of ``layer``, in order) with their report of the day (the rows ``day`` of ``reports``,
    about the places at positions ``at``), their zone's attributes and their supplies."""
    status = reports.drop(columns=[key, "date"])
    zones = _zone_attributes(ds)
    # a place reported at most once that day: counted, where np.unique sorted a million positions at every view
    once = bool((np.bincount(at[at >= 0], minlength=1) <= 1).all())
    one_each = ids_unique(ds, layer) and once and \
        zones["zone"].is_unique and not (set(status.columns) | set(zones.columns[1:])) & set(places.columns)
    if one_each:  # a report, a zone and supplies at most for each place: taken by position, as joins give them
        report = np.full(len(places), -1)
        report[at[at >= 0]] = day[at >= 0]
        # each place's row of its supplies (one a place), by Arrow: most dates of a big city have none to look up
        supplied = positions_in(places["id"], supplies.index) if len(supplies) else np.full(len(places), -1)
        view = pd.concat([places.reset_index(drop=True),
                          pd.DataFrame({c: _taken(status[c], report) for c in status.columns}),
                          pd.DataFrame({"report": _REPORTED.take((report >= 0).astype(np.intp))}),
                          place_zone_columns(ds, layer, tuple(ZONE_COLUMNS)).rename(columns=ZONE_COLUMNS),
                          pd.DataFrame({c: take(supplies[c].array, supplied, allow_fill=True)
                                        for c in supplies.columns})], axis=1)
    else:  # the same by joins, where some place has two reports of the day or some zone two rows
        view = places.merge(reports.take(day).drop(columns="date").rename(columns={key: "id"}), on="id", how="left",
                            indicator="_merge")
        view["report"] = np.where(view["_merge"] == "both", "reported", MISSING)
        view = view.drop(columns="_merge").merge(zones, on="zone", how="left")
        view = view.merge(supplies, left_on="id", right_index=True, how="left")
        view["id"] = view["id"].astype(places["id"].dtype)  # as the layer has them (a join on categories: objects)
    # where the joins gave categories (some place reported twice), text as _taken gives it
    text = [c for c in view.columns if isinstance(view[c].dtype, pd.CategoricalDtype)]
    view = view.assign(**{c: view[c].astype(view[c].cat.categories.dtype) for c in text}) if text else view
    # counts the store keeps in 8 or 16 bits (geo.store.compact) widened as they were: a page adding two of them
    # (staff and volunteers, a day's and the day before's) must not wrap past 127
    narrow = [c for c in status.columns if isinstance(view[c].dtype, pd.core.arrays.integer.IntegerDtype) and
              view[c].dtype.itemsize < 4]
    view = view.assign(**{c: view[c].astype("Int32") for c in narrow}) if narrow else view
    view["short_items"] = view["short_items"].astype("string").fillna("")
    view["category"] = view[state].astype("string").fillna(MISSING)
    return gpd.GeoDataFrame(view, geometry="geometry", crs=places.crs)


def state_since(ds: Dataset, report: str, layer: str, state: str, date: str) -> pd.DataFrame:
    """For each place of ``layer`` that daily report ``report`` has on ``date`` (``place``: its position in the
    layer): the date its state (column ``state``) of then began (``since``) and for how many days it has held,
    counting both ends (``state_days``). A day a place did not report does not break its run.

    By the places', dates' and states' positions (:mod:`geo.analysis.lookup`): sorting a million compounds' six
    million rows by their ids took 2 s of each view. When each run began is found once per dataset
    (:func:`geo.analysis.lookup.state_began`); here only the date's rows are read.

    >>> import geopandas as gpd
    >>> from shapely import Point
    >>> tables = {name: pd.DataFrame(columns=list(TABLES[name].names)) for name in TABLES}
    >>> tables["compounds"] = gpd.GeoDataFrame({"id": ["C1", "C2"]}, geometry=[Point(0, 0), Point(1, 1)])
    >>> tables["compound_status"] = pd.DataFrame({"compound_id": ["C1"] * 3 + ["C2"] * 2,
    ...     "date": ["2020-02-23", "2020-02-24", "2020-02-25", "2020-02-23", "2020-02-25"],
    ...     "closure": ["controlled", "sealed", "sealed", "sealed", "sealed"]})
    >>> state_since(Dataset(tables), "compound_status", "compounds", "closure", "2020-02-25").values.tolist()
    [[0, '2020-02-24', 2], [1, '2020-02-23', 3]]
    """
    places = place_rows(ds, report, layer)
    rows, today = day_rows(ds, report, date)  # today -1: nothing reported that day
    dates = column_codes(ds, report, "date")[1]
    began = state_began(ds, report, layer, state)
    rows = rows[began[rows] >= 0]  # about a place, with a state
    last = np.full(len(ds.layer(layer)), -1)
    np.maximum.at(last, places[rows], rows)  # a place's last row of the day
    now = last[last >= 0]
    place, since, day = places[now], began[now], np.full(len(now), today)
    numbers = pd.to_datetime(pd.Series(dates, dtype=object), errors="coerce").to_numpy(dtype="datetime64[D]")
    gap = numbers[day] - numbers[since]
    held_days = np.where(np.isnat(gap), np.nan, gap.astype("timedelta64[D]").astype(float) + 1)  # a date unread
    # the dates as categories: a million places' dates as text took 0.1 s of each view, which reads only the days
    return pd.DataFrame({"place": place, "since": pd.Categorical.from_codes(since, dates),
                         "state_days": pd.array(held_days, dtype="Float64").astype("Int64")})


#: How many views a dataset keeps (:attr:`geo.store.Dataset.made`): the kinds of a date and of the day before.
VIEWS_KEPT = 16


def place_view(ds: Dataset, kind: str, date: str, thresholds: Thresholds = Thresholds(),
               kept: bool = True) -> gpd.GeoDataFrame:
    """The places of ``kind`` (see :mod:`geo.domain.kinds`) with their report of ``date``.

    ``category`` is the state its report gives (closure status, resumption state) or 'missing';
    ``state_days`` how many days it has held that state (see :func:`state_since`).

    Made once per dataset, kind, date and thresholds while among the dataset's newest :data:`VIEWS_KEPT`: a
    page's compounds, supplies and zones each asked for the compounds' view of its date (a million compounds:
    three times 4 s). Like every view the pages share, it is not to be changed in place. Not ``kept``: made
    for one look (a trend's older days), neither kept nor pushing the kept ones out.
    """
    key = ("place_view", kind, date, thresholds)
    view = ds.made.pop(key, None) if kept else ds.made.get(key)
    if view is None:
        view = _place_view(ds, kind, date, thresholds)
    if not kept:
        return view
    ds.made[key] = view  # last: the newest
    while len(ds.made) > VIEWS_KEPT:
        ds.made.pop(next(iter(ds.made)), None)
    return view


def _place_view(ds: Dataset, kind: str, date: str, thresholds: Thresholds) -> gpd.GeoDataFrame:
    entry = kinds.kind(kind)
    reports = ds.layer(entry.report)
    day = day_rows(ds, entry.report, date)[0]
    # only the places some kind's reports are about (supplies: compounds and sites) have supplies to sum up
    supplied = any(entry.layer in k.places for k in kinds.KINDS.values())
    supplies = place_supplies(ds, date, thresholds) if supplied else _NO_SUPPLIES.copy()
    key = TABLES[entry.report].key[0]
    places = ds.layer(entry.layer)
    view = _join(places.assign(_place=np.arange(len(places))), entry.layer, reports, day,
                 place_rows(ds, entry.report, entry.layer)[day], key, ds, supplies, entry.state_column)
    held = state_since(ds, entry.report, entry.layer, entry.state_column, date)
    days = np.full(len(places), np.nan)
    days[held["place"].to_numpy()] = held["state_days"].to_numpy(dtype=float, na_value=np.nan)
    view["state_days"] = pd.array(days[view.pop("_place").to_numpy()], dtype="Float64").astype("Int64")
    return view


def other_kinds() -> list[str]:
    """Every kind reporting on places of its own besides compounds and sites (markets, parks, …).

    >>> other_kinds()
    ['markets', 'sales_offices', 'agencies', 'parks', 'plants']
    """
    return [k.name for k in kinds.reporting_kinds() if k.layer and k.name not in ("compounds", "sites")]


def other_views(ds: Dataset, date: str, thresholds: Thresholds = Thresholds(),
                keep=lambda view: view) -> dict[str, pd.DataFrame]:
    """The views of ``date`` of the :func:`other_kinds`, narrowed by ``keep``."""
    return {name: keep(place_view(ds, name, date, thresholds)) for name in other_kinds()}


def compound_view(ds: Dataset, date: str, thresholds: Thresholds = Thresholds()) -> gpd.GeoDataFrame:
    """Compounds with their report of ``date``; ``category`` is the closure status or 'missing'."""
    return place_view(ds, "compounds", date, thresholds)


def site_view(ds: Dataset, date: str, thresholds: Thresholds = Thresholds()) -> gpd.GeoDataFrame:
    """Sites with their report of ``date``; ``category`` is the resumption state or 'missing'."""
    return place_view(ds, "sites", date, thresholds)


def supply_view(ds: Dataset, date: str, thresholds: Thresholds = Thresholds()) -> gpd.GeoDataFrame:
    """Compounds and sites together; ``category`` is the worst supply level or 'missing'."""
    parts = []
    for kind, view in (("compound", compound_view(ds, date, thresholds)), ("site", site_view(ds, date, thresholds))):
        part = view[["id", "name", "zone", "zone_name", "district", "street",
                     "supply_level", "min_days", "short_items", "geometry"]].copy()
        part.insert(2, "place_kind", kind)
        parts.append(part)
    view = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs="EPSG:4326")
    view["category"] = view["supply_level"].astype("string").fillna(MISSING)
    return view


def with_previous(view: pd.DataFrame, before: pd.DataFrame | None) -> pd.DataFrame:
    """Add ``previous``: each place's category on the previous report date (NA if none).

    >>> now = pd.DataFrame({"id": ["a", "b"], "category": ["sealed", "open"]})
    >>> with_previous(now, pd.DataFrame({"id": ["a"], "category": ["controlled"]}))["previous"].tolist()
    ['controlled', <NA>]
    """
    if before is None:
        return view.assign(previous=pd.Series(pd.NA, index=view.index, dtype="string"))
    previous = before.drop_duplicates("id").set_index("id")["category"].astype("string")
    return view.assign(previous=view["id"].map(previous).astype("string"))


def item_summary(ds: Dataset, date: str, thresholds: Thresholds, place_ids=None) -> pd.DataFrame:
    """Per item: places reporting it, how many are low or critical, stock, daily use and days of cover."""
    rows = supply_rows(ds, date, thresholds)
    if place_ids is not None:
        rows = rows.loc[rows["place_id"].isin(set(place_ids))]
    summary = rows.groupby("item").agg(
        places=("place_id", "nunique"),
        low=("level", lambda s: int((s == "low").sum())),
        critical=("level", lambda s: int((s == "critical").sum())),
        on_hand=("on_hand", "sum"),
        daily_use=("daily_use", "sum"),
    )
    use = summary["daily_use"].astype(float)
    summary["days_of_cover"] = (summary["on_hand"].astype(float) / use.where(use > 0)).round(1)  # NaN: no use
    order = [code for code in codes("item") if code in summary.index]
    return summary.reindex(order).reset_index()


def unmatched_ids(ds: Dataset) -> dict[str, list[str]]:
    """Ids in each status table that match no place of the geometry: counted and shown, never dropped silently."""
    unmatched = {}
    for entry in kinds.reporting_kinds():
        ids = ds.layer(entry.report)[TABLES[entry.report].key[0]]
        unknown = ids.notna().to_numpy(dtype=bool)
        for layer in entry.place_layers:  # by the positions found once per dataset (lookup.py)
            unknown = unknown & (place_rows(ds, entry.report, layer) < 0)
        unmatched[entry.report] = sorted(ids[unknown].astype(str).unique().tolist())
    return unmatched


def outside_zones(ds: Dataset) -> pd.DataFrame:
    """Places in a layer with zones (compounds, sites) that no zone holds: neither their row names a zone nor
    does a zone's shape contain them (see :mod:`geo.store.spatial`). Columns ``layer``, ``id``, ``name``.

    A city without zone shapes has none: its places are in no zone by design, not by mistake.
    """
    columns = ["layer", "id", "name"]
    if not len(ds.zones):
        return pd.DataFrame(columns=columns)
    parts = []
    for layer in layer_tables():
        places = ds.layer(layer)
        if layer == "zones" or "zone" not in places:
            continue
        blank = places["zone"].isna() | (places["zone"].astype("string").str.strip() == "")
        parts.append(pd.DataFrame({"layer": layer, "id": places.loc[blank, "id"].astype(str),
                                   "name": places.loc[blank, "name"].astype("string").fillna("")}))
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def unplaced_places(ds: Dataset) -> pd.DataFrame:
    """Places with no position yet (待定位): in every figure and table, on no map until someone places them.

    Zones are left out: a city may keep its zones as a list by design (no shapes), not as places to fix.
    Columns ``layer``, ``id``, ``name``, in the order the layers and their places are stored.
    """
    columns = ["layer", "id", "name"]
    parts = []
    for layer in layer_tables():
        places = ds.layer(layer)
        if layer == "zones" or places.empty:
            continue
        lacking = places.geometry.isna().to_numpy()
        parts.append(pd.DataFrame({"layer": layer, "id": places.loc[lacking, "id"].astype(str),
                                   "name": places.loc[lacking, "name"].astype("string").fillna("")}))
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)
