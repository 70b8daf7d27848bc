"""A page's map: the base map that stays put, the update each rerun sends, and where the map opens."""

from __future__ import annotations

import json

import folium
import geopandas as gpd
import numpy as np
import shapely
from jinja2 import Template

from geo.domain import t
from geo.io import convert_geometries
from geo.maps.assets import use_local_assets
from geo.maps.basemap import add_basemap, max_zoom, overlay_datum
from geo.maps.fastlayer import FastLayer, Layer, MapUpdate, RawScript, Source, fields_apart, layer_state, places_of
from geo.maps.legend import Legend
from geo.settings import Settings

#: The least extent a map opens on or jumps to, in degrees (about 500 m): a single point (a search that
#: finds one compound) is shown with its streets around it, not at the deepest zoom the map has.
MIN_SPAN = 0.005


def _at_least(bounds: tuple[float, float, float, float], span: float = MIN_SPAN) -> tuple[float, ...]:
    """``bounds`` grown about their centre to at least ``span`` degrees each way.

    >>> _at_least((114.3, 29.8, 114.3, 29.8), span=0.01)
    (114.295, 29.795, 114.305, 29.805)
    """
    minx, miny, maxx, maxy = bounds
    dx, dy = max(0.0, span - (maxx - minx)) / 2, max(0.0, span - (maxy - miny)) / 2
    return (round(minx - dx, 9), round(miny - dy, 9), round(maxx + dx, 9), round(maxy + dy, 9))


def initial_bounds(frame: gpd.GeoDataFrame, share: float = 0.9,
                   few: int = 50) -> tuple[float, float, float, float] | None:
    """Where the map opens: all of a few features, else the central ``share`` of many (the urban
    core, not the far-flung villages), so that compounds are big enough to see and click; at least
    :data:`MIN_SPAN` across, so that one point is seen among its streets.

    >>> from shapely import Point
    >>> pts = gpd.GeoDataFrame(geometry=[Point(x, 0) for x in [0, 1, 2, 3, 100]])
    >>> initial_bounds(pts, share=0.5, few=3)
    (1.0, -0.0025, 3.0, 0.0025)
    >>> initial_bounds(pts)
    (0.0, -0.0025, 100.0, 0.0025)
    >>> initial_bounds(pts.iloc[:1])
    (-0.0025, -0.0025, 0.0025, 0.0025)
    """
    if len(frame):  # a place without a shape has no extent (its NaN bounds would spoil the others')
        frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    if frame.empty:
        return None
    if len(frame) < few:
        return _at_least(tuple(float(v) for v in frame.total_bounds))
    # the middle of each place's extent: a point on its surface took 1.2 s of each rerun at a million compounds
    box = shapely.bounds(frame.geometry.to_numpy())
    xs, ys = (box[:, 0] + box[:, 2]) / 2, (box[:, 1] + box[:, 3]) / 2
    cut = (1 - share) / 2
    (x0, x1), (y0, y1) = np.quantile(xs, [cut, 1 - cut]), np.quantile(ys, [cut, 1 - cut])
    return _at_least((float(x0), float(y0), float(x1), float(y1)))


def _fit_bounds(m: folium.Map, bounds, datum: str) -> None:
    if bounds is not None and np.all(np.isfinite(bounds)):
        minx, miny, maxx, maxy = convert_geometries([shapely.box(*bounds)], "wgs84", datum)[0].bounds
        m.fit_bounds([[miny, minx], [maxy, maxx]])


class PhoneGestures(RawScript):
    """The map on a phone (``static/cmdmap/phone.js``): one finger scrolls the page and two move the map,
    the layer list and the legend folded on a narrow map; the words of the map's own controls.

    Put last on the base map: the layer control must exist when it runs.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        window.cmdmap && window.cmdmap.configure({{ this.labels }});
        L.cmdmapPhone && L.cmdmapPhone({{ this._parent.get_name() }}, {{ this.labels }});
        {% endmacro %}
    """)

    def __init__(self, lang: str):
        super().__init__()
        self._name = "PhoneGestures"
        labels = {"hint": t("map_two_fingers", lang), "legend": t("map_legend", lang),
                  "colon": t("field_separator", lang)}  # between a tooltip line's label and its value
        self.labels = json.dumps(labels, ensure_ascii=False).replace("<", "\\u003c")


