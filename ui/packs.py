"""Packs of places written once per data version and scope, for the browser to fetch beside the page.

A scoped account's packs hold only its scope's places (the dataset of :mod:`ui.cache`) and are written
into a folder of their own, ``static/cache/s-<scope digest>/``: the web server (``ui/server.py``) hands a
browser logged in only with scoped accounts nothing of ``static/cache`` but its own scope's folder and the
map's scripts, so the whole city's packs never reach it.
"""

from __future__ import annotations

from pathlib import Path

from geo.accounts import Scope
from geo.domain import layer_tables
from geo.maps import (
    TILE_SHARE,
    Pack,
    Source,
    compressed,
    keep_packs,
    kept_packs,
    pack_places,
    pack_tiles,
    places_key,
    write_pack,
)
from geo.store import snapshot_folder
from ui.cache import data_key, per_version, scoped
from ui.held import hold
from ui.settings import settings

#: Packs of places are written here and served by Streamlit's static file serving (``/app/static/cache``).
PACK_DIR = Path(__file__).resolve().parent.parent / "static" / "cache"


def scope_folder(scope: Scope | None) -> str:
    """The folder under ``static/cache`` of a scope's packs ('' for the whole city's).

    >>> scope_folder(None), scope_folder(Scope.parse("zone:Z1"))
    ('', 's-7d54998b7f5c1d51/')
    """
    return f"s-{scope.digest}/" if scope is not None else ""


def _written(pack: Pack, folder: str, role: str = "whole", box=None) -> Source:
    url = f"/app/static/cache/{folder}{pack.file_name}"
    if write_pack(pack, PACK_DIR / folder):
        return Source(pack, url, role, box, PACK_DIR / folder)
    hold(url, compressed(pack))  # a read-only install: the web server answers from memory (ui/held.py)
    return Source(pack, url, role, box)


#: The packs made last of each (store, scope, layer, datum, setting), with the places they were made of: a
#: version that wrote only daily reports keeps the very same places (:func:`geo.store.refresh_store`), whose
#: packs are then not made again (a million compounds' tiles took 20 s of the first visit after each import).
_LAST_PACKED: dict[tuple, tuple[object, tuple[Source, ...]]] = {}


@per_version(max_entries=12)
def _sources(url: str, version: int, scope: str, kind: str, datum: str, at_once: int) -> tuple[Source, ...]:
    places = scoped(url, version, scope).layer(kind)
    key = (url, scope, kind, datum, at_once)
    last = _LAST_PACKED.get(key)
    folder = scope_folder(Scope.of_text(scope))
    if last is not None and last[0] is places:  # held here, so no other frame can have its identity
        # written again (touched, or made again if removed): old packs are forgotten by their files' age
        return tuple(_written(source.pack, folder, source.role, source.box) for source in last[1])
    # an earlier start's packs of the same places (geo/maps/kept.py), kept beside the SQLite store
    store_side = snapshot_folder(url)
    index = store_side / "packs" if store_side is not None else None
    choices = places_key(places, datum, at_once, TILE_SHARE) if index is not None else ""
    packs = kept_packs(index, choices, PACK_DIR / folder) if index is not None else None
    made = packs is None
    if made:
        packs = _packed(places, datum, at_once)
    sources = tuple(_written(pack, folder, role, box) for role, box, pack in packs)
    if made and index is not None and all(source.folder is not None for source in sources):
        keep_packs(index, choices, packs)
    if len(_LAST_PACKED) >= 64:
        _LAST_PACKED.clear()
    _LAST_PACKED[key] = (places, sources)
    return sources


def _packed(places, datum: str, at_once: int) -> list:
    """The packs of ``places`` as (role, extent, pack): one whole, or past ``at_once`` places the dots and tiles."""
    if len(places) <= at_once:
        return [("whole", None, pack_places(places, datum))]
    tiled = pack_tiles(places, max(1, int(at_once * TILE_SHARE)), datum)
    return [("dots", None, tiled.dots), *(("tile", tile.box, tile.pack) for tile in tiled.tiles)]


def place_sources_for(data: tuple[str, int, str], kinds: tuple[str, ...], datum: str, at_once: int) -> list[Source]:
    """The packed places of dataset layers ``kinds`` of the data key ``data`` (store URL, version, scope text),
    built once per data version and scope for every session: one pack per kind, or past ``at_once`` places its
    dots and tiles (:mod:`geo.maps.tiles`)."""
    return [source for kind in kinds for source in _sources(*data, kind, datum, max(1, at_once))]


def place_sources(kinds: tuple[str, ...], datum: str) -> list[Source]:
    """:func:`place_sources_for` inside the viewing account's scope."""
    return place_sources_for(data_key(), kinds, datum, settings().map_places_at_once)


def prepare_packs(url: str, version: int, datum: str, at_once: int) -> None:
    """The packs of every layer of places of ``version`` that has any, for the whole city, written as
    :func:`place_sources` writes them (:mod:`ui.warmup` calls it off the pages' threads)."""
    ds = scoped(url, version, "")
    for kind in layer_tables():
        if not ds.layer(kind).empty:
            _sources(url, version, "", kind, datum, max(1, at_once))
