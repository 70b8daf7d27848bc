"""The report page (今日填报) for a phone: the reporter's places with today's state, one tap "与昨日相同",
a short form per place, and for the command post the places not reported by the deadline (未报告).

Each report is stored by :func:`geo.upload.report_daily` (a version with who and when); this module only
lays it out, narrow enough for a 390-pixel screen: one column, big buttons, one form open at a time.
A form keeps what was typed through a rerun and a failed save (its values stay in the session).
"""

from __future__ import annotations

import datetime

import pandas as pd
import streamlit as st

from geo.accounts import User, auth
from geo.domain import TABLES, t, vocab
from geo.io import to_csv_bytes, to_xlsx_bytes
from geo.upload import (
    DailyRefused,
    call_list,
    compliance,
    form_fields,
    parse_deadline,
    places_to_report,
    report_all_same,
    report_daily,
    reporting_day,
    reports_today,
    yesterday,
    zone_summary,
)
from ui.busy import StoreStayedBusy, save_when_free
from ui.cache import city_days, dataset
from ui.data import engine
from ui.escape import plain
from ui.settings import lang, settings

ZONE_ALL = ""
DONE_KEY = "daily_done"  # what the last save did, said after the rerun that shows it


def _today() -> datetime.date:
    """The day reported: the server's calendar day, or the newest report day of a store of past data."""
    return reporting_day(city_days(), datetime.date.today())


def _option(row) -> str:
    return f"{row['kind']}:{row['id']}"


def _by_phone(row) -> bool:
    return bool(row["by_phone"]) if pd.notna(row["by_phone"]) else False


def _state_line(row, lg: str) -> str:
    """Reported or not, and by whom: a table's row says so, since a report from here will replace it."""
    if pd.isna(row["reported_at"]):
        return "⏳ " + t("daily_not_reported", lg)
    key = "daily_reported" if _by_phone(row) else "daily_reported_table"
    return "✅ " + plain(t(key, lg, time=row["reported_at"].strftime("%H:%M"), user=row["reported_by"]))


def _saved(change, lg: str) -> bool:
    """Run ``change`` (storing a report); on success say so after a rerun, else say why here (the form keeps
    what was typed)."""
    try:
        done = save_when_free(change)
    except DailyRefused as refused:
        st.error(refused.text.pick(lg))
        return False
    except auth.PermissionDenied as denied:
        st.error(denied.message(lg))
        return False
    except StoreStayedBusy:
        return False  # said on the page; nothing changed, the entry stays
    st.session_state[DONE_KEY] = done
    st.rerun()
    return True


def _same_for_all(user: User, places: pd.DataFrame, lg: str) -> None:
    """The 一键零报告: every place of the list not reported yet, as yesterday (one version a table); those
    that cannot be, named."""
    waiting = places.loc[places["reported_at"].isna()]
    chosen = list(zip(waiting["kind"], waiting["id"]))
    try:
        count, failed = save_when_free(lambda: report_all_same(engine(), dataset(), user, chosen, _today()))
    except DailyRefused as refused:
        st.error(refused.text.pick(lg))
        return
    except StoreStayedBusy:
        return
    st.session_state[DONE_KEY] = t("daily_zero_done", count=count)
    st.session_state["daily_zero_failed"] = [text.pick(lg) for text in failed]
    st.rerun()


def _input(report: str, column: str, value, key: str, lg: str):
    """The widget of one column of the form, starting from ``value`` (yesterday's, or today's to correct)."""
    col = TABLES[report].column(column)
    label = col.label(lg)
    if col.vocabulary:
        options = vocab.codes(col.vocabulary)
        start = options.index(value) if isinstance(value, str) and value in options else 0
        return st.selectbox(label, options, index=start, key=key,
                            format_func=lambda code: vocab.label(col.vocabulary, code, lg))
    top = int(col.maximum or 10**7)
    number = None if value is None or pd.isna(value) else min(max(int(value), 0), top)  # the widget's bounds
    return st.number_input(label, min_value=0, max_value=top, value=number, step=1, key=key)


def _form(user: User, row, lg: str) -> None:
    """The short form of one place, filled in with its newest report (today's when it corrects it)."""
    report, pid = row["report"], row["id"]
    today = _today()
    start = yesterday(engine(), report, pid, today + datetime.timedelta(days=1))
    first = start.iloc[0] if len(start) else pd.Series(dtype=object)
    stock = (yesterday(engine(), "supplies", pid, today + datetime.timedelta(days=1))
             if row["kind"] in ("compounds", "sites") else pd.DataFrame())
    if pd.notna(row["reported_at"]):  # nothing is replaced unseen: whose report of today this form replaces
        st.info(t("daily_replaces", lg, user=str(row["reported_by"]), time=row["reported_at"].strftime("%H:%M"),
                  how="" if _by_phone(row) else t("daily_from_table", lg)))
    with st.form(f"daily_form_{row['kind']}_{pid}", border=True):
        values = {column: _input(report, column, first.get(column), f"daily_{row['kind']}_{pid}_{column}", lg)
                  for column in form_fields(report)}
        on_hand = {}
        if len(stock):
            st.caption(t("daily_supplies", lg))
            for item in stock["item"].astype(str):
                have = stock.loc[stock["item"].astype(str) == item, "on_hand"].iloc[0]
                on_hand[item] = st.number_input(
                    vocab.label("item", item, lg) if item in vocab.codes("item") else item, min_value=0.0,
                    max_value=1e8, value=None if pd.isna(have) else min(max(float(have), 0.0), 1e8), step=1.0,
                    key=f"daily_{row['kind']}_{pid}_item_{item}")
        if st.form_submit_button(t("daily_submit", lg), type="primary", width="stretch"):
            kept = {k: v for k, v in values.items()}
            _saved(lambda: report_daily(engine(), dataset(), user, row["kind"], pid, today, kept,
                                        {k: v for k, v in on_hand.items() if v is not None}).text, lg)


