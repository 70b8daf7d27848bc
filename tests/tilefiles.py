"""Tile files for tests: small MBTiles (XYZ or TMS rows, or the ``map``/``images`` layout) and PMTiles of PNGs."""

from __future__ import annotations

import io
import math
import sqlite3
from contextlib import closing
from pathlib import Path

from PIL import Image
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import Writer


def png(colour: tuple[int, int, int], size: int = 256) -> bytes:
    """A plain PNG tile of one colour."""
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The XYZ (column, row) of the tile holding a WGS-84 position at zoom ``z`` (Web Mercator)."""
    n = 1 << z
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return x, y


def tiles_around(lon: float, lat: float, zooms: range, margin: int = 1) -> dict[tuple[int, int, int], bytes]:
    """PNG tiles (XYZ keys) covering a position and ``margin`` tiles around it at each zoom, one colour per zoom."""
    tiles = {}
    for z in zooms:
        cx, cy = tile_of(lon, lat, z)
        data = png((40 + 10 * z, 120, 200))
        for x in range(max(cx - margin, 0), min(cx + margin, (1 << z) - 1) + 1):
            for y in range(max(cy - margin, 0), min(cy + margin, (1 << z) - 1) + 1):
                tiles[(z, x, y)] = data
    return tiles


def write_mbtiles(path: Path, tiles: dict[tuple[int, int, int], bytes], scheme: str | None = "xyz",
                  metadata: dict[str, str] | None = None, layout: str = "tiles") -> Path:
    """An MBTiles file of ``tiles`` (XYZ keys), rows stored as ``scheme`` says (None: no scheme row, so TMS).

    ``layout="map"`` stores them as the normalised ``map`` + ``images`` tables with a ``tiles`` view.
    """
    zooms = [z for z, _, _ in tiles] or [0]
    rows = {"name": "test", "format": "png", "minzoom": str(min(zooms)), "maxzoom": str(max(zooms))}
    if scheme is not None:
        rows["scheme"] = scheme
    rows.update(metadata or {})
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        conn.executemany("INSERT INTO metadata VALUES (?, ?)", [(k, v) for k, v in rows.items() if v is not None])
        stored = [(z, x, y if scheme == "xyz" else (1 << z) - 1 - y, data) for (z, x, y), data in tiles.items()]
        if layout == "map":
            conn.execute("CREATE TABLE map (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_id TEXT)")
            conn.execute("CREATE TABLE images (tile_data BLOB, tile_id TEXT)")
            conn.executemany("INSERT INTO map VALUES (?, ?, ?, ?)", [(z, x, y, f"{z}-{x}-{y}") for z, x, y, _ in stored])
            conn.executemany("INSERT INTO images VALUES (?, ?)", [(d, f"{z}-{x}-{y}") for z, x, y, d in stored])
            conn.execute("CREATE VIEW tiles AS SELECT map.zoom_level, map.tile_column, map.tile_row, images.tile_data "
                         "FROM map JOIN images ON images.tile_id = map.tile_id")
        else:
            conn.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, "
                         "tile_data BLOB)")
            conn.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)", stored)
        conn.commit()
    return path


def write_pmtiles(path: Path, tiles: dict[tuple[int, int, int], bytes], tile_type: TileType = TileType.PNG) -> Path:
    """A PMTiles file of ``tiles`` (XYZ keys), uncompressed raster."""
    zooms = [z for z, _, _ in tiles]
    with open(path, "wb") as handle:
        writer = Writer(handle)
        for tile_id, data in sorted((zxy_to_tileid(*key), data) for key, data in tiles.items()):
            writer.write_tile(tile_id, data)
        writer.finalize({"tile_type": tile_type, "tile_compression": Compression.NONE,
                         "min_zoom": min(zooms), "max_zoom": max(zooms), "min_lon_e7": -1800000000,
                         "min_lat_e7": -850000000, "max_lon_e7": 1800000000, "max_lat_e7": 850000000,
                         "center_zoom": 0, "center_lon_e7": 0, "center_lat_e7": 0}, {"name": "test"})
    return path
