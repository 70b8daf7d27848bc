"""The parts every map page shares: the map, the details panel, the table with exports, data notes."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from functools import partial

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.accounts import auth
from geo.analysis import Filters, display_table, export_stem, export_title
from geo.domain import MISSING, TABLES, t
from geo.io import to_csv_bytes, to_xlsx_bytes
from geo.maps import (
    ForgetRemovedGroups,
    MapFocus,
    base_map,
    basemap_problem,
    decoder_url,
    map_focus,
    overlay_datum,
    pack_worker_url,
    preload_script,
)
from ui.cache import dataset, days, outside, unmatched, unplaced, zone_names
from ui.escape import plain
from ui.follow import follow_new_data
from ui.login import current_user
from ui.mapstate import MapState
from ui.packs import place_sources
from ui.settings import lang, settings


def preload_places(kinds: tuple[str, ...]) -> None:
    """Have the browser start fetching the packs of dataset layers ``kinds`` now, at the top of the page.

    The map's frame only starts once the page's filters and tables are built and
    drawn; at 100,000 compounds that is a second or more spent waiting for 3 MB,
    which a worker meanwhile decodes on another core. The element is hidden, so it
    takes no room.
    """
    urls = [source.gz_url for source in place_sources(kinds, overlay_datum(settings()))
            if source.gz_url and source.role != "tile"]  # tiles come as the map looks at them
    if urls:
        st.html('<span class="cmdmap-preload"></span>'
                '<style>[data-testid="stElementContainer"]:has(.cmdmap-preload){display:none}</style>'
                f"<script>{preload_script()}({json.dumps(urls)}, {json.dumps(pack_worker_url())}, "
                f"{json.dumps(decoder_url())});"
                "</script>", unsafe_allow_javascript=True)


def page_header(title_key: str, date: str | None) -> None:
    """The page's title and the date of the data it shows; the page redraws by itself with new data."""
    lg = lang()
    st.title(t(title_key, lg), anchor=False)
    follow_new_data()
    # one element however many lines it holds: the map below keeps its place in the page, so that a step of the
    # time line into an unfinished day (two lines more) recolours the map instead of making its frame again
    notes = st.container()
    if date:
        notes.caption(t("data_as_of", lg, date=date))
    report = days()
    if report.pending:  # a new day is being reported: say how far it has got, and what is shown meanwhile
        newest = report.pending[-1]
        progress = report.progress(newest, datetime.date.today()).pick(lg)
        notes.info(t("progress_showing", lg, progress=progress, date=date) if date != newest else progress)
    if date and not report.complete(date) and date in report.dates:
        notes.caption(t("day_incomplete", lg, date=date))


def _draw(state: MapState, key: str, home, returned: list[str], extra=()) -> dict:
    """The map of ``state`` with ``extra`` elements in its update; what the browser returned of ``returned``.

    The map itself (base map, places, ``home`` extent, else the state's) stays the
    same across reruns; the state's update (and ``extra``) goes to the open map.
    """
    s = settings()
    problem = basemap_problem(s)
    if problem is not None:  # the tile file cannot serve: the map is drawn without tiles, and says why
        st.warning(problem.pick(lang()))
    m = base_map(state.layers, state.sources, s, bounds=home if home is not None else state.bounds,
                 height=s.map_height, lang=lang())
    update = folium.FeatureGroup(name="update", control=False)
    ForgetRemovedGroups().add_to(update)
    state.update.own().add_to(update)
    for element in extra:
        element.add_to(update)
    # Only a click reruns the script: panning and zooming stay in the browser.
    return st_folium(m, key=key, height=s.map_height, use_container_width=True,
                     returned_objects=returned, feature_group_to_add=update) or {}


def show_pick_map(state: MapState, key: str, home=None, marks=()) -> tuple[float, float] | None:
    """Draw the map with ``marks`` (folium elements, in the map's datum) on it; return the (lng, lat) of the
    last click on the map itself, in the map's datum (see :func:`geo.maps.overlay_datum`), if any."""
    clicked = _draw(state, key, home, ["last_clicked"], marks).get("last_clicked") or {}
    if clicked.get("lat") is None or clicked.get("lng") is None:
        return None
    return float(clicked["lng"]), float(clicked["lat"])


def show_map(state: MapState, key: str, home=None, focus: MapFocus | None = None) -> tuple[str, str] | None:
    """Draw the map; return (layer kind, feature id) of the last feature clicked, if any (see :func:`_draw`).

    ``focus``: where the open map flies to (a row chosen in the table, see :func:`row_focus`)."""
    drawing = _draw(state, key, home, ["last_active_drawing"], [focus] if focus else ()).get("last_active_drawing") or {}
    props = drawing.get("properties") or {}
    if props.get("id") is None:
        return None
    return str(props.get("k", "")), str(props["id"])


