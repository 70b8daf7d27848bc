"""Build the folium maps: offline assets, base maps, category-styled layers and the legend.

Three choices keep the maps safe and fast:

* every browser asset comes from the app's own static folder (no CDN), so the
  map draws on an intranet with no internet;
* features carry only ``id``, category ``c`` and an already escaped tooltip
  ``t``; styles are one lookup table per layer in JavaScript, not one switch
  over feature ids per style as folium's ``style_function`` writes;
* the GeoJSON text is embedded with every ``<`` escaped, so no value can
  close the script element.

Examples
--------
>>> overlay_datum({"basemap": "amap"})
'gcj02'
>>> overlay_datum({"basemap": "custom", "tile_crs": "wgs84"})
'wgs84'
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import MacroElement
from jinja2 import Template

from geo.coords import convert_geometries

STATIC_ROOT = "/app/static/vendor"
LOCAL_JS = [("leaflet", f"{STATIC_ROOT}/leaflet/leaflet.js")]
LOCAL_CSS = [("leaflet_css", f"{STATIC_ROOT}/leaflet/leaflet.css")]


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


def overlay_datum(settings: dict) -> str:
    """The datum overlays must be drawn in to sit on the chosen base map's tiles."""
    basemap = settings.get("basemap", "none")
    if basemap == "custom":
        return settings.get("tile_crs", "wgs84")
    return BASEMAPS[basemap].datum if basemap in BASEMAPS else "wgs84"


def add_basemap(m: folium.Map, settings: dict) -> None:
    """Add the configured tile layer; 'none' (or a custom URL left empty) adds nothing."""
    basemap = settings.get("basemap", "none")
    if basemap == "custom":
        url = str(settings.get("tile_url") or "")
        if not url:
            return
        tiles = Basemap(url, escape(url), "abc", settings.get("tile_crs", "wgs84"))
    elif basemap in BASEMAPS:
        tiles = BASEMAPS[basemap]
        if basemap == "tianditu":
            tiles = Basemap(tiles.url.replace("{key}", str(settings.get("tianditu_key", ""))),
                            tiles.attribution, tiles.subdomains, tiles.datum)
    else:
        return
    folium.TileLayer(tiles.url, attr=tiles.attribution, subdomains=tiles.subdomains,
                     max_zoom=tiles.max_zoom, name="basemap", control=False).add_to(m)


def tooltip_html(title: str, rows: list[tuple[str, object]]) -> str:
    """Escaped tooltip HTML: a bold title and label/value lines.

    >>> tooltip_html("<img src=x onerror=alert(1)>", [("状态", "全封闭")])
    '<b>&lt;img src=x onerror=alert(1)&gt;</b><br>状态：全封闭'
    """
    parts = [f"<b>{escape(str(title))}</b>"]
    parts += [f"{escape(str(label))}：{escape(str(value))}" for label, value in rows]
    return "<br>".join(parts)


def feature_collection(frame: gpd.GeoDataFrame, datum: str = "wgs84", precision: int = 6, kind: str = "",
                       highlight: frozenset[str] = frozenset()) -> str:
    """GeoJSON text of ``frame``'s id, layer kind ``k``, category ``c``, tooltip ``t`` and highlight flag ``h``,
    with ``<`` escaped."""
    geometries = frame.geometry.to_numpy()
    if datum != "wgs84":
        geometries = convert_geometries(geometries, "wgs84", datum)
    geometries = shapely.set_precision(geometries, 10.0 ** -precision, mode="pointwise")
    geo_texts = shapely.to_geojson(geometries)
    props = [json.dumps({"id": i, "k": kind, "c": c, "t": t, **({"h": 1} if i in highlight else {})},
                        ensure_ascii=False)
             for i, c, t in zip(frame["id"].astype(str), frame["category"].astype(str), frame["tip"].astype(str))]
    features = ",".join(
        f'{{"type":"Feature","geometry":{g},"properties":{p}}}'
        for g, p in zip(geo_texts, props) if g is not None
    )
    return ('{"type":"FeatureCollection","features":[' + features + "]}").replace("<", "\\u003c")


@dataclass
class Layer:
    """One map layer: features with id/category/tip, and a style per category."""

    name: str
    kind: str  # what a click on a feature refers to: "compounds", "sites", "zones", …
    frame: gpd.GeoDataFrame
    styles: dict[str, dict]  # category -> Leaflet style; "pt_<category>" overrides it for points
    radius: int = 7  # for point features, drawn as circle markers
    show: bool = True
    interactive: bool = True
    tooltips: bool = True
    highlight: frozenset[str] = frozenset()  # ids drawn with HIGHLIGHT_STYLE on top of their category style


#: How a highlighted feature (just changed, on the wall display) is outlined.
HIGHLIGHT_STYLE = {"color": "#00e5ff", "weight": 5, "opacity": 1, "dashArray": None}


class CategoryGeoJson(folium.map.Layer):
    """A GeoJSON layer styled by a per-category lookup in one JavaScript function."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }}_styles = {{ this.styles|tojson }};
        var {{ this.get_name() }} = L.geoJson(null, {
            interactive: {{ this.interactive|tojson }},
            style: function (f) {
                var s = {{ this.get_name() }}_styles, c = f.properties.c;
                var style = (f.geometry.type === "Point" && s["pt_" + c]) || s[c] || {};
                return f.properties.h ? Object.assign({}, style, {{ this.highlight_style|tojson }}) : style;
            },
            pointToLayer: function (f, latlng) {
                return L.circleMarker(latlng, {radius: {{ this.radius }}});
            },
            onEachFeature: function (f, layer) {
                {% if this.tooltips %}layer.bindTooltip(f.properties.t, {sticky: true});{% endif %}
            }
        });
        {{ this.get_name() }}.addData({{ this.data }});
        {% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
        {% endmacro %}
    """)

    def __init__(self, layer: Layer, datum: str):
        super().__init__(name=layer.name, overlay=True, control=True, show=layer.show)
        self._name = "CategoryGeoJson"
        self.styles = layer.styles
        self.radius = layer.radius
        self.interactive = layer.interactive
        self.tooltips = layer.tooltips
        self.highlight_style = HIGHLIGHT_STYLE
        self.data = feature_collection(layer.frame, datum, kind=layer.kind, highlight=frozenset(layer.highlight))


