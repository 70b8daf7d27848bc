"""A base map kept as one tile file: MBTiles (SQLite) or PMTiles, raster tiles read by z/x/y.

A bureau without internet keeps its base map as a file written by a tile downloader
(often Amap's GCJ-02 tiles) and the app serves it itself (``ui/server.py``, route
``/tiles/{z}/{x}/{y}``). :func:`open_tile_file` reads what the map needs to know once
(format, zoom range, row order); :func:`read_tile` reads one tile, or None where the
file has none.

MBTiles numbers rows bottom-up (TMS) by its specification; many downloaders write them
top-down (XYZ) instead and say so with ``scheme=xyz`` in the ``metadata`` table, which is
the only case read unflipped. The file is opened read-only: the app never writes it.

Examples
--------
>>> flip_row(0, 0), flip_row(3, 0), flip_row(3, 7)
(0, 7, 0)
>>> media_type("jpg"), media_type("webp")
('image/jpeg', 'image/webp')
>>> open_tile_file("/nowhere/city.mbtiles")
Traceback (most recent call last):
...
geo.io.tilefile.TileFileError: tile_file_missing
"""

from __future__ import annotations

import gzip
import mmap
import sqlite3
from contextlib import closing, contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from pmtiles.reader import Reader
from pmtiles.tile import Compression, MagicNumberNotFound, SpecVersionUnsupported, TileType

from geo.domain import Text, t

MBTILES = "mbtiles"
PMTILES = "pmtiles"
MEDIA_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}
FORMAT_NAMES = {"png": "png", "jpg": "jpg", "jpeg": "jpg", "webp": "webp"}  # what files write -> ours
PMTILES_FORMATS = {TileType.PNG: "png", TileType.JPEG: "jpg", TileType.WEBP: "webp"}
MAX_ZOOM = 30  # deeper than any tile pyramid; a request beyond it is not a tile


class TileFileError(ValueError):
    """The tile file cannot serve a base map; :attr:`text` says why and what to do, in both languages."""

    def __init__(self, key: str, **values):
        self.key = key
        self.text: Text = t(key, **values)
        super().__init__(key)


@dataclass(frozen=True)
class TileFile:
    """What the map needs to know of a tile file: where, which kind, the tiles' format and zoom range.

    ``tms`` is True when the file numbers rows bottom-up (MBTiles by default).
    """

    path: str
    kind: str
    format: str
    min_zoom: int
    max_zoom: int
    tms: bool = False

    @property
    def media_type(self) -> str:
        """The HTTP content type of its tiles."""
        return media_type(self.format)


def media_type(tile_format: str) -> str:
    """The content type of a tile format (png, jpg, webp)."""
    return MEDIA_TYPES[tile_format]


def flip_row(z: int, y: int) -> int:
    """The row ``y`` counted from the other edge at zoom ``z`` (XYZ <-> TMS)."""
    return (1 << z) - 1 - y


def sniff_format(data: bytes) -> str | None:
    """The image format of a tile's bytes, or None when it is not a PNG, JPEG or WebP image.

    >>> sniff_format(b"\\x89PNG\\r\\n\\x1a\\n..."), sniff_format(b"\\xff\\xd8\\xff\\xe0"), sniff_format(b"\\x1a\\x02")
    ('png', 'jpg', None)
    """
    if data.startswith(b"\x89PNG"):
        return "png"
    if data.startswith(b"\xff\xd8"):
        return "jpg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def _connect(path: str) -> sqlite3.Connection:
    # read-only, by URI: the app must never create or change the bureau's file
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)


def _zoom(value: object) -> int | None:
    try:
        zoom = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return zoom if 0 <= zoom <= MAX_ZOOM else None


