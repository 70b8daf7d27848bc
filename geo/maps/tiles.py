"""A nation's places cut into tiles the browser fetches as it looks there, and one pack of dots for a view of all.

One pack of a million compounds is some 50 MB, more than a browser should take
at once. Past a number of places (the setting ``map_places_at_once``) a layer's
places are cut here into tiles of at most :data:`TILE_SHARE` of that number,
each a pack of :mod:`geo.maps.pack` with the extent of its places, and put in an
order where nearby places come together (a k-d split at the median, longer side
first, so the tiles have about as many places each). The page's statuses stay
one list for the whole layer in that order, so a filter or a new day still
sends a code per place and never a shape.

The browser (``static/cmdmap/fastlayer.js``) draws the tiles in view when they
hold at most ``map_places_at_once`` places, fetching those it has not got;
farther out it draws every place as a dot of its status's colour, from the
dots of :func:`pack_tiles`: each place's centre to about 100 m, no names or ids,
1.04 MB gzipped for the demo's million compounds.

Examples
--------
>>> from shapely import Point
>>> frame = gpd.GeoDataFrame({"id": [f"C{i}" for i in range(8)], "name": list("abcdefgh")},
...                          geometry=[Point(i % 4, i // 4) for i in range(8)])
>>> [frame["id"].to_numpy()[part].tolist() for part in cut_tiles(frame, 2)]
[['C0', 'C4'], ['C1', 'C5'], ['C2', 'C6'], ['C3', 'C7']]
>>> tiled = pack_tiles(frame, 2)
>>> [tile.box for tile in tiled.tiles]
[(0.0, 0.0, 0.0, 1.0), (1.0, 0.0, 1.0, 1.0), (2.0, 0.0, 2.0, 1.0), (3.0, 0.0, 3.0, 1.0)]
>>> tiled.dots.ids.tolist() == [i for tile in tiled.tiles for i in tile.pack.ids]
True
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from geo.io import convert_geometries
from geo.maps.pack import Pack, pack_places

#: A tile holds at most this share of ``map_places_at_once``, so that a view holding that many places
#: spans several tiles and the browser fetches only those it looks at. An eighth (tiles of 25,000 places at
#: the default) made a jump to a few streets of a nation take 1.2 s (bench/README.md).
TILE_SHARE = 1 / 32

#: Decimals of a degree a dot's position keeps (about 100 m): a dot is a few pixels of a country.
DOT_PRECISION = 3


@dataclass(frozen=True)
class Tile:
    """One tile's pack and the extent of its places (minx, miny, maxx, maxy) in the base map's datum."""

    pack: Pack
    box: tuple[float, float, float, float]


def _centres(frame: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The middle of each place's extent (NaN for a place without a shape, which no tile's pack keeps)."""
    bounds = shapely.bounds(frame.geometry.to_numpy())
    return (bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2


def cut_tiles(frame: gpd.GeoDataFrame, most: int) -> list[np.ndarray]:
    """The rows of ``frame`` (by position) in tiles of at most ``most`` places, nearby places together.

    Each cut halves a tile at the median of its places' centres along its longer side; the tiles come in
    the order of the cuts, so that neighbours in the list are neighbours on the map.
    """
    x, y = _centres(frame)
    x, y = np.nan_to_num(x, nan=np.inf), np.nan_to_num(y, nan=np.inf)
    most = max(1, int(most))
    pending, tiles = [np.arange(len(frame))], []
    while pending:
        rows = pending.pop()
        if len(rows) <= most:
            if len(rows):
                tiles.append(rows)
            continue
        xs, ys = x[rows], y[rows]
        finite = np.isfinite(xs)
        wide = np.ptp(xs[finite]) >= np.ptp(ys[finite]) if finite.any() else True
        order = np.argsort(xs if wide else ys, kind="stable")
        half = len(rows) // 2
        pending += [rows[order[half:]], rows[order[:half]]]  # the lower half is cut first
    return tiles


def _box(geometries: np.ndarray, datum: str) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = shapely.total_bounds(geometries)
    if datum != "wgs84" and np.isfinite(minx):
        minx, miny, maxx, maxy = convert_geometries([shapely.box(minx, miny, maxx, maxy)], "wgs84", datum)[0].bounds
    low, high = np.floor(np.array([minx, miny]) * 1e6) / 1e6, np.ceil(np.array([maxx, maxy]) * 1e6) / 1e6
    return (float(low[0]), float(low[1]), float(high[0]), float(high[1]))  # rounded outwards: all places inside


@dataclass(frozen=True)
class Tiled:
    """A layer's places as tiles, and the same places as dots in the tiles' order (:func:`pack_tiles`)."""

    tiles: list[Tile]
    dots: Pack


def pack_tiles(frame: gpd.GeoDataFrame, most: int, datum: str = "wgs84") -> Tiled:
    """``frame``'s places (columns ``id``, ``name``, WGS-84) as tiles of at most ``most`` places each, and as
    dots: each place a point at the middle of its extent, in the tiles' order, without names or ids (a dot is
    not pointed at; its status comes by its place in that order)."""
    tiles, centres = [], []
    for rows in cut_tiles(frame, most):
        part = frame.iloc[rows]
        pack = pack_places(part, datum)
        if not len(pack.ids):
            continue
        tiles.append(Tile(pack, _box(part.geometry.to_numpy(), datum)))
        drawn = part[part["id"].astype(str).isin(pack.ids)]  # a place without a shape is in no tile
        centres.append(np.column_stack(_centres(drawn)))
    xy = np.concatenate(centres) if centres else np.zeros((0, 2))
    ids = np.concatenate([tile.pack.ids for tile in tiles]) if tiles else np.array([], dtype=object)
    dots = gpd.GeoDataFrame({"id": ids}, geometry=shapely.points(xy), crs=frame.crs)
    return Tiled(tiles, pack_places(dots, datum, precision=DOT_PRECISION, labelled=False))
