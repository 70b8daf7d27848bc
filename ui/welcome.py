"""The first visit to a city with no places yet: the steps from an empty store to a working map; and the
files of the data folder that were not imported, on this page and on the upload page."""

from __future__ import annotations

import streamlit as st

from geo import store
from geo.accounts import auth
from geo.domain import TABLES, kinds, layer_tables, t
from ui.data import city_name, engine
from ui.escape import plain
from ui.login import current_user
from ui.settings import lang
from ui.uploadview import template_buttons

REPORT = "compound_status"  # the daily report the third step offers (the others are on the upload page)


def show_refused_files(lg: str) -> None:
    """The files of the data folder that did not pass the checks, each with its first problems."""
    refused = store.refused_files(engine())
    if not refused:
        return
    lines = [t("refused_files", lg, count=len(refused))]
    for found in refused:
        table = TABLES[found.kind].label(lg) if found.kind in TABLES else found.kind
        lines.append("- " + plain(t("refused_file", lg, file=found.file, table=table, count=found.count)))
        lines += ["    - " + plain(line.pick(lg)) for line in found.lines]
    st.warning("\n".join(lines))


def render_welcome() -> None:
    lg = lang()
    city = city_name()
    st.title(t("welcome_title_city", lg, city=plain(city)) if city else t("welcome_title", lg), anchor=False)
    st.markdown(t("welcome_intro", lg))
    show_refused_files(lg)
    may_upload = auth.can(current_user(), "upload")

    st.subheader(t("welcome_step_places", lg), anchor=False)
    st.markdown(t("welcome_places_text", lg))
    if may_upload:  # the places a city starts from; markets, parks, … (unticked on the overview) can come later
        first = [name for name in layer_tables()
                 if all(k.overview != "hidden" for k in kinds.KINDS.values() if k.layer == name)]
        for column, kind in zip(st.columns(len(first)), first):
            column.page_link("pages/upload.py", label=t("welcome_upload_kind", lg, table=TABLES[kind].label(lg)),
                             icon="📤", query_params={"upload_kind": kind})
    else:
        st.info(t("welcome_login", lg))

    st.subheader(t("welcome_step_map", lg), anchor=False)
    st.markdown(t("welcome_map_text", lg))
    st.page_link(kinds.kind("compounds").page, label=t("welcome_map_link", lg), icon=kinds.kind("compounds").icon)

    st.subheader(t("welcome_step_report", lg), anchor=False)
    st.markdown(t("welcome_report_text", lg))
    template_buttons(REPORT, lg, f"welcome_template_{REPORT}")
    if may_upload:
        st.page_link("pages/upload.py", label=t("welcome_report_link", lg), icon="📤",
                     query_params={"upload_kind": REPORT})

    st.divider()
    st.caption(t("welcome_demo", lg))
