"""Grid zones: a choropleth of a metric aggregated from each zone's compounds and sites."""

import streamlit as st

from geo.analysis import apply_filters, details, display_table, header, place_key, shown_value
from geo.analysis.zones import METRICS, metric
from geo.domain import t
from geo.maps import initial_bounds
from geo.maps.layers import zone_choropleth
from ui.cache import dataset, home_bounds, view, zone_top
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
)
from ui.mappicture import layers_picture_button
from ui.mapstate import map_state
from ui.navigation import require_navigation
from ui.settings import lang
from ui.urlstate import from_url, to_url

#: Session state: a zone clicked on the map, to be the zone filter on the next run (drilled into).
DRILL = "zones_drill"

require_navigation()
lg = lang()
preload_places(("zones",))
drilled = st.session_state.pop(DRILL, None)
if drilled:  # before the filter's widget exists: then it may be set
    st.session_state["zone"] = [drilled]
filters = sidebar_filters(None)
page_header("page_zones", filters.date)
if not len(dataset().zones):  # a city without zone shapes: nothing to shade, and no error either
    st.info(t("no_zones", lg))
    show_data_notes({})
    st.stop()
shaped = bool(dataset().zones.geometry.notna().any())  # else a list of zones: no map, nothing to shade
chosen = METRICS[0].code
if shaped:
    from_url("metric", [m.code for m in METRICS], default=METRICS[0].code)
    chosen = st.sidebar.selectbox(t("f_metric", lg), [m.code for m in METRICS], key="metric",
                                  format_func=lambda code: metric(code).label(lg))
    to_url("metric", chosen)
if not filters.date:  # the zones are drawn all the same, with what their places have not reported yet
    st.info(t("no_report_dates", lg))

zones = view("zones", filters.date).assign(zone=lambda z: z["id"])
shown = apply_filters(zones, filters)
layer, legend = zone_choropleth(shown, chosen, lg, top=zone_top(shown, chosen))  # the same breaks on every date
map_col, detail_col = st.columns([3, 1], gap="medium")
with map_col:
    fit = place_key(filters)
    if shaped:
        clicked = show_map(map_state([layer], [legend], bounds=initial_bounds(shown, share=1.0) if fit else None,
                                     fit_key=fit), key="map_zones", home=home_bounds("zones", share=1.0),
                           focus=row_focus(shown, "table_zones"))  # a row chosen below: the map goes to it
        st.caption(t("zones_click_drills", lg))
        layers_picture_button([layer], [legend], "page_zones", filters, export_of(t("page_zones", lg), filters).stem,
                              key=f"zones_{chosen}_{filters.date}")
        # A zone clicked: the page drills into it (the zone filter, which frames the map on it); its details show.
        if clicked and clicked != st.session_state.get("zones_drill_click"):
            st.session_state["zones_drill_click"] = clicked
            if list(filters.zone) != [clicked[1]]:
                st.session_state[DRILL] = clicked[1]
                st.rerun()
    else:  # zones kept as a list (names, leaders, phones): their figures without a map
        st.info(t("zones_without_shapes", lg))
        clicked = None
show_outside_zones()
row_pick = show_table(shown, "zones", export_of(t("page_zones", lg), filters), "table_zones", total=len(zones))
selected = pick("zones", clicked, row_pick and ("zones", row_pick))
with detail_col:
    match = zones.loc[zones["id"] == selected[1]] if selected else zones.iloc[0:0]
    if match.empty:
        st.subheader(t("details_title", lg), anchor=False)
        st.info(t("click_hint" if shaped else "row_hint", lg))
    else:
        row = match.iloc[0]
        show_details(str(row["name"]), details(row, "zones", lg))
        places = view("compounds", filters.date)
        places = places.loc[places["zone"] == row["id"]]
        st.markdown(f"**{t('places_of_zone', lg)}**")
        listing = display_table(places, "compounds", lg)
        keep = [header(c, "compounds", lg) for c in ("name", "category", "residents", "fever_reports")]
        # a place that has not reported has no figures: blank, not "None"
        st.dataframe(listing[keep].map(shown_value), hide_index=True, width="stretch")
show_data_notes({})
