"""Aggregate compounds, sites and supplies to grid zones, and class a metric for a choropleth.

Examples
--------
>>> classify(pd.Series([0.0, 10.0, 20.0, None]), classes=2).tolist()
['c1', 'c1', 'c2', 'missing']
>>> classify(pd.Series([5.0, 45.0]), unit="%").tolist()
['c1', 'c3']
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis.lookup import column_codes, distinct_pairs, place_rows, zone_rows
from geo.analysis.views import Thresholds, compound_view, other_views, site_view
from geo.domain import MISSING, Bilingual, kinds
from geo.store import Dataset


@dataclass(frozen=True)
class Metric(Bilingual):
    code: str
    zh: str
    en: str
    unit: str = ""


METRICS: tuple[Metric, ...] = (
    Metric("closed_share", "封闭管理及全封闭占比", "Share controlled or sealed", "%"),
    Metric("sealed_share", "全封闭小区占比", "Share of compounds sealed", "%"),
    Metric("resumption_rate", "工地复工率", "Site resumption rate", "%"),
    Metric("fever_reports", "今日发热人数", "Fever reports today"),
    Metric("home_isolation", "居家隔离户数", "Households in home isolation"),
    Metric("short_places", "物资偏紧/告急场所数", "Places short of supplies"),
    Metric("missing_reports", "未报告场所数", "Places not reported"),
    Metric("residents", "居民人数", "Residents"),
    Metric("compounds", "小区数", "Compounds"),
    Metric("sites", "工地数", "Construction sites"),
)

#: Sequential palette for choropleth classes, light to dark (fixed: class cN is always this colour).
CLASS_COLORS = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")


def metric(code: str) -> Metric:
    return next(m for m in METRICS if m.code == code)


def _share(part: pd.Series, whole: pd.Series) -> pd.Series:
    return (100.0 * part / whole.where(whole > 0)).round(1)


def zone_metrics(ds: Dataset, date: str, thresholds: Thresholds = Thresholds(),
                 compounds: pd.DataFrame | None = None, sites: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """One row per zone with every metric of :data:`METRICS` on ``date``.

    A zone with no compound has no closure shares (NaN: shown as no data), a zone
    with no site no resumption rate.
    """
    compounds = compound_view(ds, date, thresholds) if compounds is None else compounds
    sites = site_view(ds, date, thresholds) if sites is None else sites
    c = compounds.assign(
        sealed=compounds["category"] == "sealed",
        closed=compounds["category"].isin(["controlled", "sealed"]),
        missing=compounds["report"] == MISSING,
        short=compounds["supply_level"].isin(["low", "critical"]),
    ).groupby("zone").agg(
        compounds=("id", "size"), sealed=("sealed", "sum"), closed=("closed", "sum"),
        residents=("residents", "sum"), fever_reports=("fever_reports", "sum"),
        home_isolation=("home_isolation", "sum"), c_missing=("missing", "sum"), c_short=("short", "sum"),
    )
    s = sites.assign(
        resumed=sites["category"] == "resumed",
        missing=sites["report"] == MISSING,
        short=sites["supply_level"].isin(["low", "critical"]),
    ).groupby("zone").agg(sites=("id", "size"), resumed=("resumed", "sum"),
                          s_missing=("missing", "sum"), s_short=("short", "sum"))
    zones = ds.zones.merge(c, left_on="id", right_index=True, how="left").merge(
        s, left_on="id", right_index=True, how="left")
    counts = ["compounds", "sealed", "closed", "residents", "fever_reports", "home_isolation",
              "c_missing", "c_short", "sites", "resumed", "s_missing", "s_short"]
    zones[counts] = zones[counts].astype(float).fillna(0).astype(int)
    zones["sealed_share"] = _share(zones["sealed"], zones["compounds"])
    zones["closed_share"] = _share(zones["closed"], zones["compounds"])
    zones["resumption_rate"] = _share(zones["resumed"], zones["sites"])
    zones["short_places"] = zones["c_short"] + zones["s_short"]
    # the other places (markets, parks, …) that did not report count too, as in the headline figure
    silent = [view.loc[view["report"] == MISSING, "zone"] for view in other_views(ds, date, thresholds).values()]
    others = pd.concat(silent).value_counts() if silent else pd.Series(dtype=int)
    zones["missing_reports"] = zones["c_missing"] + zones["s_missing"] + zones["id"].map(others).fillna(0).astype(int)
    return zones.drop(columns=["c_missing", "c_short", "s_missing", "s_short"])


#: Upper bounds of the classes of a share (%): the same on every date and in every city, so a colour always means
#: the same share.
SHARE_BREAKS = (20.0, 40.0, 60.0, 80.0, 100.0)


def nice_step(value: float) -> float:
    """The smallest of 1, 2, 5, 10, 20, 50, … at least ``value``: class widths people read at a glance.

    >>> nice_step(0.4), nice_step(7.4), nice_step(30)
    (1.0, 10.0, 50.0)
    """
    decade = 1.0
    while True:
        for factor in (1.0, 2.0, 5.0):
            if decade * factor >= value:
                return decade * factor
        decade *= 10


def class_breaks(values: pd.Series, classes: int = 5, unit: str = "", top: float | None = None) -> list[float]:
    """Upper bounds of ``classes`` classes: fixed for a share (see :data:`SHARE_BREAKS`), else whole numbers of a
    round width (1, 2, 5, 10, …) that covers the largest value — readable ("0–10", "11–20").

    ``top``: the largest value the breaks must cover whatever ``values`` hold, the metric's peak over every
    report date (:func:`zone_peaks`): then the breaks are the same on every date of a view, and stepping
    through the dates recolours the zones without changing what a colour means. Without it, the breaks
    follow the date's own largest value (and change when it passes a round step: 9 → 11).

    >>> class_breaks(pd.Series([0, 3, 37]))
    [10.0, 20.0, 30.0, 40.0, 50.0]
    >>> class_breaks(pd.Series([0, 3, 9])) == class_breaks(pd.Series([0, 3, 11]))
    False
    >>> class_breaks(pd.Series([0, 3, 9]), top=11) == class_breaks(pd.Series([0, 3, 11]), top=11)
    True
    >>> class_breaks(pd.Series([12.5, 90.0]), unit="%")
    [20.0, 40.0, 60.0, 80.0, 100.0]
    """
    known = values.dropna().astype(float)
    if known.empty and (top is None or pd.isna(top)):
        return []
    if unit == "%":
        return list(SHARE_BREAKS)
    largest = float(known.max()) if len(known) else 0.0
    if top is not None and not pd.isna(top):
        largest = max(largest, float(top))
    step = nice_step(max(largest, 1.0) / classes)
    return [step * (i + 1) for i in range(classes)]


def classify(values: pd.Series, classes: int = 5, unit: str = "", top: float | None = None) -> pd.Series:
    """Class code 'c1'…'cN' for each value (see :func:`class_breaks`), 'missing' where there is no value."""
    breaks = class_breaks(values, classes, unit, top)
    if not breaks:
        return pd.Series(MISSING, index=values.index, dtype="string")
    numbers = values.astype(float).to_numpy()
    index = np.searchsorted(np.asarray(breaks), numbers, side="left") + 1
    index = np.clip(index, 1, len(breaks))
    result = pd.Series([f"c{i}" for i in index], index=values.index, dtype="string")
    return result.where(values.notna(), MISSING)


#: The metrics whose breaks do not depend on the date: a share's are fixed (:data:`SHARE_BREAKS`), and a zone's
#: number of compounds or sites is the same on every date.
DATELESS = ("compounds", "sites")

# the sums of a compound report's column per zone (as zone_metrics sums the compounds' view)
_SUMS = ("residents", "fever_reports", "home_isolation")


def _zone_and_day(ds: Dataset, report: str, layer: str, zone_of: np.ndarray, dates: pd.Index):
    """For each row of ``report``: the position of its place's zone (``zone_of``: by the place's position in
    ``layer``) and of its date among ``dates``, each -1 for none."""
    places = place_rows(ds, report, layer)
    zone = np.where(places >= 0, zone_of[np.maximum(places, 0)], -1)
    codes, days = column_codes(ds, report, "date")
    day = np.append(dates.get_indexer(days), -1)[codes]  # a row without a date: code -1, the last
    return zone, day


def zone_peaks(ds: Dataset, dates: list[str], thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """Each zone's largest value over ``dates`` of every count of :data:`METRICS` (index: zone id; the shares
    have fixed breaks and no column): what the choropleth's breaks cover (:func:`class_breaks`'s ``top``) so
    that they are the same on every date. A view's peak is the largest of its zones' peaks, so one table serves
    every filter of zones (by district, street, zone or name).

    The same figures as :func:`zone_metrics` of each date (tests/test_zone_breaks.py compares them), from the
    report tables at once instead of one view of every place per date: at 2,000 compounds and 14 dates 0.11 s
    instead of 6.8 s (load average 6 on 2 cores), once per data version.
    """
    index = pd.Index(ds.zones["id"].astype(str), name="id")
    peaks = pd.DataFrame(0.0, index=index, columns=[m.code for m in METRICS if m.unit != "%"])
    dates = sorted(set(dates))
    places = {}  # layer -> id -> zone
    for entry in kinds.reporting_kinds():
        if entry.layer and entry.layer not in places:
            frame = ds.layer(entry.layer)
            places[entry.layer] = pd.Series(frame["zone"].astype("string").to_numpy(), index=frame["id"].astype(str))
    for layer in DATELESS:
        peaks[layer] = places[layer].value_counts().reindex(index).fillna(0)
    if not dates:
        return peaks
    # places not reported on a date: every place of the zone, less those a report of that date is about (each
    # kind of place on its own, as zone_metrics counts each kind's view); by positions, not ids (lookup.py)
    zones, wanted = index.unique(), pd.Index(dates)
    shape = (len(zones), len(dates))
    total, counted, zone_of_layer = np.zeros(len(zones)), np.zeros(shape), {}
    for entry in kinds.reporting_kinds():
        if not entry.layer:
            continue
        zone_of = zone_of_layer[entry.layer] = zone_rows(ds.layer(entry.layer), zones)
        total += np.bincount(zone_of[zone_of >= 0], minlength=len(zones))
        zone, day = _zone_and_day(ds, entry.report, entry.layer, zone_of, wanted)
        sent = (zone >= 0) & (day >= 0)
        cells = distinct_pairs(place_rows(ds, entry.report, entry.layer)[sent], day[sent], len(dates))  # once a date
        counted += np.bincount(zone_of[cells // len(dates)] * len(dates) + cells % len(dates),
                               minlength=counted.size).reshape(shape)
    by_zone = {"missing_reports": (total[:, None] - counted).max(axis=1)}
    # the sums of the compounds' reports, by zone and date, the largest over the dates a zone has reports of
    entry = kinds.kind("compounds")
    reports = ds.layer(entry.report)
    zone, day = _zone_and_day(ds, entry.report, entry.layer, zone_of_layer[entry.layer], wanted)
    sent = (zone >= 0) & (day >= 0)
    cells = zone[sent] * len(dates) + day[sent]
    held = np.bincount(cells, minlength=counted.size).reshape(shape) > 0
    for column in _SUMS:
        values = np.nan_to_num(pd.to_numeric(reports[column], errors="coerce").astype(float).to_numpy()[sent])
        sums = np.where(held, np.bincount(cells, weights=values, minlength=counted.size).reshape(shape), -np.inf)
        by_zone[column] = np.where(held.any(axis=1), sums.max(axis=1), np.nan)
    for column, values in by_zone.items():
        peaks[column] = pd.Series(values, index=zones).reindex(index).to_numpy()
    # places short of supplies: a compound or site with an item below the low (or critical) days of cover
    supplies = ds.supplies.loc[ds.supplies["date"].astype(str).isin(dates)]
    on_hand = supplies["on_hand"].astype(float).to_numpy()
    use = supplies["daily_use"].astype(float).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        cover = np.where(use > 0, on_hand / np.where(use > 0, use, 1), np.inf)
    short = supplies.loc[(cover < thresholds.low) | (cover < thresholds.critical), ["place_id", "date"]]
    short = short.astype(str).drop_duplicates()
    supplied = pd.concat([places["compounds"], places["sites"]])
    zone = short["place_id"].map(supplied[~supplied.index.duplicated()])
    peaks["short_places"] = short.groupby([zone, short["date"]]).size().groupby(level=0).max().reindex(index)
    return peaks.astype(float).fillna(0.0)
