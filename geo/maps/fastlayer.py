"""The Python side of ``static/cmdmap/fastlayer.js``: a layer's places, its per-rerun state, its folium elements.

A map is split in two: the base map holds each :class:`FastLayer` (the places'
shapes as packs of :mod:`geo.maps.pack`, fetched once per data version) and a
:class:`MapUpdate`, sent on every rerun through streamlit-folium's dynamic
feature group, carries what changes (a category per place, tooltip columns,
legend, extent), so a filter never re-sends shapes nor remounts the map.
Tooltips are built in the browser from text nodes, embedded JSON has every
``<`` escaped, and scripts never pass through Jinja a second time
(:class:`RawScript`), so no value can become markup or code.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path

import folium
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from geo.analysis.lookup import positions_in
from geo.domain import MISSING
from geo.maps.assets import map_scripts
from geo.maps.pack import Pack, encode_ints, json_pack, pack_places, write_pack


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


@dataclass(frozen=True)
class Source:
    """Where the browser gets a pack: a static file's URL, or the pack itself written into the page.

    ``role``: ``"whole"`` places fetched with the map; a ``"tile"`` (:mod:`geo.maps.tiles`) fetched once the
    map looks at ``box`` (minx, miny, maxx, maxy in the base map's datum) closely enough; ``"dots"`` the
    places of the tiles after it as points, drawn when the view holds too many places for their tiles.
    ``folder``: where the file of ``url`` was written, for files the browser finds beside it (:meth:`beside`).
    """

    pack: Pack
    url: str | None = None
    role: str = "whole"
    box: tuple[float, float, float, float] | None = None
    folder: Path | None = None

    @property
    def gz_url(self) -> str | None:
        """The gzipped copy (see :func:`geo.maps.pack.write_pack`), for browsers that can unzip it."""
        return f"{self.url}.gz" if self.url else None

    @property
    def places(self) -> bool:
        """Whether its places count in the layer's statuses (dots repeat the tiles' places)."""
        return self.role != "dots"

    def beside(self, pack: Pack) -> str | None:
        """Write ``pack`` into this source's folder: its digest (the browser makes its file name, and finds it
        beside this source's file, so behind the same scope's check in ``ui/server.py``), or None if not."""
        return pack.digest if self.folder is not None and write_pack(pack, self.folder) else None

    def js(self) -> str:
        head = {"id": self.pack.digest, "n": len(self.pack.ids), "role": self.role}
        if self.box is not None:
            head["box"] = list(self.box)
        if self.url:
            return json.dumps({**head, "url": self.url, "gz": self.gz_url})
        return f'{json.dumps(head)[:-1]},"data":{self.pack.text}}}'


def places_of(sources: list[Source]) -> list[Pack]:
    """The packs whose places a layer's statuses list, in order (:func:`layer_state`)."""
    return [source.pack for source in sources if source.places]


#: The share of the setting ``map_places_at_once`` from which a layer of whole packs keeps its tooltip columns
#: in a file beside each pack, fetched once the map is drawn, rather than in its update (20,000 places at the
#: default). 100,000 compounds' four columns were most of the compounds map's 1.06 MB message, which Streamlit
#: sends again at every rerun (a filter, a date): 0.12 MB without them (bench/README.md); a city's few thousand
#: places keep theirs in the update, so that a first hover needs no fetch.
FIELDS_APART_SHARE = 1 / 10


