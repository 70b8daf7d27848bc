"""The 问题整改 page: the problems with filters and exports, one problem's details, photos, history and the steps
the user's role may take now, and the form that files a problem found without an inspection.

The logic is in :mod:`geo.analysis.problem_list` (the list), :mod:`geo.analysis.task_forms` (what a form
sends) and :mod:`geo.store.tasks` (the records); this module lays them out. A step names the change of the
problem its buttons were drawn for (its ``seq``, an argument of the button's callback), so that when someone
else moved the problem in between, the store refuses it and the page says so instead of overwriting.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Callable, TypeVar

import pandas as pd
import streamlit as st

from geo.accounts import User, auth
from geo.analysis import (
    DEADLINE_DAYS,
    FormRefused,
    ProblemFilters,
    Unit,
    as_of,
    days_text,
    filter_problems,
    history_table,
    is_overdue,
    new_problem,
    place_kind_label,
    problems_table,
    read_photos,
)
from geo.domain import Text, kind, t, vocab
from geo.domain.tasks import STATES, inspected_kinds, steps_from
from geo.io import to_csv_bytes, to_xlsx_bytes
from geo.store import (
    ProblemRefused,
    file_problem,
    move_problem,
    photo_content,
    photo_sizes,
    photos_of,
    problem_history,
)
from ui.busy import StoreStayedBusy, save_when_free
from ui.cache import dataset, dates, problems
from ui.data import engine, store_read_only
from ui.escape import plain
from ui.problemmap import problems_map
from ui.settings import lang, settings
from ui.urlstate import from_url, to_url

PHOTO_TYPES = ["jpg", "jpeg", "png", "webp"]
Ready = TypeVar("Ready")
Result = TypeVar("Result")
SAID = "problem_said"  # session state: what the last step or filing came to, said on the next run
PENDING = "problem_pending"  # session state: a step asked for by a button, taken at the top of the next run
OVERDUE_STYLE = "color: #c62828; font-weight: 600"


def today() -> dt.date:
    """The day a problem or an inspection is found on unless the form says otherwise: the calendar's."""
    return dt.date.today()


def loop_day(frame: pd.DataFrame) -> dt.date:
    """The day deadlines are counted against: today, or the newest records' day when they end before today (the
    demo city's February 2020), as the overview, the wall and the task sheets count it
    (:func:`geo.analysis.as_of`)."""
    return as_of(frame, max(dates(), default=None), today())


def say(kind: str, *texts: Text) -> None:
    """Keep what to say on the next run (a step or a filing reruns the page)."""
    st.session_state[SAID] = (kind, list(texts))


def show_said(lg: str) -> None:
    said = st.session_state.pop(SAID, None)
    if said is None:
        return
    kind, texts = said
    if kind == "error" and len(texts) > 1:
        st.error("\n".join([t("form_refused", lg), *(f"- {plain(text.pick(lg))}" for text in texts)]))
    elif kind == "error":
        st.error(plain(texts[0].pick(lg)))
    else:
        st.success(plain(texts[0].pick(lg)))


def save_form(prepare: Callable[[], Ready], store: Callable[[Ready], Result], lg: str) -> tuple[bool, Result | None]:
    """What a form sent, checked by ``prepare`` (which raises :class:`FormRefused`), then stored by ``store`` once
    the store is free: (True, what ``store`` returned), or (False, None) when the form was refused (every field
    to fix said on the page, the form keeping what was typed) or the store stayed busy (said too)."""
    try:
        ready = prepare()
        return True, save_when_free(lambda: store(ready))
    except FormRefused as refused:
        say("error", *refused.texts)
        show_said(lg)
    except StoreStayedBusy:
        pass
    return False, None


def uploaded(files) -> list[tuple[str, bytes]]:
    """What a file uploader holds: (name, bytes) of each file."""
    if files is None:
        return []
    return [(file.name, file.getvalue()) for file in (files if isinstance(files, list) else [files])]


def photos_for(files: list[tuple[str, bytes]], have: list[int]):
    """The uploaded ``files`` as photos within the settings' limits (:func:`geo.analysis.read_photos`)."""
    s = settings()
    return read_photos(files, have, s.photo_max_bytes, s.problem_photos_max_bytes, s.photos_per_problem)


def unit_fields(lg: str, key: str) -> Unit:
    """The responsible unit's four fields (inside a form)."""
    types = vocab.codes("unit_type")
    kind_col, name_col = st.columns(2)
    unit_type = kind_col.selectbox(t("problem_unit_type", lg), types, key=f"{key}_unit_type",
                                   format_func=lambda c: vocab.label("unit_type", c, lg))
    unit_name = name_col.text_input(t("problem_unit_name", lg), key=f"{key}_unit_name", max_chars=100)
    person_col, phone_col = st.columns(2)
    person = person_col.text_input(t("problem_unit_person", lg), key=f"{key}_person", max_chars=100)
    phone = phone_col.text_input(t("problem_unit_phone", lg), key=f"{key}_phone", max_chars=40)
    return Unit(unit_type, unit_name, person, phone)


