"""The page that fixes one place by hand: place or move it on the map, rename it, retire it.

Each change is checked and stored by :mod:`geo.upload.edit` (a version its author may undo); this
module only lays it out. Places still to be placed (待定位) come first in the list.
"""

from __future__ import annotations

import folium
import pandas as pd
import streamlit as st

from geo.accounts import User
from geo.domain import TABLES, layer_tables, t
from geo.io import convert_geometries
from geo.maps import overlay_datum
from geo.maps.layers import layer_of
from geo.upload import EditRefused, move_place, plan_move, position_from, rename_place, retire_place
from ui.busy import StoreStayedBusy, save_when_free
from ui.cache import dataset, days, home_bounds, view
from ui.data import engine
from ui.escape import plain
from ui.mappage import show_pick_map
from ui.mapstate import map_state
from ui.settings import lang, settings
from ui.uploadview import undo_offer
from ui.urlstate import from_url, to_url

AROUND = 0.006  # degrees around a placed place when its map opens: a few streets each way


def _choices(places: pd.DataFrame) -> list[str]:
    """The ids of ``places``, those still to be placed first (in their stored order)."""
    unplaced = places.geometry.isna().to_numpy()
    ids = places["id"].astype(str)
    return [*ids[unplaced], *ids[~unplaced]]


def _label(places: pd.DataFrame, lg: str):
    names = dict(zip(places["id"].astype(str), places["name"].astype("string").fillna("")))
    unplaced = set(places.loc[places.geometry.isna(), "id"].astype(str))
    return lambda pid: f"{names.get(pid, '')}（{pid}）" + (f" · {t('edit_unplaced_tag', lg)}" if pid in unplaced else "")


def _opening_view(kind: str, row: pd.Series):
    """Where the map opens: around the place, else around its zone's shape, else the whole layer."""
    if row.geometry is not None:
        x, y = row.geometry.centroid.x, row.geometry.centroid.y
        return x - AROUND, y - AROUND, x + AROUND, y + AROUND
    zones = dataset().zones
    zone = zones.loc[(zones["id"].astype(str) == str(row.get("zone"))) & zones.geometry.notna()] \
        if "zone" in row and pd.notna(row.get("zone")) else zones.iloc[0:0]
    return tuple(zone.total_bounds) if len(zone) else home_bounds(kind)


def _marks(points: list[tuple[object, str]]) -> list[folium.CircleMarker]:
    """Circles at WGS-84 ``points`` (with their colours), drawn in the map's datum; vector, no image to load."""
    datum = overlay_datum(settings())
    shown = convert_geometries([p for p, _ in points], "wgs84", datum) if datum != "wgs84" else [p for p, _ in points]
    return [folium.CircleMarker([p.y, p.x], radius=9, color=colour, weight=3, fill=True, fill_opacity=0.35)
            for p, (_, colour) in zip(shown, points)]


def _position_editor(kind: str, row: pd.Series, user: User, lg: str) -> None:
    if "Point" not in TABLES[kind].accepts or (row.geometry is not None and row.geometry.geom_type != "Point"):
        key = "edit_not_points" if "Point" not in TABLES[kind].accepts else "edit_has_outline"
        st.info(t(key, lg, table=TABLES[kind].label(lg), place=plain(str(row["name"]))))
        return
    pid = str(row["id"])
    chosen_key = f"edit_point_{kind}_{pid}"
    st.caption(t("edit_click_hint", lg))
    date = days().current
    state = map_state([layer_of(kind, view(kind, date), lg)], [])
    marks = [(row.geometry, "#555555")] if row.geometry is not None else []
    if st.session_state.get(chosen_key) is not None:
        marks.append((st.session_state[chosen_key], "#d62728"))
    clicked = show_pick_map(state, f"edit_map_{kind}_{pid}", home=_opening_view(kind, row), marks=_marks(marks))
    if clicked is not None and st.session_state.get(f"{chosen_key}_click") != clicked:
        st.session_state[f"{chosen_key}_click"] = clicked
        try:
            st.session_state[chosen_key] = position_from(lon=clicked[0], lat=clicked[1],
                                                         datum=overlay_datum(settings()))
        except EditRefused as refused:
            st.error(refused.text.pick(lg))
        st.rerun()  # the chosen spot is drawn on the map
    typed_col, datum_col, go_col = st.columns([3, 2, 1], vertical_alignment="bottom")
    typed = typed_col.text_input(t("edit_type_position", lg), key=f"edit_typed_{kind}_{pid}",
                                 placeholder="114.3215,29.8421")
    datum = datum_col.selectbox(t("upload_datum", lg), ["gcj02", "wgs84", "bd09"], key=f"edit_datum_{kind}_{pid}",
                                format_func=lambda d: t(f"edit_datum_{d}", lg), help=t("edit_datum_help", lg))
    if go_col.button(t("edit_use_typed", lg), key=f"edit_use_{kind}_{pid}", disabled=not typed.strip()):
        try:
            st.session_state[chosen_key] = position_from(typed, datum=datum)
        except EditRefused as refused:
            st.error(refused.text.pick(lg))
        else:
            st.rerun()
    point = st.session_state.get(chosen_key)
    if point is None:
        return
    try:
        move = plan_move(engine(), kind, pid, point, settings().max_move_km * 1000)
    except EditRefused as refused:
        st.error(refused.text.pick(lg))
        return
    where = dict(lon=round(point.x, 6), lat=round(point.y, 6), place=plain(move.name))
    st.markdown(t("edit_will_place", lg, **where) if move.metres is None
                else t("edit_will_move", lg, metres=round(move.metres), **where))
    for warning in move.warnings:
        st.warning(warning.pick(lg))
    confirmed = bool(move.warnings) and st.checkbox(t("upload_accept_warnings", lg), key=f"edit_accept_{kind}_{pid}")
    if st.button(t("edit_save_position", lg), type="primary", key=f"edit_save_{kind}_{pid}",
                 disabled=bool(move.warnings) and not confirmed):
        _saved(lambda: move_place(engine(), kind, pid, point, user, settings().max_move_km * 1000, confirmed), lg,
               forget=(chosen_key,))


