"""The base map under a briefing's map figure: raster tiles read from the bureau's tile file or fetched from its
tile server, stitched with Pillow and warped into the figure's projection.

The figure is drawn in the local UTM projection (its scale bar measures metres); tiles
are Web Mercator, and often in GCJ-02 (``tile_crs``: Amap's tiles and most Chinese
downloads), where a place drawn at its WGS-84 position sits some 500 m off. So every
pixel of the figure's base map is looked up where it lies: its UTM position to WGS-84
longitude and latitude, to GCJ-02 when the tiles are, to the tile pixel in Web Mercator.

A tile server is asked with a short timeout, and a server that does not answer (no
internet on the command post's network) is not asked again for a few minutes: the
figure is drawn plain, without waiting more than :data:`FETCH_SECONDS`. Where a file
or server lacks some of the tiles, a coarser zoom is tried, and with none complete the
figure is plain (a patchy base map would read as data).

Examples
--------
>>> [float(v[0]) for v in mercator_pixels(np.array([0.0]), np.array([0.0]), 1)]
[256.0, 256.0]
>>> choose_zoom(5000.0, 1800, 29.8, 0, 18)  # 2.1 m a pixel for the figure's 2.8
16
>>> choose_zoom(5000.0, 1800, 29.8, 0, 12)
12
>>> plain = figure_tiles(Settings(basemap="none"))
>>> plain is None
True
"""

from __future__ import annotations

import io
import math
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from queue import Empty, Queue
from typing import Callable

import numpy as np
from PIL import Image, UnidentifiedImageError
from pyproj import Transformer

from geo.io import read_tile, wgs84_to_gcj02
from geo.maps import BASEMAPS, local_tiles
from geo.settings import Settings

TILE = 256  # pixels a side
MAX_TILES = 64  # a figure's base map is read in at most this many tiles (a coarser zoom otherwise)
FETCH_SECONDS = 3.0  # the longest a figure waits for a tile server, all its tiles together
DOWN_SECONDS = 300.0  # a server that did not answer is not asked again for this long
FETCHERS = 8  # tiles asked of a server at once
COARSER_TRIES = 6  # zooms tried, from the figure's own to coarser ones, when tiles are missing
_down: dict[str, float] = {}  # URL template -> until when it is taken as unreachable


@dataclass(frozen=True)
class FigureTiles:
    """Where a figure's base map comes from: ``read(z, x, y)`` gives a tile's bytes or None; ``datum`` the tiles'
    (wgs84, gcj02); ``attribution`` the line printed in the figure's corner; ``remote`` whether tiles come over the
    network (asked all at once, within :data:`FETCH_SECONDS`)."""

    read: Callable[[int, int, int], bytes | None]
    datum: str
    attribution: str
    min_zoom: int = 0
    max_zoom: int = 18
    remote: str = ""  # the URL template of a tile server; "" for a file


def _fetcher(template: str, subdomains: str) -> Callable[[int, int, int], bytes | None]:
    def read(z: int, x: int, y: int) -> bytes | None:
        url = template.format(s=subdomains[(x + y) % len(subdomains)] if subdomains else "", z=z, x=x, y=y)
        request = urllib.request.Request(url, headers={"User-Agent": "cmdmap-briefing"})
        try:
            with urllib.request.urlopen(request, timeout=FETCH_SECONDS) as answer:  # the bureau's own setting
                return answer.read()
        except urllib.error.HTTPError as refused:  # the server answers, without that tile: a coarser zoom may have it
            if refused.code in (204, 404):
                return None
            raise
    return read


def figure_tiles(settings: Settings) -> FigureTiles | None:
    """The base map ``settings`` configure for figures, or None for none (``basemap=none``, a custom base map without
    its URL, a tile file that cannot serve, a tile server that did not answer a moment ago)."""
    basemap = settings.basemap
    if basemap == "file":
        tiles = local_tiles(settings)
        if tiles is None:
            return None
        return FigureTiles(lambda z, x, y: read_tile(tiles, z, x, y), settings.tile_crs, Path(tiles.path).name,
                           tiles.min_zoom, tiles.max_zoom)
    if basemap == "custom":
        if not settings.tile_url:
            return None
        template, subdomains, datum, attribution, deepest = settings.tile_url, "abc", settings.tile_crs, "", 18
        attribution = _host(template)
    elif basemap in BASEMAPS:
        known = BASEMAPS[basemap]
        template = known.url.replace("{key}", settings.tianditu_key)
        subdomains, datum, deepest = known.subdomains, known.datum, known.max_zoom
        attribution = unescape(known.attribution)
    else:
        return None
    if _down.get(template, 0.0) > time.monotonic():
        return None
    return FigureTiles(_fetcher(template, subdomains), datum, attribution, 0, deepest, template)


