"""The overview's pair of buttons that download the morning briefing (疫情防控工作日报) as Word and PDF.

The briefing is built only when a button is clicked (Streamlit runs the callable then, on a thread
of its own), once per data version, scope, date and district for every session: the map figures are
the slow part. A scoped account's briefing holds only its scope's places (the dataset of
:mod:`ui.cache`), and the whole city's briefings written on schedule are not offered to it. The document is Chinese whatever the page's language, as the bureau sends it.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from geo.accounts import User, can
from geo.analysis import Filters
from geo.domain import t
from geo.report import Briefing, CjkFont, FontMissing, briefing_file, build_briefing, find_cjk_font, kept_briefings
from geo.settings import load
from geo.store import connect, newest_version_time
from ui.cache import data_key, scoped
from ui.data import city_name, viewing_scope
from ui.login import current_user
from ui.settings import lang, settings

MIME = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".pdf": "application/pdf"}


@st.cache_resource(show_spinner=False)
def chinese_font() -> CjkFont | FontMissing:
    """The Chinese font of documents and pictures drawn on the server, or why there is none; looked up once."""
    try:
        return find_cjk_font()
    except FontMissing as missing:
        return missing


@st.cache_resource(show_spinner=False, max_entries=4)
def _briefing(url: str, version: int, scope: str, date: str, districts: tuple[str, ...], city: str,
              _user: User | None, role: str) -> Briefing:
    # ``role`` stands for the user in the key: a briefing is the same for everyone of a scope who may view
    return build_briefing(scoped(url, version, scope), date, districts, user=_user, settings=load(),
                          updated=newest_version_time(connect(url)), city=city)


def briefing_buttons(filters: Filters) -> None:
    """Word and PDF of the briefing for the page's date and district filter, for a user who may view."""
    lg = lang()
    user = current_user(touch=False)
    if not filters.date or not can(user, "view", settings().require_login):
        return
    font = chinese_font()
    if isinstance(font, FontMissing):
        st.caption(font.text.pick(lg))
        return
    key = (*data_key(), filters.date, filters.district, city_name() or "", user, user.role if user else "")

    def writer(suffix: str):
        return lambda: briefing_file(_briefing(*key), suffix)

    where = "_".join(filters.district)
    stem = f"{t('briefing_title', 'zh')}_{filters.date}" + (f"_{where}" if where else "")
    word, pdf = st.columns(2, width=360)
    for column, suffix, label in ((word, ".docx", "briefing_word"), (pdf, ".pdf", "briefing_pdf")):
        column.download_button(t(label, lg), writer(suffix), file_name=stem + suffix, mime=MIME[suffix],
                               key=f"briefing{suffix}", help=t("briefing_help", lg), on_click="ignore",
                               icon=":material/description:")


def kept_briefings_list() -> None:
    """The briefings the server wrote on schedule (``briefing_time``), newest first, each to download."""
    lg = lang()
    if not can(current_user(touch=False), "view", settings().require_login) or viewing_scope() is not None:
        return  # the briefings written on schedule are the whole city's
    kept = kept_briefings(Path(settings().briefing_dir))
    if not kept:
        if settings().briefing_time.strip():
            st.caption(t("briefing_kept_none", lg, time=settings().briefing_time.strip()))
        return
    with st.expander(t("briefing_kept_title", lg, count=len(kept))):
        for number, briefing in enumerate(kept):
            st.download_button(briefing.path.name, briefing.path.read_bytes, file_name=briefing.path.name,
                               mime=MIME[briefing.path.suffix], key=f"briefing_kept_{number}", on_click="ignore",
                               icon=":material/description:", help=t("briefing_kept_help", lg,
                                                                    time=briefing.written.strftime("%Y-%m-%d %H:%M")))
