"""Build the folium maps: offline assets, base maps, fast canvas layers, their per-rerun updates, legends.

Four choices keep the maps safe and fast at 100,000 places:

* every browser asset comes from the app's own static folder (no CDN), so the
  map draws on an intranet with no internet;
* a map is split in two: the base map (tiles, the places' shapes as packs of
  :mod:`geo.maps.pack`, the layer control), which only a new data version changes,
  and an update (a category per place, tooltip columns, legend, extent) that
  every rerun sends through streamlit-folium's dynamic feature group, so a
  filter never re-sends shapes nor remounts the map;
* ``static/cmdmap/fastlayer.js`` draws a layer on one canvas, styles being
  one lookup table per layer and a place a few pixels across a rectangle;
* tooltips are built in the browser from text nodes, legends are escaped here,
  embedded JSON has every ``<`` escaped, and scripts never pass through Jinja
  a second time (:class:`RawScript`), so no value can become markup or code.

Examples
--------
>>> overlay_datum({"basemap": "amap"})
'gcj02'
>>> overlay_datum({"basemap": "custom", "tile_crs": "wgs84"})
'wgs84'
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from geo.io.datum_convert import convert_geometries
from geo.maps.pack import Pack, encode_ints, pack_places

STATIC_ROOT = "/app/static/vendor"
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


@dataclass
class Layer:
    """One map layer on one page: which places it draws and how they stand today.

    ``frame`` has a row per place shown (filtered out places have none): its
    ``id``, its ``category`` (a key of ``styles``) and the columns that
    ``fields`` lists for the tooltip, under the place's name. The shapes come
    from the dataset layers named in ``places`` ("compounds", "sites", "zones"),
    packed once per data version; with no ``places`` they come from the
    frame's own ``geometry`` and ``name`` (an upload's preview).
    """

    name: str
    kind: str  # what a click on a feature refers to: "compounds", "sites", "zones", …
    frame: pd.DataFrame
    styles: dict[str, dict]  # category -> Leaflet path style; "pt_<category>" overrides it for points
    fields: list[tuple[str, str]] = field(default_factory=list)  # (label, column) lines of the tooltip
    places: tuple[str, ...] = ()
    key: str = ""  # the layer's stable name in the page; the kind by default
    radius: int = 7  # for point features, drawn as circles
    show: bool = True
    interactive: bool = True
    tooltips: bool = True
    highlight: frozenset[str] = frozenset()  # ids drawn with HIGHLIGHT_STYLE on top of their category style

    def __post_init__(self):
        self.key = self.key or self.kind


#: How a highlighted feature (just changed, on the wall display) is outlined.
HIGHLIGHT_STYLE = {"color": "#00e5ff", "weight": 5, "opacity": 1, "dashArray": None}


def _asset(path: str) -> str:
    """URL of one of our static files, versioned by content so that browsers never run a stale copy."""
    digest = hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:12]
    return f"/app/static/{path}?v={digest}"


def _bundle(name: str, parts: tuple[str, ...]) -> str | None:
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
    return f"/app/static/cache/{target.name}"


STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
DECODER_JS = _asset("cmdmap/decode.js")
_MAP_SCRIPTS = ("vendor/leaflet/leaflet.js", "cmdmap/decode.js", "cmdmap/fastlayer.js")
#: Every script of a map: Leaflet, the packs' decoder and the canvas layer, as one file when it can be written.
LOCAL_JS = ([("cmdmap_map", url)] if (url := _bundle("cmdmap-map", _MAP_SCRIPTS))
            else [(Path(part).stem, _asset(part)) for part in _MAP_SCRIPTS])
#: The page's worker that fetches and decodes packs (started by ``static/cmdmap/preload.js``).
PACK_WORKER_JS = _asset("cmdmap/packworker.js")


@dataclass(frozen=True)
class Source:
    """Where the browser gets a pack: a static file's URL, or the pack itself written into the page."""

    pack: Pack
    url: str | None = None

    @property
    def gz_url(self) -> str | None:
        """The gzipped copy (see :func:`geo.maps.pack.write_pack`), for browsers that can unzip it."""
        return f"{self.url}.gz" if self.url else None

    def js(self) -> str:
        if self.url:
            return json.dumps({"id": self.pack.digest, "url": self.url, "gz": self.gz_url})
        return f'{{"id":{json.dumps(self.pack.digest)},"data":{self.pack.text}}}'