def _host(template: str) -> str:
    """The host of a tile URL template: what the figure credits for a custom tile server.

    >>> _host("http://tiles.intranet:8080/{z}/{x}/{y}.png")
    'tiles.intranet:8080'
    """
    return template.split("://", 1)[-1].split("/", 1)[0]


def mercator_pixels(lon: np.ndarray, lat: np.ndarray, zoom: int) -> tuple[np.ndarray, np.ndarray]:
    """The Web-Mercator pixel position (from the top left of the world) of each longitude and latitude at ``zoom``."""
    size = TILE * (1 << zoom)
    phi = np.radians(np.clip(lat, -85.05112878, 85.05112878))
    x = (lon + 180.0) / 360.0 * size
    y = (1.0 - np.log(np.tan(phi) + 1.0 / np.cos(phi)) / math.pi) / 2.0 * size
    return x, y


def choose_zoom(width_metres: float, width_pixels: int, latitude: float, low: int, high: int) -> int:
    """The zoom whose tiles have about the figure's resolution (a little finer), within ``low``..``high``."""
    per_pixel = max(width_metres, 1.0) / max(width_pixels, 1)
    at_zero = 2 * math.pi * 6378137.0 * math.cos(math.radians(latitude)) / TILE
    return max(low, min(high, math.ceil(math.log2(at_zero / per_pixel))))


def _fetch_all(tiles: FigureTiles, wanted: list[tuple[int, int, int]],
               deadline: float) -> dict[tuple[int, int, int], bytes] | None:
    """Every tile of ``wanted``, or {} when one is not there; None when the server does not answer by ``deadline``
    (it is then not asked again for :data:`DOWN_SECONDS`). A server is asked by a few threads at once."""
    if tiles.remote and _down.get(tiles.remote, 0.0) > time.monotonic():
        return None  # it did not answer for the figure before (the briefing's first map): not waited for again
    if not tiles.remote:
        found = {}
        for key in wanted:
            data = tiles.read(*key)
            if not data:
                return {}
            found[key] = data
        return found
    answers: Queue = Queue()
    todo: Queue = Queue()
    for key in wanted:
        todo.put(key)
    given_up = threading.Event()

    def work():
        while not given_up.is_set():  # a thread still waiting when the figure gave up asks for no more tiles
            try:
                key = todo.get_nowait()
            except Empty:
                return
            try:
                answers.put((key, tiles.read(*key)))
            except (OSError, ValueError) as failed:  # unreachable, refused, timed out, a bad URL
                answers.put((key, failed))

    for _ in range(min(FETCHERS, len(wanted))):  # daemon threads: a server that hangs cannot hold the process
        threading.Thread(target=work, daemon=True).start()
    found: dict[tuple[int, int, int], bytes] = {}
    while len(found) < len(wanted):
        try:
            key, data = answers.get(timeout=max(0.0, deadline - time.monotonic()))
        except Empty:
            data = TimeoutError()
        if data is None:
            given_up.set()
            return {}
        if not isinstance(data, bytes) or not data:
            given_up.set()
            _down[tiles.remote] = time.monotonic() + DOWN_SECONDS
            return None
        found[key] = data
    return found


