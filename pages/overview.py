"""Overview: headline figures with their change since the previous report, and every layer on one map."""

import datetime as dt

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.analysis import (
    apply_filters,
    as_of,
    delta_arrow,
    details,
    of_places,
    open_by_place,
    place_key,
    task_figures,
)
from geo.domain import kinds, layer_tables, t
from geo.maps import initial_bounds, overlay_datum
from geo.maps.layers import kind_legends, layer_of, problem_layer, problem_legend, zone_outlines
from ui.briefing import briefing_buttons, kept_briefings_list
from ui.cache import dataset, home_bounds, kpis, shared, view
from ui.cache import problems as problems_in_scope
from ui.data import problems_stamp
from ui.filterbar import sidebar_filters
from ui.mappage import (
    export_of,
    page_header,
    pick,
    preload_places,
    row_focus,
    show_data_notes,
    show_details,
    show_map,
    show_outside_zones,
    show_table,
    show_unplaced,
)
from ui.mappicture import layers_picture_button
from ui.mapstate import map_state
from ui.navigation import require_navigation
from ui.settings import lang, settings, thresholds
from ui.style import KPI_STRIP
from ui.tasks import task_tiles
from ui.trends import SPARKLINE_DATES, trend_of

require_navigation()
lg = lang()
# in the sidebar's order; a layer unticked at first only where the city has such places (no empty parks layer)
on_map = [k for k in kinds.KINDS.values() if k.overview == "shown" or k.overview == "hidden" and any(
    not dataset().layer(layer).empty for layer in k.place_layers)]
with_places = [k for k in on_map if k.layer]  # the others show their places: a click names one of these
preload_places(tuple(dict.fromkeys(layer for k in on_map for layer in k.map_layers)))
filters = sidebar_filters(None)
page_header("page_overview", filters.date)
if not filters.date:  # the places are drawn all the same, each one not reported yet
    st.info(t("no_report_dates", lg))


def keep(frame):
    return apply_filters(frame, filters)


# The change is coloured by what a rise means (geo.domain.kinds.Figure.rise): green when good, red when bad.
DELTA_COLOURS = {"good": "normal", "bad": "inverse"}
limits = thresholds()
# What every leader's overview with the same filters shows alike is made once for them all: fifty screens rerun
# together after an import (ui/follow.py). Keyed by the data version and scope, and all else it reads.
per_filters = (filters, limits.low, limits.critical)
figures = shared(("overview_figures", *per_filters), lambda: kpis(filters.date, keep))
# each tile's small trend: its figure on the last report dates up to the one shown (the Trends page's figures)
recent = trend_of(filters, until=filters.date, last=SPARKLINE_DATES) if filters.date else None
# the figures of the other places supervised (open markets, parks, … of so many) in a second row
rows = [[kpi for kpi in figures if kpi.total is None], [kpi for kpi in figures if kpi.total is not None]]
tiles = st.container(key=KPI_STRIP)  # on a phone a strip of small tiles (ui/style.py)
for row in rows:
    for column, kpi in zip(tiles.columns(max(map(len, rows))), row):
        delta = None if kpi.delta is None else f"{kpi.delta:+g}{kpi.unit}"
        line = recent[kpi.key].tolist() if recent is not None and kpi.key in recent and len(recent) > 1 else None
        column.metric(t(kpi.key, lg), kpi.shown(lg), delta, border=True, chart_data=line, chart_type="line",
                      delta_color=DELTA_COLOURS.get(kpi.rise, "off"), delta_description=t("kpi_vs_previous", lg),
                      delta_arrow=delta_arrow(kpi.delta))  # no change: no arrow up
