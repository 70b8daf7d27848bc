"""Places from a table: a CSV or Excel list of places with coordinate columns, as bureaus keep them.

A list exported from the bureau's records or picked on Amap has a name, perhaps an id and an
address, and its position in two columns (经度/纬度, lng/lat, x/y, in either order) or in one
cell ("114.32,29.85"), as decimal degrees or degrees-minutes-seconds. This module finds those
columns by their headers (or, failing that, by their values), reads the positions, puts
longitude first whatever the file's order (and says so), and gives every row an id: the
file's own when it has one, else one made from the place's name that stays the same when the
list is uploaded again. The result has the shape :func:`geo.io.read.read_layer` gives, so a
list goes through the same check, preview, import and undo as a GeoJSON layer.

Examples
--------
>>> csv = "poi_name,lat,lon\\n金桂花园,29.8421,114.3215\\n浮山小区,29.85,114.33\\n"
>>> places, problems = read_places(csv.encode("gb18030"), "compounds")
>>> places[["id", "name"]].values.tolist(), problems
([['XQ-342da0', '金桂花园'], ['XQ-41420f', '浮山小区']], [])
>>> places.geometry.iloc[0].coords[0]
(114.3215, 29.8421)
>>> places.attrs["columns"]
{'lat': 'lat', 'lon': 'lon', 'name': 'poi_name'}
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.domain import TABLES, Problem, Text, kinds, listing, t
from geo.io.export import to_csv_bytes, to_xlsx_bytes, unneutralise
from geo.io.read import (
    MAX_CELL_CHARS,
    MAX_ROWS,
    TooLarge,
    as_bytes,
    decode,
    is_xlsx,
    layer_counts,
    match_headers,
    parse_numbers,
    raw_rows,
    rows_wider_than_headers,
    short,
    totals_rows,
    without_bidi,
)

#: Where a position is: longitude, latitude, or both in one cell ("114.32,29.85").
LON, LAT, PAIR = "lon", "lat", "lonlat"
COORDINATES = (LON, LAT, PAIR)

# Headers are folded (NFKC, lower case, no spaces) before these are searched in them. A pair is looked
# for first: "经纬度" holds "纬度".
_PAIR_HEADER = re.compile(r"经纬度|位置|lnglat|lonlat|latlng|latlon|location|coord|geo(point)?$")
_COORDINATE_HEADER = re.compile(r"坐标")  # a pair unless it also says which axis (X坐标)
_LON_HEADER = re.compile(r"经度|东经|(?<![a-z])(lng|lon|long|longitude|x|jd)(?![a-z])")
_LAT_HEADER = re.compile(r"纬度|北纬|(?<![a-z])(lat|latitude|y|wd)(?![a-z])")

#: Headers that hold a file's own identifier of a place, when none is the table's id column.
ID_HEADERS = ("id", "序号", "编号", "代码", "code", "poi_id", "poiid", "uid", "osm_id", "adcode", "objectid", "fid")
#: Headers that hold a place's name, when none is the table's name column.
NAME_HEADERS = re.compile(r"名称|名字|^name$|_name$|^name_|title|^poi$|小区$|项目$|工地$|^名$")
#: Words in a file's headers or source column that say where its positions were picked.
DATUM_WORDS = (("gcj02", re.compile(r"高德|amap|gaode|autonavi|gcj|腾讯|qq地图")),
               ("bd09", re.compile(r"百度|baidu|bd09|bd-09")),
               ("wgs84", re.compile(r"wgs|gps|天地图|tianditu|cgcs|osm|openstreetmap")))

# Longitude and latitude of places in China: the two ranges do not overlap, so the order shows in the values.
_CHINA_LON = (73.0, 136.0)
_CHINA_LAT = (3.0, 54.0)


def _fold(text) -> str:
    return unicodedata.normalize("NFKC", str(text)).replace(" ", "").strip().lower()


def coordinate_role(header: str) -> str | None:
    """Which coordinate a header names: ``"lon"``, ``"lat"``, ``"lonlat"`` (both in one cell) or None.

    >>> [coordinate_role(h) for h in ["经度", "纬度（GCJ-02）", "经纬度", "lng_lat", "X坐标", "Y", "地址", "plate"]]
    ['lon', 'lat', 'lonlat', 'lonlat', 'lon', 'lat', None, None]
    """
    folded = _fold(header)
    if _PAIR_HEADER.search(folded):
        return PAIR
    lon, lat = bool(_LON_HEADER.search(folded)), bool(_LAT_HEADER.search(folded))
    if lon and lat:
        return PAIR
    return LON if lon else LAT if lat else PAIR if _COORDINATE_HEADER.search(folded) else None


def role_text(kind: str, role: str) -> Text:
    """What a role of the mapping step is called: a coordinate, or a column of the layer's table.

    >>> role_text("compounds", "lat").zh, role_text("compounds", "name").zh
    ('纬度', '小区名称')
    """
    return t(f"points_role_{role}") if role in COORDINATES else TABLES[kind].column(role).text


def roles(kind: str) -> tuple[str, ...]:
    """Every role a header can take in a list of ``kind``'s places, coordinates first.

    >>> roles("sites")[:5]
    ('lon', 'lat', 'lonlat', 'id', 'name')
    """
    return (*COORDINATES, *TABLES[kind].names)


# ------------------------------------------------------------------ reading one coordinate

_DMS = re.compile(r"""^(?P<pre>[nsew]|东经|西经|北纬|南纬)?
    (?P<deg>[+-]?\d+(?:\.\d+)?)(?:°|度|d|º)?
    (?:(?P<min>\d+(?:\.\d+)?)(?:'|′|分|m))?
    (?:(?P<sec>\d+(?:\.\d+)?)(?:"|″|′′|''|秒|s)?)?
    (?P<post>[nsew]|东经|西经|北纬|南纬|东|西|南|北)?$""", re.VERBOSE)
_NEGATIVE = ("s", "w", "西经", "南纬", "西", "南")
_LON_MARKS = ("e", "w", "东经", "西经", "东", "西")


def parse_degrees(text) -> tuple[float, str | None]:
    """A coordinate as decimal degrees, and the axis its letter names (``"lon"``, ``"lat"`` or None).

    Reads decimal degrees and degrees-minutes-seconds in the ways people write them; NaN when
    the text is none of these.

    >>> parse_degrees("114.3215")
    (114.3215, None)
    >>> parse_degrees("114°19'17.4\\"E")
    (114.3215, 'lon')
    >>> parse_degrees("北纬29度50分31.56秒")
    (29.8421, 'lat')
    >>> parse_degrees("S 33°52′")[0], parse_degrees("一百")[0]
    (-33.866667, nan)
    """
    if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA:
        return float("nan"), None
    folded = _fold(text).replace("″", '"').replace("′′", '"').replace("’", "'").replace("”", '"')
    match = _DMS.match(folded)
    if not match:
        return float("nan"), None
    parts = match.groupdict()
    degrees = float(parts["deg"])
    minutes = float(parts["min"] or 0)
    seconds = float(parts["sec"] or 0)
    if (parts["min"] or parts["sec"]) and ("." in parts["deg"] or minutes >= 60 or seconds >= 60):
        return float("nan"), None
    if parts["sec"] and not parts["min"]:
        return float("nan"), None  # "114 30" is two numbers, not degrees and seconds
    value = abs(degrees) + minutes / 60 + seconds / 3600
    mark = parts["pre"] or parts["post"]
    negative = degrees < 0 or str(parts["deg"]).startswith("-") or mark in _NEGATIVE
    axis = None if mark is None else LON if mark in _LON_MARKS else LAT
    return round(-value if negative else value, 6 if (parts["min"] or parts["sec"]) else 10), axis


def _degrees(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """:func:`parse_degrees` of a column: the numbers and the axes their letters name."""
    numbers = np.array(parse_numbers(values), dtype=float)  # a copy: the DMS cells are filled in below
    axes = np.full(len(values), None, dtype=object)
    other = np.isnan(numbers) & values.notna().to_numpy()
    for position in np.flatnonzero(other):
        numbers[position], axes[position] = parse_degrees(values.iloc[position])
    return numbers, axes


_PAIR_SEPARATOR = re.compile(r"\s*[,，;；|/、]\s*")


def split_pair(text) -> tuple[str, str] | None:
    """The two coordinates of one cell ("114.32,29.85", "114.32 29.85", "29°51'N, 114°19'E"), or None.

    >>> split_pair("114.32，29.85"), split_pair("114.32 29.85"), split_pair("114.32")
    (('114.32', '29.85'), ('114.32', '29.85'), None)
    """
    if text is None or text is pd.NA or (isinstance(text, float) and np.isnan(text)):
        return None
    cell = unicodedata.normalize("NFKC", str(text)).strip().strip("()[]（）")
    parts = _PAIR_SEPARATOR.split(cell)
    if len(parts) != 2:
        parts = cell.split()
    if len(parts) != 2 or not all(parts):
        return None
    return parts[0], parts[1]


# ------------------------------------------------------------------ which column is what


@dataclass(frozen=True)
class Columns:
    """Which header of a list holds what: the coordinates (:data:`COORDINATES`) and the table's columns."""

    roles: dict[str, str]
    """Role (``lon``, ``lat``, ``lonlat`` or a column name of the layer's table) to the header holding it."""
    headers: list[str]
    """Every header of the file, in order (for the mapping step's choices)."""
    found_by_values: bool = False
    """True when no header named the coordinates and they were recognised by their values."""


def _in(values: np.ndarray, bounds: tuple[float, float]) -> np.ndarray:
    return (values >= bounds[0]) & (values <= bounds[1])


def guess_columns(headers: list[str], body: pd.DataFrame, kind: str) -> Columns:
    """Which header holds what, by name first and, for the coordinates, by value when no name says.

    ``body`` holds the rows, one column per header (by position).

    >>> body = pd.DataFrame([["幸福里", "114.32,29.85", "3"]])
    >>> guess_columns(["小区名称", "位置", "序号"], body, "compounds").roles
    {'lonlat': '位置', 'name': '小区名称', 'id': '序号'}
    """
    roles: dict[str, str] = {}
    for header in headers:
        role = coordinate_role(header) if header else None
        if role and role not in roles:
            roles[role] = header
    if PAIR in roles and not _holds_pairs(body, headers, roles[PAIR]):
        roles.pop(PAIR)  # 坐标A / 坐标B: two columns of one number each, named like a pair; their values decide
    if PAIR in roles and (LON in roles or LAT in roles):
        if LON in roles and LAT in roles:
            roles.pop(PAIR)  # two columns say more than a cell called 坐标 that may be an address
        else:
            roles.pop(LON, None), roles.pop(LAT, None)
    found_by_values = False
    if not (PAIR in roles or (LON in roles and LAT in roles)):
        roles.pop(LON, None), roles.pop(LAT, None)
        roles.update(_coordinates_by_value(headers, body))
        found_by_values = bool(roles)
    taken = set(roles.values())
    mapping = match_headers([h for h in headers if h and h not in taken], TABLES[kind])
    for header, column in mapping.items():
        roles.setdefault(column, header)
    taken = set(roles.values())
    if "name" not in roles:
        name = next((h for h in headers if h and h not in taken and NAME_HEADERS.search(_fold(h))), None)
        if name:
            roles["name"] = name
            taken.add(name)
    if "id" not in roles:
        folded = {_fold(h): h for h in headers if h and h not in taken}
        own = next((folded[f] for f in ID_HEADERS if f in folded), None)
        if own:
            roles["id"] = own
    return Columns(roles, list(headers), found_by_values)


def _holds_pairs(body: pd.DataFrame, headers: list[str], header: str) -> bool:
    """Whether most filled cells of column ``header`` hold two numbers (a "lng,lat" cell), not one."""
    if header not in headers or headers.index(header) >= body.shape[1]:
        return False
    cells = body.iloc[:200, headers.index(header)].dropna()
    return cells.empty or np.mean([split_pair(v) is not None for v in cells]) > 0.5


def _coordinates_by_value(headers: list[str], body: pd.DataFrame) -> dict[str, str]:
    """Coordinate columns recognised by their values: degrees within China's ranges, or pairs in one cell."""
    sample = body.head(200)
    lon = lat = None
    for position, header in enumerate(headers):
        if not header or position >= sample.shape[1]:
            continue
        column = sample.iloc[:, position].dropna()
        if column.empty:
            continue
        pairs = [split_pair(v) for v in column]
        if all(p is not None for p in pairs):
            first = _degrees(pd.Series([p[0] for p in pairs]))[0]
            second = _degrees(pd.Series([p[1] for p in pairs]))[0]
            both = (_in(first, _CHINA_LON) & _in(second, _CHINA_LAT)) | (_in(first, _CHINA_LAT) & _in(second, _CHINA_LON))
            if both.mean() > 0.8:
                return {PAIR: header}
        numbers = _degrees(column)[0]
        if not np.isfinite(numbers).mean() > 0.8 or "." not in "".join(map(str, column.head(20))):
            continue  # whole numbers are counts or ids, not positions
        if lon is None and _in(numbers, _CHINA_LON).mean() > 0.8:
            lon = header
        elif lat is None and _in(numbers, _CHINA_LAT).mean() > 0.8:
            lat = header
    return {LON: lon, LAT: lat} if lon and lat else {}


# ------------------------------------------------------------------ positions


@dataclass(frozen=True)
class Positions:
    """Longitude and latitude of each row, and what was done to get them."""

    lon: np.ndarray
    lat: np.ndarray
    swapped: bool
    """True when the file had latitude where its headers said longitude (or first in a pair), and they were swapped."""


def has_coordinates(roles: Mapping[str, str]) -> bool:
    """Whether ``roles`` name a position: one cell holding both coordinates, or a column for each.

    >>> has_coordinates({"lon": "经度", "lat": "纬度"}), has_coordinates({"lon": "经度", "name": "名称"})
    (True, False)
    """
    return PAIR in roles or (LON in roles and LAT in roles)


def _nowhere(body: pd.DataFrame) -> Positions:
    """No row has a position: a list of places without coordinates (zones as names, leaders and phones)."""
    return Positions(np.full(len(body), np.nan), np.full(len(body), np.nan), False)


def read_positions(body: pd.DataFrame, columns: Columns) -> Positions:
    """Each row's longitude and latitude (NaN where a cell is blank or not a coordinate).

    In China longitudes (73–136) and latitudes (3–54) never overlap, so the order of each row is
    read from its values and letters; the rows whose order cannot be told follow the majority.

    >>> body = pd.DataFrame({"坐标": ["29.85,114.32", "29.80, 114.30"]})
    >>> p = read_positions(body, Columns({"lonlat": "坐标"}, ["坐标"]))
    >>> p.lon.tolist(), p.lat.tolist(), p.swapped
    ([114.32, 114.3], [29.85, 29.8], True)
    """
    roles = columns.roles
    if PAIR in roles:
        pairs = [split_pair(v) for v in body[roles[PAIR]]]
        first_text = pd.Series([p[0] if p else pd.NA for p in pairs], index=body.index, dtype=object)
        second_text = pd.Series([p[1] if p else pd.NA for p in pairs], index=body.index, dtype=object)
    else:
        first_text, second_text = body[roles[LON]], body[roles[LAT]]
    first, first_axis = _degrees(first_text)
    second, second_axis = _degrees(second_text)
    # the letters decide a row; else its values when they can only be one way round in China
    lettered_swap = (first_axis == LAT) | (second_axis == LON)
    lettered_keep = (first_axis == LON) | (second_axis == LAT)
    valued_swap = _in(first, _CHINA_LAT) & _in(second, _CHINA_LON)
    valued_keep = _in(first, _CHINA_LON) & _in(second, _CHINA_LAT)
    # outside China: a value beyond ±90 can only be a longitude
    valued_swap |= (np.abs(second) > 90) & (np.abs(first) <= 90)
    valued_keep |= (np.abs(first) > 90) & (np.abs(second) <= 90)
    swap = lettered_swap | (~lettered_keep & valued_swap)
    keep = lettered_keep | (~lettered_swap & valued_keep)
    undecided = ~swap & ~keep
    if undecided.any() and swap.sum() > keep.sum():
        swap |= undecided
    lon = np.where(swap, second, first)
    lat = np.where(swap, first, second)
    return Positions(lon, lat, bool(swap.sum() > keep.sum()))


def parse_position(text: str) -> tuple[float, float] | None:
    """(longitude, latitude) of one position typed or pasted by a person ("114.32,29.85", "29.85 114.32",
    "东经114°19′, 北纬29°51′"), in either order as :func:`read_positions` decides it; None when it is not one.

    >>> parse_position("29.85, 114.32"), parse_position("114.32，29.85"), parse_position("幸福里")
    ((114.32, 29.85), (114.32, 29.85), None)
    """
    body = pd.DataFrame({PAIR: [text]}, dtype=object)
    positions = read_positions(body, Columns({PAIR: PAIR}, [PAIR]))
    lon, lat = float(positions.lon[0]), float(positions.lat[0])
    if not (np.isfinite(lon) and np.isfinite(lat) and abs(lat) <= 90 and abs(lon) <= 180):
        return None
    return lon, lat


# ------------------------------------------------------------------ ids


def id_prefix(kind: str) -> str:
    """The prefix of the ids made for a kind's places that have none (its registry entry's, else its initials).

    >>> id_prefix("compounds"), id_prefix("sites")
    ('XQ', 'GD')
    """
    entry = next((k for k in kinds.KINDS.values() if k.layer == kind), None)
    return entry.id_prefix if entry and entry.id_prefix else kind[:2].upper()


def id_context(frame: pd.DataFrame) -> pd.Series | None:
    """What tells same-named places of a list apart when ids are made: its district, street or address column
    (the first that has any value), or None."""
    return next((frame[c] for c in ("district", "street", "address") if c in frame and frame[c].notna().any()), None)


def _id_keys(names: pd.Series, context: pd.Series | None, known: Mapping[str, str]) -> list[tuple[str, str]]:
    """Per place, what its made id stands for: a stored place's name, else the name and its context."""
    context = pd.Series("", index=names.index) if context is None else context.fillna("").astype(str)
    return [(name, "") if name in known else (name, where.strip())
            for name, where in zip(names.fillna("").astype(str).str.strip(), context)]


def make_ids(kind: str, names: pd.Series, context: pd.Series | None = None,
             known: Mapping[str, str] | None = None) -> pd.Series:
    """Ids for places that have none: a stored place's id when it is the only one of that name, else
    one made from the name (and ``context``, e.g. the district or address, telling same-named places apart).

    The same list uploaded again gets the same ids, whatever its order; places of the same name and
    context are numbered in the file's order (``-2``, ``-3``; :func:`repeated_places` finds them).

    >>> names = pd.Series(["幸福里", "幸福里", "龙潭社区"])
    >>> make_ids("compounds", names, known={"龙潭社区": "C0001"}).tolist()
    ['XQ-5c902b', 'XQ-5c902b-2', 'C0001']
    """
    prefix = id_prefix(kind)
    known = dict(known or {})
    ids, seen = [], {}
    for name, where in _id_keys(names, context, known):
        base = known.get(name) or f"{prefix}-{hashlib.sha1(f'{name}|{where}'.encode()).hexdigest()[:6]}"
        seen[base] = seen.get(base, 0) + 1  # a stored place's name used twice in the list: the second is new
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return pd.Series(ids, index=names.index, dtype="string")


def repeated_places(names: pd.Series, context: pd.Series | None = None,
                    known: Mapping[str, str] | None = None) -> list[list[int]]:
    """The positions of places that :func:`make_ids` told apart only by numbering them: the same name (and
    context) more than once in the list, each group in the file's order. Often one place listed twice.

    >>> repeated_places(pd.Series(["幸福里", "龙潭社区", "幸福里"]))
    [[0, 2]]
    >>> repeated_places(pd.Series(["幸福里", "幸福里"]), pd.Series(["咸安区", "通山县"]))
    []
    """
    groups: dict[tuple[str, str], list[int]] = {}
    for position, key in enumerate(_id_keys(names, context, dict(known or {}))):
        if key[0]:
            groups.setdefault(key, []).append(position)
    return [positions for positions in groups.values() if len(positions) > 1]


def make_layer_ids(layer: gpd.GeoDataFrame, kind: str, known: Mapping[str, str] | None = None) -> gpd.GeoDataFrame:
    """A GeoJSON layer none of whose features has an id (see :func:`geo.io.read.read_layer`), with ids made as
    for a list without ids (:func:`make_ids`: stable, from the name and the district, street or address).

    >>> layer = gpd.GeoDataFrame({"id": [None, None], "name": ["幸福里", "龙潭社区"]}, geometry=[None, None])
    >>> make_layer_ids(layer, "compounds", known={"龙潭社区": "C0001"})["id"].tolist()
    ['XQ-5c902b', 'C0001']
    """
    layer = layer.copy()
    layer["id"] = make_ids(kind, layer["name"], id_context(layer), known).to_numpy()
    return layer


def layer_with_ids(data: bytes, ids: Mapping[int, str], column: str = "id") -> tuple[bytes, str]:
    """The uploaded GeoJSON with the ids it was given as each feature's ``column`` property: (bytes, 'geojson').

    ``ids`` maps feature numbers (1-based) to ids; features without one are left as they were.

    >>> data = json.dumps({"type": "FeatureCollection", "features": [
    ...     {"type": "Feature", "properties": {"name": "甲"}, "geometry": None}]}).encode()
    >>> json.loads(layer_with_ids(data, {1: "XQ-1"})[0])["features"][0]["properties"]
    {'id': 'XQ-1', 'name': '甲'}
    """
    collection = json.loads(decode(data))
    for number, feature in enumerate(collection.get("features", []), start=1):
        if number in ids and isinstance(feature, dict):
            properties = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
            feature["properties"] = {column: ids[number], **{k: v for k, v in properties.items() if k != column}}
    return json.dumps(collection, ensure_ascii=False).encode("utf-8"), "geojson"


def datum_hint(headers: list[str], body: pd.DataFrame) -> tuple[str, str] | None:
    """The datum a list's headers or a column of its cells name (a '来源' column saying 高德), and the word that
    says it.

    A column counts when most of its cells name a map platform, as a source column does; a name or an
    address that has the word ("百度云计算数据中心") says nothing of where the positions were picked.

    >>> datum_hint(["poi_name", "lat", "lon", "source"], pd.DataFrame([["a", "1", "2", "amap"]]))
    ('gcj02', 'amap')
    >>> datum_hint(["名称", "经度", "纬度"], pd.DataFrame([["a", "1", "2"]])) is None
    True
    >>> datum_hint(["名称", "经度", "纬度"], pd.DataFrame([["百度云数据中心", "1", "2"], ["六岭三期", "1", "2"]])) is None
    True
    """
    for datum, word in (_datum_word(_fold(h)) for h in headers if h):
        if datum:
            return datum, word
    for position in range(body.shape[1]):
        cells = body.iloc[:200, position].dropna().astype(str)
        found = [_datum_word(_fold(cell)) for cell in cells]
        named = [pair for pair in found if pair[0]]
        if named and len(named) * 2 > len(cells):  # a source or platform column, not names that have the word
            return max(set(named), key=named.count)
    return None


def _datum_word(text: str) -> tuple[str | None, str | None]:
    """The datum a text names and the word that names it ((None, None): none)."""
    for datum, words in DATUM_WORDS:
        found = words.search(text)
        if found:
            return datum, found.group(0)
    return None, None


# ------------------------------------------------------------------ the whole list


def _body(data: bytes, sheet, max_rows: int = MAX_ROWS) -> tuple[list[str], pd.DataFrame, int]:
    """Headers, rows (indexed by spreadsheet row number) and the header's row, of a CSV or .xlsx list."""
    raw = raw_rows(data, sheet, max_rows)
    top = next((i for i in range(min(10, len(raw)))
                if sum(isinstance(v, str) for v in raw.iloc[i].tolist()) >= 2), 0)
    headers = [str(h).strip() if isinstance(h, str) else "" for h in raw.iloc[top].tolist()] if len(raw) else []
    body = raw.iloc[top + 1:].copy()
    body.columns = headers if len(set(headers)) == len(headers) else [h or f"_{i}" for i, h in enumerate(headers)]
    body.index = np.arange(top + 2, top + 2 + len(body))
    return headers, body.loc[~body.isna().all(axis=1)], top


def _empty(kind: str) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({c: pd.Series(dtype="string") for c in TABLES[kind].names}, geometry=[], crs="EPSG:4326")


def read_places(source, kind: str, name: str | None = None, sheet=None, columns: Mapping[str, str] | None = None,
                known: Mapping[str, str] | None = None,
                max_rows: int = MAX_ROWS) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Read a CSV or .xlsx list of places of layer ``kind`` into points, as :func:`read_layer` reads GeoJSON.

    Parameters
    ----------
    source : path, bytes or file
        The list.
    kind : str
        The geometry layer (``compounds``, ``sites``, …).
    name : str, optional
        The file's name in messages.
    sheet : str or int, optional
        The sheet of an .xlsx (the first when not given).
    columns : mapping, optional
        Role to header, overriding the guess (:func:`guess_columns`): ``lon``, ``lat``, ``lonlat``
        or a column of the layer's table; an empty header takes the role away.
    known : mapping, optional
        Stored places' names to their ids: a list without ids keeps the ids of its places already stored.
    max_rows : int, optional
        A list of more rows is refused before it is parsed (the setting ``upload_max_rows``).

    Returns
    -------
    (places, problems)
        ``places`` has the layer's columns and point geometries in the file's datum (the check converts
        them); its ``attrs`` hold, as :func:`read_layer`'s do, ``feature_numbers`` (each row's spreadsheet
        row), ``carried`` and ``present``, and also ``columns`` (the roles used), ``headers``,
        ``ids_made`` (True when ids were made), ``swapped``, ``unplaced`` (rows without a position)
        and ``datum_hint``.
    """
    table = TABLES[kind]
    name = name or (str(source).rsplit("/", 1)[-1] if isinstance(source, str) else table.file)
    data = as_bytes(source)
    try:
        headers, body, top = _body(data, sheet, max_rows)
    except TooLarge as exc:
        return _empty(kind), [Problem(name, None, None, None, t("read_too_large", detail=short(exc)), fatal=True)]
    except Exception as exc:  # a broken file of any kind is a message, never a traceback
        return _empty(kind), [Problem(name, None, None, None, t("read_unreadable_table", detail=short(exc)),
                                      fatal=True)]
    totals = totals_rows(body)  # a list exported from Excel often ends with its sums: not a place
    body = body.loc[~totals]
    if body.empty:
        return _empty(kind), [Problem(name, None, None, None, t("read_empty"))]
    guessed = guess_columns(headers, body, kind)
    roles = dict(guessed.roles)
    for role, header in (columns or {}).items():
        if header:
            roles[role] = header
        else:
            roles.pop(role, None)
    used = Columns(roles, headers, guessed.found_by_values and not columns)
    problems = _column_problems(used, kind, name, top + 1)
    if problems:
        empty = _empty(kind)
        empty.attrs.update(columns=roles, headers=headers)
        return empty, problems
    positions = read_positions(body, used) if has_coordinates(roles) else _nowhere(body)
    frame = pd.DataFrame(index=body.index)
    for col in table.columns:
        header = roles.get(col.name)
        values = without_bidi(body[header]).str.strip() if header else pd.Series(pd.NA, index=body.index,
                                                                                    dtype="string")
        frame[col.name] = unneutralise(values.where(values != "", pd.NA))
    problems += _cell_problems(frame, roles, name)
    ids_made = "id" not in roles
    if ids_made:
        frame["id"] = make_ids(kind, frame["name"], id_context(frame), known)
    coordinate_headers = [roles[r] for r in COORDINATES if r in roles]
    placed = np.isfinite(positions.lon) & np.isfinite(positions.lat)
    given = body[coordinate_headers].notna().any(axis=1).to_numpy()
    for row in body.index[given & ~placed]:
        problems.append(_position_problem(body, row, roles, name))
    problems += rows_wider_than_headers(headers, body, name)
    for col in table.columns:
        if col.kind == "int":
            frame[col.name], count_problems = layer_counts(frame[col.name], roles.get(col.name, col.zh), name)
            problems += count_problems
    # every row is a place: one with no position is still to be placed (待定位, no geometry) and one with an
    # unreadable position is an error above
    points = np.where(placed, shapely.points(np.nan_to_num(positions.lon), np.nan_to_num(positions.lat)), None)
    places = gpd.GeoDataFrame(frame.reset_index(drop=True), geometry=points, crs="EPSG:4326")
    present = [c for c in table.names if c in roles or (c == "id" and ids_made)]
    places.attrs.update(
        feature_numbers=[int(r) for r in body.index],
        present=present, repaired={}, columns=roles, headers=headers, ids_made=ids_made, swapped=positions.swapped,
        found_by_values=used.found_by_values, unplaced=[int(r) for r in body.index[~given]],
        datum_hint=datum_hint(headers, body), totals=[int(r) for r in totals.index[totals]])
    places.attrs["carried"] = [frozenset(c for c, v in zip(present, values) if pd.notna(v))
                               for values in places[present].itertuples(index=False, name=None)]
    duplicated = places["id"].duplicated(keep=False) & ~ids_made
    for key, rows in places.loc[duplicated].groupby("id").groups.items():
        numbers = [places.attrs["feature_numbers"][i] for i in rows]
        problems.append(Problem(name, numbers[1], roles.get("id"), str(key),
                                t("points_duplicate_id", key=key, rows=listing([str(n) for n in numbers]))))
    return places, problems


def _position_problem(body: pd.DataFrame, row, roles: Mapping[str, str], name: str) -> Problem:
    """Why a row that gives a position has none: a longitude without its latitude (or the reverse) is said as
    such, naming the blank column, not as a good coordinate not understood; else the cells not understood."""
    headers = [roles[r] for r in COORDINATES if r in roles]
    filled = [h for h in headers if pd.notna(body.at[row, h]) and str(body.at[row, h]).strip()]
    if PAIR not in roles and len(filled) == 1:
        blank = next(h for h in headers if h not in filled)
        value = str(body.at[row, filled[0]]).strip()
        return Problem.of(name, int(row), blank, None, "points_half_position", given=filled[0], value=value,
                          missing=blank)
    cells = "，".join(str(body.at[row, h]) for h in filled)
    return Problem.of(name, int(row), "、".join(headers), cells, "points_not_a_position", value=cells)


def _column_problems(columns: Columns, kind: str, name: str, header_row: int) -> list[Problem]:
    """What stops the list from being read at all: no coordinates, no name, a header that is not in the file."""
    roles, headers = columns.roles, columns.headers
    shown = listing([h for h in headers if h][:12])
    problems = [Problem(name, header_row, header, None, t("points_no_such_header", header=header, headers=shown))
                for header in roles.values() if header not in headers]
    if problems:
        return problems
    if not (has_coordinates(roles) or TABLES[kind].listed):
        problems.append(Problem(name, header_row, None, None, t("points_no_coordinates", headers=shown)))
    if "name" not in roles:
        problems.append(Problem(name, header_row, None, None,
                                t("points_no_name", table=TABLES[kind].text, headers=shown)))
    return problems


def _cell_problems(frame: pd.DataFrame, roles: Mapping[str, str], name: str) -> list[Problem]:
    """Runaway cells: one limit for every way in (see :data:`geo.io.read.MAX_CELL_CHARS`)."""
    problems = []
    for column, header in roles.items():
        if column not in frame:
            continue
        lengths = frame[column].astype("string").str.len()
        for row in frame.index[(lengths > MAX_CELL_CHARS).fillna(False).to_numpy()]:
            problems.append(Problem.of(name, int(row), header, str(frame.at[row, column])[:40] + "…", "read_too_long",
                                       length=int(lengths[row]), limit=MAX_CELL_CHARS))
    return problems


def is_table(data: bytes) -> bool:
    """True when an upload is a table (CSV or .xlsx) rather than GeoJSON text.

    >>> is_table(b'{"type": "FeatureCollection"}'), is_table("名称,经度,纬度".encode("gb18030"))
    (False, True)
    """
    if is_xlsx(data):
        return True
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return not head.startswith((b"{", b"["))


def list_with_ids(data: bytes, ids: Mapping[int, str], header: Text, sheet=None,
                  max_rows: int = MAX_ROWS) -> tuple[bytes, str]:
    """The uploaded list with the ids it was given in a first column, in its own format: (bytes, extension).

    ``ids`` maps spreadsheet row numbers to ids; rows without one get a blank cell. ``max_rows``: as the list
    was read (:func:`read_places`).
    """
    headers, body, _ = _body(data, sheet, max_rows)
    column = header.zh if header.zh not in headers else f"{header.zh}（新）"
    body.insert(0, column, [ids.get(int(row), "") for row in body.index])
    body.columns = [column, *headers] if len(body.columns) == len(headers) + 1 else body.columns
    if is_xlsx(data):
        return to_xlsx_bytes(body.reset_index(drop=True)), "xlsx"
    return to_csv_bytes(body.reset_index(drop=True)), "csv"
