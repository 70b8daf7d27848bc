"""Kinds of places: one entry per kind says everything the pages, the wall, the upload and the maps need.

A kind is what a page of the command map is about: compounds (物业小区), construction
sites (在建工地), grid zones (网格片区), the supplies (防疫物资) of the first two, and the
other places the bureau supervises, each with a daily report of whether it is open:
markets (农贸市场), sales offices (售楼部), housing agencies (房产中介), parks (城市公园),
water and sewage plants (水厂、污水处理厂).
Its entry names its tables (:mod:`geo.domain.schema`), the vocabulary its places are
coloured by (:mod:`geo.domain.vocab`, which holds the colours), the labels of its page,
layer and legend (:mod:`geo.domain.labels`), what a rise of each of its headline figures
means, and where it appears (the sidebar, the overview, the wall). Everything else is
derived from these: the geometry types an upload may hold, the layers its map draws,
the column of its daily report that holds the place's state.

The built-in kinds find their tables, vocabularies and labels in those modules. A kind
registered at run time (:func:`register`: an extension, a test) brings its own in its
entry, and :func:`unregister` takes them away again. The floors above read the registry:
``geo.analysis`` its views, ``geo.maps`` its layers, ``geo.upload`` what a file may hold,
``ui`` and ``pages`` the rest. This module imports nothing above ``geo.domain``.

Examples
--------
>>> kind("sites").accepts, kind("sites").state_column
(('Point',), 'resumption')
>>> kind("supplies").map_layers
('zones', 'compounds', 'sites')
>>> of_report("compound_status").name, [k.name for k in reporting_kinds()][:4]
('compounds', ['compounds', 'sites', 'supplies', 'markets'])
>>> wall_views()
('compounds', 'sites', 'supplies', 'zones', 'markets')
>>> wall_kinds("markets")
('markets', 'sales_offices', 'agencies', 'parks', 'plants')
>>> figure("kpi_resumption_rate")
Figure(key='kpi_resumption_rate', rise='good', unit='%', state=None)
>>> figure("kpi_parks_open").state
'open'
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from geo.domain import labels, schema, vocab
from geo.domain.schema import Table
from geo.domain.vocab import Term


@dataclass(frozen=True)
class Figure:
    """A headline figure (KPI) on the overview and the wall, and what its change means."""

    key: str
    """Its label in :mod:`geo.domain.labels`, also its name among the figures of :mod:`geo.analysis.kpi`."""
    rise: str | None = None
    """What a rise means: ``"good"`` (shown green), ``"bad"`` (shown red), or None (neither: no colour)."""
    unit: str = ""
    """Written after the value and its change: ``"%"`` for a rate."""
    state: str | None = None
    """A state of its kind's vocabulary: the figure counts the kind's places in it, out of all of them
    (``12 / 14``); None: a figure :mod:`geo.analysis.kpi` computes otherwise."""


@dataclass(frozen=True)
class Kind:
    """Everything about one kind of place that is not in its rows."""

    name: str
    """Its code: the page's URL path (``/compounds``), the wall's ``?view=``, the view's and the map layer's key."""
    title: str
    """Label key of its page's title, also its name in the sidebar and on the wall."""
    layer: str | None
    """Its geometry layer in :data:`geo.domain.schema.TABLES` (columns ``id``, ``name`` and, for places in
    zones, ``zone``); None for a kind shown on other kinds' places (supplies)."""
    report: str | None = None
    """Its daily report table, whose first key column holds the place's id; None when it has none (zones)."""
    vocabulary: str | None = None
    """The vocabulary of :mod:`geo.domain.vocab` its places are coloured and filtered by; None for zones,
    coloured by a figure instead."""
    legend: str | None = None
    """Label key of its map legend's title."""
    layer_title: str | None = None
    """Label key of its map layer in the layer control."""
    state_label: str | None = None
    """Label key of its state: the table's status column and the map tooltip's first line."""
    places: tuple[str, ...] = ()
    """The geometry layers whose places its reports are about, when they are not its own layer
    (supplies: compounds and sites)."""
    figures: tuple[Figure, ...] = ()
    """Its headline figures on the overview and the wall, in order."""
    wall: int | None = None
    """Its turn in the wall display's rotation (0 first); None: not on the wall. Kinds with the same turn share
    one view (:func:`wall_kinds`): their places on one map, their figures in the smaller tiles."""
    overview: str | None = None
    """Its layer on the overview map: ``"shown"``, ``"hidden"`` (in the layer control, unticked) or None (absent)."""
    page: str | None = None
    """Its page's script, relative to app.py; None: the standard place page
    (:func:`ui.placepage.render_place_page`), with no file of its own."""
    icon: str = "📍"
    """Its icon in the sidebar."""
    id_prefix: str = ""
    """The prefix of the ids made for its places when a list gives none (``XQ-5d4a0c``); its layer's
    initials when empty."""
    tables: tuple[Table, ...] = ()
    """The tables it brings that :data:`geo.domain.schema.TABLES` lacks (a kind registered at run time)."""
    terms: tuple[Term, ...] = ()
    """The terms of its vocabulary when :data:`geo.domain.vocab.VOCABULARIES` lacks it (a kind registered at
    run time); each colour distinct from every other vocabulary's."""
    texts: Mapping[str, tuple[str, str]] = field(default_factory=dict, hash=False)
    """The labels (key to Chinese and English) it brings that :data:`geo.domain.labels.LABELS` lacks."""

    @property
    def place_layers(self) -> tuple[str, ...]:
        """The geometry layers its places come from: :attr:`places`, else its own layer."""
        return self.places or ((self.layer,) if self.layer else ())

    @property
    def map_layers(self) -> tuple[str, ...]:
        """The geometry layers its page's map draws: the zones' outlines and its places."""
        return tuple(dict.fromkeys(("zones", *self.place_layers)))

    @property
    def accepts(self) -> tuple[str, ...]:
        """The geometry types an upload of its layer may hold (from the layer's table)."""
        return schema.TABLES[self.layer].accepts if self.layer else ()

    @property
    def state_column(self) -> str | None:
        """The column of its daily report coded by its vocabulary (None when the state is derived, as for supplies)."""
        if not self.report or not self.vocabulary:
            return None
        return next((col.name for col in schema.TABLES[self.report].columns if col.vocabulary == self.vocabulary),
                    None)


