"""Showing a dry run: every problem at once, notices, what would change, and a preview map."""

from __future__ import annotations

import datetime
import hashlib
import io
from functools import partial
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import streamlit as st

from geo.accounts import PermissionDenied, User
from geo.analysis import header
from geo.domain import TABLES, Problem, Text, group_problems, listing, t
from geo.io import datum_guess as crs
from geo.io import role_text, roles, template_bytes, to_csv_bytes
from geo.maps import initial_bounds
from geo.maps.layers import highlight_layer, zone_outlines
from geo.store import NothingToRollBack, undoable_import
from geo.upload import Check, file_with_ids, places_of, undo_import
from ui.busy import StoreStayedBusy, save_when_free
from ui.cache import dataset, zone_names
from ui.data import engine
from ui.escape import plain
from ui.mappage import show_map
from ui.mapstate import map_state
from ui.settings import lang
from ui.urlstate import from_url

MAX_GROUPS = 20  # kinds of problems listed above the table; a file with more is best fixed from the table


def list_sheets(data: bytes) -> list[str]:
    """Sheet names of an .xlsx ([] when it cannot be opened: the check will say why)."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    except Exception:  # the dry run reports an unreadable file with a proper message
        return []
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def problems_table(problems: list[Problem], lg: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("col_row", lg): [p.row if p.row is not None else "—" for p in problems],
        t("col_column", lg): [p.column_label.pick(lg) if isinstance(p.column_label, Text) else p.column or "—"
                              for p in problems],
        t("col_value", lg): [p.value if p.value is not None else "" for p in problems],
        t("col_message", lg): [p.message(lg) for p in problems],
    })


def changes_table(fields: pd.DataFrame, lg: str, table: str = "") -> pd.DataFrame:
    """One row per added, changed or removed row or field of ``table``, labelled."""
    shape = (fields["field"] == "geometry").fillna(False).to_numpy(dtype=bool)
    return pd.DataFrame({
        t("upload_col_change", lg): [t(f"change_{c}", lg) for c in fields["change"]],
        t("col_key", lg): fields["key"], t("col_name", lg): fields["place"].fillna(""),
        t("col_field_changed", lg): [_field_label(f, lg, table) for f in fields["field"]],
        # a shape's change is stored in words, which are said in the reader's language
        t("col_before", lg): fields["before"].fillna("").where(~shape, t("version_old_shape", lg)),
        t("col_after", lg): fields["after"].fillna("").where(~shape, t("version_new_shape", lg)),
    })


def _field_label(name, lg: str, table: str) -> str:
    if not isinstance(name, str):
        return ""
    return header(name, table, lg) if name != "geometry" else t("col_geometry", lg)


def replace_choice(kind: str, lg: str) -> bool:
    """For a layer: whether the file is the whole layer (the stored places it lacks are retired)."""
    if not TABLES[kind].geometry:
        return False
    return st.checkbox(t("upload_replace", lg), key=f"upload_replace_{kind}", help=t("upload_replace_help", lg))


REMOVED_NAMED = 30  # places named in the warning of a replacement; the table of changes lists them all


def show_removed(check: Check, lg: str) -> None:
    """Before a replacement is confirmed: how many places it retires, and which."""
    removed = check.removed
    if removed.empty:
        return
    names = [f"{place}（{key}）" if isinstance(place, str) else str(key)
             for key, place in removed.head(REMOVED_NAMED).itertuples(index=False)]
    shown = listing(names).pick(lg) + (t("upload_removed_more", lg) if len(removed) > REMOVED_NAMED else "")
    st.warning(plain(t("upload_removed", lg, count=len(removed), names=shown)))


def preview_map(check: Check, lg: str) -> None:
    """The places the upload touches, highlighted over the others, those of its warned rows in red."""
    ds = dataset()
    changed, warned = set(check.changed_ids), {w.value for w in check.warnings if w.value is not None}
    if TABLES[check.kind].geometry:
        existing = ds.layer(check.kind)[["id", "name", "geometry"]]
        uploaded = check.frame[["id", "name", "geometry"]]
        kept = existing.loc[~existing["id"].isin(set(uploaded["id"]))] if not check.replace else existing.iloc[:0]
        places = gpd.GeoDataFrame(pd.concat([kept, uploaded], ignore_index=True), geometry="geometry",
                                  crs="EPSG:4326")
        layer, legend = highlight_layer(places, changed, lg, warned=warned)
    else:  # the shapes are the stored ones, already packed for the other maps
        places = gpd.GeoDataFrame(pd.concat([ds.layer(k)[["id", "geometry"]] for k in places_of(check.kind)],
                                            ignore_index=True), geometry="geometry", crs="EPSG:4326")
        layer, legend = highlight_layer(places, changed, lg, sources=places_of(check.kind), warned=warned)
    focus = places.loc[places["id"].isin(changed)]
    show_map(map_state([*zone_outlines(ds.zones, lg), layer], [legend],
                       bounds=initial_bounds(focus if len(focus) else places, share=1.0),
                       fit_key="preview " + check.file_name), key="map_upload_preview")


def column_mapping(check: Check, key: str) -> dict[str, str] | None:
    """The mapping step of a list of places: a choice of header per role, prefilled with what was found.

    Returns the roles the person changed (None when nothing differs from what the check used).
    """
    if check.headers is None:
        return None
    lg = lang()
    found = check.columns or {}
    choices = ["", *[h for h in check.headers if h]]
    chosen: dict[str, str] = {}
    with st.expander(t("upload_columns", lg), expanded=not check.ok):
        st.caption(t("upload_columns_help", lg))
        cells = st.columns(4)
        for position, role in enumerate(roles(check.kind)):
            current = found.get(role, "")
            pick = cells[position % 4].selectbox(
                role_text(check.kind, role).pick(lg), choices, index=choices.index(current) if current in choices else 0,
                key=f"{key}_{role}", format_func=lambda h: h or t("upload_column_none", lg))
            if pick != current:
                chosen[role] = pick
    return {**found, **chosen} if chosen else None


def list_download(check: Check) -> None:
    """The uploaded list with the ids made for it, to keep using them in the daily reports."""
    made = file_with_ids(check)
    if made is None:
        return
    lg = lang()
    data, extension = made
    stem = check.file_name.rsplit(".", 1)[0]
    st.download_button(t("points_list_with_ids", lg), data, f"{stem}（含编号）.{extension}", key="upload_list_ids",
                       on_click="ignore")


def problem_lines(problems: list[Problem], features: bool, lg: str, limit: int = MAX_GROUPS) -> str:
    """The problems as a Markdown list, those of one kind as one item with its first examples under it.

    ``features``: the rows are a GeoJSON's features. Every value from the file is escaped: the list is
    Markdown, and the file is the user's.
    """
    groups = group_problems(problems, features)
    colon = t("field_separator", lg)
    lines = []
    for group in groups[:limit]:
        if group.count == 1:
            (problem,) = group.problems
            where = problem.where(features).pick(lg)
            lines.append(f"- **{plain(where[:1].upper() + where[1:])}**{colon}{plain(problem.message(lg))}")
            continue
        lines.append(f"- **{plain(group.title.pick(lg))}**")
        lines += [f"    - {plain(p.where(features).pick(lg))}{colon}{plain(p.message(lg))}" for p in group.examples]
    if len(groups) > limit:
        lines.append(f"- {plain(t('upload_more_groups', lg, count=len(groups) - limit))}")
    return "\n".join(lines)


def datum_choice(kind: str, lg: str, uploaded) -> str | None:
    """The datum box of a layer's upload (None: 自动识别), and under it the datum the check of this file found
    likely and why: the one the file was read in, or another that the city's zones and places point to."""
    pending = st.session_state.get("upload_pending")
    digest = hashlib.sha256(uploaded.getvalue()).hexdigest() if uploaded is not None else None
    found = (pending if pending is not None and pending.kind == kind and pending.likely_datum
             and st.session_state.get("upload_digest") == digest else None)

    def label(choice: str) -> str:
        if choice != "auto":
            return crs.label_datum(choice, lg)
        if found is not None:
            return t("upload_datum_auto_found", lg, datum=crs.label_datum(found.likely_datum, lg))
        return t("upload_datum_auto", lg)

    choice = st.selectbox(t("upload_datum", lg), ["auto", *crs.DATUMS], key="upload_datum", format_func=label)
    if found is not None:
        reason = plain(found.datum_reason.pick(lg)) if found.datum_reason is not None else ""
        if found.likely_datum != found.datum:
            st.warning(t("upload_datum_other", lg, datum=crs.label_datum(found.likely_datum, lg),
                         read=crs.label_datum(found.datum, lg), reason=reason), icon="🧭")
        else:  # found, or only read so: the city's data too far or too few to tell
            st.caption(t("upload_datum_unconfirmed" if found.datum_unconfirmed else "upload_datum_found", lg,
                         datum=crs.label_datum(found.likely_datum, lg), reason=reason))
    return None if choice == "auto" else choice