def base_map(layers: list[Layer], sources: dict[str, list[Source]], settings: Settings,
             bounds: tuple[float, float, float, float] | None = None, height: int = 600,
             control: bool = True, kiosk: bool = False, lang: str = "zh") -> folium.Map:
    """The part of a map that stays put while a page reruns: base map, layers' places, layer control, extent.

    It changes only with the data version, the language or the settings, so
    streamlit-folium never remounts it for a filter or a date; the statuses
    come in a :func:`map_update`. ``bounds`` (minx, miny, maxx, maxy in WGS-84)
    sets the first view. ``kiosk``: a screen nobody touches (the wall), without zoom buttons, its first view
    filling the frame (at any zoom, not the nearest whole level out, which may show twice the extent).
    ``lang``: the language of the map's own controls.
    """
    datum = overlay_datum(settings)
    m = folium.Map(location=[30.0, 114.0], zoom_start=11, tiles=None, control_scale=True,
                   height=height, width="100%", maxZoom=max_zoom(settings), zoom_control=not kiosk,
                   **({"zoom_snap": 0.1} if kiosk else {}))
    add_basemap(m, settings)
    for layer in layers:
        FastLayer(layer, sources[layer.key], settings.map_places_at_once).add_to(m)
    if control and len(layers) > 1:
        folium.LayerControl(collapsed=False, position="topright").add_to(m)
    _fit_bounds(m, bounds, datum)
    PhoneGestures(lang).add_to(m)
    return use_local_assets(m)


def map_update(layers: list[Layer], sources: dict[str, list[Source]], legends: list[Legend] | None = None,
               fit: tuple[str, tuple | None] | None = None, datum: str = "wgs84",
               hidden: tuple[str, ...] = (), at_once: int = 0) -> MapUpdate:
    """The statuses of every layer, the legend and, when ``fit``'s key (the filters) changed, a new extent.

    Layers named in ``hidden`` keep their statuses in the browser but are not drawn (the wall's rotation).
    ``at_once``: the setting ``map_places_at_once``, past a share of which a layer's tooltip columns are
    fetched beside its packs (:func:`geo.maps.fastlayer.fields_apart`).
    """
    states = [layer_state(layer, places_of(sources[layer.key]), fields_apart(sources[layer.key], at_once))
              for layer in layers]
    message: dict = {"states": states + [{"key": key, "visible": False} for key in hidden],
                     "legend": "".join(legend.part() for legend in legends or [])}
    if fit is not None:
        key, bounds = fit
        corners = None
        if bounds is not None and np.all(np.isfinite(bounds)):
            minx, miny, maxx, maxy = convert_geometries([shapely.box(*bounds)], "wgs84", datum)[0].bounds
            corners = [[miny, minx], [maxy, maxx]]
        message["fit"] = {"key": key, "bounds": corners, "initial": key == ""}
    return MapUpdate(message)


class MapFocus(RawScript):
    """Take the open map to one place (a row chosen in the table under it), once per choice."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        window.cmdmap && window.cmdmap.focus({{ this.message }});
        {% endmacro %}
    """)

    def __init__(self, message: dict):
        super().__init__()
        self._name = "MapFocus"
        self.message = json.dumps(message, ensure_ascii=False).replace("<", "\\u003c")


def map_focus(key: str, frame: gpd.GeoDataFrame | None = None, datum: str = "wgs84") -> MapFocus:
    """The open map flies to the places of ``frame`` (framed as :func:`initial_bounds` frames them) when ``key``
    (what was chosen) differs from the last one it was sent; ``''``: nothing chosen, the map stays.

    >>> from shapely import Point
    >>> map_focus("row C1", gpd.GeoDataFrame(geometry=[Point(114.3, 29.8)])).message
    '{"key": "row C1", "bounds": [[29.7975, 114.2975], [29.8025, 114.3025]]}'
    """
    bounds = initial_bounds(frame) if key and frame is not None else None
    corners = None
    if bounds is not None and np.all(np.isfinite(bounds)):
        minx, miny, maxx, maxy = convert_geometries([shapely.box(*bounds)], "wgs84", datum)[0].bounds
        corners = [[miny, minx], [maxy, maxx]]
    return MapFocus({"key": key, "bounds": corners})
