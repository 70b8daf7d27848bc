"""The task sheets (交办单) to download, one responsible unit at a time, and the league table (整改排名) by unit
and by street: pieces any page of the loop can call.

A sheet is built only when its button is clicked (Streamlit runs the callable then), from the
store as it is at that moment. Like the briefing it is written in Chinese whatever the page's
language: it is sent to a Chinese unit to sign.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from geo.accounts import can
from geo.analysis import LEAGUE_SHOWN, as_of, league_table
from geo.domain import t
from geo.report import FontMissing, briefing_file, league_sheet, open_units, photo_reader, task_sheet
from geo.store import problems_frame
from ui.briefing import MIME, chinese_font
from ui.cache import dates
from ui.data import city_name
from ui.login import current_user

PAPER_LANG = "zh"  # the language of the papers themselves (see the module)
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')  # characters no file name may hold on Windows or Linux


def file_stem(*parts: str) -> str:
    """A file name's stem from ``parts``, without the characters a file system refuses, cut to 80 characters.

    >>> file_stem("阳光/物业<script>", "整改交办单", "2020-02-25")
    '阳光_物业_script__整改交办单_2020-02-25'
    """
    return _UNSAFE.sub("_", "_".join(parts)).strip(" ._")[:80] or "file"


def loop_day(frame: pd.DataFrame) -> dt.date:
    """The day a sheet counts days left and overdue on: today, or the records' last day in a store of past data
    (as the overview and the wall count, :func:`geo.analysis.as_of`)."""
    newest = dates()
    return as_of(frame, newest[-1] if newest else None, dt.date.today())


def _buttons(key: str, stem: str, make, lg: str, labels: tuple[str, str], help_key: str) -> None:
    """Word and PDF of the paper ``make()`` builds when clicked; the PDF only when a Chinese font is installed."""
    font = chinese_font()
    word, pdf = st.columns(2, width=360)
    for column, suffix, label in ((word, ".docx", labels[0]), (pdf, ".pdf", labels[1])):
        if suffix == ".pdf" and isinstance(font, FontMissing):
            column.caption(font.text.pick(lg))
            continue
        column.download_button(t(label, lg), lambda suffix=suffix: briefing_file(make(), suffix),
                               file_name=stem + suffix, mime=MIME[suffix], key=f"{key}{suffix}", on_click="ignore",
                               help=t(help_key, lg), icon=":material/description:")


def task_sheet_downloads(engine: Engine, lang: str) -> None:
    """Choose a responsible unit with open problems (the most overdue first) and download its task sheet as Word
    and PDF; for staff and admins only (action ``task_sheets``)."""
    if not can(current_user(touch=False), "task_sheets"):
        st.caption(t("tasksheet_staff_only", lang))
        return
    frame = problems_frame(engine)
    today = loop_day(frame)
    units = open_units(frame, today)
    if units.empty:
        st.info(t("tasksheet_no_open", lang))
        return
    counts = units.set_index("unit_name")
    unit = st.selectbox(t("tasksheet_choose_unit", lang), list(units["unit_name"]), key="tasksheet_unit",
                        format_func=lambda name: t("tasksheet_unit_option", lang, unit=name,
                                                   open=counts.at[name, "open"], overdue=counts.at[name, "overdue"]))
    city = city_name() or ""

    def make():  # the store as it is when the button is clicked
        return task_sheet(problems_frame(engine), unit, today, photo_reader(engine), PAPER_LANG, city)

    stem = file_stem(unit, t("page_tasksheets", PAPER_LANG), today.isoformat())
    _buttons("tasksheet", stem, make, lang, ("tasksheet_word", "tasksheet_pdf"), "tasksheet_help")


def league_tables(frame: pd.DataFrame, lang: str) -> None:
    """The league by responsible unit and by street of ``frame`` (:func:`geo.analysis.with_streets` of the
    problems), the most overdue first, with Word and PDF of both."""
    if frame.empty:
        st.info(t("league_empty", lang))
        return
    today = loop_day(frame)
    st.caption(t("league_caption", lang))
    config = {t(LEAGUE_SHOWN["rate"], lang): st.column_config.NumberColumn(format="%.1f%%"),
              t(LEAGUE_SHOWN["days"], lang): st.column_config.NumberColumn(format="%.1f")}
    by_unit, by_street = st.tabs([t("league_by_unit", lang), t("league_by_street", lang)])
    for tab, by in ((by_unit, "unit_name"), (by_street, "street")):
        tab.dataframe(league_table(frame, by, today, lang), hide_index=True, column_config=config,
                      key=f"league_{by}")
    city = city_name() or ""
    stem = file_stem(t("league_title", PAPER_LANG), today.isoformat())
    _buttons("league", stem, lambda: league_sheet(frame, today, PAPER_LANG, city), lang,
             ("league_word", "league_pdf"), "league_caption")