def pick(page: str, clicked: tuple[str, str] | None, table_pick: tuple[str, str] | None) -> tuple[str, str] | None:
    """The (kind, id) to show in the details panel: whichever of map click or table row changed last."""
    state = st.session_state
    last_click, last_row = state.get(f"{page}_last_click"), state.get(f"{page}_last_row")
    if clicked is not None and clicked != last_click:
        state[f"{page}_selected"] = clicked
    if table_pick is not None and table_pick != last_row:
        state[f"{page}_selected"] = table_pick
    state[f"{page}_last_click"], state[f"{page}_last_row"] = clicked, table_pick
    return state.get(f"{page}_selected")


#: Rows listed under a map; the exports hold every row shown on the map.
TABLE_ROWS = 5000


@dataclass(frozen=True)
class Export:
    """What a page's export is called: its file's name without the ending, and the title line above its table."""

    stem: str
    title: str


def export_of(title: str, filters: Filters, vocabulary: str | None = None) -> Export:
    """The export of a page titled ``title`` (in the page's language) showing ``filters``: its date and every
    filter in the file's name and its title line, so that a file sent on says what it holds."""
    lg = lang()
    names = zone_names()
    return Export(export_stem(title, filters, lg, names, vocabulary), export_title(title, filters, lg, names, vocabulary))


def table_choice(rows: pd.DataFrame, key: str) -> str | None:
    """The id of the row chosen in the table ``key`` of ``rows`` (see :func:`show_table`), read before the
    table is drawn on this rerun: the map above it is drawn first."""
    event = st.session_state.get(key) or {}
    selection = event.get("selection") if hasattr(event, "get") else getattr(event, "selection", None)
    picked = list((selection.get("rows") if hasattr(selection, "get") else getattr(selection, "rows", None)) or [])
    rows = rows.head(TABLE_ROWS)
    return str(rows["id"].iloc[picked[0]]) if picked and 0 <= picked[0] < len(rows) else None


def row_focus(rows: pd.DataFrame, key: str) -> MapFocus:
    """The map above the table ``key`` of ``rows`` flies to the place of the row chosen in it (once per choice)."""
    chosen = table_choice(rows, key)
    place = rows.loc[rows["id"].astype(str) == chosen] if chosen else None
    return map_focus(f"{key} {chosen}" if chosen else "", place, overlay_datum(settings()))


def _table_file(rows: pd.DataFrame, kind: str, lang: str, writer, **kwargs) -> bytes:
    return writer(display_table(rows, kind, lang), **kwargs)


