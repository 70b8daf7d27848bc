"""Sidebar filters kept in the URL: each widget's key is its query parameter."""

from __future__ import annotations

import streamlit as st

from geo.analysis.filters import MAX_QUERY_LENGTH, Filters
from geo.domain import MISSING, t, vocab
from ui.cache import dataset, days, shared, zone_names
from ui.settings import lang, settings
from ui.timeline import take_next_date, time_controls
from ui.urlstate import from_url, text_from_url, to_url

SHOWN_BY_DEFAULT_KEY = "date_by_default"  # the day a page opened on by default at its last run


def _options(column: str, within: dict[str, list]) -> list[str]:
    """The values of the zones' ``column`` among the zones whose other columns hold a value chosen ``within``,
    sorted, once per data version and choice (a nation's 71,000 zones: 0.5 s a run)."""
    chosen = tuple((other, tuple(values)) for other, values in within.items() if values)

    def build() -> list[str]:
        rows = dataset().zones
        for other, values in chosen:
            rows = rows[rows[other].isin(values)]
        return sorted(rows[column].dropna().astype(str).unique())

    return shared(("zone_options", column, chosen), build)


def _multiselect(label: str, options: list[str], key: str, placeholder: str | None = None, **kwargs) -> list[str]:
    from_url(key, options, multi=True)
    return st.sidebar.multiselect(label, options, key=key, placeholder=placeholder or t("f_all", lang()), **kwargs)


def _zone_options(candidates: list[str]) -> tuple[list[str], str | None]:
    """The zones to offer, and a hint when there are too many to list (a province has thousands: the browser
    built 7,000 options on every page). Then only the zones already chosen (or in the URL) stay."""
    if len(candidates) <= settings().zone_list_max:
        return candidates, None
    allowed = set(candidates)
    chosen = st.session_state.get("zone")
    chosen = st.query_params.get_all("zone") if chosen is None else chosen
    return [z for z in dict.fromkeys(chosen) if z in allowed], t("f_zone_narrow", lang(), count=len(candidates))


def _whole(text: str | None) -> int:
    """A whole number of days from the URL; 0 for anything else (a link typed by hand)."""
    return int(text) if text and text.isdigit() and int(text) <= 3650 else 0


def _follow_the_newest_day(current: str | None) -> None:
    """A page showing the day it opened on by default (the newest complete day) moves to the next one when it
    comes (:mod:`ui.follow` reruns the page for it); a day a leader chose stays."""
    before = st.session_state.get(SHOWN_BY_DEFAULT_KEY)
    if before is not None and current != before and st.session_state.get("date") == before:
        st.session_state["date"] = current
    st.session_state[SHOWN_BY_DEFAULT_KEY] = current


def sidebar_filters(status_vocabulary: str | None = None, search: bool = True, timeline: bool = True) -> Filters:
    """Date, district, street, zone, status and search widgets; the URL carries every choice.

    ``timeline``: under the date, step or play through the report dates (:mod:`ui.timeline`).
    """
    lg = lang()
    report = days()
    all_dates = list(reversed(report.dates))
    zones = dataset().zones
    date = None
    if all_dates:
        # the newest complete day, not a partial one (a person may still choose that)
        _follow_the_newest_day(report.current)
        from_url("date", all_dates, default=report.current)
        take_next_date()
        date = st.sidebar.selectbox(t("f_date", lg), all_dates, key="date")
        if timeline:
            time_controls(list(report.dates))
    district, street, zone = [], [], []
    if len(zones):  # districts and streets come with the zones: a city without zone shapes has no such filters
        district = _multiselect(t("f_district", lg), _options("district", {}), "district")
        street = _multiselect(t("f_street", lg), _options("street", {"district": district}), "street")
        names = zone_names()
        zone_options, narrow = _zone_options(_options("id", {"district": district, "street": street}))
        zone = _multiselect(t("f_zone", lg), zone_options, "zone", placeholder=narrow,
                            disabled=bool(narrow and not zone_options), format_func=lambda z: names.get(z, z))
    status: list[str] = []
    if status_vocabulary:
        status = _multiselect(t("f_status", lg), [*vocab.codes(status_vocabulary), MISSING], "status",
                              format_func=lambda c: t("legend_missing", lg) if c == MISSING
                              else vocab.label(status_vocabulary, c, lg))
    held = 0
    if status_vocabulary:  # how long a place has been in its state: "sealed for 14 days or more"
        text_from_url("held", 4)
        st.session_state["held"] = _whole(st.session_state["held"]) if isinstance(st.session_state["held"], str) \
            else st.session_state["held"]
        held = int(st.sidebar.number_input(t("f_held", lg), min_value=0, max_value=3650, step=1, key="held",
                                           help=t("f_held_help", lg)))
    no_ledger = False
    if status_vocabulary == "resumption":  # 复工但未建健康台账: what the attention list names, as a filter
        text_from_url("no_ledger", 1)
        st.session_state["no_ledger"] = st.session_state["no_ledger"] in ("1", True)
        no_ledger = st.sidebar.checkbox(t("f_no_ledger", lg), key="no_ledger", help=t("f_no_ledger_help", lg))
    q = ""
    if search:
        text_from_url("q", MAX_QUERY_LENGTH)
        q = st.sidebar.text_input(t("f_search", lg), key="q", max_chars=MAX_QUERY_LENGTH)
    filters = Filters(date=date, district=tuple(district), street=tuple(street), zone=tuple(zone),
                      status=tuple(status), q=q or "", held=held, no_ledger=no_ledger)
    for key in ("date", "district", "street", "zone", "status", "q"):
        to_url(key, getattr(filters, key))
    to_url("held", held or None)
    to_url("no_ledger", "1" if no_ledger else None)
    st.sidebar.caption(t("share_link", lg))
    return filters