def render_report_page(user: User) -> None:
    """The page: the reporter's places and their state today, the one-tap reports, the form, the 未报告 list."""
    lg = lang()
    today = _today()
    if (done := st.session_state.pop(DONE_KEY, None)) is not None:
        st.success(done.pick(lg))
    for failure in st.session_state.pop("daily_zero_failed", []):
        st.warning(failure)
    places = places_to_report(dataset(), user)
    if user.scope is None and len(places):  # a whole city: one zone at a time, as a phone can show it
        zones = sorted(places["zone"].dropna().unique().tolist())
        chosen = st.selectbox(t("col_zone", lg), [ZONE_ALL, *zones], key="daily_zone",
                              format_func=lambda z: t("daily_all_zones", lg) if z == ZONE_ALL else z)
        if chosen != ZONE_ALL:
            places = places.loc[places["zone"] == chosen].reset_index(drop=True)
    if places.empty:
        st.info(t("daily_none", lg))
        return
    places = reports_today(engine(), places, today)
    if today != datetime.date.today():  # a store of past data (the demo): its last morning, said as such
        st.caption(t("daily_past_day", lg, date=today.isoformat()))
    missing = int(places["reported_at"].isna().sum())
    st.markdown(t("daily_progress", lg, date=today.isoformat(), reported=len(places) - missing, total=len(places)))
    if missing and st.button(t("daily_zero_all", lg, count=missing), key="daily_zero_all", width="stretch"):
        _same_for_all(user, places, lg)
    for _, row in places.iterrows():
        with st.container(border=True):
            st.markdown(f"**{plain(row['name'])}** · {plain(row['id'])}  \n{_state_line(row, lg)}")
            # once reported, a correction goes through the form: a tap never puts yesterday over today's report
            key = f"daily_same_{row['kind']}_{row['id']}"
            if pd.isna(row["reported_at"]) and st.button(t("daily_same", lg), key=key, width="stretch"):
                _saved(lambda row=row: report_daily(engine(), dataset(), user, row["kind"], row["id"], today).text,
                       lg)
    options = [_option(row) for _, row in places.iterrows()]
    names = {_option(row): f"{row['name']}（{row['id']}）" for _, row in places.iterrows()}
    st.subheader(t("daily_fill", lg), anchor=False)
    picked = st.selectbox(t("daily_pick", lg), options, key="daily_pick", format_func=lambda o: names.get(o, o))
    if picked is not None:
        kind, _, pid = str(picked).partition(":")
        row = places.loc[(places["kind"] == kind) & (places["id"] == pid)]
        # a value not among the reporter's places (forged) finds no row here; the save refuses it anyway
        if len(row):
            _form(user, row.iloc[0], lg)
    if auth.can(user, "upload"):  # the command post: who has not reported, who to call
        render_compliance(user, lg)


def render_compliance(user: User, lg: str) -> None:
    """Places not reported by the ``report_deadline`` setting today, and those reported after it, as a call list."""
    deadline = parse_deadline(settings().report_deadline)
    today = _today()
    st.subheader(t("compliance_title", lg, deadline=deadline.strftime("%H:%M")), anchor=False)
    late = compliance(engine(), dataset(), user, today, deadline)
    counts = late["status"].value_counts()
    st.markdown(t("compliance_counts", lg, missing=int(counts.get("missing", 0)), late=int(counts.get("late", 0))))
    if late.empty:
        st.success(t("compliance_none", lg))
        return
    st.dataframe(zone_summary(late, lg), hide_index=True, width="stretch", key="compliance_zones")
    by = st.radio(t("compliance_sort", lg), ["district", "zone"], horizontal=True, key="compliance_sort",
                  format_func=lambda c: t(f"col_{c}", lg))
    table = call_list(late.sort_values([by, "status", "id"], kind="stable"), lg)
    st.dataframe(table, hide_index=True, width="stretch")
    name = t("compliance_file", lg, date=today.isoformat())
    left, right = st.columns(2)
    left.download_button(t("compliance_csv", lg), to_csv_bytes(table), f"{name}.csv", "text/csv",
                         key="compliance_csv", width="stretch", on_click="ignore")
    right.download_button(t("compliance_xlsx", lg), to_xlsx_bytes(table, sheet=name[:31]), f"{name}.xlsx",
                          key="compliance_xlsx", width="stretch", on_click="ignore")
