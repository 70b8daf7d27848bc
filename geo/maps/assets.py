"""The browser files of a map, served by the app itself: no CDN, so the maps draw on an intranet with no internet.

Leaflet is vendored in ``static/vendor`` (see its README); our own scripts are in
``static/cmdmap``. Every URL carries its file's content hash, so a browser never
runs a stale copy. Nothing is read or written when this module is imported: the
map's scripts become one file in ``static/cache`` the first time a map asks for
them (:func:`map_scripts`).

Examples
--------
>>> asset_url("cmdmap/decode.js").startswith("/app/static/cmdmap/decode.js?v=")
True
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

import folium

from geo.settings import PROJECT_DIR

STATIC_DIR = PROJECT_DIR / "static"
STATIC_URL = "/app/static"
LOCAL_CSS = [("leaflet_css", f"{STATIC_URL}/vendor/leaflet/leaflet.css")]
#: Leaflet, the packs' decoder and the canvas layer, in the order a map's page runs them.
MAP_SCRIPTS = ("vendor/leaflet/leaflet.js", "cmdmap/decode.js", "cmdmap/fastlayer.js", "cmdmap/phone.js")
#: Our own style sheet of a map's frame (the phone's shorter map, the touch hint).
MAP_CSS = "cmdmap/map.css"


@lru_cache(maxsize=32)
def asset_url(path: str) -> str:
    """URL of one of our static files, versioned by content so that browsers never run a stale copy."""
    digest = hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:12]
    return f"{STATIC_URL}/{path}?v={digest}"


def bundle(name: str, parts: tuple[str, ...]) -> str | None:
    """URL of one script made of our static files ``parts``, written to ``static/cache`` under a name that
    changes with its content; None where that folder cannot be written (the files are then loaded one by one).

    streamlit-folium loads a map's scripts one after another, each waiting for the last to arrive and run:
    on a page of 100,000 compounds, still busy building itself, each wait cost about 0.1 s.
    """
    code = "\n;\n".join(
        "".join(line for line in (STATIC_DIR / part).read_text(encoding="utf-8").splitlines(keepends=True)
                if not line.startswith("//# sourceMappingURL"))  # the maps are not served
        for part in parts)
    target = STATIC_DIR / "cache" / f"{name}-{hashlib.sha256(code.encode()).hexdigest()[:12]}.js"
    try:
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f"{target.name}.{os.getpid()}.part")
            partial.write_text(code, encoding="utf-8")
            os.replace(partial, target)  # another server process may be writing the same file
    except OSError:
        return None
    return f"{STATIC_URL}/cache/{target.name}"


@lru_cache(maxsize=1)
def map_scripts() -> tuple[tuple[str, str], ...]:
    """Every script of a map as (name, URL): one file when ``static/cache`` can be written, else one by one."""
    url = bundle("cmdmap-map", MAP_SCRIPTS)
    if url:
        return (("cmdmap_map", url),)
    return tuple((Path(part).stem, asset_url(part)) for part in MAP_SCRIPTS)


def decoder_url() -> str:
    """The packs' decoder, for the page's early fetch (``static/cmdmap/preload.js``)."""
    return asset_url("cmdmap/decode.js")


@lru_cache(maxsize=1)
def preload_script() -> str:
    """The function a map page runs from its first lines to fetch its packs early (``static/cmdmap/preload.js``)."""
    return (STATIC_DIR / "cmdmap" / "preload.js").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def timeline_script() -> str:
    """The function a map page runs on every rerun so that a time line step recolours its map at once
    (``static/cmdmap/timeline.js``)."""
    return (STATIC_DIR / "cmdmap" / "timeline.js").read_text(encoding="utf-8")


def pack_worker_url() -> str:
    """The page's worker that fetches and decodes packs (started by ``static/cmdmap/preload.js``)."""
    return asset_url("cmdmap/packworker.js")


def use_local_assets(m: folium.Map) -> folium.Map:
    """Point every element's asset lists at the app's static folder, dropping what the maps don't use.

    Raises if an element wants a script or stylesheet we do not vendor, so a new
    folium feature can never silently reach for a CDN.
    """
    def walk(element):
        yield element
        for child in getattr(element, "_children", {}).values():
            yield from walk(child)

    for element in walk(m):
        if element is m:
            element.default_js = list(map_scripts())
            element.default_css = [*LOCAL_CSS, ("cmdmap_css", asset_url(MAP_CSS))]
            continue
        for attr in ("default_js", "default_css"):
            wanted = [url for _, url in getattr(element, attr, [])]
            foreign = [url for url in wanted if not url.startswith(f"{STATIC_URL}/")]
            if foreign:
                raise ValueError(f"{type(element).__name__} needs assets that are not vendored: {foreign}")
    return m
