"""Inspections uploaded as a table: the template, the check of every row, a preview, then one click to store."""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
import streamlit as st

from geo.accounts import User
from geo.domain import kinds, t, vocab
from geo.domain.tasks import checklist_of, inspected_kinds
from geo.store import checklist, place_names, record_inspection
from geo.upload.inspections import read_inspections, template
from ui.busy import StoreStayedBusy, save_when_free
from ui.data import engine
from ui.escape import plain
from ui.uploadview import problem_lines, problems_table

KEY = "inspection_sheet"


def inspection_upload(user: User, lg: str) -> None:
    """The sheet of a day's inspections of one kind of place: template, upload, problems or preview, store."""
    kind = st.selectbox(t("inspection_sheet_kind", lg), inspected_kinds(), key=f"{KEY}_kind",
                        format_func=lambda name: t(kinds.kind(name).title, lg))
    items = checklist(engine(), checklist_of(kind))
    st.download_button(t("inspection_sheet_template", lg), template(items),
                       f"{t('inspection_sheet_file', 'zh', kind=t(kinds.kind(kind).title, 'zh'))}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{KEY}_template",
                       on_click="ignore")
    upload = st.file_uploader(t("inspection_sheet_upload", lg), type=["csv", "xlsx"], key=f"{KEY}_file")
    if upload is None:
        return
    data = upload.getvalue()
    places = place_names(engine(), kinds.kind(kind).layer)
    sheet = read_inspections(data, upload.name, kind, items, places, dt.date.today())
    if sheet.problems:
        st.error(t("inspection_sheet_refused", lg, file=plain(upload.name), count=len(sheet.problems)))
        st.markdown(problem_lines(sheet.problems, False, lg))
        with st.expander(t("upload_problem_rows", lg, count=len(sheet.problems))):
            st.dataframe(problems_table(sheet.problems, lg), hide_index=True, width="stretch")
        return
    st.info(t("inspection_sheet_read", lg, file=plain(upload.name), rows=len(sheet.rows), failed=sheet.found))
    st.dataframe(pd.DataFrame([{
        t("inspection_col_date", lg): inspection.inspected_on.isoformat(),
        t("inspection_col_place", lg): inspection.place_name,
        t("inspection_col_result", lg): vocab.label("inspection_result", inspection.result, lg),
        t("inspection_col_failed", lg): "、".join(problem.description for problem in found) or "—",
        t("inspection_col_unit", lg): found[0].unit_name if found else "—",
    } for inspection, found in sheet.rows]), hide_index=True, width="stretch")
    digest = hashlib.sha256(data).hexdigest()
    if st.session_state.get(f"{KEY}_stored") == digest:  # a rerun after storing it: not stored twice
        st.success(t("inspection_sheet_stored", lg, rows=len(sheet.rows), failed=sheet.found))
        return
    if st.button(t("inspection_sheet_store", lg, rows=len(sheet.rows)), type="primary", key=f"{KEY}_store"):
        def store_all() -> None:
            for inspection, found in sheet.rows:
                record_inspection(engine(), inspection, by=user.name, found=found, source="table",
                                  file_name=upload.name)
        try:
            save_when_free(store_all)
        except StoreStayedBusy:
            return
        st.session_state[f"{KEY}_stored"] = digest
        st.success(t("inspection_sheet_stored", lg, rows=len(sheet.rows), failed=sheet.found))
