"""The 现场检查 page, made for a 390-pixel phone at a gate: the place, its checklist as one 合格/不合格 choice per
item, inspectors, date, notes, photos and, for failed items, the responsible unit asked once; saved, the failed
items are handed out as problems. Admins edit the checklists in an expander below.

Everything typed is inside one ``st.form``: nothing is sent, and nothing lost, until the form is saved; a form
refused keeps every answer. After a save the form's keys start a new round, so it is empty for the next place.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.accounts import User, auth
from geo.analysis import DEADLINE_DAYS, checklist_items, new_inspection, place_kind_label
from geo.domain import Text, t, vocab
from geo.domain.tasks import DEFAULT_CHECKLISTS, checklist_of, inspected_kinds
from geo.store import checklist, problems_frame, record_inspection, save_checklist
from ui.data import engine
from ui.escape import plain
from ui.inspectupload import inspection_upload
from ui.problems import (
    PHOTO_TYPES,
    photos_for,
    place_choices,
    place_label,
    save_form,
    say,
    show_said,
    today,
    unit_fields,
    uploaded,
)
from ui.settings import lang
from ui.urlstate import from_url, to_url

SAVED = "inspect_saved"  # session state: the inspection just saved and its problems, said on the next run


def _saved_message(lg: str) -> None:
    saved = st.session_state.pop(SAVED, None)
    if saved is None:
        return
    number, problems = saved
    if not problems:
        st.success(t("inspect_saved_pass", lg, number=number))
        return
    links = [f"- [{pid} · {plain(place)} · {vocab.label('problem_category', category, lg)}](/problems?problem={pid})"
             for pid, place, category in problems]
    st.success("\n".join([t("inspect_saved_fail", lg, number=number, count=len(problems)), *links]))


def _form(user: User, kind_name: str, places: pd.DataFrame, lg: str) -> None:
    round_ = st.session_state.get("inspect_round", 0)
    items = checklist(engine(), checklist_of(kind_name))
    place_key = f"inspect_place_{kind_name}_{round_}"
    asked = st.query_params.get("place")
    if round_ == 0 and place_key not in st.session_state and asked in set(places["id"]):
        st.session_state[place_key] = asked  # a link from a place (/inspect?kind=sites&place=S1) opens on it
    with st.form(f"inspect_form_{kind_name}_{round_}"):
        place = st.selectbox(t("inspect_place", lg), places["id"].tolist(), index=None,
                             format_func=place_label(places), key=place_key,
                             placeholder=t("form_choose", lg))
        st.markdown(f"**{t('inspect_items', lg)}**")
        answers = {item.code: st.radio(f"{number}. {plain(Text(item.zh, item.en).pick(lg))}", ["pass", "fail"],
                                       index=None, horizontal=True, key=f"inspect_item_{item.code}_{round_}",
                                       format_func=lambda c: vocab.label("inspection_result", c, lg))
                   for number, item in enumerate(items, start=1)}
        inspectors = st.text_input(t("inspect_inspectors", lg), value=user.name, max_chars=100,
                                   key=f"inspect_inspectors_{round_}")
        day = st.date_input(t("inspect_date", lg), value=today(), key=f"inspect_date_{round_}")
        notes = st.text_area(t("inspect_notes", lg), max_chars=500, key=f"inspect_notes_{round_}")
        files = st.file_uploader(t("inspect_photos", lg), type=PHOTO_TYPES, accept_multiple_files=True,
                                 key=f"inspect_photos_{round_}")
        st.markdown(f"**{t('inspect_unit', lg)}**")
        unit = unit_fields(lg, f"inspect_{round_}")
        deadline = st.date_input(t("inspect_deadline", lg, days=DEADLINE_DAYS), value=None,
                                 key=f"inspect_deadline_{round_}")
        submitted = st.form_submit_button(t("inspect_submit", lg), type="primary", width="stretch")
    if not submitted:
        return
    names = dict(zip(places["id"], places["name"]))
    saved, number = save_form(
        lambda: (*new_inspection(kind_name, place, names.get(place), day, inspectors or "", items, answers, notes or "",
                                 unit, deadline), photos_for(uploaded(files), [])),
        lambda ready: record_inspection(engine(), ready[0], by=user.name, found=ready[1], shots=ready[2]), lg)
    if not saved:
        return
    filed = problems_frame(engine())
    filed = filed.loc[filed["inspection_id"] == number]
    st.session_state[SAVED] = (number, list(zip(filed["id"].astype(int), filed["place_name"], filed["category"])))
    st.session_state["inspect_round"] = round_ + 1
    st.rerun()


def _checklist_name(name: str, lg: str) -> str:
    return place_kind_label(name, lg) if name != "others" else t("inspect_checklist_others", lg)


def _checklist_editor(user: User, lg: str) -> None:
    """An admin's table of one checklist's items; saved, it is the list asked from then on."""
    name = st.selectbox(t("inspect_checklist_pick", lg), list(DEFAULT_CHECKLISTS), key="checklist_name",
                        format_func=lambda n: _checklist_name(n, lg))
    st.caption(t("inspect_checklist_help", lg))
    categories = {code: vocab.label("problem_category", code, lg) for code in vocab.codes("problem_category")}
    items = checklist(engine(), name)
    table = pd.DataFrame({"code": [i.code for i in items], "zh": [i.zh for i in items], "en": [i.en for i in items],
                          "category": [categories.get(i.category, i.category) for i in items]})
    round_ = st.session_state.get("checklist_round", 0)
    edited = st.data_editor(table, num_rows="dynamic", hide_index=True, width="stretch",
                            key=f"checklist_editor_{name}_{round_}", column_config={
                                "code": st.column_config.TextColumn(t("inspect_checklist_code", lg), disabled=True),
                                "zh": st.column_config.TextColumn(t("inspect_checklist_zh", lg), max_chars=500),
                                "en": st.column_config.TextColumn(t("inspect_checklist_en", lg), max_chars=500),
                                "category": st.column_config.SelectboxColumn(t("inspect_checklist_category", lg),
                                                                             options=list(categories.values())),
                            })
    if not st.button(t("inspect_checklist_save", lg), key=f"checklist_save_{name}"):
        return
    saved, new_items = save_form(lambda: checklist_items(name, edited.to_dict("records")),
                                 lambda ready: save_checklist(engine(), name, ready, by=user.name) or ready, lg)
    if not saved:
        return
    say("success", t("inspect_checklist_saved", name=_checklist_name(name, lg), count=len(new_items)))
    st.session_state["checklist_round"] = round_ + 1
    st.rerun()


def render_inspect_page(user: User) -> None:
    """The page: what the last save came to, the place's kind, the form; the checklists' editor for admins."""
    lg = lang()
    st.caption(t("inspect_intro", lg))
    _saved_message(lg)
    show_said(lg)
    kinds = [k for k in inspected_kinds() if not place_choices(k).empty]
    if not kinds:
        st.info(t("inspect_no_places", lg))
    else:
        from_url("kind", kinds, default=kinds[0])
        kind_name = st.selectbox(t("inspect_kind", lg), kinds, key="kind", format_func=lambda k: place_kind_label(k, lg))
        to_url("kind", kind_name)
        _form(user, kind_name, place_choices(kind_name), lg)
    with st.expander(t("inspection_sheet_title", lg)):  # the day's sheet of a team, typed in Excel at the office
        inspection_upload(user, lg)
    if auth.can(user, "edit_checklists"):
        with st.expander(t("inspect_checklist_edit", lg)):
            _checklist_editor(user, lg)
