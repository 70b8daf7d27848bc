"""What a map shows on one rerun (:class:`MapState`), made once for every session of a data version: by the first
page to ask, or where no session is at hand (the server's warm-up, :mod:`ui.warmup`)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from geo.maps import Layer, Legend, MapUpdate, Source, inline_sources, map_update, overlay_datum
from ui.cache import data_key
from ui.packs import place_sources_for
from ui.settings import settings


@dataclass(frozen=True)
class MapState:
    """What a map shows on one rerun: its layers (their rows already in ``update``), where the packs of
    places are, the update itself and the extent of what is shown."""

    layers: list[Layer]
    sources: dict[str, list[Source]]
    update: MapUpdate
    bounds: tuple | None


def map_state_for(data: tuple[str, int, str], layers: list[Layer], legends: list[Legend], datum: str, at_once: int,
                  bounds=None, fit_key: str = "") -> MapState:
    """Statuses, legend and, when ``fit_key`` changes, the ``bounds`` of what is shown, for :func:`show_map`, with
    the packed places of the data key ``data`` (store URL, version, scope text): made where no session is at
    hand too (the server's warm-up).

    The layers' rows are dropped once in the update, so that :func:`ui.cache.shared` can keep a state
    for every session at a few megabytes.
    """
    sources = {layer.key: place_sources_for(data, layer.places, datum, at_once) if layer.places
               else inline_sources(layer, datum) for layer in layers}
    update = map_update(layers, sources, legends, fit=(fit_key, bounds), datum=datum, at_once=at_once)
    return MapState([replace(layer, frame=layer.frame.iloc[0:0]) for layer in layers], sources, update, bounds)


def map_state(layers: list[Layer], legends: list[Legend], bounds=None, fit_key: str = "") -> MapState:
    """:func:`map_state_for` inside the viewing account's scope, with the server's settings."""
    s = settings()
    return map_state_for(data_key(), layers, legends, overlay_datum(s), s.map_places_at_once, bounds, fit_key)
