"""Decide which coordinate system an uploaded GeoJSON layer is in, refuse what cannot be used.

The map stores everything in WGS-84 longitude/latitude. Uploaded layers come
from GPS devices and GIS software (WGS-84 or CGCS2000, which agree to
centimetres), from Amap or Tencent (GCJ-02, a few hundred metres off), from
Baidu (BD-09, further off still), or from GIS software in projected metres
(EPSG:3857, Gauss-Krüger or UTM zones), which cannot be used as they are.

The answer comes, in this order, from:

1. the user's explicit choice on the upload page;
2. the file's ``crs`` member (old GeoJSON; RFC 7946 files have none): a code is
   looked up in PROJ's database (pyproj, offline), a name in :data:`NAMES`;
3. a comparison with geometries already stored for the same ids
   (:func:`guess_datum`), which is decisive within a few metres;
4. which datum puts the features inside the city or district boundary
   (:func:`guess_datum_by_area`), a weaker hint;
5. otherwise WGS-84, with a notice saying how to pick another datum.

Coordinates in metres, with latitude and longitude swapped, or outside China
are refused by :func:`check_coordinates` whatever the datum.

Examples
--------
>>> from shapely import Point
>>> from geo.io.datum_convert import wgs84_to_gcj02
>>> stored = {"0501": Point(114.3225, 29.8413), "0502": Point(114.3301, 29.8452)}
>>> uploaded = {k: Point(*wgs84_to_gcj02(p.x, p.y)) for k, p in stored.items()}
>>> datum, problems, notices = resolve_datum({}, uploaded, reference_geoms=stored)
>>> datum, problems
('gcj02', [])
>>> [p] = to_wgs84([uploaded["0501"]], datum)
>>> round(p.x, 6), round(p.y, 6)
(114.3225, 29.8413)
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from geo.domain import Problem, Text, t
from geo.io.datum_convert import CHINA, bd09_to_wgs84, convert_geometries, gcj02_to_wgs84
from geo.io.shapes import PROJECTED_LIMIT

DATUMS = ("wgs84", "gcj02", "bd09")
PROJECTED = "projected"  # declared or named CRS is in metres: refuse the layer
UNKNOWN = "unknown"  # a crs member is present but names nothing we know: ignore it
#: The datums as written in a figure's sentence, the same in both languages.
SHORT_NAMES = {"wgs84": "WGS-84", "gcj02": "GCJ-02", "bd09": "BD-09"}

# How people and software name a coordinate system, folded (see _fold). Looked up by
# containment in this order, so "bd09mc" (Baidu Mercator, metres) is met before "bd09".
NAMES: tuple[tuple[str, str], ...] = (
    ("bd09mc", PROJECTED), ("mercator", PROJECTED), ("墨卡托", PROJECTED), ("utm", PROJECTED),
    ("gauss", PROJECTED), ("高斯", PROJECTED), ("投影", PROJECTED),
    ("wgs84", "wgs84"), ("wgs1984", "wgs84"), ("crs84", "wgs84"), ("gps", "wgs84"),
    ("cgcs2000", "wgs84"), ("2000国家大地", "wgs84"), ("国家2000", "wgs84"), ("天地图", "wgs84"),
    ("tianditu", "wgs84"), ("chinageodetic", "wgs84"),
    ("gcj02", "gcj02"), ("gcj", "gcj02"), ("高德", "gcj02"), ("amap", "gcj02"), ("autonavi", "gcj02"),
    ("火星", "gcj02"), ("腾讯", "gcj02"), ("tencent", "gcj02"), ("国测局", "gcj02"),
    ("bd09", "bd09"), ("百度", "bd09"), ("baidu", "bd09"),
)

# pyproj's names of the datums that agree with WGS-84 to centimetres (prefixes): WGS 84, its ensemble and
# realisations, and CGCS2000. Other datums (Beijing 1954, Xian 1980) are hundreds of metres off.
WGS84_DATUMS = ("World Geodetic System 1984", "China 2000")

SWAPPED_CHINA = (CHINA[1], CHINA[0], CHINA[3], CHINA[2])  # the box of geo.io.datum_convert, latitude first
DEGREES = (-180.0, -90.0, 180.0, 90.0)
ANY_SYSTEM = (-PROJECTED_LIMIT, -PROJECTED_LIMIT, PROJECTED_LIMIT, PROJECTED_LIMIT)

MAX_RESIDUAL_M = 150.0  # a reference match is decisive only below this median offset
SEPARATION = 3.0  # ... and when the next datum is this many times further off
MIN_GAP_M = 50.0  # ... and at least this many metres further off
MISMATCH_M = 100.0  # declared datum this far off while another matches: a problem
MIN_AREA_SHARE = 0.8  # the area hint needs this share of features inside the boundary
MIN_AREA_GAIN = 2  # ... and this many more features inside than any other datum
MAX_LISTED = 20  # problems listed feature by feature before a summary
EARTH_RADIUS_M = 6371008.8


#: Something the user should know that does not stop the upload, in both languages.
Notice = Text


# ---------------------------------------------------------------- names and declarations


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).lower()
    return re.sub(r"[\s\-_:.,/()（）·、]", "", text)


def _authority_code(raw: str) -> tuple[str, str] | None:
    """The authority and code in 'EPSG:4326', 'urn:ogc:def:crs:EPSG:6.6:4326', '.../EPSG/0/4326',
    'ESRI:102100' or '4326' (EPSG when no authority is named)."""
    if raw.isdigit():
        return "EPSG", str(int(raw))
    match = re.search(r"(epsg|esri)\D.*?(\d{4,})", raw)
    return (match.group(1).upper(), str(int(match.group(2)))) if match else None


def _crs_of(authority: str, code: str) -> pyproj.CRS | None:
    """The coordinate system ``authority:code``, or None when neither EPSG nor ESRI knows the code.

    Read from PROJ's database inside the pyproj wheel: nothing is downloaded. The
    other authority is tried too, as files write 'EPSG:102100' for ESRI's code.
    """
    for name in dict.fromkeys((authority, "EPSG", "ESRI")):
        try:
            return pyproj.CRS.from_authority(name, code)
        except pyproj.exceptions.CRSError:
            continue
    return None


def _code_datum(authority: str, code: str) -> str:
    """What a declared code means here: :data:`PROJECTED`, 'wgs84' or :data:`UNKNOWN`.

    pyproj says whether the system is projected, and which datum a geographic one
    is on: 'wgs84' for WGS 84 and CGCS2000 (:data:`WGS84_DATUMS`), :data:`UNKNOWN`
    for other datums, geocentric systems and codes nobody knows.

    >>> _code_datum("EPSG", "4490"), _code_datum("EPSG", "27700"), _code_datum("EPSG", "4214")
    ('wgs84', 'projected', 'unknown')
    """
    crs = _crs_of(authority, code)
    if crs is None:
        return UNKNOWN
    if crs.is_projected:
        return PROJECTED
    datum = crs.geodetic_crs.datum if crs.is_geographic and crs.geodetic_crs is not None else None
    return "wgs84" if datum is not None and datum.name.startswith(WGS84_DATUMS) else UNKNOWN


def parse_datum(name) -> str | None:
    """The datum a name stands for: one of :data:`DATUMS`, :data:`PROJECTED`, or None.

    Accepts EPSG and ESRI codes in any common spelling (looked up with pyproj), OGC
    CRS84 and the names people use, including GCJ-02 and BD-09, which PROJ does not
    know. Geographic systems on other datums (Beijing 1954, Xian 1980) give None.

    Examples
    --------
    >>> parse_datum("urn:ogc:def:crs:EPSG::4326"), parse_datum("高德"), parse_datum("BD-09")
    ('wgs84', 'gcj02', 'bd09')
    >>> parse_datum("EPSG:3857"), parse_datum("EPSG:4214")
    ('projected', None)
    """
    if name is None:
        return None
    raw = unicodedata.normalize("NFKC", str(name)).lower().strip()
    code = _authority_code(raw)
    if code is not None:
        datum = _code_datum(*code)
        return None if datum == UNKNOWN else datum
    folded = _fold(raw)
    return next((datum for key, datum in NAMES if key in folded), None) if folded else None


def declared_name(collection: dict) -> str | None:
    """The text of a GeoJSON ``crs`` member (``name``, ``EPSG`` or ``link`` type), or None.

    Examples
    --------
    >>> declared_name({"crs": {"type": "name", "properties": {"name": "EPSG:3857"}}})
    'EPSG:3857'
    >>> declared_name({"crs": {"type": "EPSG", "properties": {"code": 4490}}})
    'EPSG:4490'
    """
    crs = collection.get("crs") if isinstance(collection, dict) else None
    if crs is None:
        return None
    if not isinstance(crs, dict):
        return str(crs)
    props = crs.get("properties") or {}
    if str(crs.get("type", "")).lower() == "epsg" and "code" in props:
        return f"EPSG:{props['code']}"
    for key in ("name", "code", "href"):
        if props.get(key) not in (None, ""):
            return str(props[key])
    return str(crs)


def declared_datum(collection: dict) -> str | None:
    """The datum a GeoJSON ``crs`` member declares.

    Returns
    -------
    str or None
        None when there is no ``crs`` member (RFC 7946), one of :data:`DATUMS`,
        :data:`PROJECTED` (refuse the layer) or :data:`UNKNOWN` (ignore the declaration).

    Examples
    --------
    >>> declared_datum({"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}})
    'wgs84'
    >>> declared_datum({"crs": {"type": "name", "properties": {"name": "EPSG:900913"}}})
    'projected'
    >>> declared_datum({"type": "FeatureCollection"}) is None
    True
    """
    name = declared_name(collection)
    if name is None:
        return None
    return parse_datum(name) or UNKNOWN


#: Properties that only a platform's exports have, and the datum of those exports: DataV's GeoAtlas boundaries
#: (adcode with acroutes, centroid or childrenNum) are GCJ-02.
PLATFORM_PROPERTIES = (("gcj02", "DataV", ("acroutes", "childrenNum", "centroid")),)


def platform_hint(collection: dict) -> tuple[str, str, str] | None:
    """The datum a GeoJSON's properties betray (a DataV boundary file is GCJ-02), the properties that betray it,
    and the platform's name.

    >>> platform_hint({"features": [{"properties": {"adcode": 430281, "acroutes": [100000]}}]})
    ('gcj02', 'adcode/acroutes', 'DataV')
    >>> platform_hint({"features": [{"properties": {"name": "x"}}]}) is None
    True
    """
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list):
        return None
    keys: set[str] = set()
    for feature in features[:50]:
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if isinstance(properties, dict):
            keys.update(map(str, properties))
    for datum, platform, telltales in PLATFORM_PROPERTIES:
        if "adcode" in keys and keys.intersection(telltales):
            return datum, "/".join(["adcode", *sorted(keys.intersection(telltales))]), platform
    return None


def datum_name(datum: str) -> Text:
    """The datum's name as the upload page shows it, in both languages.

    >>> datum_name("gcj02").zh
    'GCJ-02（高德、腾讯）'
    """
    return t(f"datum_{datum}")


def label_datum(datum: str, lang: str = "zh") -> str:
    """The datum's name as the upload page shows it.

    >>> label_datum("gcj02")
    'GCJ-02（高德、腾讯）'
    """
    return datum_name(datum).pick(lang)


# ---------------------------------------------------------------- coordinate checks


def _as_array(geometries) -> np.ndarray:
    if isinstance(geometries, dict):
        geometries = geometries.values()
    return np.asarray(list(geometries), dtype=object)


def _within(bounds: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    x0, y0, x1, y1 = box
    return (bounds[:, 0] >= x0) & (bounds[:, 1] >= y0) & (bounds[:, 2] <= x1) & (bounds[:, 3] <= y1)


def classify_coordinates(geometries) -> np.ndarray:
    """What each geometry's coordinates look like: 'ok', 'swapped', 'metres', 'absurd', 'outside' or 'empty'.

    'ok' is longitude/latitude inside China; 'absurd' is beyond any coordinate system
    (:data:`PROJECTED_LIMIT`, such as 1e308); 'empty' (None, empty or NaN) is left to the
    reader, which reports it.

    Examples
    --------
    >>> from shapely import Point
    >>> classify_coordinates([Point(114.32, 29.84), Point(29.84, 114.32), Point(12726000, 3485000),
    ...                       Point(2.35, 48.85), None, Point(1e308, 29.8)]).tolist()
    ['ok', 'swapped', 'metres', 'outside', 'empty', 'absurd']
    """
    bounds = shapely.bounds(_as_array(geometries)).reshape(-1, 4)
    empty = np.isnan(bounds).any(axis=1)
    conditions = [empty, _within(bounds, CHINA), _within(bounds, SWAPPED_CHINA), ~_within(bounds, ANY_SYSTEM),
                  ~_within(bounds, DEGREES)]
    return np.select(conditions, ["empty", "ok", "swapped", "absurd", "metres"], "outside").astype(object)


def _format_xy(geometry) -> str:
    x, y = shapely.get_coordinates(geometry)[0]
    if max(abs(x), abs(y)) >= PROJECTED_LIMIT:  # 1e308 in full has 309 digits
        return f"{x:.6g}, {y:.6g}"
    if max(abs(x), abs(y)) >= 1000:
        return f"{x:.0f}, {y:.0f}"
    return ", ".join(f"{v:.6f}".rstrip("0").rstrip(".") for v in (x, y))


_REFUSED = ("absurd", "metres", "swapped", "outside")  # what check_coordinates refuses, in the order it reports them


def _file_problem(source: str, kind: str, positions, geometries, total: int) -> Problem:
    sample = _format_xy(geometries[positions[0]])
    count = len(positions)
    said_of = "all" if count == total else "some"
    return Problem(source, None, None, sample, t(f"datum_{said_of}_{kind}", count=count, total=total, sample=sample))


def _naming(ids, names, i: int) -> Text:
    """How a per-feature message names the place: its name when given and not blank, else its id, else nothing."""
    name = None if names is None else names[i]
    if name is not None and not pd.isna(name) and str(name).strip():
        return t("problem_place_name", name=str(name).strip())
    return Text("", "") if ids is None else t("problem_place_id", key=ids[i])


def _feature_problems(source: str, kind: str, positions, geometries, ids, numbers, by_row: bool,
                      names=None) -> list[Problem]:
    problems = []
    for i in positions[:MAX_LISTED]:
        sample = _format_xy(geometries[i])
        named = _naming(ids, names, i)
        number = int(i) + 1 if numbers is None else int(numbers[i])
        where = t("problem_row" if by_row else "problem_feature", row=number)
        problems.append(Problem(source, number, None, sample,
                                t(f"datum_feature_{kind}", where=where, id=named, sample=sample)))
    if len(positions) > MAX_LISTED:
        count = len(positions) - MAX_LISTED
        problems.append(Problem(source, None, None, None,
                                t("datum_more_features", count=count, first=t(f"datum_kind_{kind}"))))
    return problems


def check_coordinates(geometries, source_name: str, ids=None, numbers=None, by_row: bool = False,
                      names=None) -> list[Problem]:
    """Refuse coordinates in metres, with latitude and longitude swapped, or outside China.

    When a kind of problem affects more than half of the features, one problem names
    the whole file (``row`` None); otherwise each feature is named (``row`` is its
    number in ``numbers``, else its position, 1-based), up to :data:`MAX_LISTED`, then
    one summary. None, empty and NaN geometries are ignored.

    Parameters
    ----------
    geometries : sequence of shapely geometries, or a dict / GeoSeries (values are used)
    source_name : str
        The file name the problems refer to.
    ids : sequence, optional
        Feature ids, named in per-feature messages.
    numbers : sequence of int, optional
        Each geometry's number as the person counts it in the file (a feature's place in
        a GeoJSON, a row's line in a spreadsheet), when some of the file's rows are not here.
    by_row : bool
        The numbers are a spreadsheet's rows ("第 5 行"), not features ("第 5 个要素").
    names : sequence, optional
        What the person calls each place, named instead of its id where not blank: for a
        file whose ids were made by the program, which the person has never seen.

    Examples
    --------
    >>> from shapely import Point
    >>> [p] = check_coordinates([Point(12726000, 3485000)], "compounds.geojson")
    >>> p.row is None, "EPSG:4326" in p.zh
    (True, True)
    >>> check_coordinates([Point(114.32, 29.84), None], "compounds.geojson")
    []
    >>> ok = [Point(114.3, 29.8)] * 3
    >>> [p] = check_coordinates(ok + [Point(29.8, 114.3)], "list.csv", numbers=[2, 3, 5, 6], by_row=True)
    >>> p.row, p.zh[:6]
    (6, '第 6 行的')
    >>> [p] = check_coordinates(ok + [Point(2.35, 48.85)], "list.csv", ids=["a", "b", "c", "XQ-1f"],
    ...                         names=[None, None, None, "外地小区"], by_row=True)
    >>> p.zh[:14]
    '第 4 行（外地小区）的坐标'
    """
    array = _as_array(geometries)
    kinds = classify_coordinates(array)
    total = int((kinds != "empty").sum())
    problems: list[Problem] = []
    for kind in _REFUSED:
        positions = np.flatnonzero(kinds == kind)
        if len(positions) * 2 > total:
            problems.append(_file_problem(source_name, kind, positions, array, total))
        elif len(positions):
            problems += _feature_problems(source_name, kind, positions, array, ids, numbers, by_row, names)
    return problems


# ---------------------------------------------------------------- guessing the datum


def _by_id(geometries) -> dict:
    """id → geometry from a dict, a (Geo)Series indexed by id, or a sequence (ids are positions)."""
    items = geometries.items() if hasattr(geometries, "items") else enumerate(geometries)
    return {str(key): geometry for key, geometry in items}


def _present(geometry) -> bool:
    return geometry is not None and not shapely.is_empty(geometry)


def matched_ids(new, reference) -> list[str]:
    """Ids with a non-empty geometry in both ``new`` and ``reference`` (dicts or Series by id).

    >>> from shapely import Point
    >>> matched_ids({"a": Point(0, 0), "b": None}, {"a": Point(1, 1), "b": Point(1, 1), "c": Point(2, 2)})
    ['a']
    """
    new, reference = _by_id(new), _by_id(reference)
    return [key for key, geometry in new.items() if _present(geometry) and _present(reference.get(key))]


def _xy(geometries) -> np.ndarray:
    return shapely.get_coordinates(np.asarray(geometries, dtype=object))


def metres_between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distances in metres between lon/lat rows of ``a`` and ``b`` (equirectangular: within 0.5 % below
    a few hundred kilometres, enough to tell a datum shift or a slip of the hand).

    >>> round(float(metres_between(np.array([[114.3, 29.8]]), np.array([[114.3, 29.81]]))[0]))
    1112
    """
    lat = np.radians((a[:, 1] + b[:, 1]) / 2)
    dx = np.radians(a[:, 0] - b[:, 0]) * np.cos(lat)
    dy = np.radians(a[:, 1] - b[:, 1])
    return EARTH_RADIUS_M * np.hypot(dx, dy)


def match_residuals(new, reference) -> dict[str, float]:
    """Median distance in metres, per datum, between ``new`` read in that datum and ``reference``.

    ``reference`` is in WGS-84; both are dicts or Series keyed by id. Centroids are
    compared: they move with the geometry and little when a shape is redrawn.
    Empty when no id matches.

    Examples
    --------
    >>> from shapely import Point
    >>> res = match_residuals({"a": Point(114.32, 29.84)}, {"a": Point(114.32, 29.84)})
    >>> res["wgs84"], res["gcj02"] > 300
    (0.0, True)
    """
    ids = matched_ids(new, reference)
    if not ids:
        return {}
    new, reference = _by_id(new), _by_id(reference)
    points = shapely.centroid(np.asarray([new[key] for key in ids], dtype=object))
    target = _xy(shapely.centroid(np.asarray([reference[key] for key in ids], dtype=object)))
    return {datum: float(np.median(metres_between(_xy(to_wgs84(points, datum)), target)))
            for datum in DATUMS}


def _decisive(scores: dict[str, float]) -> str | None:
    best, second = sorted(scores, key=scores.get)[:2]
    low, high = scores[best], scores[second]
    clear = low <= MAX_RESIDUAL_M and high >= max(SEPARATION * low, low + MIN_GAP_M)
    return best if clear else None


def guess_datum(new, reference) -> tuple[str | None, float]:
    """Which datum brings ``new`` onto ``reference`` (WGS-84) for the same ids.

    Returns
    -------
    (datum, residual)
        The datum whose median residual is at most :data:`MAX_RESIDUAL_M` and clearly
        below every other's (:data:`SEPARATION` times and :data:`MIN_GAP_M` metres),
        with that residual in metres; (None, best residual) when no datum fits
        clearly; (None, nan) when no id matches.

    Examples
    --------
    >>> from shapely import Point
    >>> from geo.io.datum_convert import wgs84_to_bd09
    >>> stored = {"S1": Point(114.31, 29.84)}
    >>> datum, residual = guess_datum({"S1": Point(*wgs84_to_bd09(114.31, 29.84))}, stored)
    >>> datum, residual < 1
    ('bd09', True)
    >>> guess_datum({"S9": Point(114.31, 29.84)}, stored)
    (None, nan)
    """
    scores = match_residuals(new, reference)
    if not scores:
        return None, math.nan
    return _decisive(scores), min(scores.values())


def _as_area(area):
    if isinstance(area, shapely.Geometry):
        return area
    return shapely.union_all(np.asarray(list(area), dtype=object))


def count_inside(new, area) -> dict[str, int]:
    """Per datum, how many of ``new``'s features fall inside ``area`` once converted to WGS-84.

    >>> from shapely import Point, box
    >>> count_inside([Point(114.32, 29.84)], box(114.316, 29.8, 114.33, 29.9))
    {'wgs84': 1, 'gcj02': 0, 'bd09': 0}
    """
    geometries = [g for g in _by_id(new).values() if _present(g)]
    area = _as_area(area)
    points = shapely.point_on_surface(np.asarray(geometries, dtype=object))
    shapely.prepare(area)
    counts = {}
    for datum in DATUMS:
        xy = _xy(to_wgs84(points, datum)).reshape(-1, 2)
        counts[datum] = int(shapely.contains_xy(area, xy[:, 0], xy[:, 1]).sum())
    return counts


def guess_datum_by_area(new, area) -> tuple[str | None, float]:
    """Which datum puts the most features inside the city or district boundary ``area``.

    A weaker hint than :func:`guess_datum`: datums differ by a few hundred metres, so
    only features near the boundary tell them apart. Decisive only when the best
    datum has at least :data:`MIN_AREA_SHARE` of the features inside and
    :data:`MIN_AREA_GAIN` (or 1 %) more than any other.

    Returns
    -------
    (datum, share)
        The datum, or None when not decisive, and the share of features inside for
        the best datum (nan when there is nothing to count).

    Examples
    --------
    >>> from shapely import Point, box
    >>> guess_datum_by_area([Point(114.32, 29.84)], box(114, 29, 115, 31))
    (None, 1.0)
    """
    area = _as_area(area)
    total = sum(1 for g in _by_id(new).values() if _present(g))
    if total == 0 or shapely.is_empty(area):
        return None, math.nan
    counts = count_inside(new, area)
    best, second = sorted(counts, key=counts.get, reverse=True)[:2]
    gain = counts[best] - counts[second]
    clear = counts[best] >= MIN_AREA_SHARE * total and gain >= max(MIN_AREA_GAIN, math.ceil(0.01 * total))
    return (best if clear else None), counts[best] / total


def to_wgs84(geometries, datum: str):
    """Convert geometries from ``datum`` (one of :data:`DATUMS`) to WGS-84.

    Returns an array, or a GeoSeries in EPSG:4326 with the same index when given a GeoSeries.

    Examples
    --------
    >>> from shapely import Point
    >>> [p] = to_wgs84([Point(114.3254, 29.8375)], "gcj02")
    >>> round(p.x, 3), round(p.y, 3)
    (114.32, 29.84)
    """
    if datum not in DATUMS:
        raise ValueError(f"datum must be one of {DATUMS}, not {datum!r}")
    converted = convert_geometries(np.asarray(list(geometries), dtype=object), datum, "wgs84")
    if isinstance(geometries, gpd.GeoSeries):
        return gpd.GeoSeries(converted, index=geometries.index, crs="EPSG:4326")
    return converted


# ---------------------------------------------------------------- putting it together


class _Evidence(NamedTuple):
    """What the stored geometries with the same ids say."""

    guess: str | None
    scores: dict[str, float]
    count: int


def _gather_evidence(usable: dict, reference) -> _Evidence:
    if reference is None:
        return _Evidence(None, {}, 0)
    scores = match_residuals(usable, reference)
    if not scores:
        return _Evidence(None, {}, 0)
    return _Evidence(_decisive(scores), scores, len(matched_ids(usable, reference)))


def _disagrees(evidence: _Evidence, datum: str) -> bool:
    return (evidence.guess is not None and evidence.guess != datum
            and evidence.scores[datum] >= MISMATCH_M)


def _converted(datum: str) -> Text:
    return t("datum_read_as_is" if datum == "wgs84" else "datum_converted")


def _parse_choice(chosen) -> str | None:
    if chosen is None:
        return None
    datum = parse_datum(chosen)
    if datum not in DATUMS:
        raise ValueError(f"chosen datum must name one of {DATUMS}, not {chosen!r}")
    return datum


def _refuse_projected(source: str, name: str) -> Problem:
    return Problem(source, None, "crs", name, t("datum_projected", name=name))


def _mismatch_problem(source: str, declared: str, evidence: _Evidence) -> Problem:
    return Problem(source, None, "crs", declared, t(
        "datum_mismatch", said=datum_name(declared), found=datum_name(evidence.guess), count=evidence.count,
        off=evidence.scores[declared], fit=evidence.scores[evidence.guess]))


def _from_choice(chosen: str, declared: str | None, evidence: _Evidence) -> list[Notice]:
    notices = []
    if declared in DATUMS and declared != chosen:
        notices.append(t("datum_as_chosen", chosen=datum_name(chosen), declared=datum_name(declared)))
    if _disagrees(evidence, chosen):
        notices.append(t("datum_chosen_looks_other", chosen=datum_name(chosen), found=datum_name(evidence.guess),
                         count=evidence.count, off=evidence.scores[chosen], fit=evidence.scores[evidence.guess]))
    return notices


def _from_declaration(declared: str) -> Notice:
    return t("datum_declared", datum=datum_name(declared), how=_converted(declared))


def _from_references(evidence: _Evidence) -> Notice:
    datum = evidence.guess
    return t("datum_by_references", count=evidence.count, datum=datum_name(datum),
             residual=evidence.scores[datum], how=_converted(datum))


def _from_area(datum: str, share: float) -> Notice:
    return t("datum_by_area", datum=datum_name(datum), share=share, how=_converted(datum))


def _by_default(declared: str | None) -> Notice:
    lead = t("datum_none_declared" if declared is None else "datum_not_told")
    return t("datum_by_default", lead=lead, gcj02=datum_name("gcj02"), bd09=datum_name("bd09"))


def _unknown_declared(name: str) -> Notice:
    return t("datum_unknown_declared", name=name)


def _guess(usable: dict, evidence: _Evidence, area, declared, hint) -> tuple[str, Notice]:
    if evidence.guess is not None:
        return evidence.guess, _from_references(evidence)
    if hint is not None:
        return hint
    datum, share = guess_datum_by_area(usable, area) if area is not None and usable else (None, math.nan)
    if datum is not None:
        return datum, _from_area(datum, share)
    return "wgs84", _by_default(declared)


def _is_unusable(kinds: np.ndarray) -> bool:
    total = int((kinds != "empty").sum())
    return int((kinds == "ok").sum()) * 2 < total


def resolve_datum(collection, new_geoms, reference_geoms=None, area=None, chosen=None,
                  source_name: str = "", hint: tuple[str, Notice] | None = None, numbers=None,
                  by_row: bool = False, names=None) -> tuple[str | None, list[Problem], list[Notice]]:
    """Decide the datum of an uploaded layer and report what stops it or what the user should know.

    Precedence: ``chosen`` (any name :func:`parse_datum` knows), then the file's ``crs``
    member, then :func:`guess_datum` against ``reference_geoms``, then
    ``hint`` (what the file says of itself in words, e.g. a column saying 高德), then
    :func:`guess_datum_by_area` against ``area``, then WGS-84 with a notice.

    Parameters
    ----------
    collection : dict or None
        The parsed GeoJSON (only its ``crs`` member is read).
    new_geoms : dict, (Geo)Series indexed by id, or sequence
        The uploaded geometries, as read from the file.
    reference_geoms : dict or (Geo)Series indexed by id, optional
        Geometries already stored (WGS-84) for the same ids.
    area : shapely geometry or sequence of polygons, optional
        The city or district boundary (WGS-84).
    chosen : str, optional
        The user's explicit choice; raises ValueError when it names no datum.
    source_name : str
        The file name the problems refer to.
    hint : (datum, notice), optional
        The datum the file's words name and the notice saying why it is likely.
    numbers, by_row, names : optional
        How the person counts and calls ``new_geoms`` in the file, as :func:`check_coordinates` takes them.

    Returns
    -------
    (datum, problems, notices)
        ``datum`` is one of :data:`DATUMS`, or None when the layer cannot be used as it is
        (declared projected, or most coordinates in metres, swapped or outside China).
        ``problems`` stop the upload: per-feature ones have a ``row`` (see ``numbers``),
        the others name the whole file, including a declared datum that stored
        geometries contradict. ``notices`` (:class:`Notice`, zh and en) inform only.

    Examples
    --------
    >>> from shapely import Point
    >>> resolve_datum(None, [Point(114.32, 29.84)], chosen="高德")
    ('gcj02', [], [])
    >>> datum, problems, [notice] = resolve_datum(None, [Point(114.32, 29.84)])
    >>> datum, notice.zh.split("；")[0]
    ('wgs84', '文件未声明坐标系，已按 WGS-84 处理')
    """
    new = _by_id(new_geoms)
    kinds = classify_coordinates(list(new.values()))
    ids = list(new) if hasattr(new_geoms, "items") else None
    problems = check_coordinates(list(new.values()), source_name, ids=ids, numbers=numbers, by_row=by_row,
                                 names=names)
    declared, chosen = declared_datum(collection or {}), _parse_choice(chosen)
    if declared == PROJECTED and chosen is None:
        if int((kinds == "metres").sum()) * 2 <= int((kinds != "empty").sum()):
            problems.append(_refuse_projected(source_name, declared_name(collection)))
        return None, problems, []
    if _is_unusable(kinds):
        return None, problems, []
    usable = {key: g for (key, g), kind in zip(new.items(), kinds) if kind == "ok"}
    evidence = _gather_evidence(usable, reference_geoms)
    if chosen is not None:
        return chosen, problems, _from_choice(chosen, declared, evidence)
    if declared in DATUMS:
        if _disagrees(evidence, declared):
            problems.append(_mismatch_problem(source_name, declared, evidence))
        return declared, problems, [_from_declaration(declared)]
    notices = [_unknown_declared(declared_name(collection))] if declared == UNKNOWN else []
    datum, notice = _guess(usable, evidence, area, declared, hint)
    return datum, problems, notices + [notice]


# ---------------------------------------------------------------- a whole list off the rest of the city

DOUBT_SAMPLE = 5_000  # points compared at most (evenly spread over the file): shares within 1 %, fast at 100,000
DOUBT_MIN_POINTS = 3  # fewer points tell nothing
DOUBT_MIN_GAIN = 3  # another datum puts at least this many more points in their zone ...
DOUBT_GAIN_SHARE = 0.03  # ... and this share of the points ...
DOUBT_GAIN_RATIO = 3.0  # ... and this many times as many as it puts out of them ...
DOUBT_SHARE_GAP = 0.05  # ... and the share inside grows by this much
DOUBT_NEAR_M = 150.0  # under another datum the points sit this near the stored places (median) ...
DOUBT_NEAR_GAP_M = 100.0  # ... and this much nearer than as read ...
DOUBT_NEAR_RATIO = 2.0  # ... and at most half as far
METRES_PER_DEGREE = 111_320.0


class DatumDoubt(NamedTuple):
    """Another datum fits the city's other places or zones clearly better than the one the upload was read in.

    ``inside`` and ``inside_read`` are the shares of points inside their zone (their own zone when the
    file names it, else any zone) under ``datum`` and as read (nan without zones); ``metres`` and
    ``metres_read`` the median distances to the nearest stored place of another id (nan without places).
    """

    datum: str
    read: str
    count: int
    inside: float
    inside_read: float
    metres: float
    metres_read: float
    by_zones: bool = False  # the zones' measure favours ``datum`` on its own
    by_places: bool = False  # the places' measure does


def _geometry_array(geometries) -> np.ndarray:
    """Shapely geometries (or None, NaN) as an array of objects, NaN as None."""
    array = np.asarray(list(geometries), dtype=object)
    return np.where([isinstance(g, shapely.Geometry) for g in array], array, None) if len(array) else array


def _all_present(shapes: np.ndarray) -> np.ndarray:
    return ~shapely.is_missing(shapes) & ~shapely.is_empty(shapes)


def _sample(count: int, limit: int = DOUBT_SAMPLE) -> np.ndarray:
    return np.arange(count) if count <= limit else np.linspace(0, count - 1, limit).round().astype(int)


def _read_as(xy: np.ndarray, datum: str) -> np.ndarray:
    """Lon/lat rows as read, taken to be in ``datum``, in WGS-84."""
    if datum == "wgs84":
        return xy
    converter = gcj02_to_wgs84 if datum == "gcj02" else bd09_to_wgs84
    lon, lat = converter(xy[:, 0], xy[:, 1])
    return np.column_stack([lon, lat])


def _local_metres(xy: np.ndarray, latitude: float) -> np.ndarray:
    """Lon/lat rows in metres east and north (equirectangular at ``latitude``: within 1 % across a city)."""
    return xy * np.array([METRES_PER_DEGREE * math.cos(math.radians(latitude)), METRES_PER_DEGREE])


def _inside_zones(points: np.ndarray, tree: shapely.STRtree, own: np.ndarray) -> np.ndarray:
    """Whether each point falls in its own zone (``own``, a zone's position) or, when it names none (-1), any."""
    where, zone = tree.query(points, predicate="within")
    inside = np.zeros(len(points), dtype=bool)
    matches = (own[where] < 0) | (own[where] == zone)
    inside[where[matches]] = True
    return inside


def _zones_favour(inside: dict[str, np.ndarray], read: str, other: str) -> bool:
    gain = int((inside[other] & ~inside[read]).sum())
    loss = int((inside[read] & ~inside[other]).sum())
    count = len(inside[read])
    return (gain >= max(DOUBT_MIN_GAIN, DOUBT_GAIN_SHARE * count) and gain >= DOUBT_GAIN_RATIO * loss
            and (gain - loss) / count >= DOUBT_SHARE_GAP)


def _places_favour(metres: dict[str, float], read: str, other: str) -> bool:
    near, far = metres[other], metres[read]
    return near <= DOUBT_NEAR_M and far >= near + DOUBT_NEAR_GAP_M and far >= DOUBT_NEAR_RATIO * near


def datum_doubt(geometries, read: str, places=(), zones=(), own_zone=None) -> DatumDoubt | None:
    """Whether the upload's positions fit the city clearly better in another datum than in ``read``: the doubt
    of :func:`datum_compared`."""
    return datum_compared(geometries, read, places, zones, own_zone)[0]


def datum_compared(geometries, read: str, places=(), zones=(), own_zone=None) -> tuple[DatumDoubt | None, bool | None]:
    """Whether the upload's positions fit the city clearly better in another datum than in ``read``, and whether
    the city confirms ``read`` (it fits clearly better than every other datum; None: nothing to compare with).

    A list picked on Amap (GCJ-02) read as WGS-84 sits 300–600 m off the rest of the city: its places
    fall outside their zones near the zones' edges, and miss the stored places they stand beside. Each
    datum's reading is compared with the city's ``zones`` (the share of points inside their own zone,
    ``own_zone``, or any zone) and with its other stored ``places`` (the median distance to the nearest).
    Another datum is named only when one measure favours it clearly and the other does not favour
    ``read`` (see the ``DOUBT_*`` thresholds); with no zones and no places there is nothing to compare.

    Parameters
    ----------
    geometries : sequence of shapely geometries
        The upload's positions as read from the file (not converted).
    read : str
        The datum the upload is read in (chosen, declared or guessed), one of :data:`DATUMS`.
    places : sequence of shapely geometries
        Stored places (WGS-84) of other ids than the upload's.
    zones : sequence of polygons
        The city's zones (WGS-84).
    own_zone : sequence of int, optional
        Per geometry, the position in ``zones`` of the zone the file puts it in, -1 for none.

    Returns
    -------
    tuple of DatumDoubt or None, and bool or None

    Examples
    --------
    >>> from shapely import Point, box
    >>> from geo.io.datum_convert import wgs84_to_gcj02
    >>> true = [Point(114.30 + i / 100, 29.83 + (i % 7) / 100) for i in range(20)]
    >>> picked_on_amap = [Point(*wgs84_to_gcj02(p.x, p.y)) for p in true]
    >>> doubt, _ = datum_compared(picked_on_amap, "wgs84", places=[p.buffer(0.0003) for p in true])
    >>> doubt.datum, round(doubt.metres), doubt.metres_read > 300
    ('gcj02', 0, True)
    >>> datum_compared(true, "wgs84", places=[p.buffer(0.0003) for p in true])  # beside the stored places
    (None, True)
    >>> far = [p.buffer(0.0003) for p in (Point(114.2, 29.7), Point(114.25, 29.72), Point(114.5, 29.9))]
    >>> datum_compared(true, "wgs84", places=far), datum_compared(true, "wgs84")  # too far to tell; nothing
    ((None, False), (None, None))
    """
    shapes = _geometry_array(geometries)
    present = _all_present(shapes)
    if present.sum() < DOUBT_MIN_POINTS or read not in DATUMS:
        return None, None
    own = np.full(len(shapes), -1) if own_zone is None else np.asarray(own_zone, dtype=int)
    chosen = np.flatnonzero(present)[_sample(int(present.sum()))]
    xy, own = _xy(shapely.point_on_surface(shapes[chosen])), own[chosen]
    zones = _geometry_array(zones)
    zones = zones[_all_present(zones)]
    zones = zones[np.isin(shapely.get_type_id(zones), (3, 6))]  # polygons: a zone drawn as a point holds nothing
    places = _geometry_array(places)
    places = places[_all_present(places)]
    if not len(zones) and len(places) < DOUBT_MIN_POINTS:
        return None, None
    latitude = float(np.median(xy[:, 1]))
    positions = {datum: _read_as(xy, datum) for datum in DATUMS}
    inside: dict[str, np.ndarray] = {}
    if len(zones):
        zone_tree = shapely.STRtree(zones)
        inside = {d: _inside_zones(shapely.points(p), zone_tree, own) for d, p in positions.items()}
    metres: dict[str, float] = {}
    if len(places) >= DOUBT_MIN_POINTS:
        place_tree = shapely.STRtree(shapely.transform(places, lambda c: _local_metres(c, latitude)))
        for datum, p in positions.items():
            _, distance = place_tree.query_nearest(shapely.points(_local_metres(p, latitude)), return_distance=True,
                                                   all_matches=False)
            metres[datum] = float(np.median(distance))
    def share(datum: str) -> float:
        return float(inside[datum].mean()) if inside else math.nan

    def favoured(better: str, worse: str) -> bool:
        return (bool(inside) and _zones_favour(inside, worse, better)) or (
            bool(metres) and _places_favour(metres, worse, better))

    likely = [d for d in DATUMS if d != read and favoured(d, read) and not favoured(read, d)]
    if not likely:
        return None, all(favoured(read, d) for d in DATUMS if d != read)
    # GCJ-02 read as WGS-84 may look better as BD-09 too, less so: the best fit is named
    best = min(likely, key=lambda d: (-share(d) if inside else 0.0, metres.get(d, 0.0)))
    return DatumDoubt(best, read, int(present.sum()), share(best), share(read), metres.get(best, math.nan),
                      metres.get(read, math.nan), bool(inside) and _zones_favour(inside, read, best),
                      bool(metres) and _places_favour(metres, read, best)), False
