"""Maps: packed shapes, canvas layers, their per-rerun updates, legends, base maps and offline assets.

A page's map is built in two parts (:func:`base_map`, :func:`map_update`) from
:class:`Layer` objects that :mod:`geo.maps.layers` makes out of the analysis views.
"""

from geo.maps.assets import decoder_url, map_scripts, pack_worker_url, preload_script, timeline_script, use_local_assets
from geo.maps.basemap import BASEMAPS, TILE_ROUTE, add_basemap, basemap_problem, local_tiles, overlay_datum
from geo.maps.build import MapFocus, base_map, initial_bounds, map_focus, map_update
from geo.maps.fastlayer import (
                                HIGHLIGHT_STYLE,
                                FastLayer,
                                ForgetRemovedGroups,
                                Layer,
                                MapUpdate,
                                Source,
                                fields_apart,
                                inline_sources,
                                layer_state,
                                places_of,
                                script_json,
)
from geo.maps.kept import keep_packs, kept_packs, places_key
from geo.maps.legend import Legend, LegendEntry
from geo.maps.pack import Pack, compressed, json_pack, pack_places, write_pack
from geo.maps.tiles import TILE_SHARE, Tile, Tiled, cut_tiles, pack_tiles

__all__ = ["BASEMAPS", "HIGHLIGHT_STYLE", "FastLayer", "ForgetRemovedGroups", "Layer", "Legend", "LegendEntry",
           "MapFocus", "map_focus",
           "MapUpdate", "Pack", "Source", "TILE_ROUTE", "add_basemap", "basemap_problem", "local_tiles", "base_map", "decoder_url", "initial_bounds",
           "fields_apart", "inline_sources", "layer_state", "map_scripts", "places_of", "TILE_SHARE", "Tile", "Tiled", "cut_tiles", "pack_tiles", "map_update", "overlay_datum", "pack_places",
           "pack_worker_url", "preload_script", "script_json", "timeline_script", "use_local_assets", "compressed", "json_pack", "write_pack",
           "keep_packs", "kept_packs", "places_key"]
