"""Pack the places of a layer for the browser: compact, once per data version, cached by the browser.

A pack holds what never changes between two uploads: each place's id, name and
shape. Coordinates are rounded to a set precision (1e-5 degree, about a metre) and written as differences from the
previous vertex, each a variable-length run of URL-safe base-64 characters, so
a compound's vertex costs four to six characters instead of the thirty-odd of
GeoJSON. ``static/cmdmap/decode.js`` decodes it.

A pack says which format it is written in (``"v"``, :data:`PACK_FORMAT`); the
decoder refuses a pack of another format with an error in the browser's console
instead of drawing it wrong. The version is part of the pack's text, so of its
hash and file name: a new format never meets a file cached in the old one.

The statuses, tooltips and filters of a page are not in the pack; they travel
with each rerun (see :mod:`geo.maps.fastlayer`), so that a filter change re-sends a few
bytes per place and never the shapes.

Examples
--------
>>> encode_ints(np.array([0, 1, -1, 16, -17]))
'ACBgBhB'
>>> decode_ints('ACBgBhB').tolist()
[0, 1, -1, 16, -17]
>>> from shapely import Point
>>> frame = gpd.GeoDataFrame({"id": ["S1"], "name": ["工地"]}, geometry=[Point(114.3, 29.85)])
>>> p = pack_places(frame)
>>> p.ids.tolist(), json.loads(p.text)["rings"], json.loads(p.text)["v"] == PACK_FORMAT
(['S1'], [0], True)
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.io import convert_geometries

# The format packs are written in; static/cmdmap/decode.js reads this one only (its FORMAT). Change both
# whenever the decoder would read a pack differently.
PACK_FORMAT = 1

ALPHABET = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", dtype=np.uint8)
_DIGIT = {int(c): i for i, c in enumerate(ALPHABET)}


def encode_ints(values: np.ndarray, chunk: int = 500_000) -> str:
    """Signed integers as a string: zigzag, then 5 bits per character, the sixth bit saying 'more follows'.

    Encoded ``chunk`` values at a time: the index arrays of 3 million vertices at once took 250 MB.
    """
    values = np.asarray(values, dtype=np.int64)
    if len(values) > chunk:
        return "".join(_encode(values[start:start + chunk]) for start in range(0, len(values), chunk))
    return _encode(values)


def _encode(values: np.ndarray) -> str:
    if not len(values):
        return ""
    unsigned = ((values << 1) ^ (values >> 63)).astype(np.uint64)
    chunks = np.ones(len(unsigned), dtype=np.int64)
    for shift in range(5, 64, 5):
        over = (unsigned >> np.uint64(shift)) > 0
        if not over.any():
            break
        chunks += over
    if shift == 5:  # one character each (categories, small codes): no need to split
        return ALPHABET[unsigned].tobytes().decode("ascii")
    owner = np.repeat(np.arange(len(unsigned)), chunks)
    position = np.arange(chunks.sum()) - np.repeat(np.cumsum(chunks) - chunks, chunks)
    digits = (unsigned[owner] >> (5 * position).astype(np.uint64)) & np.uint64(31)
    digits = digits.astype(np.uint8) | np.where(position < chunks[owner] - 1, 32, 0).astype(np.uint8)
    return ALPHABET[digits].tobytes().decode("ascii")


def decode_ints(text: str) -> np.ndarray:
    """The inverse of :func:`encode_ints` (the browser has its own; this one is for tests)."""
    out, value, shift = [], 0, 0
    for char in text.encode("ascii"):
        digit = _DIGIT[char]
        value |= (digit & 31) << shift
        shift += 5
        if not digit & 32:
            out.append(-((value + 1) >> 1) if value & 1 else value >> 1)
            value, shift = 0, 0
    return np.array(out, dtype=np.int64)


def encode_ids(ids: np.ndarray) -> list[str] | dict:
    """Ids as a list, or, when they are one prefix and a number (XA-C00001 …), as the prefix, the width
    of the number and the numbers' differences: a tenth of the bytes for 100,000 compounds.

    >>> encode_ids(np.array(["XA-C0001", "XA-C0002", "XA-C0010"]))
    {'prefix': 'XA-C', 'width': 4, 'n': 'CCQ'}
    >>> encode_ids(np.array(["A1", "B2"]))
    ['A1', 'B2']
    """
    parts = pd.Series(ids, dtype=object).astype(str).str.extract(r"^(\D*)(\d{1,15})$")
    if not len(ids) or parts[0].isna().any() or parts[0].nunique() != 1:
        return [str(i) for i in ids]
    digits = parts[1]
    lengths = digits.str.len()
    if lengths.nunique() == 1:
        width = int(lengths.iloc[0])
    elif not (digits.str.startswith("0") & (lengths > 1)).any():
        width = 0
    else:
        return [str(i) for i in ids]
    numbers = digits.astype(np.int64).to_numpy()
    return {"prefix": str(parts[0].iloc[0]), "width": width,
            "n": encode_ints(np.diff(numbers, prepend=np.int64(0)))}


@dataclass(frozen=True)
class Pack:
    """What the browser fetches as a file: a layer's places (``text`` the JSON, ``ids`` their order), or of
    ``kind`` "fields" one tile's tooltip columns (:func:`geo.maps.fastlayer.layer_state`)."""

    ids: np.ndarray
    text: str
    digest: str
    kind: str = "places"

    def __post_init__(self):
        # numpy's own text, not Python strings: a million compounds' tiles and dots, each read back at a start
        # (geo/maps/kept.py), held two million of them, 120 MB; so 32 MB
        object.__setattr__(self, "ids", np.asarray(self.ids).astype(np.dtypes.StringDType()))

    @property
    def file_name(self) -> str:
        return f"{self.kind}-{self.digest}.json"


