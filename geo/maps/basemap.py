"""Base maps (tiles) and the datum the overlays must be drawn in to sit on them.

Amap's tiles are GCJ-02: on them every overlay is shifted from WGS-84 (see
:mod:`geo.io.datum_convert`). ``basemap=none`` draws no tiles at all (an
intranet with no tile server); ``basemap=file`` draws the tiles of a local MBTiles or
PMTiles file that the app serves itself at :data:`TILE_URL` (``ui/server.py``), in the
datum ``tile_crs`` says. A file that cannot serve leaves the map without tiles, and
:func:`basemap_problem` says why.

Examples
--------
>>> overlay_datum(Settings(basemap="amap"))
'gcj02'
>>> overlay_datum(Settings(basemap="custom", tile_crs="wgs84"))
'wgs84'
>>> overlay_datum(Settings(basemap="file", tile_crs="gcj02"))
'gcj02'
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

import folium

from geo.domain import Text
from geo.io import TileFile, TileFileError, cached_tile_file
from geo.settings import Settings

#: Where the app serves the tiles of ``basemap=file`` (``ui/server.py`` answers it, rows counted from the top).
TILE_ROUTE = "/tiles/"
TILE_URL = TILE_ROUTE + "{z}/{x}/{y}"


@dataclass(frozen=True)
class Basemap:
    url: str
    attribution: str
    subdomains: str = "abc"
    datum: str = "wgs84"
    max_zoom: int = 18


BASEMAPS: dict[str, Basemap] = {
    "amap": Basemap("https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
                    "&copy; 高德地图 AutoNavi", "1234", "gcj02"),
    "osm": Basemap("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                   "&copy; OpenStreetMap contributors", "abc", "wgs84", 19),
    # Tianditu tiles are CGCS2000, which agrees with WGS-84 to centimetres.
    "tianditu": Basemap("https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
                        "&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}"
                        "&TILECOL={x}&tk={key}", "&copy; 天地图 Tianditu", "01234567", "wgs84"),
}


def overlay_datum(settings: Settings) -> str:
    """The datum overlays must be drawn in to sit on the chosen base map's tiles."""
    basemap = settings.basemap
    if basemap in ("custom", "file"):
        return settings.tile_crs
    return BASEMAPS[basemap].datum if basemap in BASEMAPS else "wgs84"


#: How far a map without tiles of known depth zooms (basemap none or custom): street level.
DEFAULT_MAX_ZOOM = 18


def local_tiles(settings: Settings) -> TileFile | None:
    """The tile file of ``basemap=file``, or None for another base map or a file that cannot serve."""
    if settings.basemap != "file":
        return None
    try:
        return cached_tile_file(settings.tile_file)
    except TileFileError:
        return None


def basemap_problem(settings: Settings) -> Text | None:
    """Why the base map chosen cannot be shown (a tile file missing, damaged, not tiles), or None when it can.

    >>> basemap_problem(Settings(basemap="osm")) is None
    True
    >>> basemap_problem(Settings(basemap="file", tile_file="/nowhere/city.mbtiles")).en[:36]
    'The base map file “/nowhere/city.mbt'
    """
    if settings.basemap != "file":
        return None
    try:
        cached_tile_file(settings.tile_file)
    except TileFileError as refused:
        return refused.text
    return None


def max_zoom(settings: Settings) -> int:
    """How far the map may zoom in: as deep as the base map's tiles go.

    Leaflet takes the limit from the tile layers; with none it has no limit, and
    fitting a single place's bounds zoomed to Infinity and drew nothing.

    >>> max_zoom(Settings(basemap="osm")), max_zoom(Settings(basemap="none"))
    (19, 18)
    """
    tiles = local_tiles(settings)
    if tiles is not None:  # deeper than the file's tiles, Leaflet enlarges its deepest ones
        return max(tiles.max_zoom, DEFAULT_MAX_ZOOM)
    return BASEMAPS[settings.basemap].max_zoom if settings.basemap in BASEMAPS else DEFAULT_MAX_ZOOM


def add_basemap(m: folium.Map, settings: Settings) -> None:
    """Add the configured tile layer; 'none' (or a custom URL left empty, or a tile file that cannot serve) adds
    nothing."""
    basemap = settings.basemap
    if basemap == "file":
        tiles_file = local_tiles(settings)
        if tiles_file is not None:
            folium.TileLayer(TILE_URL, attr=escape(Path(tiles_file.path).name), min_zoom=tiles_file.min_zoom,
                             max_native_zoom=tiles_file.max_zoom, max_zoom=max_zoom(settings), name="basemap",
                             control=False).add_to(m)
        return
    if basemap == "custom":
        url = settings.tile_url
        if not url:
            return
        tiles = Basemap(url, escape(url), "abc", settings.tile_crs)
    elif basemap in BASEMAPS:
        tiles = BASEMAPS[basemap]
        if basemap == "tianditu":
            tiles = Basemap(tiles.url.replace("{key}", settings.tianditu_key),
                            tiles.attribution, tiles.subdomains, tiles.datum)
    else:
        return
    folium.TileLayer(tiles.url, attr=tiles.attribution, subdomains=tiles.subdomains,
                     max_zoom=tiles.max_zoom, name="basemap", control=False).add_to(m)