def _tile_range(lon: np.ndarray, lat: np.ndarray, zoom: int):
    px, py = mercator_pixels(lon, lat, zoom)
    return px, py, range(int(px.min() // TILE), int(px.max() // TILE) + 1), \
        range(int(py.min() // TILE), int(py.max() // TILE) + 1)


def base_image(tiles: FigureTiles, crs, bounds: tuple[float, float, float, float],
               size: tuple[int, int]) -> np.ndarray | None:
    """The base map of ``bounds`` (xmin, ymin, xmax, ymax in ``crs``, the figure's projection) as an RGB array of
    ``size`` (width, height) pixels, top row first; None when its tiles cannot all be had."""
    xmin, ymin, xmax, ymax = bounds
    width, height = size
    to_lonlat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    # the positions of a coarse grid of the figure's pixels, interpolated between: the warp is smooth at a city's size
    step = 16
    gx = np.linspace(xmin, xmax, max(2, width // step + 2))
    gy = np.linspace(ymax, ymin, max(2, height // step + 2))
    mesh_x, mesh_y = np.meshgrid(gx, gy)
    lon, lat = to_lonlat.transform(mesh_x, mesh_y)
    if tiles.datum == "gcj02":
        lon, lat = wgs84_to_gcj02(lon, lat)
    zoom = choose_zoom(xmax - xmin, width, float(np.mean(lat)), tiles.min_zoom, tiles.max_zoom)
    px, py, columns, rows = _tile_range(lon, lat, zoom)
    while len(columns) * len(rows) > MAX_TILES and zoom > tiles.min_zoom:
        zoom -= 1
        px, py, columns, rows = _tile_range(lon, lat, zoom)
    deadline = time.monotonic() + FETCH_SECONDS
    for _ in range(COARSER_TRIES):  # a server or file without this zoom here may have a coarser one
        found = _fetch_all(tiles, [(zoom, x, y) for y in rows for x in columns], deadline)
        if found is None:
            return None
        if found or zoom <= tiles.min_zoom:
            break
        zoom -= 1
        px, py, columns, rows = _tile_range(lon, lat, zoom)
    if not found:
        return None
    mosaic = Image.new("RGBA", (len(columns) * TILE, len(rows) * TILE), (255, 255, 255, 0))
    try:
        for (_, x, y), data in found.items():
            with Image.open(io.BytesIO(data)) as tile:
                mosaic.paste(tile.convert("RGBA").resize((TILE, TILE)),
                             ((x - columns.start) * TILE, (y - rows.start) * TILE))
    except (UnidentifiedImageError, OSError, ValueError):  # a tile that is no image: no base map rather than a hole
        return None
    pixels = np.asarray(mosaic.convert("RGB"))  # no alpha: the tiles cover the frame
    # every figure pixel's position in the mosaic, bilinear between the grid's
    fx = np.linspace(0, len(gx) - 1, width, dtype=np.float32)
    fy = np.linspace(0, len(gy) - 1, height, dtype=np.float32)
    mx = _bilinear((px - columns.start * TILE).astype(np.float32), fx, fy)
    my = _bilinear((py - rows.start * TILE).astype(np.float32), fx, fy)
    ix = np.clip(mx.astype(int), 0, pixels.shape[1] - 1)
    iy = np.clip(my.astype(int), 0, pixels.shape[0] - 1)
    return pixels[iy, ix]


def _bilinear(grid: np.ndarray, fx: np.ndarray, fy: np.ndarray) -> np.ndarray:
    """``grid`` read at the fractional columns ``fx`` and rows ``fy`` (every pair), linearly between its points."""
    x0 = np.clip(np.floor(fx).astype(int), 0, grid.shape[1] - 2)
    y0 = np.clip(np.floor(fy).astype(int), 0, grid.shape[0] - 2)
    tx = (fx - x0)[None, :]
    ty = (fy - y0)[:, None]
    top = grid[np.ix_(y0, x0)] * (1 - tx) + grid[np.ix_(y0, x0 + 1)] * tx
    bottom = grid[np.ix_(y0 + 1, x0)] * (1 - tx) + grid[np.ix_(y0 + 1, x0 + 1)] * tx
    return top * (1 - ty) + bottom * ty


class MapPng(bytes):
    """A map figure's PNG that says which base map is under it: ``basemap`` its credit, "" for none (plain)."""

    basemap: str = ""


def map_png(data: bytes, basemap: str = "") -> MapPng:
    """``data`` as a :class:`MapPng` with its base map's credit.

    >>> png = map_png(b"\\x89PNG", "city.mbtiles")
    >>> png.basemap, png == b"\\x89PNG"
    ('city.mbtiles', True)
    """
    png = MapPng(data)
    png.basemap = basemap
    return png


def draw_basemap(axes, crs, tiles: FigureTiles, width_pixels: int, font) -> str:
    """Draw the base map under what ``axes`` (in ``crs``) show, with its credit in the upper left corner; the credit,
    or "" when its tiles cannot all be had (the figure stays plain)."""
    (x0, x1), (y0, y1) = axes.get_xlim(), axes.get_ylim()
    if not (x1 > x0 and y1 > y0):
        return ""
    width = max(64, min(width_pixels, 1600))
    height = max(64, round(width * (y1 - y0) / (x1 - x0)))
    image = base_image(tiles, crs, (x0, y0, x1, y1), (width, height))
    if image is None:
        return ""
    # already warped to about the frame's pixels: the nearest pixel is enough, and took half of bilinear's time
    axes.imshow(image, extent=(x0, x1, y0, y1), origin="upper", zorder=0, interpolation="nearest")
    axes.set_xlim(x0, x1)
    axes.set_ylim(y0, y1)
    credit = tiles.attribution or "—"
    axes.annotate(credit, xy=(0.01, 0.99), xycoords="axes fraction", ha="left", va="top", fontproperties=font,
                  bbox={"boxstyle": "square,pad=0.2", "facecolor": "white", "alpha": 0.7, "linewidth": 0})
    return credit