def show_table(rows: pd.DataFrame, kind: str, export: Export, key: str, total: int) -> str | None:
    """The sortable table of ``rows`` under the map with CSV and Excel export; returns the id of a selected row.

    ``kind`` chooses the columns (see :func:`geo.analysis.display.display_table`); ``total`` is the count before filters,
    which decides whether the list opens with the page (setting ``table_open_max``).
    """
    lg = lang()
    heading = st.container(key=f"list_heading_{key}")  # a printed page leaves the list out (ui/printing.py)
    heading.subheader(t("table_title", lg), anchor=False)
    heading.caption(t("rows_shown", lg, shown=len(rows), total=total))
    left, right, _ = st.columns([1, 1, 4])
    # The files are made when clicked, not on every rerun (an .xlsx of 10,000 rows takes seconds).
    left.download_button(t("download_csv", lg), partial(_table_file, rows, kind, lg, to_csv_bytes, title=export.title),
                         f"{export.stem}.csv", "text/csv", key=f"{key}_csv", width="stretch", on_click="ignore")
    right.download_button(t("download_xlsx", lg), partial(_table_file, rows, kind, lg, to_xlsx_bytes,
                                                          sheet=export.stem[:31], title=export.title),
                          f"{export.stem}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"{key}_xlsx", width="stretch", on_click="ignore")
    # A long list opens with a click: at 100,000 compounds its grid made the map appear 0.4 s later, and every
    # rerun sent 5,000 rows. Filters and dates keep it as it is; its label stays fixed (a new one resets it).
    box = st.expander(t("table_open", lg), expanded=total <= settings().table_open_max,
                      key=f"{key}_open", on_change="rerun")
    if not box.open:
        return None
    if len(rows) > TABLE_ROWS:  # a grid of 100,000 rows would be sent on every rerun
        box.caption(t("rows_limited", lg, limit=TABLE_ROWS, shown=len(rows)))
        rows = rows.head(TABLE_ROWS)
    event = box.dataframe(display_table(rows, kind, lg), hide_index=True, width="stretch", on_select="rerun",
                          selection_mode="single-row", key=key)
    picked = list(getattr(getattr(event, "selection", None), "rows", []) or [])
    return str(rows["id"].iloc[picked[0]]) if picked and picked[0] < len(rows) else None


def show_details(title: str, fields: pd.DataFrame) -> None:
    """The details panel: the place's name, then each field (label, value) as a line that wraps, so that a
    long address or note is read whole in the narrow column (a grid cut it)."""
    lg = lang()
    st.subheader(t("details_title", lg), anchor=False)
    st.markdown(f"**{plain(title)}**")
    lines = [t("detail_line", lg, field=plain(field), value=f"**{plain(value)}**")
             for field, value in zip(fields.iloc[:, 0], fields.iloc[:, 1])]
    with st.container(key="place_details"):
        st.markdown("  \n".join(lines))


def outside_lines(lg: str) -> list[str]:
    """One sentence per layer with places that no zone holds: how many, and the first names."""
    return _named_lines(outside(), "outside_zones", lg)


def _named_lines(places: pd.DataFrame, key: str, lg: str) -> list[str]:
    """One sentence ``key`` per layer of ``places`` (columns layer, id, name): how many, and the first names."""
    lines = []
    for layer, rows in places.groupby("layer", sort=False):
        names = rows["name"].where(rows["name"] != "", rows["id"]).tolist()
        listed = ", ".join(names[:10]) + (" …" if len(names) > 10 else "")
        lines.append(t(key, lg, count=len(rows), kind=TABLES[layer].label(lg), names=listed))
    return lines


def show_unplaced(layers) -> None:
    """The places of ``layers`` still to be placed (待定位): counted and listed, with the way to place them."""
    lg = lang()
    places = unplaced()
    places = places.loc[places["layer"].isin(list(layers))]
    if places.empty:
        return
    for line in _named_lines(places, "unplaced_places", lg):
        st.warning(plain(line))
    if auth.can(current_user(), "upload"):
        st.page_link("pages/edit.py", label=t("unplaced_go", lg), icon="📍")
    with st.expander(t("unplaced_list", lg, count=len(places))):
        st.dataframe(pd.DataFrame({t("col_layer", lg): [TABLES[layer].label(lg) for layer in places["layer"]],
                                   t("col_id", lg): places["id"], t("col_name", lg): places["name"]}),
                     hide_index=True, width="stretch")


def show_outside_zones() -> None:
    """Places outside every zone, said where zones are looked at (the zones page, the overview): counted,
    and listed in full on a click, never left out silently."""
    lg = lang()
    places = outside()
    if places.empty:
        return
    for line in outside_lines(lg):
        st.warning(plain(line))
    with st.expander(t("outside_zones_list", lg, count=len(places))):
        st.dataframe(pd.DataFrame({t("col_layer", lg): [TABLES[layer].label(lg) for layer in places["layer"]],
                                   t("col_id", lg): places["id"], t("col_name", lg): places["name"]}),
                     hide_index=True, width="stretch")


def show_data_notes(views: dict[str, pd.DataFrame]) -> None:
    """What did not join: ids matching no place, places with no report, places given a zone, read problems."""
    lg = lang()
    ds = dataset()
    notes: list[str] = []
    for table, ids in unmatched().items():
        if ids:
            name = TABLES[table].label(lg)
            notes.append(t("unmatched", lg, table=name, count=len(ids), ids=", ".join(ids[:10])))
    missing = sum(int((v["report"] == MISSING).sum()) for v in views.values() if "report" in v)
    if missing:
        notes.append(t("never_reported", lg, count=missing))
    if ds.zones_assigned:
        notes.append(t("zones_assigned", lg, count=ds.zones_assigned))
    notes += outside_lines(lg)
    if not notes and not ds.problems:
        return
    with st.expander(f"{t('data_notes', lg)} ({len(notes) + len(ds.problems)})"):
        for note in notes:
            st.markdown(f"- {plain(note)}")
        if ds.problems:
            st.markdown(plain(t("problems_found", lg, count=len(ds.problems))))
            st.dataframe(pd.DataFrame([
                {t("col_file", lg): p.source, t("col_row", lg): p.row, t("col_column", lg): p.column,
                 t("col_value", lg): p.value, t("col_message", lg): p.message(lg)} for p in ds.problems[:500]
            ]), hide_index=True, width="stretch")
