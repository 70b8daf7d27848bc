"""Two report dates compared, laid out: a map of the places whose state changed, the transitions, the list."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.analysis import Filters, apply_filters, changed_places, state_label, transitions
from geo.domain import kinds, t
from geo.io import to_csv_bytes
from geo.maps import initial_bounds, overlay_datum
from geo.maps.layers import kind_legend, layer_of, zone_outlines
from ui.cache import dataset, days, shared, view
from ui.mappage import export_of, show_map
from ui.mappicture import layers_picture_button
from ui.mapstate import map_state
from ui.settings import lang, settings, thresholds
from ui.urlstate import from_url, to_url


def compared_kinds() -> list[str]:
    """The kinds of place with a state to compare (a vocabulary) that the city has places of."""
    return [k.name for k in kinds.KINDS.values() if k.vocabulary and any(
        not dataset().layer(layer).empty for layer in k.place_layers)]


def choose_before(after: str) -> str | None:
    """The date to compare with (sidebar, URL ``cmp_a``): by default the complete day before ``after``."""
    lg = lang()
    earlier = [d for d in reversed(days().dates) if d < after]
    if not earlier:
        return None
    default = days().before(after) or earlier[0]
    from_url("cmp_a", earlier, default=default if default in earlier else earlier[0])
    return st.sidebar.selectbox(t("compare_before", lg), earlier, key="cmp_a")


def changes_of(kind: str, before: str, after: str, filters: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the after view of the changed places, their changes) for the places the filters keep, shared by all."""
    limits = thresholds()
    places = Filters(district=filters.district, street=filters.street, zone=filters.zone)

    def build():
        now = apply_filters(view(kind, after), places)
        changed = changed_places(apply_filters(view(kind, before), places), now)
        return now.loc[now["id"].isin(set(changed["id"]))], changed
    return shared(("compare", kind, before, after, places, limits.low, limits.critical), build)


def show_comparison(kind: str, before: str, after: str, filters: Filters) -> None:
    lg = lang()
    entry = kinds.kind(kind)
    shown, changed = changes_of(kind, before, after, filters)
    st.markdown(t("compare_summary", lg, count=len(changed), table=t(entry.title, lg), before=before, after=after))
    if changed.empty:
        st.info(t("compare_nothing", lg))
        return
    limits = thresholds()  # the supply legend says its days of cover
    layers = [*zone_outlines(dataset().zones, lg), layer_of(kind, shown, lg)]
    legends = [kind_legend(kind, shown, lg, limits)]
    state = shared(("compare_map", kind, before, after, filters, lg, overlay_datum(settings()), limits.low,
                    limits.critical),
                   lambda: map_state(layers, legends, bounds=initial_bounds(shown, share=1.0),
                                     fit_key=f"{kind} {before} {after} {filters}"))
    # the kind, both dates and the places' filters in the files' names and their title line
    export = export_of(f"{t('page_compare', lg)}-{t(entry.title, lg)}",
                       Filters(date=f"{before}–{after}", district=filters.district, street=filters.street,
                               zone=filters.zone))
    map_col, table_col = st.columns([3, 2], gap="medium")
    with map_col:
        show_map(state, key="map_compare")
        layers_picture_button(layers, legends, entry.title, Filters(date=f"{before} → {after}",
                              district=filters.district, street=filters.street, zone=filters.zone),
                              export.stem, key=f"compare_{kind}_{before}_{after}")
    with table_col:
        st.subheader(t("compare_transitions", lg), anchor=False)
        counts = transitions(changed)
        st.dataframe(pd.DataFrame({
            t("compare_from", lg): [state_label(entry.vocabulary, c, lg) for c in counts["before"]],
            t("compare_to", lg): [state_label(entry.vocabulary, c, lg) for c in counts["after"]],
            t("compare_count", lg): counts["count"]}), hide_index=True, width="stretch")
    st.subheader(t("compare_list", lg), anchor=False)
    listing = pd.DataFrame({
        t("col_id", lg): changed["id"], t("col_name", lg): changed["name"],
        **({t("col_zone", lg): changed["zone_name"]} if "zone_name" in changed else {}),
        t("compare_state_on", lg, date=before): [state_label(entry.vocabulary, c, lg) for c in changed["before"]],
        t("compare_state_on", lg, date=after): [state_label(entry.vocabulary, c, lg) for c in changed["after"]]})
    st.dataframe(listing, hide_index=True, width="stretch")
    st.download_button(t("download_csv", lg), to_csv_bytes(listing, title=export.title), f"{export.stem}.csv",
                       "text/csv", key="compare_csv", on_click="ignore")


def choose_kind() -> str | None:
    lg = lang()
    names = compared_kinds()
    if not names:
        return None
    from_url("cmp_kind", names, default=names[0])
    kind = st.selectbox(t("compare_kind", lg), names, key="cmp_kind", format_func=lambda k: t(kinds.kind(k).title, lg))
    to_url("cmp_kind", kind)
    return kind
