"""A feature's geometry as real files have it: repaired where the repair keeps the area, else skipped with why.

Files exported from OpenStreetMap, DataV or a GIS by hand carry rings that are not
closed, rings of two points, bow ties, shapes crossing themselves near one vertex,
collections mixing polygons with lines. :func:`feature_shape` reads the GeoJSON
geometry itself (so that a broken ring is named, not reported by the geometry
library) and says, by catalogue key, what it repaired or why the feature cannot
be used. A repair is kept only when the shape's area stays within
:data:`AREA_TOLERANCE` of the area the file draws; otherwise the feature is skipped
and the person is told why, rather than imported as something else.

Examples
--------
>>> ring = [[0, 0], [2, 0], [2, 2], [0, 2]]  # not closed
>>> shape = feature_shape({"type": "Polygon", "coordinates": [ring]})
>>> shape.geometry.area, shape.repaired, shape.skipped
(4.0, 'shape_fix_not_closed', None)
>>> feature_shape({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}).skipped
'shape_too_few_points'
>>> bow_tie = [[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]
>>> feature_shape({"type": "Polygon", "coordinates": [bow_tie]}).skipped
'shape_crossing'
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import shapely

from geo.domain import Text, join, ranges, t

# Beyond this no coordinate system in use has coordinates (Web Mercator reaches 2e7 m, a Gauss-Krüger
# easting with its zone number 4.6e7 m): such a number (1e308) is a typing or export error, not metres.
PROJECTED_LIMIT = 1e8

AREA_TOLERANCE = 0.01  # a repair may move the area by 1 %: a tiny loop cut off, never half a compound
NO_AREA = 1e-14  # square degrees, about a square centimetre: a ring of less encloses nothing (rounding, not land)


@dataclass(frozen=True)
class Shape:
    """A feature's geometry (None when it cannot be used), and the catalogue keys of what was done to it."""

    geometry: object | None
    skipped: str | None = None  # why the feature is left out (a ``shape_`` key)
    repaired: str | None = None  # what was repaired (a ``shape_fix_`` key)


class _Unusable(Exception):
    """A ring or position the feature cannot be drawn with; ``args[0]`` is the catalogue key saying why."""


def feature_shape(raw, keep: str | None = "Polygon") -> Shape:
    """The shapely geometry of a GeoJSON geometry object, repaired or refused as the module says.

    ``keep`` is the layer's geometry ("Polygon" or "Point"): of a GeometryCollection only
    members of that kind are kept.

    >>> feature_shape(None).skipped, feature_shape({"type": "Point", "coordinates": [1, "x"]}).skipped
    ('shape_no_geometry', 'shape_not_numbers')
    >>> feature_shape({"type": "Point", "coordinates": [114.3, 29.8]}).geometry.wkt
    'POINT (114.3 29.8)'
    """
    if not raw:
        return Shape(None, "shape_no_geometry")
    try:
        return _shape(raw, keep)
    except _Unusable as why:
        return Shape(None, str(why.args[0]))


def _shape(raw, keep: str | None) -> Shape:
    if not isinstance(raw, dict):
        raise _Unusable("shape_unreadable")
    kind, coordinates = raw.get("type"), raw.get("coordinates")
    if kind == "GeometryCollection":
        return _collection(raw.get("geometries"), keep)
    if kind in ("Polygon", "MultiPolygon"):
        if not isinstance(coordinates, list):
            raise _Unusable("shape_unreadable")
        return _polygons(coordinates if kind == "MultiPolygon" else [coordinates])
    if kind not in ("Point", "MultiPoint", "LineString", "MultiLineString"):
        raise _Unusable("shape_unreadable")
    _numbers(coordinates)
    try:
        geometry = shapely.from_geojson(json.dumps({"type": kind, "coordinates": coordinates}))
    except (shapely.errors.GEOSException, ValueError, TypeError):
        raise _Unusable("shape_unreadable") from None
    if geometry is None or geometry.is_empty:
        raise _Unusable("shape_empty")
    return Shape(geometry)


def _numbers(coordinates) -> None:
    """Every leaf of nested coordinate lists is a finite number (not text, not true/false, not NaN)."""
    stack = [coordinates]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, bool) or not isinstance(item, (int, float)) or not np.isfinite(item):
            raise _Unusable("shape_not_numbers")


