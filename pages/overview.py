"""Overview: headline figures with their change since the previous report, and every layer on one map."""

import streamlit as st

from geo.analysis.filters import apply_filters, place_key
from geo.analysis.kpi import compute_kpis
from geo.domain.labels import t
from geo.maps.mapview import initial_bounds
from geo.maps.layers import category_legend, compound_layer, site_layer, supply_layer, zone_outline_layer
from geo.analysis.display import details
from ui.cache import dataset, home_bounds, view
from ui.navigation import require_navigation
from ui.settings import lang, thresholds
from ui.filterbar import sidebar_filters
from ui.mappage import map_state, page_header, pick, preload_places, show_data_notes, show_details, show_map, show_table

require_navigation()
lg = lang()
preload_places(("zones", "compounds", "sites"))
filters = sidebar_filters(None)
page_header("page_overview", filters.date)
if not filters.date:
    st.info(t("no_report_dates", lg))
    st.stop()


def keep(frame):
    return apply_filters(frame, filters)


# Colour the change by what it means: fewer places short or silent is good, a higher resumption rate is good.
DELTA_COLOURS = {"kpi_resumption_rate": "normal", "kpi_short": "inverse", "kpi_not_reported": "inverse"}
for column, kpi in zip(st.columns(6), compute_kpis(dataset(), filters.date, thresholds(), keep)):
    delta = None if kpi.delta is None else f"{kpi.delta:+g}{kpi.unit}"
    column.metric(t(kpi.key, lg), f"{kpi.value:g}{kpi.unit}", delta, border=True,
                  delta_color=DELTA_COLOURS.get(kpi.key, "off"), delta_description=t("kpi_vs_previous", lg))

compounds = keep(view("compounds", filters.date))
sites = keep(view("sites", filters.date))
supplies = keep(view("supplies", filters.date))
layers = [zone_outline_layer(dataset().zones, lg), compound_layer(compounds, lg), site_layer(sites, lg),
          supply_layer(supplies, lg, show=False)]
legends = [category_legend(t("legend_closure", lg), "closure", compounds["category"], lg),
           category_legend(t("legend_resumption", lg), "resumption", sites["category"], lg),
           category_legend(t("legend_supply", lg), "supply_level", supplies["category"], lg)]
fit = place_key(filters)
map_col, detail_col = st.columns([3, 1], gap="medium")
with map_col:
    clicked = show_map(map_state(layers, legends, bounds=initial_bounds(compounds) if fit else None, fit_key=fit),
                       key="map_overview", home=home_bounds("compounds"))

zones = keep(view("zones", filters.date).assign(zone=lambda z: z["id"]))
row_pick = show_table(zones, "zones", f"overview_{filters.date}", "table_overview", total=len(zones))
if clicked and clicked[0] == "supplies":  # a supply feature is a compound or a site
    clicked = ("sites" if clicked[1] in set(sites["id"]) else "compounds", clicked[1])
selected = pick("overview", clicked, row_pick and ("zones", row_pick))
with detail_col:
    frames = {"compounds": compounds, "sites": sites, "zones": zones}
    kind, place = selected or ("", "")
    frame = frames.get(kind)
    match = frame.loc[frame["id"] == place] if frame is not None else None
    if match is None or match.empty:
        st.subheader(t("details_title", lg), anchor=False)
        st.info(t("click_hint", lg))
    else:
        show_details(str(match.iloc[0]["name"]), details(match.iloc[0], kind, lg))
show_data_notes({"compounds": compounds, "sites": sites})
