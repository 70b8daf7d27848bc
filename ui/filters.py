"""Sidebar filters bound to the URL: each widget's key is its query parameter."""

from __future__ import annotations

import streamlit as st

from geo import vocab
from geo.filters import MAX_QUERY_LENGTH, Filters
from geo.labels import t
from geo.vocab import MISSING
from ui.common import dataset, dates, lang


def _options(frame, column: str, within: dict[str, tuple]) -> list[str]:
    rows = frame
    for other, chosen in within.items():
        if chosen:
            rows = rows[rows[other].isin(chosen)]
    return sorted(rows[column].dropna().astype(str).unique())


def sidebar_filters(status_vocabulary: str | None = None, search: bool = True) -> Filters:
    """Date, district, street, zone, status and search widgets; the URL carries every choice."""
    lg = lang()
    all_dates = dates()
    zones = dataset().zones
    side = st.sidebar
    date = None
    if all_dates:
        date = side.selectbox(t("f_date", lg), list(reversed(all_dates)), key="date", bind="query-params")
    district = side.multiselect(t("f_district", lg), _options(zones, "district", {}), key="district",
                                bind="query-params")
    street = side.multiselect(t("f_street", lg), _options(zones, "street", {"district": district}), key="street",
                              bind="query-params")
    zone_names = dict(zip(zones["id"].astype(str), zones["name"].astype(str)))
    zone = side.multiselect(t("f_zone", lg), _options(zones, "id", {"district": district, "street": street}),
                            format_func=lambda z: zone_names.get(z, z), key="zone", bind="query-params")
    status: list[str] = []
    if status_vocabulary:
        status = side.multiselect(t("f_status", lg), [*vocab.codes(status_vocabulary), MISSING],
                                  format_func=lambda c: t("legend_missing", lg) if c == MISSING
                                  else vocab.label(status_vocabulary, c, lg),
                                  key="status", bind="query-params")
    q = ""
    if search:
        q = side.text_input(t("f_search", lg), key="q", bind="query-params", max_chars=MAX_QUERY_LENGTH)
    side.caption(t("share_link", lg))
    return Filters(date=date, district=tuple(district), street=tuple(street), zone=tuple(zone),
                   status=tuple(status), q=q or "")