st.page_link("pages/trends.py", label=t("overview_trends_link", lg), icon="📈")
views = shared(("overview_views", *per_filters), lambda: {k.name: keep(view(k.name, filters.date)) for k in on_map})
# the loop (inspections → problems handed out → fixed → closed) for the places the filters keep, as the problems
# stand (a problem's change is no data version): made once for the leaders' overviews of the same filters
stamp = problems_stamp()  # first: problems changed after it are read under it once, and again under the next
every_problem, today = problems_in_scope(), dt.date.today()
problems = shared(("overview_problems", *per_filters, stamp), lambda: of_places(every_problem, views))
loop_day = as_of(problems, filters.date, today)
task_tiles(shared(("overview_tasks", *per_filters, stamp, loop_day, today), lambda: task_figures(problems, loop_day))
           if len(every_problem) else None, loop_day, lg)
briefing_buttons(filters)  # the same figures as Word and PDF, for the morning's report
kept_briefings_list()  # and those the server wrote by itself this morning and before


def map_layers() -> tuple[list, list]:
    layers = [*zone_outlines(dataset().zones, lg),
              *(layer_of(k.name, views[k.name], lg, show=k.overview == "shown") for k in on_map)]
    legends = kind_legends([k.name for k in on_map], views, lg, limits)  # kinds of one legend share it
    if len(every_problem):  # in the layer control, unticked: rings round the places with problems to act on
        open_places = open_by_place(problems, loop_day)
        layers.append(problem_layer(open_places, lg, show=False))
        legends.append(problem_legend(open_places, lg))
    return layers, legends


per_problems = (lg, stamp, loop_day)
layers, legends = shared(("overview_layers", *per_filters, *per_problems), map_layers)
first = with_places[0].name  # the map opens on it
fit = place_key(filters)
zones = keep(view("zones", filters.date).assign(zone=lambda z: z["id"]))
listed = zones if len(dataset().zones) else views[first]  # the list under the map: zones, else the first places
export = export_of(t("page_overview", lg), filters)  # the date and filters in its name and title line
map_col, detail_col = st.columns([3, 1], gap="medium")
with map_col:
    # a filter or a search frames what it found, whichever layer holds it (a site found: not the compounds')
    found = pd.concat([views[k.name][["geometry"]] for k in with_places if len(views[k.name])]) \
        if fit and any(len(views[k.name]) for k in with_places) else views[first]
    state = shared(("overview_map", *per_filters, *per_problems, overlay_datum(settings())),
                   lambda: map_state(layers, legends, fit_key=fit,
                                     bounds=initial_bounds(gpd.GeoDataFrame(found)) if fit else None))
    clicked = show_map(state, key="map_overview", home=home_bounds(first),
                       focus=row_focus(listed, "table_overview"))  # a row chosen below: the map goes to it
    layers_picture_button(layers, legends, "page_overview", filters, export.stem, key=f"overview_{filters.date}")

show_outside_zones()
show_unplaced(layer_tables())
if len(dataset().zones):
    row_pick = show_table(zones, "zones", export, "table_overview", total=len(zones))
    row_pick = row_pick and ("zones", row_pick)
else:  # a city without zone shapes: the list is of its first kind of place
    row_pick = show_table(views[first], first, export, "table_overview",
                          total=len(view(first, filters.date)))
    row_pick = row_pick and (first, row_pick)
if clicked and clicked[0] == "problems":  # a ring round a place: the place itself
    clicked = next(((k.name, clicked[1]) for k in with_places if clicked[1] in set(views[k.name]["id"])), None)
if clicked and clicked[0] in views and not kinds.kind(clicked[0]).layer:  # a supply feature is a compound or a site
    owners = [k.name for k in with_places if k.layer in kinds.kind(clicked[0]).place_layers]
    clicked = (next((name for name in owners if clicked[1] in set(views[name]["id"])), owners[0]), clicked[1])
selected = pick("overview", clicked, row_pick)
with detail_col:
    frames = {**{k.name: views[k.name] for k in with_places}, "zones": zones}
    kind, place = selected or ("", "")
    frame = frames.get(kind)
    match = frame.loc[frame["id"] == place] if frame is not None else None
    if match is None or match.empty:
        st.subheader(t("details_title", lg), anchor=False)
        st.info(t("click_hint", lg))
    else:
        show_details(str(match.iloc[0]["name"]), details(match.iloc[0], kind, lg))
show_data_notes({k.name: views[k.name] for k in with_places})