def said_by_the_datum_box(check: Check, notice: Text) -> bool:
    """Whether ``notice`` is how the datum was found, which :func:`datum_choice` shows under its box already."""
    return bool(check.likely_datum) and check.datum_reason is not None and notice.zh in check.datum_reason.zh


def keep_reports_choice(kind: str, lg: str) -> bool:
    """For a daily report whose check found rows replacing phone reports (or once chosen): keep the phone's?

    Shown only then: most uploads cover places nobody reported from a phone.
    """
    if TABLES[kind].geometry:
        return False
    key = f"upload_keep_reports_{kind}"
    pending = st.session_state.get("upload_pending")
    found = pending is not None and pending.kind == kind and bool(pending.phone_rows)
    if not found and not st.session_state.get(key):
        return False
    return st.checkbox(t("upload_keep_reports", lg), key=key, help=t("upload_keep_reports_help", lg))


def problem_list(problems: list[Problem], check: Check, lg: str, key: str) -> None:
    """Problems or warnings grouped by kind (when some are of one kind), then every one in a table and a CSV file.

    Staff fix the file row by row: the grouped list says what is wrong, the table and the file where.
    """
    grouped = any(group.count > 1 for group in group_problems(problems, check.by_feature))
    few = len(problems) <= MAX_GROUPS
    if grouped or few:  # a few said whole: the table's cell cuts a long sentence off at its width
        st.markdown(problem_lines(problems, check.by_feature, lg))
    table = problems_table(problems, lg)
    with st.expander(t("upload_problem_rows", lg, count=len(table)), expanded=not (grouped or few)):
        st.dataframe(table, hide_index=True, width="stretch")
        st.download_button(t("upload_problems_download", lg), to_csv_bytes(table),
                           f"{Path(check.file_name).stem}-{key}.csv", "text/csv", key=f"upload_{key}_csv",
                           on_click="ignore")


