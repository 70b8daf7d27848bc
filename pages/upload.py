"""Upload: from a staff member's file to the live map, through a dry run and a confirmation."""

import hashlib

import streamlit as st

from geo.domain import TABLES, listing, t
from geo.store import ReportArrived
from geo.upload import check_file, commit
from ui.busy import StoreStayedBusy, save_when_free
from ui.data import engine, refuse_changes_when_read_only
from ui.login import require_role
from ui.navigation import require_navigation
from ui.settings import lang, settings, thresholds
from ui.uploadview import (
    column_mapping,
    datum_choice,
    keep_reports_choice,
    list_sheets,
    prefill_choice,
    replace_choice,
    show_check,
    template_buttons,
    undo_offer,
)
from ui.urlstate import from_url
from ui.welcome import show_refused_files

require_navigation()
lg = lang()
user = require_role("upload")
refuse_changes_when_read_only(lg)  # no uploader, no form: nothing of it could be saved
st.title(t("page_upload", lg), anchor=False)
st.caption(t("upload_intro", lg))
show_refused_files(lg)

kinds = list(TABLES)
# the welcome page links here with the table chosen; else the table staff upload every day
from_url("upload_kind", kinds, default="compound_status")
kind = st.selectbox(t("upload_kind", lg), kinds, key="upload_kind",
                    format_func=lambda k: TABLES[k].label(lg))
with st.expander(t("template_title", lg), expanded=not TABLES[kind].geometry):
    places, date = prefill_choice(kind, lg)
    template_buttons(kind, lg, f"upload_template_{kind}", places, date)

types = ["csv", "xlsx", "geojson", "json"] if TABLES[kind].geometry else ["csv", "xlsx"]
max_mb = settings().upload_max_mb
uploaded = st.file_uploader(t("upload_file", lg, types=listing(types), mb=f"{max_mb:g}"), type=types,
                            key=f"upload_file_{kind}")
sheet, datum = None, None
if uploaded is not None and uploaded.name.lower().endswith(".xlsx"):
    sheets = list_sheets(uploaded.getvalue())
    if len(sheets) > 1:
        sheet = st.selectbox(t("upload_sheet", lg), sheets, key="upload_sheet")
if TABLES[kind].geometry:  # with the datum the check of this file found likely, and why
    datum = datum_choice(kind, lg, uploaded)
by_position = TABLES[kind].points and TABLES[kind].geometry != "Point" and st.checkbox(
    t("upload_match_outlines", lg), key="upload_match_outlines", help=t("upload_match_outlines_help", lg))
replace = not by_position and replace_choice(kind, lg)  # outlines for stored places retire none
keep_reports = keep_reports_choice(kind, lg)  # a daily report over today's phone reports: which one stands

columns = None
if uploaded is None:
    st.session_state["upload_signature"] = None  # the same file added again is checked again
else:
    digest = hashlib.sha256(uploaded.getvalue()).hexdigest()
    pending = st.session_state.get("upload_pending")
    if pending is not None and pending.kind == kind and st.session_state.get("upload_digest") == digest:
        columns = column_mapping(pending, f"upload_columns_{digest[:12]}")  # a list of places: which column is what
        columns = columns if columns is not None else st.session_state.get("upload_columns_used")
    # The dry run stores nothing, so it runs as soon as a file (or a choice about it) arrives.
    signature = (kind, uploaded.name, digest, sheet, datum, tuple(sorted((columns or {}).items())), by_position,
                 replace, keep_reports)
    if st.session_state.get("upload_signature") != signature:
        with st.spinner(t("upload_checking", lg)):
            st.session_state["upload_pending"] = check_file(
                engine(), kind, uploaded.getvalue(), uploaded.name, sheet=sheet, datum=datum,
                max_bytes=settings().upload_max_bytes, thresholds=thresholds(), columns=columns,
                max_move_m=settings().max_move_km * 1000, match_by_position=bool(by_position), replace=replace,
                keep_reports=keep_reports, max_rows=settings().upload_max_rows)
        st.session_state.update(upload_signature=signature, upload_digest=digest, upload_columns_used=columns)
        st.rerun()  # the mapping step shows what this check found

pending = st.session_state.get("upload_pending") if uploaded is not None else None  # no file, nothing to confirm
if (arrived := st.session_state.pop("upload_arrived", None)) is not None:
    st.error(arrived.pick(lg))
if pending is not None and pending.kind == kind:
    show_check(pending)
    if pending.ok and not pending.changes:
        st.info(t("upload_nothing_to_import", lg))
    confirmed = bool(pending.warnings) and pending.changes and st.checkbox(t("upload_accept_warnings", lg), key="upload_accept_warnings")
    if pending.ok and pending.changes and (confirmed or not pending.warnings) and st.button(
            t("upload_confirm", lg), type="primary", key="upload_confirm_button"):
        try:  # commit re-checks the role on the server; an import holding the store is waited for
            applied = save_when_free(lambda: commit(engine(), pending, user, confirmed=confirmed))
        except StoreStayedBusy:
            st.stop()  # said on the page; the checked file stays, to confirm again
        except ReportArrived as arrived:  # never replaced unseen: checked again, to be confirmed again
            st.session_state.update(upload_signature=None, upload_arrived=arrived.text)
            st.session_state.pop("upload_accept_warnings", None)
            st.rerun()
        st.session_state.pop("upload_pending", None)
        st.session_state.pop(f"upload_replace_{kind}", None)  # the next file replaces the layer only if ticked again
        st.session_state["upload_done"] = st.session_state["upload_last"] = applied.version
        st.rerun()
done = st.session_state.pop("upload_done", None)
if done:
    st.success(t("upload_done", lg, version=done))
if pending is None:  # beside another file's preview, "undo this import" would read as undoing that one
    undo_offer(user, st.session_state.get("upload_last"), "upload_undo")  # while it is still this user's latest