#: Figures about every kind that reports daily, after the kinds' own.
FIGURES_OF_ALL = (Figure("kpi_not_reported", rise="bad"),)

#: Every kind, in the sidebar's order.
KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind(name="compounds", title="page_compounds", layer="compounds", report="compound_status",
         vocabulary="closure", legend="legend_closure", layer_title="layer_compounds", state_label="col_closure",
         figures=(Figure("kpi_sealed"), Figure("kpi_controlled"), Figure("kpi_open")),
         wall=0, overview="shown", page="pages/compounds.py", icon="🏘️", id_prefix="XQ"),
    Kind(name="zones", title="page_zones", layer="zones", layer_title="layer_zones",
         wall=3, page="pages/zones.py", icon="🗺️", id_prefix="WG"),
    Kind(name="sites", title="page_sites", layer="sites", report="site_status",
         vocabulary="resumption", legend="legend_resumption", layer_title="layer_sites", state_label="col_resumption",
         figures=(Figure("kpi_resumption_rate", rise="good", unit="%"),),
         wall=1, overview="shown", page="pages/sites.py", icon="🏗️", id_prefix="GD"),
    Kind(name="supplies", title="page_supplies", layer=None, report="supplies", places=("compounds", "sites"),
         vocabulary="supply_level", legend="legend_supply", layer_title="layer_supplies",
         state_label="col_supply_level",
         figures=(Figure("kpi_short", rise="bad"),),
         wall=2, overview="hidden", page="pages/supplies.py", icon="😷"),
    # The other places supervised: one view together on the wall, hidden on the overview until ticked.
    *(Kind(name=name, title=f"page_{name}", layer=name, report=report, vocabulary=vocabulary,
           legend=f"legend_{vocabulary}", layer_title=f"layer_{name}", state_label=f"col_{vocabulary}",
           figures=(figure,), wall=4, overview="hidden", icon=icon, id_prefix=prefix)
      for name, report, vocabulary, figure, icon, prefix in (
          ("markets", "market_status", "opening", Figure("kpi_markets_open", "good", state="open"), "🥬", "SC"),
          ("sales_offices", "sales_office_status", "opening", Figure("kpi_sales_offices_open", state="open"), "🏢",
           "SL"),
          ("agencies", "agency_status", "opening", Figure("kpi_agencies_open", state="open"), "🔑", "ZJ"),
          ("parks", "park_status", "opening", Figure("kpi_parks_open", state="open"), "🌳", "GY"),
          ("plants", "plant_status", "operation", Figure("kpi_plants_running", "good", state="running"), "💧", "SW"),
      )),
)}


