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
from ui.data import STORE_ERRORS, engine, store_failure_message
from ui.escape import plain
from ui.login import current_user, may_still_view
from ui.settings import lang, settings

ZONE_ALL = ""
DONE_KEY = "daily_done"  # what the last save did, said after the rerun that shows it
ASKED_KEY = "daily_asked"  # the report a tap asked for, made by the next run


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


def _saved(change, lg: str, rerun: bool = True) -> bool:
    """Run ``change`` (storing a report); on success say so (after a rerun of the whole page with ``rerun``,
    else here), else say why here (a form keeps what was typed)."""
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
    if not rerun:
        st.success(done.pick(lg))
        return True
    st.session_state[DONE_KEY] = done
    st.rerun()
    return True


def _ask(*report) -> None:
    """A button's callback: the report it asks for, made by the run that follows, before the list is drawn
    (:func:`_make_asked`), so that the list drawn shows it without another run."""
    st.session_state[ASKED_KEY] = report


def _make_asked(user: User, listed: pd.DataFrame, today: datetime.date, lg: str) -> None:
    """The report a tap asked for: one place "与昨日相同", or every place of ``listed`` not reported yet."""
    asked = st.session_state.pop(ASKED_KEY, None)
    if asked == ("all",):
        places = reports_today(engine(), listed, today)
        _same_for_all(user, places.loc[places["reported_at"].isna()], today, lg)
    elif isinstance(asked, tuple) and len(asked) == 3 and asked[0] == "same":
        _, kind, pid = asked  # a place not among the reporter's own (forged) is refused by the save
        _saved(lambda: report_daily(engine(), dataset(), user, kind, pid, today).text, lg, rerun=False)


def _same_for_all(user: User, waiting: pd.DataFrame, today: datetime.date, lg: str) -> None:
    """The 一键零报告: every place of ``waiting`` as yesterday (one version a table); those that cannot be, named."""
    chosen = list(zip(waiting["kind"], waiting["id"]))
    try:
        count, failed = save_when_free(lambda: report_all_same(engine(), dataset(), user, chosen, today))
    except DailyRefused as refused:
        st.error(refused.text.pick(lg))
        return
    except StoreStayedBusy:
        return
    st.success(t("daily_zero_done", count=count).pick(lg))
    for text in failed:
        st.warning(text.pick(lg))


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


def _reporter() -> User | None:
    """The user, whose role is checked again (a tap reruns only the report's part of the page, without the page's
    gate): one who may no longer report reruns the whole page, whose gate says why."""
    user = current_user()
    try:
        auth.require(user, "report_daily", require_login=settings().require_login)
    except auth.PermissionDenied:
        st.rerun()
    return user


@st.fragment
def render_report_page() -> None:
    """The page: the reporter's places and their state today, the one-tap reports, the form, the 未报告 list.

    A fragment: a tap, a zone chosen or a form opened reruns this part alone, not the page's menu and gate
    around it (a morning's officers tap hundreds of times; every run saved is a server's core free)."""
    if not may_still_view():  # like every fragment: its reruns pass no gate of the page's
        st.rerun()
    lg = lang()
    try:
        _report_part(_reporter(), lg)
    except STORE_ERRORS as exc:  # an error stops at its fragment, before app.py's handler: said here the same way
        st.error(store_failure_message(exc, lg))


def _report_part(user: User, lg: str) -> None:
    today = _today()
    if (done := st.session_state.pop(DONE_KEY, None)) is not None:
        st.success(done.pick(lg))
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
    _make_asked(user, places, today, lg)
    places = reports_today(engine(), places, today)
    if today != datetime.date.today():  # a store of past data (the demo): its last morning, said as such
        st.caption(t("daily_past_day", lg, date=today.isoformat()))
    missing = int(places["reported_at"].isna().sum())
    st.markdown(t("daily_progress", lg, date=today.isoformat(), reported=len(places) - missing, total=len(places)))
    if missing:
        st.button(t("daily_zero_all", lg, count=missing), key="daily_zero_all", width="stretch", on_click=_ask,
                  args=("all",))
    for _, row in places.iterrows():
        with st.container(border=True):
            st.markdown(f"**{plain(row['name'])}** · {plain(row['id'])}  \n{_state_line(row, lg)}")
            # once reported, a correction goes through the form: a tap never puts yesterday over today's report
            if pd.isna(row["reported_at"]):
                st.button(t("daily_same", lg), key=f"daily_same_{row['kind']}_{row['id']}", width="stretch",
                          on_click=_ask, args=("same", row["kind"], row["id"]))
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
                         key="compliance_csv", width="stretch")
    right.download_button(t("compliance_xlsx", lg), to_xlsx_bytes(table, sheet=name[:31]), f"{name}.xlsx",
                          key="compliance_xlsx", width="stretch")
