"""The wall display's layout: chromeless dark page, big tiles, the map, legend and attention list.

Every value reaching HTML here is a number or passes through ``html.escape``.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from html import escape

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.analysis import (
    Kpi,
    attention_items,
    banners,
    city_wall_views,
    compute_kpis,
    other_kinds,
    pick_view,
    track_changes,
)
from geo.domain import MISSING, Text, kinds, t
from geo.maps import ForgetRemovedGroups, Layer, Legend, map_update, overlay_datum
from geo.maps import base_map as base_map_of
from geo.maps.layers import kind_legends, layer_of, zone_choropleth, zone_outlines
from geo.store import newest_version_time
from ui.cache import dataset, days, home_bounds, view
from ui.data import app_title, engine
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
  .wall-view { margin-left: auto; font-size: 1.3vw; padding: .2vh .8vw; border-radius: .4vw;
    background: #12305a; }
  .wall-banner { font-size: 1.05vw; padding: .5vh 1vw; border-radius: .4vw; margin: .3vh 0; }
  .wall-banner.stale { background: #7a1d1d; }
  .wall-banner.incomplete { background: #6b4a00; }
  .wall-banner.progress { background: #12305a; }
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
  .wall-legend .row { display: flex; align-items: center; gap: .5vw; font-size: 1vw; margin: .25vh 0; }
  .wall-legend.compact .row { display: inline-flex; width: 49%; }
  .wall-legend .swatch { width: 1.3vw; height: .9vw; border-radius: .15vw; display: inline-block; }
  .wall-attention .item { font-size: .95vw; margin: .3vh 0; line-height: 1.3; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .wall-attention .reason { display: inline-block; min-width: 5.2vw; padding: 0 .3vw; border-radius: .2vw;
    margin-right: .4vw; font-size: .85vw; text-align: center; }
  .wall-attention .fever { background: #b71c1c; } .wall-attention .no_ledger { background: #6d4c41; }
  .wall-attention .supplies { background: #ad1457; } .wall-attention .missing { background: #616161; }
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
    view: str
    layers: list[Layer]  # the view's places and their statuses: one kind's, or those of the kinds sharing its turn
    legends: list[Legend]
    attention: pd.DataFrame
    banners: list[tuple[str, Text]]
    read_at: dt.datetime
    bounds: tuple
    zones: object = field(repr=False, default=None)
    places: list[Layer] = field(repr=False, default_factory=list)  # the map's layers, places without statuses
    sources: dict = field(repr=False, default_factory=dict)  # their packs


def wall_css() -> None:
    st.markdown(CSS, unsafe_allow_html=True)  # our own style sheet, no data in it


def read_snapshot(lg: str, pinned: str | None) -> Snapshot | None:
    """Read the newest data and lay it out; raises when the store cannot be read."""
    s = settings()
    ds = dataset()
    report = days()
    date = report.current  # the newest complete day; None: no report yet, every place drawn as not reported
    limits = thresholds()
    views = city_wall_views(ds)  # those with places to show
    chosen = pick_view(time.time(), s.wall_rotate_seconds, pinned, views)
    compounds, sites = view("compounds", date), view("sites", date)
    others = {name: view(name, date) for name in other_kinds()}
    if chosen == "zones":
        layer, legend = zone_choropleth(view("zones", date), ZONE_METRIC, lg)
        layers, legends = [layer], [legend]
    else:
        shown = kinds.wall_kinds(chosen)
        frames = {name: view(name, date) for name in shown}
        layers, legends = [layer_of(name, frames[name], lg) for name in shown], kind_legends(shown, frames, lg)
    for layer in layers:
        layer.highlight = frozenset(_changed(layer))
    places = [*zone_outlines(ds.zones, lg), *_view_layers(date, lg, views)]
    reporting = [compounds, sites, *others.values()]
    missing = sum(int((v["report"] == MISSING).sum()) for v in reporting)
    now = dt.datetime.now(dt.timezone.utc)
    progress = [("progress", report.progress(newest, dt.date.today())) for newest in report.pending[-1:]]
    return Snapshot(
        date=date, kpis=compute_kpis(ds, date, limits, complete_share=s.complete_share), view=chosen, layers=layers,
        legends=legends, attention=attention_items(compounds, sites, s.wall_attention_days, others),
        banners=banners(date, newest_version_time(engine()), now, s.wall_stale_hours, missing,
                        sum(len(v) for v in reporting)) + progress,
        read_at=now, bounds=home_bounds("compounds") or home_bounds("zones", share=1.0), zones=ds.zones,
        places=places, sources=_sources(places),
    )


def _changed(layer: Layer) -> set[str]:
    """Places of this layer whose state changed since an earlier refresh, within the highlight time."""
    current = dict(zip(layer.frame["id"], layer.frame["category"]))
    memory = st.session_state.setdefault("wall_memory", {})
    previous, since = memory.get(layer.key, (None, {}))
    since, lit = track_changes(previous, current, since, time.time(), settings().wall_highlight_minutes)
    memory[layer.key] = (current, since)
    return lit


def top_bar(snapshot: Snapshot | None, lg: str, error: str | None) -> None:
    parts = [f'<div class="wall-top"><span class="wall-title">{escape(app_title(lg))}</span>']
    if snapshot is not None:
        read_at = snapshot.read_at.astimezone().strftime("%H:%M:%S")
        as_of = f'{escape(t("data_as_of", lg, date=snapshot.date))} · ' if snapshot.date else ""  # a banner says so
        parts.append(f'<span class="wall-sub">{as_of}{escape(t("wall_read_at", lg, time=read_at))}</span>')
        shared = len(kinds.wall_kinds(snapshot.view)) > 1
        title = t("wall_view_shared" if shared else kinds.kind(snapshot.view).title, lg)
        parts.append(f'<span class="wall-view">{escape(title)}</span>')
    parts.append("</div>")
    if snapshot is not None:
        for level, text in snapshot.banners:
            parts.append(f'<div class="wall-banner {escape(level)}">{escape(text.pick(lg))}</div>')
    if error:
        parts.append(f'<div class="wall-banner error">{escape(t("wall_error", lg, error=error))}</div>')
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


def legend_box(legend: Legend, compact: bool = False) -> str:
    """The legend beside the map; ``compact``: two states a line, when several legends share the column."""
    rows = [f"<h4>{escape(legend.title)}</h4>"]
    for entry in legend.entries:
        border = "2px dashed #bdbdbd" if entry.dashed else "none"
        count = "" if entry.count is None else f" ({entry.count})"
        rows.append(f'<div class="row"><span class="swatch" style="background:{escape(entry.color)};'
                    f'border:{border}"></span>{escape(entry.label)}{count}</div>')
    return f'<div class="wall-legend{" compact" if compact else ""}">{"".join(rows)}</div>'


def attention_box(items: pd.DataFrame, lg: str, limit: int = 10) -> str:
    rows = [f"<h4>{escape(t('wall_attention', lg))} ({len(items)})</h4>"]
    for item in items.head(limit).itertuples():
        detail = ""
        if item.reason == "fever":
            detail = t("wall_fever_count", lg, count=int(item.value))
        elif item.reason == "supplies":
            detail = t("wall_days_left", lg, days=f"{item.value:.1f}")
        zone = "" if not isinstance(item.zone_name, str) else f" · {item.zone_name}"
        rows.append(f'<div class="item"><span class="reason {escape(item.reason)}">'
                    f'{escape(t("wall_reason_" + item.reason, lg))}</span>{escape(str(item.name))}'
                    f'{escape(zone)} {escape(detail)}</div>')
    if len(items) > limit:
        rows.append(f'<div class="item">{escape(t("wall_more", lg, count=len(items) - limit))}</div>')
    return f'<div class="wall-attention">{"".join(rows)}</div>'


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


def base_map(snapshot: Snapshot, lg: str) -> folium.Map:
    """The part of the map that stays the same between refreshes: tiles, outlines, every view's places."""
    m = base_map_of(snapshot.places, snapshot.sources, settings(), bounds=snapshot.bounds, height=600, control=False)
    m.get_root().header.add_child(folium.Element(MAP_CSS))
    return m