def _name_editor(kind: str, row: pd.Series, user: User, lg: str) -> None:
    pid = str(row["id"])
    with st.form(f"edit_name_form_{kind}_{pid}", border=False):
        name = st.text_input(t("edit_new_name", lg), value=str(row["name"]), max_chars=200)
        if st.form_submit_button(t("edit_save_name", lg), type="primary"):
            _saved(lambda: rename_place(engine(), kind, pid, name, user), lg)


def _retire_editor(kind: str, row: pd.Series, user: User, lg: str) -> None:
    pid = str(row["id"])
    st.markdown(t("edit_retire_text", lg, place=plain(str(row["name"]))))
    sure = st.checkbox(t("edit_retire_confirm", lg), key=f"edit_retire_sure_{kind}_{pid}")
    if st.button(t("edit_retire_button", lg), key=f"edit_retire_{kind}_{pid}", disabled=not sure):
        _saved(lambda: retire_place(engine(), kind, pid, user), lg)


def _saved(change, lg: str, forget: tuple[str, ...] = ()) -> None:
    """Run ``change`` (a function storing one version); say what became of it on the next run, where the
    choices named in ``forget`` (the spot just saved) are gone, so that nothing offers to save it again."""
    try:
        applied = save_when_free(change)
    except EditRefused as refused:
        st.error(refused.text.pick(lg))
        return
    except StoreStayedBusy:
        return  # said on the page; nothing changed
    for key in forget:
        st.session_state.pop(key, None)
    st.session_state["edit_done"] = st.session_state["edit_last"] = applied.version
    st.rerun()


def render_edit_page(user: User) -> None:
    """The page: a kind of place, one of its places (those to be placed first), and what to change of it."""
    lg = lang()
    layers = [k for k in layer_tables() if TABLES[k].geometry]
    from_url("edit_kind", layers, default="compounds")
    kind = st.selectbox(t("edit_kind", lg), layers, key="edit_kind", format_func=lambda k: TABLES[k].label(lg))
    to_url("edit_kind", kind)
    places = dataset().layer(kind)
    if places.empty:
        st.info(t("edit_no_places", lg, table=TABLES[kind].label(lg)))
        return
    unplaced = int(places.geometry.isna().sum())
    if unplaced and kind != "zones":
        st.warning(t("edit_unplaced_count", lg, count=unplaced, table=TABLES[kind].label(lg)))
    choices = _choices(places)
    from_url("edit_place", choices, default=choices[0])
    pid = st.selectbox(t("edit_place", lg), choices, key="edit_place", format_func=_label(places, lg))
    to_url("edit_place", pid)
    row = places.loc[places["id"].astype(str) == pid].iloc[0]
    where = (t("edit_unplaced_now", lg) if row.geometry is None else
             t("edit_where_now", lg, lon=round(row.geometry.centroid.x, 6), lat=round(row.geometry.centroid.y, 6)))
    st.markdown(f"**{plain(str(row['name']))}** · {plain(pid)} · {where}")
    position, name, retire = st.tabs([t("edit_tab_position", lg), t("edit_tab_name", lg), t("edit_tab_retire", lg)])
    with position:
        _position_editor(kind, row, user, lg)
    with name:
        _name_editor(kind, row, user, lg)
    with retire:
        _retire_editor(kind, row, user, lg)
    done = st.session_state.pop("edit_done", None)
    if done:
        st.success(t("edit_saved", lg, version=done))
    undo_offer(user, st.session_state.get("edit_last"), "edit_undo", label="undo_edit")