class ForgetRemovedGroups(MacroElement):
    """Lets the browser free the layers a dynamic update has replaced.

    streamlit-folium removes the previous feature groups from the map but keeps
    them in ``window.feature_group`` for ever: on a display that updates all day
    that is a steady leak. Put first in each dynamic feature group.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        if (window.feature_group && window.map) {
            window.feature_group = window.feature_group.filter(function (g) { return window.map.hasLayer(g); });
        }
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "ForgetRemovedGroups"


@dataclass
class LegendEntry:
    label: str
    color: str
    count: int | None = None
    dashed: bool = False


@dataclass
class Legend:
    title: str
    entries: list[LegendEntry] = field(default_factory=list)

    def html(self) -> str:
        """Escaped legend HTML with a swatch, label and count per entry."""
        lines = [f'<div style="font-weight:600;margin-bottom:4px">{escape(self.title)}</div>']
        for entry in self.entries:
            border = "2px dashed #616161" if entry.dashed else "1px solid #424242"
            count = "" if entry.count is None else f' <span style="color:#555">({entry.count})</span>'
            lines.append(
                f'<div style="display:flex;align-items:center;gap:6px;margin:2px 0">'
                f'<span style="display:inline-block;width:16px;height:12px;background:{escape(entry.color)};'
                f'border:{border}"></span><span>{escape(entry.label)}{count}</span></div>'
            )
        return "".join(lines)


class LegendControl(MacroElement):
    """An always-visible Leaflet control holding one or more legends."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "bottomright"});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "cmdmap-legend");
            div.style.cssText = "background:rgba(255,255,255,.92);padding:8px 10px;border-radius:6px;" +
                "box-shadow:0 1px 4px rgba(0,0,0,.3);font:13px/1.4 'Noto Sans CJK SC','WenQuanYi Micro Hei'," +
                "sans-serif;max-height:60vh;overflow:auto";
            div.innerHTML = {{ this.html|tojson }};
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, legends: list[Legend]):
        super().__init__()
        self._name = "LegendControl"
        self.html = '<hr style="margin:6px 0">'.join(legend.html() for legend in legends)


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
            element.default_js, element.default_css = list(LOCAL_JS), list(LOCAL_CSS)
            continue
        for attr in ("default_js", "default_css"):
            wanted = [url for _, url in getattr(element, attr, [])]
            foreign = [url for url in wanted if not url.startswith("/app/static/")]
            if foreign:
                raise ValueError(f"{type(element).__name__} needs assets that are not vendored: {foreign}")
    return m


def initial_bounds(frame: gpd.GeoDataFrame, share: float = 0.9,
                   few: int = 50) -> tuple[float, float, float, float] | None:
    """Where the map opens: all of a few features, else the central ``share`` of many (the urban
    core, not the far-flung villages), so that compounds are big enough to see and click.

    >>> from shapely import Point
    >>> pts = gpd.GeoDataFrame(geometry=[Point(x, 0) for x in [0, 1, 2, 3, 100]])
    >>> initial_bounds(pts, share=0.5, few=3)
    (1.0, 0.0, 3.0, 0.0)
    >>> initial_bounds(pts)
    (0.0, 0.0, 100.0, 0.0)
    """
    if frame.empty:
        return None
    if len(frame) < few:
        return tuple(float(v) for v in frame.total_bounds)
    centres = frame.geometry.representative_point()
    cut = (1 - share) / 2
    xs, ys = centres.x, centres.y
    return (float(xs.quantile(cut)), float(ys.quantile(cut)), float(xs.quantile(1 - cut)), float(ys.quantile(1 - cut)))


def build_map(layers: list[Layer], settings: dict, legends: list[Legend] | None = None,
              bounds: tuple[float, float, float, float] | None = None, height: int = 600) -> folium.Map:
    """A map with the base map of ``settings``, the layers, a layer control and the legend.

    ``bounds`` (minx, miny, maxx, maxy in WGS-84) sets the initial view; the
    default is the extent of all layers.
    """
    datum = overlay_datum(settings)
    m = folium.Map(location=[30.0, 114.0], zoom_start=11, tiles=None, control_scale=True,
                   height=height, width="100%")
    add_basemap(m, settings)
    for layer in layers:
        CategoryGeoJson(layer, datum).add_to(m)
    if legends:
        LegendControl(legends).add_to(m)
    if len(layers) > 1:
        folium.LayerControl(collapsed=False, position="topright").add_to(m)
    if bounds is None:
        frames = [layer.frame for layer in layers if not layer.frame.empty]
        if frames:
            totals = np.array([frame.total_bounds for frame in frames])
            bounds = (totals[:, 0].min(), totals[:, 1].min(), totals[:, 2].max(), totals[:, 3].max())
    if bounds is not None and np.all(np.isfinite(bounds)):
        minx, miny, maxx, maxy = convert_geometries([shapely.box(*bounds)], "wgs84", datum)[0].bounds
        m.fit_bounds([[miny, minx], [maxy, maxx]])
    return use_local_assets(m)
