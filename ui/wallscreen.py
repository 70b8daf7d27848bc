"""The wall display's layout: chromeless dark page, big tiles, the map, legend and attention list.

Every value reaching HTML here is a number or passes through ``html.escape``.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field, replace
from html import escape

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.analysis import (
    Kpi,
    PlaceStates,
    as_of,
    attention_items,
    banners,
    city_wall_views,
    data_age,
    open_by_place,
    other_kinds,
    page_count,
    page_of,
    take_turn,
    track_changes,
    with_last_reports,
)
from geo.domain import MISSING, TABLES, Text, kinds, listing, t
from geo.maps import ForgetRemovedGroups, Layer, Legend, MapUpdate, map_update, overlay_datum
from geo.maps import base_map as base_map_of
from geo.maps.layers import kind_legends, layer_of, zone_choropleth, zone_outlines
from geo.store import newest_version_time
from ui.cache import dataset, days, home_bounds, kpis, problems, shared, view, zone_top
from ui.data import app_title, engine, problems_stamp, viewing_scope
from ui.login import scope_line
from ui.packs import place_sources
from ui.settings import settings, thresholds

CSS = """
<style>
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"], footer,
  #MainMenu { display: none !important; }
  .stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] { background: #07101f !important; }
  [data-testid="stMainBlockContainer"], .block-container { padding: 1.2vh 1.2vw 0 1.2vw !important;
    max-width: 100% !important; }
  .stApp * { color: #e8eef7; }
  [data-stale="true"], .stale-element { opacity: 1 !important; transition: none !important; }
  .wall-top { display: flex; align-items: baseline; gap: 1.5vw; margin-bottom: .6vh; }
  .wall-title { font-size: 2.1vw; font-weight: 700; letter-spacing: .05em; }
  .wall-sub { font-size: 1.05vw; color: #9fb3c8 !important; }
  .wall-view { position: fixed; top: 1.2vh; right: 1.2vw; z-index: 10; font-size: 1.3vw; padding: .2vh .8vw;
    border-radius: .4vw; background: #12305a; }
  .wall-banner { font-size: 1.05vw; padding: .5vh 1vw; border-radius: .4vw; margin: .3vh 0; }
  .wall-banner.stale { background: #7a1d1d; }
  .wall-banner.incomplete { background: #6b4a00; }
  .wall-progress { font-size: 1.05vw; padding: .2vh .7vw; border-radius: .4vw; background: #12305a; }
  .wall-banner.error { background: #3b3b3b; color: #ffd7d7 !important; font-size: .85vw; }
  .wall-tiles { display: grid; grid-template-columns: repeat(6, 1fr); gap: .8vw; margin: .6vh 0 .9vh 0; }
  .wall-tile { background: #0f1e36; border: 1px solid #1f3a63; border-radius: .6vw; padding: .8vh 1vw; }
  .wall-tile .label { font-size: 1.05vw; color: #9fb3c8 !important; }
  .wall-tile .value { font-size: 3.6vw; font-weight: 700; line-height: 1.1; font-variant-numeric: tabular-nums; }
  .wall-tile .delta { font-size: 1vw; }
  .wall-tile .delta.up-bad, .wall-tile .delta.down-good { color: #ff7b7b !important; }
  .wall-tile .delta.up-good, .wall-tile .delta.down-bad { color: #5be49b !important; }
  .wall-tile .delta.flat { color: #9fb3c8 !important; }
  .wall-tiles.minor { margin: -.3vh 0 .9vh 0; }
  .wall-tile.minor { display: flex; align-items: baseline; gap: .6vw; padding: .5vh 1vw; white-space: nowrap;
    overflow: hidden; }
  .wall-tile.minor .label { font-size: 1vw; }
  .wall-tile.minor .value { font-size: 2vw; line-height: 1.15; }
  .wall-tile.minor .delta { font-size: .85vw; margin-left: auto; white-space: nowrap; }
  .wall-legend, .wall-attention { background: #0f1e36; border: 1px solid #1f3a63; border-radius: .6vw;
    padding: .8vh .8vw; margin-bottom: .8vh; }
  .wall-legend h4, .wall-attention h4 { font-size: 1.15vw; margin: 0 0 .4vh 0; }
  .wall-legend .row { display: inline-flex; width: 49%; align-items: center; gap: .5vw; font-size: 1vw;
    margin: .25vh 0; }
  .wall-legend .swatch { width: 1.3vw; height: .9vw; border-radius: .15vw; display: inline-block; }
  .wall-attention h4 .page { float: right; font-size: .9vw; font-weight: 400; color: #9fb3c8 !important; }
  .wall-attention .item { font-size: .95vw; margin: .35vh 0; line-height: 1.2; overflow-wrap: anywhere; }
  .wall-attention .facts { display: block; padding-left: .6vw; font-size: .8vw; line-height: 1.2;
    color: #9fb3c8 !important; overflow-wrap: normal; }
  .wall-attention .facts span { white-space: nowrap; color: #9fb3c8 !important; }
  .wall-attention .reason { display: inline-block; min-width: 5.2vw; padding: 0 .3vw; border-radius: .2vw;
    margin-right: .4vw; font-size: .85vw; text-align: center; }
  .wall-attention .fever { background: #b71c1c; } .wall-attention .no_ledger { background: #6d4c41; }
  .wall-attention .supplies { background: #ad1457; } .wall-attention .missing { background: #616161; }
  .wall-attention .overdue { background: #e65100; }
  iframe[title="streamlit_folium.st_folium"] { height: 61vh !important; border-radius: .6vw; }
</style>
"""

# Inside the map's frame: the map fills the frame, on a dark ground where no tiles are drawn.
MAP_CSS = """<style>#map_div, .folium-map { height: 100vh !important; }
.leaflet-container { background: #0b1a2e !important; }
.leaflet-tooltip { font-size: 16px; }</style>"""

#: The zone figure the wall shades zones by.
ZONE_METRIC = "closed_share"


@dataclass
class Snapshot:
    """Everything the wall shows, read in one go so that a failure leaves the last good one on screen."""

    date: str | None  # None: no daily report yet
    kpis: list[Kpi]
    views: tuple[str, ...]  # the views the wall turns through, in order: one when pinned or not rotating
    shown: dict[str, tuple[list[Layer], list[Legend]]]  # per view: its places with their statuses, its legends
    attention: pd.DataFrame
    banners: list[tuple[str, Text]]
    read_at: dt.datetime
    age: Text | None  # how long ago data last arrived (the store's newest version)
    bounds: tuple
    zones: object = field(repr=False, default=None)
    places: list[Layer] = field(repr=False, default_factory=list)  # the map's layers, places without statuses
    sources: dict = field(repr=False, default_factory=dict)  # their packs
    progress: Text | None = None  # how far the new day has got ("今日已报告 37/248"), while it is not complete
    unreported: tuple[int, int] = (0, 0)  # places of the day shown without a report, and of how many
    states: dict[str, PlaceStates] = field(repr=False, default_factory=dict)  # per layer: each place's category


#: Attention items on a page: beside the tallest legend (the zones', seven classes) at 1080p and 4K alike, with
#: room for a long name on two lines, and beside the other places' two legends. The same in every view, so that
#: the pages turn evenly.
ATTENTION_ROWS = 5


def wall_css() -> None:
    st.markdown(CSS, unsafe_allow_html=True)  # our own style sheet, no data in it


def turn_seconds() -> float:
    """The wall's turning clock: the rotation's period; without rotation the attention list still pages, at
    the refresh's."""
    s = settings()
    return max(2.0, s.wall_rotate_seconds if s.wall_rotate_seconds > 0 else max(5, s.wall_refresh_seconds))


def read_snapshot(lg: str, pinned: str | None) -> Snapshot | None:
    """Read the newest data and lay out every view; raises when the store cannot be read.

    What every wall showing the same views would make alike (the views, figures, legends, attention list) is
    made once for them all (:func:`_laid_out`); each wall adds only its own memory of what changed, and the clock.
    """
    s = settings()
    limits = thresholds()
    views = city_wall_views(dataset())  # those with places to show
    turning = (pinned,) if pinned in views else views if s.wall_rotate_seconds > 0 else views[:1]
    today = dt.date.today()
    # Fifty walls follow an import at once: laying out the views cost each about a second of the server's two
    # cores (bench/load.py), now paid by the first. Keyed by all it reads besides the data version and scope:
    # the problems' stamp (a problem closed is no data version) and today (what is overdue).
    laid_out = shared(("wall", problems_stamp(), lg, turning, today, limits.low, limits.critical,
                       s.wall_attention_days, s.complete_share), lambda: _laid_out(lg, turning, today))
    # every view's, each refresh: a change is remembered while another view is shown
    shown = {name: ([replace(layer, highlight=_changed(layer, laid_out.states[layer.key]))
                     for layer in layers], legends) for name, (layers, legends) in laid_out.shown.items()}
    # Read at every refresh, not laid out: a store that cannot be read raises here, and the wall says so.
    arrived = newest_version_time(engine())
    now = dt.datetime.now(dt.timezone.utc)
    return replace(laid_out, shown=shown, read_at=now, age=data_age(arrived, now),
                   banners=banners(laid_out.date, arrived, now, s.wall_stale_hours, *laid_out.unreported))


def _laid_out(lg: str, turning: tuple[str, ...], today: dt.date) -> Snapshot:
    """The views ``turning`` with their legends, the figures and the attention list of the newest complete day
    as of ``today``, without what is a wall's own (its memory of changes, the time, the banners)."""
    ds = dataset()
    report = days()
    date = report.current  # the newest complete day; None: no report yet, every place drawn as not reported
    limits = thresholds()
    views = city_wall_views(ds)
    compounds, sites = view("compounds", date), view("sites", date)
    others = {name: view(name, date) for name in other_kinds()}
    shown = {}
    for name in turning:
        if name == "zones":
            zones = view("zones", date)  # its breaks the same every day: a colour keeps its meaning on the wall
            layer, legend = zone_choropleth(zones, ZONE_METRIC, lg, top=zone_top(zones, ZONE_METRIC))
            layers, legends = [layer], [legend]
        else:
            members = kinds.wall_kinds(name)
            frames = {kind: view(kind, date) for kind in members}
            layers = [layer_of(kind, frames[kind], lg) for kind in members]
            legends = kind_legends(members, frames, lg, limits)  # the supply levels with their days of cover
        shown[name] = (layers, legends)
    states = {layer.key: PlaceStates.of(layer.frame) for layers, _ in shown.values() for layer in layers}
    places = [*zone_outlines(ds.zones, lg), *_view_layers(date, lg, views)]
    reporting = [compounds, sites, *others.values()]
    missing = sum(int((v["report"] == MISSING).sum()) for v in reporting)
    progress = report.progress(report.pending[-1], today) if report.pending else None
    loop = problems()
    overdue = open_by_place(loop, as_of(loop, date, today))
    attention = with_last_reports(attention_items(compounds, sites, settings().wall_attention_days, others, overdue),
                                  ds, date)
    return Snapshot(
        date=date, kpis=kpis(date), views=turning, shown=shown, attention=attention, banners=[],
        read_at=dt.datetime.now(dt.timezone.utc), age=None, progress=progress, bounds=_place_bounds(views),
        zones=ds.zones, places=places, sources=_sources(places),
        unreported=(missing, sum(len(v) for v in reporting)), states=states,
    )


def _place_bounds(views: tuple[str, ...]) -> tuple | None:
    """Where the wall's map opens: around the places of every kind it shows (the central 90 % of them all),
    not the zones' outlines, which reach the county's edge; the zones only for a city with nothing else."""
    layers = (layer for name in views if name != "zones" for kind in kinds.wall_kinds(name)
              for layer in kinds.kind(kind).place_layers)
    return home_bounds(*dict.fromkeys(layers)) or home_bounds("zones", share=1.0)


def _changed(layer: Layer, current: PlaceStates) -> frozenset[str]:
    """Places of this layer whose state changed since an earlier refresh, within the highlight time."""
    memory = st.session_state.setdefault("wall_memory", {})
    previous, since = memory.get(layer.key, (None, ()))
    since, lit = track_changes(previous, current, since, time.time(), settings().wall_highlight_minutes)
    memory[layer.key] = (current, since)
    return lit


def top_bar(snapshot: Snapshot | None, lg: str, error: str | None) -> None:
    """Title, the day shown, how long ago data arrived (not when the wall last looked) and how far the new day
    has got, and the banners.

    The time of this read is kept out of sight, in ``data-read-at``: what a tester or a monitor checks.
    """
    parts = [f'<div class="wall-top"><span class="wall-title">{escape(app_title(lg))}</span>']
    if snapshot is not None:
        read_at = snapshot.read_at.astimezone().strftime("%H:%M:%S")
        shown = [t("data_as_of", lg, date=snapshot.date)] if snapshot.date else []  # else a banner says so
        shown += [snapshot.age.pick(lg)] if snapshot.age is not None else []
        shown += [scope_line(scope, lg)] if (scope := viewing_scope()) is not None else []  # a scoped login's wall
        parts.append(f'<span class="wall-sub" data-read-at="{read_at}">{escape(" · ".join(shown))}</span>')
        if snapshot.progress is not None:  # in the top line, not a banner: the map keeps its height all morning
            parts.append(f'<span class="wall-progress">{escape(snapshot.progress.pick(lg))}</span>')
    parts.append("</div>")
    if snapshot is not None:
        for level, text in snapshot.banners:
            parts.append(f'<div class="wall-banner {escape(level)}">{escape(text.pick(lg))}</div>')
    if error:
        parts.append(f'<div class="wall-banner error">{escape(t("wall_error", lg, error=error))}</div>')
    damaged = st.session_state.get("store_damaged")
    if damaged:  # what can be read is shown; what cannot is named, so that a zero is not taken for the truth
        tables = listing([TABLES[table].text for table in damaged]).pick(lg)
        parts.append(f'<div class="wall-banner error">{escape(t("wall_tables_unreadable", lg, tables=tables))}</div>')
    st.markdown("".join(parts), unsafe_allow_html=True)


def tiles(kpis: list[Kpi], lg: str, minor: bool = False) -> None:
    """The headline figures as tiles; ``minor``: the smaller row of those counting a state (open parks of 2)."""
    if not kpis:
        return
    cells = []
    for kpi in kpis:
        if kpi.delta is None or kpi.delta == 0 or kpi.rise is None:
            klass = "flat"
        else:
            klass = f"{'up' if kpi.delta > 0 else 'down'}-{kpi.rise}"
        delta = "" if kpi.delta is None else f"{kpi.delta:+g}{kpi.unit}"
        if delta and not minor:  # a small tile has room for one line: its change without the words
            delta += f" {escape(t('kpi_vs_previous', lg))}"
        cells.append(f'<div class="wall-tile{" minor" if minor else ""}"><div class="label">{escape(t(kpi.key, lg))}'
                     f'</div><div class="value">{escape(kpi.shown(lg))}</div>'
                     f'<div class="delta {klass}">{delta}</div></div>')
    columns = f' style="grid-template-columns:repeat({len(kpis)},1fr)"' if minor else ""
    st.markdown(f'<div class="wall-tiles{" minor" if minor else ""}"{columns}>{"".join(cells)}</div>',
                unsafe_allow_html=True)


def legend_box(legend: Legend) -> str:
    """The legend beside the map, two states a line: the attention list below it keeps room for its page."""
    rows = [f"<h4>{escape(legend.title)}</h4>"]
    for entry in legend.entries:
        border = "2px dashed #bdbdbd" if entry.dashed else "none"
        count = "" if entry.count is None else f" ({entry.count})"
        rows.append(f'<div class="row"><span class="swatch" style="background:{escape(entry.color)};'
                    f'border:{border}"></span>{escape(entry.label)}{count}</div>')
    return f'<div class="wall-legend">{"".join(rows)}</div>'


def attention_box(items: pd.DataFrame, lg: str, page: int = 0, size: int = ATTENTION_ROWS) -> str:
    """Page ``page`` of the attention list, ``size`` items a page, each with when its place last reported;
    "第 2/5 页" when there are several."""
    pages = page_count(len(items), size)
    page %= pages
    counter = f'<span class="page">{escape(t("wall_page", lg, page=page + 1, pages=pages))}</span>' \
        if pages > 1 else ""
    rows = [f"<h4>{escape(t('wall_attention', lg))} ({len(items)}){counter}</h4>"]
    for item in page_of(items, page, size).itertuples():
        detail = ""
        if item.reason == "fever":
            detail = t("wall_fever_count", lg, count=int(item.value))
        elif item.reason == "supplies":
            detail = t("wall_days_left", lg, days=f"{item.value:.1f}")
        elif item.reason == "overdue":
            detail = t("wall_overdue_count", lg, count=int(item.value))
        facts = [str(item.zone_name)] if isinstance(item.zone_name, str) else []
        facts += [detail] if detail else []
        facts.append(_last_report(item.last_report, item.reason == "missing", lg))
        rows.append(f'<div class="item"><span class="reason {escape(item.reason)}">'
                    f'{escape(t("wall_reason_" + item.reason, lg))}</span><span class="name">'
                    f'{escape(str(item.name))}</span><span class="facts">'
                    + " · ".join(f"<span>{escape(fact)}</span>" for fact in facts) + "</span></div>")
    return f'<div class="wall-attention" data-page="{page + 1}" data-pages="{pages}">{"".join(rows)}</div>'


def _last_report(date: str | None, silent: bool, lg: str) -> str:
    """'02-25 报' for a place that reported; '上次 02-21' or '从未报告' for one that is silent."""
    if date is None:
        return t("wall_never_reported", lg)
    return t("wall_last_report_before" if silent else "wall_last_report", lg, date=str(date)[5:])


def _view_layers(date: str | None, lg: str, views: tuple[str, ...]) -> list[Layer]:
    """Every view's layers without places shown: what the wall's map holds from the start."""
    names = [name for shown in views if shown != "zones" for name in kinds.wall_kinds(shown)]
    layers = [layer_of(name, view(name, date).iloc[0:0], lg) for name in names]
    if "zones" in views:
        layers.append(zone_choropleth(view("zones", date).iloc[0:0], ZONE_METRIC, lg)[0])
    return layers


def _sources(layers: list[Layer]) -> dict:
    datum = overlay_datum(settings())
    return {layer.key: place_sources(layer.places, datum) for layer in layers}


def base_map(snapshot: Snapshot, lg: str, kiosk: bool) -> folium.Map:
    """The part of the map that stays the same between refreshes: tiles, outlines, every view's places.
    ``kiosk``: a screen nobody touches, without zoom buttons or tooltips."""
    places = [replace(layer, tooltips=False) for layer in snapshot.places] if kiosk else snapshot.places
    m = base_map_of(places, snapshot.sources, settings(), bounds=snapshot.bounds, height=600,
                    control=False, kiosk=kiosk, lang=lg)
    m.get_root().header.add_child(folium.Element(MAP_CSS))
    return m


# Fifty walls turn together: each made its view's statuses again at every turn, 15 % of the server's time in
# bench/load.py's crowd. Made once per set of layers (those of the laid-out snapshot every wall shares, each frame
# kept here so that its id cannot be another's) and of highlights; each wall draws its own copy.
_UPDATES: dict[tuple, tuple[tuple, MapUpdate]] = {}


def _update_of(layers: list[Layer], sources: dict, datum: str, hidden: tuple[str, ...],
               tooltips: bool = True) -> MapUpdate:
    """:func:`geo.maps.map_update` of ``layers``, made once for every wall showing the same. Without
    ``tooltips`` (a wall's screen, which nobody points at) the update leaves out the tooltips' columns: a code
    per place per column, most of an update's bytes at every refresh."""
    key = (tuple((layer.key, id(layer.frame), layer.highlight) for layer in layers), id(sources), datum, hidden,
           tooltips)
    made_of = (*(layer.frame for layer in layers), sources)
    found = _UPDATES.get(key)  # one lookup: another wall may clear the dictionary meanwhile
    if found is None or any(kept is not now for kept, now in zip(found[0], made_of)):
        if len(_UPDATES) >= 16:  # a wall's views (five at most) of a version or two: each some megabytes at 100,000
            _UPDATES.clear()
        drawn = layers if tooltips else [replace(layer, fields=[]) for layer in layers]
        found = _UPDATES[key] = (made_of, map_update(drawn, sources, datum=datum, hidden=hidden,
                                                     at_once=settings().map_places_at_once))
    return found[1].own()


def live_layer(snapshot: Snapshot, chosen: str, tooltips: bool = True) -> folium.FeatureGroup:
    """View ``chosen``'s statuses, sent to the open map without reloading it; the other views hidden;
    ``tooltips=False``: without the tooltips' columns (:func:`_update_of`)."""
    group = folium.FeatureGroup(name="live")
    ForgetRemovedGroups().add_to(group)
    layers = snapshot.shown[chosen][0]
    shown = {layer.key for layer in layers}
    hidden = tuple(layer.key for layer in snapshot.places if layer.key not in ("outlines", *shown))
    outlines = [layer for layer in snapshot.places if layer.key == "outlines"]
    _update_of([*outlines, *layers], snapshot.sources, overlay_datum(settings()), hidden, tooltips).add_to(group)
    return group


def tiles_row(snapshot: Snapshot, lg: str) -> None:
    # The other places' figures (open markets, parks, … of so many) in a smaller second row: eleven big tiles
    # would push the map off a 1080p screen.
    tiles([kpi for kpi in snapshot.kpis if kpi.total is None], lg)
    tiles([kpi for kpi in snapshot.kpis if kpi.total is not None], lg, minor=True)


def turning_board(snapshot: Snapshot, lg: str) -> None:
    """The view and attention page the wall has turned to (see :func:`geo.analysis.take_turn`): its name, the
    map showing it, its legends and the page of the attention list."""
    turn = take_turn(st.session_state.get("wall_turn"), time.monotonic(), turn_seconds(), snapshot.views,
                     page_count(len(snapshot.attention), ATTENTION_ROWS))
    st.session_state["wall_turn"] = turn
    legends = snapshot.shown[turn.view][1]
    title = t("wall_view_shared" if len(kinds.wall_kinds(turn.view)) > 1 else kinds.kind(turn.view).title, lg)
    st.markdown(f'<span class="wall-view">{escape(title)}</span>', unsafe_allow_html=True)
    map_col, side_col = st.columns([4, 1], gap="small")
    with map_col:
        st_folium(base_map(snapshot, lg, kiosk()), key="wall_map",
                  feature_group_to_add=live_layer(snapshot, turn.view, tooltips=not kiosk()), returned_objects=[],
                  use_container_width=True, height=700)
    with side_col:
        st.markdown("".join(legend_box(legend) for legend in legends)
                    + attention_box(snapshot.attention, lg, turn.page), unsafe_allow_html=True)


def kiosk() -> bool:
    """Whether this is the wall's screen (``?kiosk=1``, or a display's token), not the page opened from the menu."""
    return st.query_params.get("kiosk") == "1" or "display" in st.query_params


def pinned_view() -> str | None:
    """The view ``?view=`` pins: a view's name, or any kind of a shared view (``?view=parks``)."""
    chosen = st.query_params.get("view")
    return next((name for name in city_wall_views(dataset()) if chosen in kinds.wall_kinds(name)), None)