def fields_apart(sources: list[Source], at_once: int = 0) -> list[Source]:
    """The sources of places whose tooltip columns :func:`layer_state` writes beside them, one file each: a
    tiled layer's, or with ``at_once`` (the setting ``map_places_at_once``) a layer's of
    :data:`FIELDS_APART_SHARE` of it or more, when they were written as files; none (the columns in the
    update) otherwise.

    >>> from geo.maps.pack import Pack
    >>> def packs(n, folder): return [Source(Pack(np.array([str(i) for i in range(n)]), "", "d"), folder=folder)]
    >>> len(fields_apart(packs(5, Path("f")), 200)), len(fields_apart(packs(20, Path("f")), 200))
    (0, 1)
    >>> fields_apart(packs(20, None), 200)  # written into the page: no folder to put them beside
    []
    """
    places = [source for source in sources if source.places]
    if not places or any(source.folder is None for source in places):
        return []
    tiled = any(source.role == "tile" for source in places)
    many = at_once > 0 and sum(len(source.pack.ids) for source in places) >= at_once * FIELDS_APART_SHARE
    return places if tiled or many else []


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

    The element keeps folium's form, a ``script`` macro in ``_template``,
    because streamlit-folium reads that macro itself for the elements of a
    dynamic feature group; only the whole-page rendering is replaced.
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
            order: {{ this.order|tojson }},
            radius: {{ this.radius }}, interactive: {{ this.interactive|tojson }},
            tooltips: {{ this.tooltips|tojson }}, highlight: {{ this.highlight_style|tojson }},
            atOnce: {{ this.at_once }}, sources: [{{ this.sources_js }}]
        });
        {% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
        {% endmacro %}
    """)
    def __init__(self, layer: Layer, sources: list[Source], at_once: int = 0):
        super().__init__(name=layer.name, overlay=True, control=True, show=layer.show)
        self._name = "FastLayer"
        self.default_js = list(map_scripts())  # the map's one script holds this layer's code
        self.key, self.kind, self.styles, self.radius = layer.key, layer.kind, layer.styles, layer.radius
        # the order the categories are drawn in, the last on top (tojson sorts the styles table's keys): the
        # places not reported under the others, then the table's order, a vocabulary's mildest state first
        self.order = sorted((key for key in layer.styles if not key.startswith("pt_")), key=lambda key: key != MISSING)
        self.interactive, self.tooltips, self.highlight_style = layer.interactive, layer.tooltips, HIGHLIGHT_STYLE
        self.sources_js = ",".join(source.js() for source in sources)
        self.at_once = int(at_once)  # most places of tiles drawn at once; more in view: their dots


def _factorized(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A tooltip column's values as a code per row and the distinct values as text (missing: '').

    >>> codes, distinct = _factorized(pd.Series(["b", None, "a", "b"], dtype="string"))
    >>> codes.tolist(), distinct.tolist()
    ([0, 2, 1, 0], ['b', 'a', ''])
    """
    # the column's own factorize (Arrow's for text): made objects first, a million rows took 0.4 s
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    codes = np.asarray(codes)
    return np.where(codes >= 0, codes, len(distinct)), np.array([*(str(v) for v in distinct), ""], dtype=object)


def _column(codes: np.ndarray, distinct: np.ndarray, where: np.ndarray, n: int) -> list | dict:
    """Tooltip values (:func:`_factorized`) as text in pack order (``where``: each row's place in the pack of
    ``n``; a place with no row gets ''); as a dictionary of the values used and varint codes
    (:func:`geo.maps.pack.encode_ints`) when values repeat, which makes 100,000 places' zones or resident
    counts a few hundred kilobytes."""
    used, codes = np.unique(codes, return_inverse=True)
    placed = np.full(n, -1, dtype=np.int64)
    placed[where] = codes
    if len(used) * 2 < n:
        return {"d": distinct[used].tolist(), "i": encode_ints(placed)}
    return np.append(distinct[used], "")[placed].tolist()  # -1 picks the last, ''


_PACK_IDS: dict[tuple[str, ...], pa.Array] = {}


def _pack_ids(packs: list[Pack]) -> pa.Array:
    """The ids of ``packs`` in order, as Arrow text kept per set of packs (a million ids: 20 MB, where an index
    of them kept its hash table and each id as a Python string, 160 MB)."""
    key = tuple(pack.digest for pack in packs)
    ids = _PACK_IDS.get(key)  # one lookup: another session may clear the dictionary meanwhile
    if ids is None:
        if len(_PACK_IDS) >= 16:
            _PACK_IDS.clear()
        ids = _PACK_IDS[key] = pa.array(np.concatenate([pack.ids for pack in packs]), type=pa.string())
    return ids


def _pack_rows(ids: pd.Series, packed: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """For each place of ``packed`` that ``ids`` names, its position there and the row of ``ids`` naming it (the
    last when two do); places no row names are left out, and so are rows naming no place.

    >>> where, rows = _pack_rows(pd.Series(["b", "x", "a", "b"]), pa.array(["a", "b", "c"]))
    >>> where.tolist(), rows.tolist()
    ([0, 1], [2, 3])
    >>> where, rows = _pack_rows(pd.Series(["c", "c"]), pa.array(list("abcdefghi")))  # a few rows: the other way
    >>> where.tolist(), rows.tolist()
    ([2], [1])
    """
    if len(ids) * 4 < len(packed):  # a few rows (a filter): their hash table, not the places' (0.4 s a million)
        found = positions_in(packed, ids.iloc[::-1])  # the first found backwards: the last row
        where = np.flatnonzero(found >= 0)
        return where, len(ids) - 1 - found[where]
    found = positions_in(ids, packed)
    row = np.full(len(packed), -1, dtype=np.int64)
    np.maximum.at(row, found[found >= 0], np.flatnonzero(found >= 0))
    where = np.flatnonzero(row >= 0)
    return where, row[where]


def _fields_beside(fields: list[tuple[str, str]], frame: pd.DataFrame, where: np.ndarray,
                   sources: list[Source]) -> list:
    """The tooltip columns of ``frame`` (its rows at ``where`` of the sources' places) written beside each
    source in files of their own: ``[labels, [digest or None per source]]``."""
    columns = [_factorized(frame[column]) for _, column in fields]
    order = np.argsort(where, kind="stable")
    starts = np.cumsum([0, *(len(source.pack.ids) for source in sources)])
    cuts = np.searchsorted(where[order], starts)
    digests = []
    for k, source in enumerate(sources):
        rows = order[cuts[k]:cuts[k + 1]]
        if not len(rows):
            digests.append(None)  # none of its places shown
            continue
        n, at = len(source.pack.ids), where[rows] - starts[k]
        text = [_column(codes[rows], distinct, at, n) for codes, distinct in columns]
        digests.append(source.beside(json_pack(text, kind="fields")))
    return [[label for label, _ in fields], digests]


def layer_state(layer: Layer, packs: list[Pack], apart: list[Source] = ()) -> dict:
    """What the browser needs to draw ``layer`` over ``packs``: a category index per place (-1: not shown,
    varint coded), the tooltip columns and the highlighted places, all in pack order.

    With ``apart`` (:func:`fields_apart`: the sources of ``packs``, tiles of a nation or a big city's packs)
    the tooltip columns go into a file beside each source instead, under ``"tf"``, and the browser fetches a
    source's once the view has stayed a moment: as a code per place per column they were 13 of a million
    compounds' 14 MB (bench/README.md).

    >>> from geo.maps.pack import decode_ints
    >>> pack = Pack(np.array(["a", "b"]), "", "ab")
    >>> layer = Layer("小区", "compounds", pd.DataFrame({"id": ["b"], "category": ["open"], "n": [3]}),
    ...               {"sealed": {}, "open": {}}, fields=[("人数", "n")])
    >>> decode_ints(layer_state(layer, [pack])["c"]).tolist()
    [-1, 1]
    """
    packed = _pack_ids(packs)
    # a row whose place has no shape is not drawn; a place named twice shows its last row
    where, rows = _pack_rows(layer.frame["id"], packed)
    frame = layer.frame.take(rows)
    categories = [k for k in layer.styles if not k.startswith("pt_")]
    present = frame["category"].dropna().astype(str).unique().tolist()
    categories += [c for c in present if c not in categories]
    codes = np.full(len(packed), -1, dtype=np.int64)
    codes[where] = pd.Categorical(frame["category"], categories=categories).codes
    lit = []
    if layer.highlight:
        lit = np.flatnonzero(pc.is_in(packed, value_set=pa.array(sorted(map(str, layer.highlight)), type=pa.string()))
                             .to_numpy(zero_copy_only=False)).tolist()
    state = {"key": layer.key, "cats": categories, "c": encode_ints(codes), "fields": [], "h": lit}
    if apart and layer.fields:
        state["tf"] = _fields_beside(layer.fields, frame, where, list(apart))
    else:
        state["fields"] = [[label, _column(*_factorized(frame[column]), where, len(packed))]
                           for label, column in layer.fields]
    return state


def script_json(value) -> str:
    """``value`` as JSON to write into a script element: every '<' escaped, so that no value can close it.

    >>> script_json({"name": "</script>"})
    '{"name":"\\\\u003c/script>"}'
    """
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


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
        self.message = script_json(message)
        # the same without tooltips or extent: what a time line step shows at once (ui/timeline.py)
        self.glimpse = script_json({"states": [{k: v for k, v in state.items() if k not in ("fields", "tf")}
                                               for state in message.get("states", [])],
                                    **({"legend": message["legend"]} if "legend" in message else {})})

    def own(self) -> MapUpdate:
        """This update for one map. One made once for every session (``ui.cache.shared``) goes into each
        session's map as a copy with a parent of its own: two sessions drawing at once took it from each other
        (an element has one parent, and rendering looks up the page through it)."""
        mine = copy.copy(self)
        mine._parent = None
        return mine


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
