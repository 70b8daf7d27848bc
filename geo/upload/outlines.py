"""Outlines for places that are points: each polygon of a file given to the one stored point it contains.

Most bureaus start from a list of points; outlines come later, often from an OpenStreetMap or
land-use export whose ids and names are not the bureau's. Matched by position, each polygon that
contains exactly one of the stored points becomes that place's outline, keeping its id, name and
history; the polygons that contain none (parks, roads, other land use) or several are set aside
and counted, so the person sees what was matched before confirming.

Examples
--------
>>> import geopandas as gpd
>>> from shapely import Point, box
>>> places = gpd.GeoDataFrame({"id": ["C1", "C2", "C3"]}, geometry=[Point(0.5, 0.5), Point(2.5, 0.5), Point(2.6, 0.6)])
>>> polygons = gpd.GeoDataFrame({"id": ["way/1", "way/2", "way/3"]},
...                             geometry=[box(0, 0, 1, 1), box(2, 0, 3, 1), box(5, 5, 6, 6)])
>>> matched = match_outlines(polygons, places)
>>> matched.ids, matched.empty, matched.crowded
({0: 'C1'}, [3], {2: ['C2', 'C3']})
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely


@dataclass
class Matched:
    """Which polygons of a file took which stored place's id, and which were set aside."""

    ids: dict[int, str] = field(default_factory=dict)
    """Position of a polygon in the file → the id of the one stored point inside it."""
    empty: list[int] = field(default_factory=list)
    """Features (1-based) containing no stored point: not a place of this kind, or one not listed yet."""
    crowded: dict[int, list[str]] = field(default_factory=dict)
    """Features (1-based) containing several stored points → their ids: which place it outlines is for a person."""
    claimed: dict[str, list[int]] = field(default_factory=dict)
    """A stored point inside several polygons → those features (1-based): none of them is used."""


def match_outlines(polygons: pd.DataFrame, places: pd.DataFrame, numbers: list[int] | None = None) -> Matched:
    """Give each polygon the id of the one stored point place it contains (see the module's docstring).

    Parameters
    ----------
    polygons : GeoDataFrame
        The file's shapes (WGS-84); only polygons are matched.
    places : GeoDataFrame
        The stored places of the kind, with ``id``; only points are matched (a place with an outline
        keeps it).
    numbers : list of int, optional
        Each polygon's feature number in the file (its position + 1 when not given), for the messages.
    """
    numbers = numbers or list(range(1, len(polygons) + 1))
    shapes = np.asarray(polygons.geometry, dtype=object)
    is_polygon = np.array([g is not None and g.geom_type in ("Polygon", "MultiPolygon") for g in shapes])
    points = np.asarray(places.geometry, dtype=object)
    is_point = np.array([g is not None and g.geom_type == "Point" for g in points])
    point_ids = places["id"].astype(str).to_numpy()[is_point]
    result = Matched()
    if not is_polygon.any() or not is_point.any():
        result.empty = [numbers[i] for i in np.flatnonzero(is_polygon)]
        return result
    tree = shapely.STRtree(points[is_point])
    polygon_positions = np.flatnonzero(is_polygon)
    pairs = tree.query(shapes[polygon_positions], predicate="contains")  # (polygon, point) index pairs
    inside: dict[int, list[int]] = {}
    for polygon, point in zip(polygon_positions[pairs[0]], pairs[1]):
        inside.setdefault(int(polygon), []).append(int(point))
    owners: dict[int, list[int]] = {}
    for polygon, found in inside.items():
        if len(found) == 1:
            owners.setdefault(found[0], []).append(polygon)
    for point, polygons_of_point in owners.items():
        if len(polygons_of_point) == 1:
            result.ids[polygons_of_point[0]] = str(point_ids[point])
        else:  # nested or overlapping shapes around one point: which one is its outline is for a person
            result.claimed[str(point_ids[point])] = [numbers[p] for p in polygons_of_point]
    result.empty = [numbers[p] for p in polygon_positions if p not in inside]
    result.crowded = {numbers[p]: sorted(str(point_ids[i]) for i in found)
                      for p, found in inside.items() if len(found) > 1}
    return result