def _ring(raw) -> tuple[np.ndarray | None, bool, bool]:
    """A ring's positions, closed, without repeated neighbours; whether it had to be closed; whether its
    own area is zero (on one line, or a symmetric bow tie: :func:`_encloses_nothing` tells them apart).

    None when it has fewer than three distinct points (it encloses nothing).
    """
    try:
        positions = np.asarray(raw)
    except (ValueError, TypeError):  # rows of different lengths
        raise _Unusable("shape_unreadable") from None
    if positions.size == 0:
        return None, False, True
    if positions.ndim != 2 or positions.shape[1] < 2:
        if positions.dtype.kind in "OUSb":
            raise _Unusable("shape_not_numbers")
        raise _Unusable("shape_unreadable")
    if positions.dtype.kind not in "iuf":  # text, true/false, null among the numbers
        raise _Unusable("shape_not_numbers")
    positions = positions[:, :2].astype(float, copy=False)
    if not np.isfinite(positions).all():
        raise _Unusable("shape_not_numbers")
    if (np.abs(positions) > PROJECTED_LIMIT).any():  # its area would overflow to nothing: say what is wrong
        raise _Unusable("shape_out_of_range")
    moved = np.concatenate(([True], (positions[1:] != positions[:-1]).any(axis=1)))
    positions = positions[moved]
    opened = bool((positions[0] != positions[-1]).any())
    if opened:
        positions = np.vstack([positions, positions[:1]])
    x, y = positions[:, 0], positions[:, 1]
    terms = x[:-1] * y[1:] - x[1:] * y[:-1]  # their sum is twice the ring's area
    if abs(terms.sum()) > 1e-12 * np.abs(terms).sum():  # clearly not zero, so three points at least
        return positions, opened, False
    if len(np.unique(positions, axis=0)) < 3:  # the slow count, only for rings of no area
        return None, False, True
    return positions, opened, True


def _polygons(polygons: list) -> Shape:
    """The polygons of a Polygon (one) or MultiPolygon, parts that enclose nothing left out."""
    parts, fixes, dropped = [], set(), None
    for rings in polygons:
        if not isinstance(rings, list):
            raise _Unusable("shape_unreadable")
        if not rings:
            continue
        shell, opened, flat = _ring(rings[0])
        holes = []
        for raw_hole in rings[1:]:
            hole, hole_opened, hole_flat = _ring(raw_hole)
            opened |= hole_opened
            if hole is None or (hole_flat and _encloses_nothing(hole)):
                fixes.add("shape_fix_degenerate_part")
            else:
                holes.append(hole)
        if shell is None:
            dropped = dropped or "shape_too_few_points"
            continue
        if flat and _encloses_nothing(shell):
            dropped = dropped or "shape_zero_area"
            continue
        parts.append(shapely.Polygon(shell, holes))
        if opened:
            fixes.add("shape_fix_not_closed")
    if not parts:
        raise _Unusable(dropped or "shape_empty")
    if dropped:
        fixes.add("shape_fix_degenerate_part")
    geometry = parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)
    return _valid(geometry, fixes)


def _encloses_nothing(ring: np.ndarray) -> bool:
    """All its points on one line (a bow tie's ring also adds up to no area, but encloses two triangles)."""
    kept = _polygonal(shapely.make_valid(shapely.Polygon(ring)))
    return kept is None or kept.area < NO_AREA


def _valid(geometry, fixes: set[str]) -> Shape:
    """The geometry as it is when valid; else repaired if that keeps its area, else refused."""
    if geometry.is_valid:
        return Shape(geometry, repaired=_first(fixes))
    why = _invalid_kind(geometry)
    repaired = _polygonal(shapely.make_valid(geometry))
    if repaired is None or repaired.area == 0:
        raise _Unusable("shape_unrepairable")
    # the area the file draws: the rings' own (a bow tie's is zero), or what buffer(0) makes of them
    drawn = (abs(geometry.area), shapely.buffer(geometry, 0).area)
    if not any(abs(repaired.area - area) <= AREA_TOLERANCE * max(repaired.area, area) for area in drawn):
        raise _Unusable("shape_crossing" if why == "shape_fix_crossing" else "shape_unrepairable")
    return Shape(repaired, repaired=_first({why} | fixes))


_ORDER = ("shape_fix_crossing", "shape_fix_overlap", "shape_fix_hole_outside", "shape_fix_not_closed",
          "shape_fix_collection", "shape_fix_collection_points", "shape_fix_degenerate_part", "shape_fix_invalid")