def live_layer(snapshot: Snapshot) -> folium.FeatureGroup:
    """The current view's statuses, sent to the open map without reloading it; the other views hidden."""
    group = folium.FeatureGroup(name="live")
    ForgetRemovedGroups().add_to(group)
    shown = {layer.key for layer in snapshot.layers}
    hidden = tuple(layer.key for layer in snapshot.places if layer.key not in ("outlines", *shown))
    outlines = [layer for layer in snapshot.places if layer.key == "outlines"]
    map_update([*outlines, *snapshot.layers], snapshot.sources, datum=overlay_datum(settings()),
               hidden=hidden).add_to(group)
    return group


def board(snapshot: Snapshot, lg: str) -> None:
    # The other places' figures (open markets, parks, … of so many) in a smaller second row: eleven big tiles
    # would push the map off a 1080p screen.
    tiles([kpi for kpi in snapshot.kpis if kpi.total is None], lg)
    tiles([kpi for kpi in snapshot.kpis if kpi.total is not None], lg, minor=True)
    map_col, side_col = st.columns([4, 1], gap="small")
    with map_col:
        st_folium(base_map(snapshot, lg), key="wall_map", feature_group_to_add=live_layer(snapshot),
                  returned_objects=[], use_container_width=True, height=700)
    with side_col:
        # the other places' view has two legends: compact, and three items fewer in the list, they fit beside the map
        compact = len(snapshot.legends) > 1
        st.markdown("".join(legend_box(legend, compact) for legend in snapshot.legends)
                    + attention_box(snapshot.attention, lg, limit=7 if compact else 10), unsafe_allow_html=True)


def pinned_view() -> str | None:
    """The view ``?view=`` pins: a view's name, or any kind of a shared view (``?view=parks``)."""
    chosen = st.query_params.get("view")
    return next((name for name in city_wall_views(dataset()) if chosen in kinds.wall_kinds(name)), None)