def place_choices(kind_name: str) -> pd.DataFrame:
    """The places of a kind: id and name, by name."""
    kind_layer = dataset().tables.get(kind(kind_name).layer)
    if kind_layer is None or kind_layer.empty:
        return pd.DataFrame(columns=["id", "name"])
    places = pd.DataFrame({"id": kind_layer["id"].astype(str), "name": kind_layer["name"].astype("string").fillna("")})
    return places.sort_values(["name", "id"], kind="stable").reset_index(drop=True)


def place_label(places: pd.DataFrame):
    names = dict(zip(places["id"], places["name"]))
    return lambda pid: f"{names.get(pid, '')}（{pid}）"


# --------------------------------------------------------------------------- the list


def _filters(frame: pd.DataFrame, lg: str) -> ProblemFilters:
    units = sorted(frame["unit_name"].dropna().astype(str).unique())
    kinds = [k for k in inspected_kinds() if k in set(frame["kind"])] or inspected_kinds()
    categories = vocab.codes("problem_category")
    from_url("problem_state", STATES, multi=True)
    from_url("problem_category", categories, multi=True)
    from_url("problem_unit", units, multi=True)
    from_url("problem_kind", kinds, multi=True)
    first, second = st.columns(2)
    states = first.multiselect(t("problem_filter_state", lg), STATES, key="problem_state", placeholder=t("f_all", lg),
                               format_func=lambda c: vocab.label("problem_state", c, lg))
    chosen_categories = second.multiselect(t("problem_filter_category", lg), categories, key="problem_category",
                                           placeholder=t("f_all", lg),
                                           format_func=lambda c: vocab.label("problem_category", c, lg))
    third, fourth, fifth = st.columns([2, 2, 1], vertical_alignment="bottom")
    chosen_units = third.multiselect(t("problem_filter_unit", lg), units, key="problem_unit",
                                     placeholder=t("f_all", lg))
    chosen_kinds = fourth.multiselect(t("problem_filter_kind", lg), kinds, key="problem_kind",
                                      placeholder=t("f_all", lg), format_func=lambda k: place_kind_label(k, lg))
    if "problem_overdue" not in st.session_state:
        st.session_state["problem_overdue"] = st.query_params.get("problem_overdue") == "1"
    overdue = fifth.checkbox(t("problem_filter_overdue", lg), key="problem_overdue")
    for key, value in (("problem_state", states), ("problem_category", chosen_categories),
                       ("problem_unit", chosen_units), ("problem_kind", chosen_kinds),
                       ("problem_overdue", "1" if overdue else None)):
        to_url(key, value)
    return ProblemFilters(tuple(states), tuple(chosen_categories), tuple(chosen_units), tuple(chosen_kinds), overdue)


