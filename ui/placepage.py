"""One page layout for every kind of place coloured by its state: filters, map, details, table."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

from geo.analysis import (
    Filters,
    apply_filters,
    details,
    item_summary,
    supply_rows,
)
from geo.domain import kinds, t, vocab
from geo.maps import overlay_datum
from ui.cache import data_key, dataset, days, home_bounds
from ui.filterbar import sidebar_filters
from ui.mappage import (
    MapState,
    export_of,
    page_header,
    pick,
    preload_places,
    row_focus,
    show_data_notes,
    show_details,
    show_map,
    show_table,
    show_unplaced,
)
from ui.mappicture import map_picture_button
from ui.placemaps import place_map_for, place_rows_for
from ui.settings import lang, settings, thresholds
from ui.timeline import step_glimpses


def supplies_of(place_id: str, date: str, lg: str) -> pd.DataFrame:
    """Stock, daily use and days of cover of each item at one place."""
    rows = supply_rows(dataset(), date, thresholds())
    rows = rows.loc[rows["place_id"] == place_id]
    return pd.DataFrame({
        t("col_item", lg): [vocab.label("item", i, lg) for i in rows["item"]],
        t("col_on_hand", lg): rows["on_hand"].to_numpy(),
        t("col_daily_use", lg): rows["daily_use"].to_numpy(),
        # no daily use (thermometers are not used up): no figure rather than "infinity"
        t("col_days", lg): rows["days_of_cover"].replace(np.inf, np.nan).round(1).to_numpy(),
        t("col_supply_level", lg): [vocab.label("supply_level", c, lg) for c in rows["level"]],
    })


def show_item_summary(date: str, place_ids, lg: str) -> None:
    """Per item, across the places shown: how many are short, and the overall days of cover."""
    summary = item_summary(dataset(), date, thresholds(), place_ids)
    st.subheader(t("items_title", lg), anchor=False)
    st.dataframe(pd.DataFrame({
        t("col_item", lg): [vocab.label("item", i, lg) for i in summary["item"]],
        t("col_places", lg): summary["places"], t("col_low", lg): summary["low"],
        t("col_critical", lg): summary["critical"], t("col_on_hand", lg): summary["on_hand"],
        t("col_daily_use", lg): summary["daily_use"], t("col_min_days", lg): summary["days_of_cover"],
    }), hide_index=True, width="stretch")


def place_rows(kind: str, filters: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every place of ``kind`` on the filters' date, each with its state on the report date before, and those
    the filters keep."""
    full = place_rows_for(data_key(), days(), kind, filters.date, thresholds())
    return full, apply_filters(full, filters)


def place_map(kind: str, filters: Filters, lg: str, shown: pd.DataFrame | None = None) -> MapState:
    """:func:`place_map_for` inside the viewing account's scope, with the server's settings."""
    s = settings()
    return place_map_for(data_key(), days(), kind, filters, lg, thresholds(), overlay_datum(s), s.map_places_at_once,
                         shown)


def render_place_page(kind: str) -> None:
    """The page of the kind of place ``kind`` (see :mod:`geo.domain.kinds`)."""
    entry = kinds.kind(kind)
    lg = lang()
    preload_places(entry.map_layers)
    filters = sidebar_filters(entry.vocabulary)
    page_header(entry.title, filters.date)
    if not filters.date:  # the places are drawn all the same, each one not reported yet
        st.info(t("no_report_dates", lg))
    full, shown = place_rows(kind, filters)
    state = place_map(kind, filters, lg, shown)
    map_col, detail_col = st.columns([3, 1], gap="medium")
    with map_col:
        clicked = show_map(state, key=f"map_{kind}", home=home_bounds(entry.place_layers[0]),
                           focus=row_focus(shown, f"table_{kind}"))  # a row chosen below: the map goes to it
    export = export_of(t(entry.title, lg), filters, entry.vocabulary)  # the date and filters in the files' names
    if shown.empty:
        st.warning(t("nothing_matches", lg))
    elif entry.vocabulary:
        map_picture_button(shown, entry.vocabulary, entry.title, filters, export.stem, key=f"{kind}_{filters.date}")
    show_unplaced(entry.place_layers)
    if kind == "supplies":
        show_item_summary(filters.date, shown["id"], lg)
    row_pick = show_table(shown, kind, export, f"table_{kind}", total=len(full))
    selected = pick(kind, clicked, row_pick and (kind, row_pick))
    with detail_col:
        match = full.loc[full["id"] == selected[1]] if selected else full.iloc[0:0]
        if match.empty:
            st.subheader(t("details_title", lg), anchor=False)
            st.info(t("click_hint", lg))
        else:
            row = match.iloc[0]
            show_details(str(row["name"]), details(row, kind, lg))
            items = supplies_of(str(row["id"]), filters.date, lg)
            if not items.empty:
                st.markdown(f"**{t('supplies_of_place', lg)}**")
                st.dataframe(items, hide_index=True, width="stretch")
    show_data_notes({kind: full})
    step_glimpses(filters.date, list(days().dates),
                  lambda date: place_map(kind, replace(filters, date=date), lg).update.glimpse)