def show_check(check: Check) -> None:
    lg = lang()
    if check.problems:
        st.error(t("upload_problems", lg, count=len(check.problems), file=check.file_name))
        problem_list(check.problems, check, lg, "problems")
    if check.ok and check.warnings:  # before how the file was read: what the person must check and confirm
        st.warning(t("upload_warnings", lg, count=len(check.warnings)))
        problem_list(check.warnings, check, lg, "warnings")
    for notice in check.notices:
        if said_by_the_datum_box(check, notice):
            continue
        st.info(plain(notice.pick(lg)))
    if not check.ok:
        return
    st.subheader(t("upload_preview", lg), anchor=False)
    for line in check.summary:
        st.markdown(f"- {plain(line.pick(lg))}")
    show_removed(check, lg)
    if len(check.fields):
        st.dataframe(changes_table(check.fields, lg, check.kind), hide_index=True, width="stretch")
        preview_map(check, lg)
    list_download(check)


def undo_offer(user: User, version: int | None, key: str, label: str = "undo_import") -> None:
    """The "undo this import" button, shown when ``version`` is ``user``'s own newest import and nothing
    newer of its table exists; :func:`geo.upload.undo_import` checks that again on the server."""
    lg = lang()
    done = st.session_state.pop(f"{key}_done", None)
    if done:
        st.success(t("undo_done", lg, undone=done[0], version=done[1]))
    undoable = undoable_import(engine(), user.name)
    if version is None or undoable is None or undoable[0] != version:
        return
    if not st.button(t(label, lg, version=version), key=f"{key}_{version}", help=t(f"{label}_help", lg)):
        return
    try:
        applied = save_when_free(lambda: undo_import(engine(), version, user))
    except StoreStayedBusy:
        return
    except PermissionDenied as refused:
        st.error(refused.message(lg))
    except NothingToRollBack as nothing:
        st.info(nothing.message(lg))
    else:
        st.session_state[f"{key}_done"] = (version, applied.version)
        st.rerun()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template_buttons(kind: str, lg: str, key: str, places: pd.DataFrame | None = None,
                     date: str | None = None) -> None:
    """The CSV and Excel templates of table ``kind``, prefilled with ``places`` on ``date`` when given.

    The files are made when a button is pressed, not on every run: a prefilled list of a whole city is large.
    """
    name = t("template_file", "zh", table=TABLES[kind].zh) + (f"_{date}" if places is not None and date else "")
    left, right, _ = st.columns([1, 1, 3])
    left.download_button(t("template_csv", lg), partial(template_bytes, kind, "csv", places, date), f"{name}.csv",
                         "text/csv", key=f"{key}_csv", width="stretch", on_click="ignore")
    right.download_button(t("template_xlsx", lg), partial(template_bytes, kind, "xlsx", places, date),
                          f"{name}.xlsx", XLSX, key=f"{key}_xlsx", width="stretch", on_click="ignore")


def prefill_choice(kind: str, lg: str) -> tuple[pd.DataFrame | None, str | None]:
    """For a daily report: the places its template is prefilled with (every one, or one zone's) and the date.

    (None, None) for a layer, for a city without places, or when the person wants an empty template.
    """
    if TABLES[kind].geometry:
        return None, None
    ds = dataset()
    parts = [ds.layer(layer) for layer in places_of(kind)]
    places = pd.concat([p[[c for c in ("id", "name", "zone") if c in p]] for p in parts if len(p)],
                       ignore_index=True) if any(len(p) for p in parts) else None
    if places is None or not st.checkbox(t("template_prefill", lg, count=len(places)), value=True,
                                         key=f"template_prefill_{kind}"):
        return None, None
    names = zone_names()
    if names and "zone" in places:
        from_url("template_zone", ["", *names], default="")
        zone = st.selectbox(t("template_prefill_zone", lg), ["", *names], key="template_zone",
                            format_func=lambda z: names.get(z) or t("template_prefill_all", lg))
        if zone:
            places = places.loc[places["zone"].astype("string") == zone]
    date = st.date_input(t("template_prefill_date", lg), value=datetime.date.today(), key=f"template_date_{kind}")
    return places, date.isoformat()