def json_pack(value, ids: np.ndarray | None = None, kind: str = "places") -> Pack:
    """``value`` as a :class:`Pack`'s JSON text, named by its digest.

    Every '<' is escaped (the text may be embedded in a script element), and the digest, hence the file
    name, covers the whole text.

    >>> json_pack([["1", "<b>"]], kind="fields").text, json_pack([1]).file_name
    ('[["1","\\\\u003cb>"]]', 'places-080a9ed428559ef60266.json')
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    ids = np.array([], dtype=object) if ids is None else ids
    return Pack(ids, text, text_digest(text), kind)


def text_digest(text: str) -> str:
    """The digest a pack of JSON ``text`` is named by (:attr:`Pack.file_name`)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def _ragged(polygons: np.ndarray) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Vertices of polygons and multipolygons with their ring, part and feature offsets (all as multipolygons)."""
    if not len(polygons):
        empty = np.zeros(1, dtype=np.int64)
        return np.zeros((0, 2)), (empty, empty, empty)
    kind, coords, offsets = shapely.to_ragged_array(polygons)
    if kind == shapely.GeometryType.POLYGON:  # one part each
        rings, features = offsets
        return coords, (rings, np.arange(len(features)), features)
    return coords, offsets


def _vertices(geometries: np.ndarray, precision: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per feature its ring count (0 for a point), per ring its vertex count, and the rounded vertices in
    feature order. Rings lose their closing vertex (the browser closes the path) and the vertices that
    rounding made equal; a ring left with fewer than three is not drawn."""
    scale = 10.0 ** precision
    n = len(geometries)
    types = shapely.get_type_id(geometries)
    pointlike = np.flatnonzero((types == 0) | (types == 4))
    polygonal = np.flatnonzero((types == 3) | (types == 6))
    # Offsets straight from GEOS: no Python object per part and ring (those cost 100,000 compounds 250 MB)
    coords, offsets = _ragged(geometries[polygonal])
    ring_offsets, part_rings, geom_parts = offsets
    n_rings = len(ring_offsets) - 1
    ring_part = np.repeat(np.arange(len(part_rings) - 1), np.diff(part_rings))
    ring_owner = polygonal[np.repeat(np.arange(len(geom_parts) - 1), np.diff(geom_parts))[ring_part]]
    coord_ring = np.repeat(np.arange(n_rings), np.diff(ring_offsets))
    q = np.round(coords * scale).astype(np.int64)
    keep = np.ones(len(q), dtype=bool)
    keep[np.flatnonzero(np.diff(coord_ring, append=-1) != 0)] = False  # each ring's closing vertex
    keep[1:] &= ~((q[1:] == q[:-1]).all(axis=1) & (coord_ring[1:] == coord_ring[:-1]))
    sizes = np.bincount(coord_ring[keep], minlength=n_rings)
    solid = sizes >= 3
    keep &= solid[coord_ring]
    ring_owner, sizes = ring_owner[solid], sizes[solid]
    # a point feature is its first point
    points, point_owner = shapely.get_parts(geometries[pointlike], return_index=True)
    _, first = np.unique(point_owner, return_index=True)
    point_xy = np.round(shapely.get_coordinates(points[first]) * scale).astype(np.int64)
    owners = np.concatenate([np.repeat(ring_owner, sizes), pointlike[point_owner[first]]])
    order = np.argsort(owners, kind="stable")  # rings keep their order within a feature
    xy = np.concatenate([q[keep], point_xy])[order]
    return np.bincount(ring_owner, minlength=n), sizes, xy