def _list(shown: pd.DataFrame, total: int, day: dt.date, lg: str) -> None:
    overdue = is_overdue(shown, day).to_numpy()
    st.caption(t("problems_count", lg, shown=len(shown), total=total, overdue=int(overdue.sum())))
    table = problems_table(shown, day, lg)
    red = [t("problem_col_deadline", lg), t("problem_col_days", lg)]
    styled = table.style.apply(lambda column: [OVERDUE_STYLE if late else "" for late in overdue], subset=red)
    event = st.dataframe(styled, hide_index=True, width="stretch", key="problems_table", on_select="rerun",
                         selection_mode="single-row")
    rows = event.selection.rows if event is not None else []
    picked = str(int(shown["id"].iloc[rows[0]])) if rows and rows[0] < len(shown) else None
    if picked != st.session_state.get("problems_table_picked"):  # a row clicked: show that problem below
        st.session_state["problems_table_picked"] = picked
        if picked is not None:
            st.session_state["problem_show"] = picked
    title = t("problems_export_title", lg, date=day.isoformat())
    stem = t("problems_export_stem", lg, date=day.isoformat())
    left, right = st.columns(2)
    left.download_button(t("download_csv", lg), partial(to_csv_bytes, table, title=title), f"{stem}.csv",
                         "text/csv", key="problems_csv", width="stretch", on_click="ignore")
    right.download_button(t("download_xlsx", lg), partial(to_xlsx_bytes, table, sheet=stem[:31], title=title),
                          f"{stem}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key="problems_xlsx", width="stretch", on_click="ignore")


# --------------------------------------------------------------------------- one problem


def _ask_step(problem_id: int, seen: int, to: str, form: str) -> None:
    """A step's button was pressed: keep what its form held, with the change of the problem the user saw."""
    st.session_state[PENDING] = {"problem": problem_id, "seen": seen, "to": to,
                                 "note": st.session_state.get(f"{form}_note") or "",
                                 "files": uploaded(st.session_state.get(f"{form}_photos"))}


def take_pending_step(user: User | None, lg: str) -> None:
    """Take the step a button asked for on the last run, as the user, against the change they saw."""
    asked = st.session_state.pop(PENDING, None)
    if asked is None or user is None:
        return
    pid = asked["problem"]
    if not (auth.can(user, "handle_problems") or auth.can(user, "fix_problems")) or pid not in set(problems()["id"]):
        say("error", t("task_step_refused", number=pid))  # a forged step, or a problem outside the account's area
        return
    try:
        shots = photos_for(asked["files"], photo_sizes(engine(), pid)) if asked["files"] else []
        moved = save_when_free(lambda: move_problem(engine(), pid, asked["seen"], asked["to"], user.name, user.role,
                                                    note=asked["note"], shots=shots))
    except FormRefused as refused:
        say("error", *refused.texts)
    except ProblemRefused as refused:
        say("error", refused.text)
    except StoreStayedBusy:
        return  # said on the page; nothing changed
    else:
        say("success", t("step_done", number=pid, state=vocab.term("problem_state", moved.state).text))


def _facts(one: pd.DataFrame, day: dt.date, lg: str) -> None:
    row, missing = one.iloc[0], t("problem_none_given", lg)
    state = vocab.label("problem_state", row["state"], lg)
    days, late = days_text(one, day, lg).iloc[0], bool(is_overdue(one, day).iloc[0])
    lines = [
        t("problem_detail_state", lg, state=f"**{state}**"),
        t("problem_detail_found", lg, date=row["found_on"], kind=place_kind_label(row["kind"], lg),
          category=vocab.label("problem_category", row["category"], lg)),
        plain(row["description"]),
        t("problem_detail_unit", lg, unit=plain(row["unit_name"]),
          unit_type=vocab.label("unit_type", row["unit_type"], lg),
          person=plain(row["person"]) if pd.notna(row["person"]) and row["person"] else missing,
          phone=plain(row["phone"]) if pd.notna(row["phone"]) and row["phone"] else missing),
        t("problem_detail_deadline", lg, deadline=row["deadline"], days="" if late else days),
        t("problem_detail_filed", lg, by=plain(row["created_by"])),
    ]
    if pd.notna(row["inspection_id"]):
        lines.append(t("problem_detail_inspection", lg, number=int(row["inspection_id"])))
    st.markdown("  \n".join(lines))
    if late:
        st.error(days)


def _photos(pid: int, inspection: int | None, lg: str) -> None:
    """The problem's photos (as found, and of each fix), then those of the inspection that found it."""
    st.markdown(f"**{t('problem_photos', lg)}**")
    shots = [(shot, "problem_photo_caption") for shot in photos_of(engine(), problem_id=pid)]
    if inspection is not None:
        shots += [(shot, "problem_inspection_photo_caption") for shot in photos_of(engine(), inspection_id=inspection)]
    if not shots:
        st.caption(t("problem_no_photos", lg))
        return
    columns = st.columns(3)
    for number, (shot, caption) in enumerate(shots, start=1):
        content = photo_content(engine(), shot.id)
        if content:
            at = shot.taken_at.strftime("%Y-%m-%d %H:%M") if shot.taken_at else ""
            columns[(number - 1) % 3].image(content, caption=t(caption, lg, number=number, at=at), width="stretch")


def _history(pid: int, lg: str) -> None:
    st.markdown(f"**{t('problem_history', lg)}**")
    table = history_table(problem_history(engine(), pid), lg)
    st.dataframe(table, hide_index=True, width="stretch", key=f"problem_history_{pid}")


def _steps(row: pd.Series, user: User | None, lg: str) -> None:
    if user is None or not (auth.can(user, "handle_problems") or auth.can(user, "fix_problems")):
        st.caption(t("problem_read_only", lg))
        return
    pid, seq = int(row["id"]), int(row["seq"])
    steps = steps_from(row["state"], user.role)
    if not steps:
        st.caption(t("problem_no_steps", lg))
        return
    if store_read_only():
        st.warning(t("store_read_only_refused", lg))
        return
    st.markdown(f"**{t('problem_steps', lg)}**")
    for step in steps:
        form = f"step_{pid}_{seq}_{step.to}"
        with st.form(form):
            if step.photo:
                st.file_uploader(t("step_photos", lg), type=PHOTO_TYPES, accept_multiple_files=True,
                                 key=f"{form}_photos")
            st.text_input(t("step_note_needed" if step.note else "step_note", lg), key=f"{form}_note",
                          max_chars=500)
            st.form_submit_button(t(f"step_{step.to}", lg), type="primary" if step.to != "returned" else "secondary",
                                  on_click=_ask_step, args=(pid, seq, step.to, form))


def _details(one: pd.DataFrame, user: User | None, day: dt.date, lg: str) -> None:
    row = one.iloc[0]
    st.subheader(t("problem_title", lg, number=int(row["id"]), place=plain(row["place_name"])), anchor=False)
    _facts(one, day, lg)
    _steps(row, user, lg)
    _photos(int(row["id"]), int(row["inspection_id"]) if pd.notna(row["inspection_id"]) else None, lg)
    _history(int(row["id"]), lg)


# --------------------------------------------------------------------------- filing a problem


def _file_form(user: User, day: dt.date, lg: str) -> None:
    round_ = st.session_state.get("file_round", 0)  # a new round of keys: the form empty after a filing
    kinds = inspected_kinds()
    kind_name = st.selectbox(t("problem_file_kind", lg), kinds, key="file_kind",
                             format_func=lambda k: place_kind_label(k, lg))
    places = place_choices(kind_name)
    if places.empty:
        st.info(t("problem_file_no_places", lg))
        return
    with st.form(f"file_form_{round_}"):
        place = st.selectbox(t("problem_file_place", lg), places["id"].tolist(), index=None,
                             format_func=place_label(places), key=f"file_place_{round_}",
                             placeholder=t("form_choose", lg))
        found_col, category_col = st.columns(2)
        found = found_col.date_input(t("problem_file_found", lg), value=day, key=f"file_found_{round_}")
        category = category_col.selectbox(t("problem_file_category", lg), vocab.codes("problem_category"),
                                          index=None, key=f"file_category_{round_}",
                                          placeholder=t("form_choose", lg),
                                          format_func=lambda c: vocab.label("problem_category", c, lg))
        description = st.text_area(t("problem_file_description", lg), key=f"file_description_{round_}",
                                   max_chars=500)
        unit = unit_fields(lg, f"file_{round_}")
        deadline = st.date_input(t("problem_deadline", lg, days=DEADLINE_DAYS), value=None,
                                 key=f"file_deadline_{round_}")
        files = st.file_uploader(t("problem_file_photos", lg), type=PHOTO_TYPES, accept_multiple_files=True,
                                 key=f"file_photos_{round_}")
        submitted = st.form_submit_button(t("problem_file_submit", lg), type="primary")
    if not submitted:
        return
    names = dict(zip(places["id"], places["name"]))
    saved, pid = save_form(
        lambda: (new_problem(kind_name, place, names.get(place), found, category, description or "", unit, deadline),
                 photos_for(uploaded(files), [])),
        lambda ready: file_problem(engine(), ready[0], by=user.name, shots=ready[1]), lg)
    if not saved:
        return
    say("success", t("problem_filed", number=pid))
    st.session_state["file_round"] = round_ + 1
    st.session_state["problem_show"] = str(pid)
    st.rerun()


# --------------------------------------------------------------------------- the page


def render_problems_page(user: User | None) -> None:
    """The page: what the last action came to, the filing form (staff), the filters, the list, one problem."""
    lg = lang()
    st.caption(t("problems_intro", lg))
    take_pending_step(user, lg)
    if auth.can(user, "handle_problems") and not store_read_only():
        with st.expander(t("problem_file_title", lg), expanded=False):
            _file_form(user, today(), lg)
    show_said(lg)
    frame = problems()  # inside the account's area (ui.cache), as every page reads
    if frame.empty:
        st.info(t("problems_none", lg))
        return
    day = loop_day(frame)
    shown = filter_problems(frame, _filters(frame, lg), day)
    if shown.empty:
        st.info(t("problems_none_shown", lg))
    else:
        problems_map(shown, day, lg)  # a click on a place chooses its problem below
        _list(shown, len(frame), day, lg)
    ids = [str(i) for i in shown["id"]]
    if (wanted := st.session_state.pop("problem_show", None)) is not None:
        st.session_state["problem"] = wanted  # the one just filed or clicked in the table, when the filters show it
    from_url("problem", ids)
    names = dict(zip(ids, shown["place_name"].astype(str)))
    states = dict(zip(ids, shown["state"]))
    chosen = st.selectbox(t("problem_pick", lg), ids, key="problem", placeholder=t("problem_pick_placeholder", lg),
                          format_func=lambda i: f"{i} · {names[i]} · {vocab.label('problem_state', states[i], lg)}")
    to_url("problem", chosen)
    if chosen is not None:
        _details(frame.loc[frame["id"] == int(chosen)], user, day, lg)