def _first(fixes: set[str]) -> str | None:
    """The repair to name when several were made: the one that changed most."""
    return next((key for key in _ORDER if key in fixes), None)


def _invalid_kind(geometry) -> str:
    """What makes a polygon invalid, as a ``shape_fix_`` key (the library's own words are never shown)."""
    reason = shapely.is_valid_reason(geometry)
    if geometry.geom_type == "MultiPolygon" and all(part.is_valid for part in geometry.geoms):
        return "shape_fix_overlap"  # each part is fine: they overlap or touch along an edge
    if reason.startswith(("Self-intersection", "Ring Self-intersection")):
        return "shape_fix_crossing"
    if reason.startswith("Hole lies outside shell"):
        return "shape_fix_hole_outside"
    if reason.startswith("Nested shells"):
        return "shape_fix_overlap"
    return "shape_fix_invalid"


def _polygonal(geometry):
    """The polygons of a geometry (what make_valid returns may hold lines and points too); None if none."""
    parts = [part for part in _simple_parts(geometry) if part.geom_type == "Polygon" and not part.is_empty]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def _simple_parts(geometry) -> list:
    if hasattr(geometry, "geoms"):
        return [simple for part in geometry.geoms for simple in _simple_parts(part)]
    return [geometry]


def _collection(members, keep: str | None) -> Shape:
    """A GeometryCollection (common in OSM and DataV exports): its polygons, or its points for a point layer."""
    if not isinstance(members, list):
        raise _Unusable("shape_unreadable")
    shapes = [feature_shape(member, keep) for member in members]
    usable = [shape for shape in shapes if shape.geometry is not None]
    if not usable:
        raise _Unusable(next((s.skipped for s in shapes if s.skipped), "shape_empty"))
    parts = [part for shape in usable for part in _simple_parts(shape.geometry)]
    wanted = [part for part in parts if part.geom_type == keep]
    if not wanted:
        return Shape(shapely.GeometryCollection(parts))  # nothing of the layer's kind: the upload says so
    fixes = {shape.repaired for shape in usable if shape.repaired}
    if len(wanted) < len(parts) or len(usable) < len(shapes):
        fixes.add("shape_fix_collection" if keep == "Polygon" else "shape_fix_collection_points")
    if keep != "Polygon":
        return Shape(wanted[0] if len(wanted) == 1 else shapely.MultiPoint(wanted), repaired=_first(fixes))
    return _valid(wanted[0] if len(wanted) == 1 else shapely.MultiPolygon(wanted), fixes)


def shape_notices(repaired: list[tuple[int, str]], skipped: list[tuple[int, str]], kept: int) -> list[Text]:
    """What was repaired and what will be skipped, one sentence per kind of repair and one for the skipped.

    ``repaired`` and ``skipped`` hold (feature number, catalogue key); ``kept`` counts the features imported
    (with none kept, the skipped are no notice: the file is refused, and :func:`skipped_reasons` says why).

    >>> [n.zh for n in shape_notices([(3, "shape_fix_crossing"), (8, "shape_fix_crossing")],
    ...                              [(1, "shape_too_few_points"), (2, "shape_too_few_points"), (9, "shape_zero_area")],
    ...                              30)]
    ['已修复 2 个自相交的图形，面积不变：第 3、8 个要素。', '将跳过 3 个要素（少于三个不同的点，围不成面：第 1–2 个；面积为零：第 9 个），其余 30 个照常导入。']
    """
    notices = [t("shape_repaired", count=len(numbers), why=t(key), rows=ranges(numbers))
               for key, numbers in _by_key(repaired).items()]
    if skipped and kept:
        notices.append(t("shape_skipped", count=len(skipped), reasons=skipped_reasons(skipped), rest=kept))
    return notices


def skipped_reasons(skipped: list[tuple[int, str]]) -> Text:
    """Why features are skipped, by reason, each with its features: '面积为零：第 9、12 个'."""
    return join((t("shape_skipped_reason", why=t(key), rows=ranges(numbers))
                 for key, numbers in _by_key(skipped).items()), t("shape_reason_separator"))


def _by_key(pairs: list[tuple[int, str]]) -> dict[str, list[int]]:
    grouped: dict[str, list[int]] = {}
    for number, key in pairs:
        grouped.setdefault(key, []).append(number)
    return grouped