def _open_mbtiles(path: str) -> TileFile:
    try:
        with closing(_connect(path)) as conn:
            metadata = {str(name).strip().lower(): str(value).strip() for name, value in
                        conn.execute("SELECT name, value FROM metadata").fetchall()}
            low, high = conn.execute("SELECT min(zoom_level), max(zoom_level) FROM tiles").fetchone()
            first = conn.execute("SELECT tile_data FROM tiles LIMIT 1").fetchone()
    except sqlite3.Error as exc:
        raise TileFileError("tile_file_unreadable", path=path, kind="MBTiles") from exc
    if first is None:
        raise TileFileError("tile_file_empty", path=path)
    declared = FORMAT_NAMES.get(metadata.get("format", "").lower())
    tile_format = declared or sniff_format(bytes(first[0] or b""))
    if tile_format is None:
        raise TileFileError("tile_file_not_raster", path=path, format=metadata.get("format", "?"))
    min_zoom = _zoom(metadata.get("minzoom"))
    max_zoom = _zoom(metadata.get("maxzoom"))
    min_zoom = _zoom(low) if min_zoom is None else min_zoom
    max_zoom = _zoom(high) if max_zoom is None else max_zoom
    return TileFile(path, MBTILES, tile_format, min_zoom or 0, max(max_zoom or 0, min_zoom or 0),
                    tms=metadata.get("scheme", "tms").lower() != "xyz")


@contextmanager
def _pmtiles_reader(path: str) -> Iterator[Reader]:
    """A PMTiles reader over the file mapped read-only, for one tile or one header."""
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapping:
        yield Reader(lambda offset, length: mapping[offset:offset + length])


def _open_pmtiles(path: str) -> TileFile:
    try:
        with _pmtiles_reader(path) as reader:
            header = reader.header()
    except (OSError, ValueError, KeyError, IndexError, MagicNumberNotFound, SpecVersionUnsupported) as exc:
        raise TileFileError("tile_file_unreadable", path=path, kind="PMTiles") from exc
    tile_format = PMTILES_FORMATS.get(header["tile_type"])
    if tile_format is None:
        raise TileFileError("tile_file_not_raster", path=path, format=header["tile_type"].name.lower())
    return TileFile(path, PMTILES, tile_format, header["min_zoom"], header["max_zoom"])


def open_tile_file(path: str) -> TileFile:
    """The tile file at ``path`` (MBTiles or PMTiles, told apart by its first bytes), ready for :func:`read_tile`.

    Raises
    ------
    TileFileError
        When it is missing, neither MBTiles nor PMTiles, unreadable, empty or not raster tiles.
    """
    if not path or not Path(path).is_file():
        raise TileFileError("tile_file_missing", path=path)
    try:
        with open(path, "rb") as handle:
            magic = handle.read(16)
    except OSError as exc:
        raise TileFileError("tile_file_unreadable", path=path, kind="MBTiles/PMTiles") from exc
    if magic.startswith(b"PMTiles"):
        return _open_pmtiles(path)
    if magic.startswith(b"SQLite format 3"):
        return _open_mbtiles(path)
    raise TileFileError("tile_file_unknown", path=path)


@lru_cache(maxsize=8)
def _opened(path: str, modified_ns: int, size: int) -> TileFile:
    return open_tile_file(path)


def cached_tile_file(path: str) -> TileFile:
    """:func:`open_tile_file`, read again only when the file changed (its time or size): each map and each
    tile request asks.

    Raises
    ------
    TileFileError
        As :func:`open_tile_file` (a refusal is not remembered: a file put right is read at the next ask).
    """
    try:
        stat = Path(path).stat() if path else None
    except OSError:
        stat = None
    if stat is None:
        raise TileFileError("tile_file_missing", path=path)
    return _opened(path, stat.st_mtime_ns, stat.st_size)


def read_tile(tiles: TileFile, z: int, x: int, y: int) -> bytes | None:
    """The tile at zoom ``z``, column ``x``, row ``y`` (XYZ, rows from the top), or None where there is none.

    A position outside the pyramid, or a file that became unreadable, is None too:
    the map shows nothing there, and the server answers 404.
    """
    if not (0 <= z <= MAX_ZOOM and 0 <= x < (1 << z) and 0 <= y < (1 << z)):
        return None
    try:
        if tiles.kind == PMTILES:
            with _pmtiles_reader(tiles.path) as reader:
                data = reader.get(z, x, y)
                if data and reader.header()["tile_compression"] == Compression.GZIP:
                    data = gzip.decompress(data)
            return bytes(data) if data else None
        row = flip_row(z, y) if tiles.tms else y
        with closing(_connect(tiles.path)) as conn:
            found = conn.execute("SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
                                 (z, x, row)).fetchone()
    except (OSError, ValueError, KeyError, IndexError, sqlite3.Error, MagicNumberNotFound, SpecVersionUnsupported):
        return None
    return bytes(found[0]) if found and found[0] else None