def kind(name: str) -> Kind:
    """The kind called ``name``."""
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"no kind of place is called {name!r}; known: {', '.join(KINDS)}") from None


def of_report(table: str) -> Kind | None:
    """The kind whose daily report is ``table``, if any."""
    return next((k for k in KINDS.values() if k.report == table), None)


def reporting_kinds() -> list[Kind]:
    """The kinds with a daily report and a vocabulary: those drawn as coloured places."""
    return [k for k in KINDS.values() if k.report and k.vocabulary]


def wall_views() -> tuple[str, ...]:
    """The views of the wall display in the order it shows them, each named by the first kind of its turn."""
    turns: dict[int, str] = {}
    for k in sorted((k for k in KINDS.values() if k.wall is not None), key=lambda k: k.wall):
        turns.setdefault(k.wall, k.name)
    return tuple(turns.values())


def wall_kinds(view: str) -> tuple[str, ...]:
    """The kinds the wall's view ``view`` shows together: every kind with its turn."""
    turn = kind(view).wall
    return tuple(k.name for k in KINDS.values() if k.wall == turn) if turn is not None else ()


def figures() -> tuple[Figure, ...]:
    """Every headline figure, in the order the tiles show them."""
    return (*(f for k in KINDS.values() for f in k.figures), *FIGURES_OF_ALL)


def figure(key: str) -> Figure:
    """The headline figure ``key`` (a figure of no kind is neutral and has no unit)."""
    return next((f for f in figures() if f.key == key), Figure(key))


def register(new: Kind) -> Kind:
    """Add a kind of place, with the tables, vocabulary and labels its entry brings; returns it.

    Everything that reads the registry sees it from now on: its page in the sidebar, its
    layer on the maps, its tables in the upload and the templates, its row tables in the store.
    """
    if new.name in KINDS:
        raise ValueError(f"there is a kind of place called {new.name!r} already")
    taken = [t.name for t in new.tables if t.name in schema.TABLES] + [k for k in new.texts if k in labels.CATALOGUE]
    if taken:
        raise ValueError(f"{new.name!r} would replace {', '.join(taken)}")
    brought = {t.name for t in new.tables}
    unknown = [t for t in (new.layer, new.report, *new.places) if t and t not in schema.TABLES and t not in brought]
    if new.vocabulary and not new.terms and new.vocabulary not in vocab.VOCABULARIES:
        unknown.append(new.vocabulary)
    if unknown:
        raise ValueError(f"{new.name!r} names {', '.join(unknown)}, which neither exist nor come with it")
    if new.terms:
        vocab.add_vocabulary(new.vocabulary, new.terms)
    schema.TABLES.update({t.name: t for t in new.tables})
    labels.LABELS.update(new.texts)
    KINDS[new.name] = new
    return new


def unregister(name: str) -> None:
    """Take a kind added by :func:`register` away again, with what it brought."""
    gone = KINDS.pop(name)
    for key in gone.texts:
        labels.LABELS.pop(key, None)
    for table in gone.tables:
        schema.TABLES.pop(table.name, None)
    if gone.terms:
        vocab.remove_vocabulary(gone.vocabulary)


@contextmanager
def registered(new: Kind) -> Iterator[Kind]:
    """``with registered(kind):`` the kind is known inside the block only (for tests)."""
    register(new)
    try:
        yield new
    finally:
        unregister(new.name)