def pack_places(frame: gpd.GeoDataFrame, datum: str = "wgs84", precision: int = 5, labelled: bool = True) -> Pack:
    """Ids, names and shapes of ``frame`` (columns ``id`` and ``name``, WGS-84) for the fast layer.

    Shapes are converted to ``datum`` (the base map's) and rounded to ``precision``
    decimals of a degree; vertices that rounding merges are dropped (simplifying
    further saved 5 % of a compound's vertices for 40 % more time). Features with
    no usable shape are dropped. ``labelled=False`` leaves the ids and names out of the text (the
    :class:`Pack` still knows the ids): shapes nobody points at, whose statuses come by their order.
    """
    geometries = frame.geometry.to_numpy()
    if datum != "wgs84":
        geometries = convert_geometries(geometries, "wgs84", datum)
    geometries = np.asarray(geometries, dtype=object)
    usable = ~(shapely.is_missing(geometries) | shapely.is_empty(geometries))
    ids = frame["id"].astype(str).to_numpy()[usable]
    names = frame["name"].astype("string").fillna("").to_numpy(dtype=object)[usable] if "name" in frame \
        else ids
    geometries = geometries[usable]
    ring_counts, sizes, xy = _vertices(geometries, precision)
    drawable = (ring_counts > 0) | np.isin(shapely.get_type_id(geometries), (0, 4))
    if not drawable.all():  # polygons that rounded away entirely
        return pack_places(gpd.GeoDataFrame({"id": ids[drawable], "name": names[drawable]},
                                            geometry=frame.geometry.to_numpy()[usable][drawable],
                                            crs=frame.crs), datum, precision, labelled)
    deltas = np.diff(xy, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).reshape(-1)
    body = {"v": PACK_FORMAT, "q": precision, "ids": encode_ids(ids) if labelled else [],
            "names": [str(n) for n in names] if labelled else [],
            "rings": ring_counts.tolist(), "sizes": sizes.tolist(), "xy": encode_ints(deltas)}
    return json_pack(body, ids)  # its digest covers "v"


#: gzip's level for each kind of pack. Places are written once per data version and fetched by every visitor;
#: a tile's tooltip columns are written again for each filter and day, where level 6 took 1.9 s of a million
#: compounds' rerun and level 1 takes a fifth of that for files a third larger.
COMPRESS_LEVEL = {"places": 6, "fields": 1}


def compressed(pack: Pack) -> bytes:
    """The pack's text gzipped, as browsers fetch it (a third of the bytes, and no server compressing it again)."""
    return gzip.compress(pack.text.encode("utf-8"), compresslevel=COMPRESS_LEVEL.get(pack.kind, 6), mtime=0)


#: When each folder's old packs were last looked for (:func:`_forget_old_packs`).
_SWEPT: dict[Path, float] = {}

#: Seconds between two looks for a folder's old packs. Looking at each pack written (a nation's 257 tiles,
#: then a file of tooltip columns beside each) read the folder's thousands of files each time: 86 of a
#: million compounds' 145-second first page (py-spy).
SWEEP_EVERY = 600.0


def write_pack(pack: Pack, folder: Path, keep_seconds: float = 86400.0, sweep_every: float = SWEEP_EVERY) -> bool:
    """Write ``pack`` into ``folder`` (served as static files) unless it is there; forget old packs.

    Two files: ``places-<digest>.json`` and its gzipped copy ``….json.gz``. The app
    server would compress the plain file again for every visit (0.5 s for
    100,000 places); the ``.gz`` it sends as it is, and the browser unzips it.
    Returns False when the folder cannot be written (a read-only install): the
    caller then embeds the pack in the page instead.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        files = {folder / f"{pack.file_name}.gz": compressed, folder / pack.file_name: lambda p: p.text.encode("utf-8")}
        for target, make in files.items():
            if not target.exists():
                partial = folder / f".{target.name}.{os.getpid()}"
                partial.write_bytes(make(pack))
                os.replace(partial, target)  # whole or not at all, even with several app processes
            os.utime(target)
        _forget_old_packs(folder, keep_seconds, sweep_every)
        return True
    except OSError:
        return False


def _forget_old_packs(folder: Path, keep_seconds: float, sweep_every: float) -> None:
    """Remove the packs and tooltip columns of ``folder`` unused for ``keep_seconds``, at most once in
    ``sweep_every`` seconds (a pack in use is touched each time it is written again)."""
    now = time.time()
    if now - _SWEPT.get(folder, -np.inf) < sweep_every:
        return
    _SWEPT[folder] = now
    for old in (*folder.glob("places-*.json*"), *folder.glob("fields-*.json*")):
        if now - old.stat().st_mtime > keep_seconds:
            old.unlink(missing_ok=True)