def inline_sources(layer: Layer, datum: str) -> list[Source]:
    """The layer's own shapes (``frame`` with ``geometry`` and ``name``), embedded in the page."""
    frame = layer.frame if "name" in layer.frame else layer.frame.assign(name=layer.frame["id"])
    return [Source(pack_places(frame, datum))]


class _Text(Element):
    """Text put into the page as it is."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class RawScript(MacroElement):
    """Put an element's rendered script into the page as plain text.

    branca's ``MacroElement.render`` makes the rendered script a new Jinja
    template: a value holding ``{{ … }}`` would be run on the server, one
    holding ``{%`` would break the page, and 100,000 places' statuses took
    0.1 s to compile. Put it before the folium class among the bases.
    """

    def render(self, **kwargs):
        script = self._template.module.__dict__.get("script")
        if script is not None:
            self.get_root().script.add_child(_Text(script(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


class FastLayer(JSCSSMixin, RawScript, folium.map.Layer):
    """A :class:`Layer`'s places drawn on a canvas by ``static/cmdmap/fastlayer.js``; no statuses in it."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = new L.CmdmapLayer({
            key: {{ this.key|tojson }}, kind: {{ this.kind|tojson }}, styles: {{ this.styles|tojson }},
            radius: {{ this.radius }}, interactive: {{ this.interactive|tojson }},
            tooltips: {{ this.tooltips|tojson }}, highlight: {{ this.highlight_style|tojson }},
            sources: [{{ this.sources_js }}]
        });
        {% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
        {% endmacro %}
    """)
    default_js = LOCAL_JS  # the map's one script holds this layer's code

    def __init__(self, layer: Layer, sources: list[Source]):
        super().__init__(name=layer.name, overlay=True, control=True, show=layer.show)
        self._name = "FastLayer"
        self.key, self.kind, self.styles, self.radius = layer.key, layer.kind, layer.styles, layer.radius
        self.interactive, self.tooltips, self.highlight_style = layer.interactive, layer.tooltips, HIGHLIGHT_STYLE
        self.sources_js = ",".join(source.js() for source in sources)


def _column(values: pd.Series, where: np.ndarray, n: int) -> list | dict:
    """Tooltip values as text in pack order (``where``: each row's place in the pack of ``n``; a place with
    no row gets ''); as a dictionary and varint codes (:func:`geo.maps.pack.encode_ints`) when values repeat,
    which makes 100,000 places' zones or resident counts a few hundred kilobytes."""
    codes, distinct = pd.factorize(values.astype(object).where(values.notna(), ""))
    placed = np.full(n, -1, dtype=np.int64)
    placed[where] = codes
    if len(distinct) * 2 < n:
        return {"d": [str(v) for v in distinct], "i": encode_ints(placed)}
    text = np.array([*(str(v) for v in distinct), ""], dtype=object)
    return text[placed].tolist()  # -1 picks the last, ''


_PACK_INDEXES: dict[tuple[str, ...], pd.Index] = {}


def _pack_index(packs: list[Pack]) -> pd.Index:
    """The ids of ``packs`` in order, as an index kept per set of packs (its hash table took 30 ms per rerun)."""
    key = tuple(pack.digest for pack in packs)
    index = _PACK_INDEXES.get(key)  # one lookup: another session may clear the dictionary meanwhile
    if index is None:
        if len(_PACK_INDEXES) >= 16:
            _PACK_INDEXES.clear()
        index = _PACK_INDEXES[key] = pd.Index(np.concatenate([pack.ids for pack in packs]))
    return index


def layer_state(layer: Layer, packs: list[Pack]) -> dict:
    """What the browser needs to draw ``layer`` over ``packs``: a category index per place (-1: not shown,
    varint coded), the tooltip columns and the highlighted places, all in pack order.

    >>> from geo.maps.pack import decode_ints
    >>> pack = Pack(np.array(["a", "b"]), "", "ab")
    >>> layer = Layer("小区", "compounds", pd.DataFrame({"id": ["b"], "category": ["open"], "n": [3]}),
    ...               {"sealed": {}, "open": {}}, fields=[("人数", "n")])
    >>> decode_ints(layer_state(layer, [pack])["c"]).tolist()
    [-1, 1]
    """
    index = _pack_index(packs)
    frame = layer.frame
    rows = pd.Index(frame["id"].astype(str))
    if not rows.is_unique:
        keep = ~rows.duplicated(keep="last")
        frame, rows = frame[keep], rows[keep]
    where = index.get_indexer(rows)
    placed = where >= 0  # a row whose place has no shape is not drawn
    frame, where = frame[placed], where[placed]
    categories = [k for k in layer.styles if not k.startswith("pt_")]
    present = frame["category"].dropna().astype(str).unique().tolist()
    categories += [c for c in present if c not in categories]
    codes = np.full(len(index), -1, dtype=np.int64)
    codes[where] = pd.Categorical(frame["category"], categories=categories).codes
    fields = [[label, _column(frame[column], where, len(index))] for label, column in layer.fields]
    lit = np.flatnonzero(index.isin(list(layer.highlight))).tolist() if layer.highlight else []
    return {"key": layer.key, "cats": categories, "c": encode_ints(codes), "fields": fields, "h": lit}


class MapUpdate(RawScript):
    """One rerun's statuses, legend and view for the layers already on the map (sent without reloading it)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        window.cmdmap && window.cmdmap.update({{ this.message }});
        {% endmacro %}
    """)

    def __init__(self, message: dict):
        super().__init__()
        self._name = "MapUpdate"
        # '<' escaped: no value can close the script element
        self.message = json.dumps(message, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


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


def _fit_bounds(m: folium.Map, bounds, datum: str) -> None:
    if bounds is not None and np.all(np.isfinite(bounds)):
        minx, miny, maxx, maxy = convert_geometries([shapely.box(*bounds)], "wgs84", datum)[0].bounds
        m.fit_bounds([[miny, minx], [maxy, maxx]])


def base_map(layers: list[Layer], sources: dict[str, list[Source]], settings: dict,
             bounds: tuple[float, float, float, float] | None = None, height: int = 600,
             control: bool = True) -> folium.Map:
    """The part of a map that stays put while a page reruns: base map, layers' places, layer control, extent.

    It changes only with the data version, the language or the settings, so
    streamlit-folium never remounts it for a filter or a date; the statuses
    come in a :func:`map_update`. ``bounds`` (minx, miny, maxx, maxy in WGS-84)
    sets the first view.
    """
    datum = overlay_datum(settings)
    m = folium.Map(location=[30.0, 114.0], zoom_start=11, tiles=None, control_scale=True,
                   height=height, width="100%")
    add_basemap(m, settings)
    for layer in layers:
        FastLayer(layer, sources[layer.key]).add_to(m)
    if control and len(layers) > 1:
        folium.LayerControl(collapsed=False, position="topright").add_to(m)
    _fit_bounds(m, bounds, datum)
    return use_local_assets(m)


def map_update(layers: list[Layer], sources: dict[str, list[Source]], legends: list[Legend] | None = None,
               fit: tuple[str, tuple | None] | None = None, datum: str = "wgs84",
               hidden: tuple[str, ...] = ()) -> MapUpdate:
    """The statuses of every layer, the legend and, when ``fit``'s key (the filters) changed, a new extent.

    Layers named in ``hidden`` keep their statuses in the browser but are not drawn (the wall's rotation).
    """
    states = [layer_state(layer, [s.pack for s in sources[layer.key]]) for layer in layers]
    message: dict = {"states": states + [{"key": key, "visible": False} for key in hidden],
                     "legend": '<hr style="margin:6px 0">'.join(legend.html() for legend in legends or [])}
    if fit is not None:
        key, bounds = fit
        corners = None
        if bounds is not None and np.all(np.isfinite(bounds)):
            minx, miny, maxx, maxy = convert_geometries([shapely.box(*bounds)], "wgs84", datum)[0].bounds
            corners = [[miny, minx], [maxy, maxx]]
        message["fit"] = {"key": key, "bounds": corners, "initial": key == ""}
    return MapUpdate(message)


def build_map(layers: list[Layer], settings: dict, legends: list[Legend] | None = None,
              bounds: tuple[float, float, float, float] | None = None, height: int = 600,
              sources: dict[str, list[Source]] | None = None) -> folium.Map:
    """A whole map in one page (the base map with its update inside), shapes embedded unless ``sources``.

    ``bounds`` defaults to the extent of all layers.
    """
    datum = overlay_datum(settings)
    sources = dict(sources or {})
    for layer in layers:
        if layer.key not in sources:
            sources[layer.key] = inline_sources(layer, datum)
    if bounds is None:
        frames = [layer.frame for layer in layers if isinstance(layer.frame, gpd.GeoDataFrame) and not layer.frame.empty]
        if frames:
            totals = np.array([frame.total_bounds for frame in frames])
            bounds = (totals[:, 0].min(), totals[:, 1].min(), totals[:, 2].max(), totals[:, 3].max())
    m = base_map(layers, sources, settings, bounds, height)
    map_update(layers, sources, legends, datum=datum).add_to(m)
    return m
