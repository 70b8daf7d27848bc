"""Any map as a picture: a PNG of what a map page shows (its filters and date), with title, legend, scale and north.

Drawn on the server by the briefing's figure (:func:`geo.report.status_map`, 300 dpi, a Chinese
font), only when the button is clicked: a leader takes it into a report or a chat. The
picture shows the places the page's filters keep, framed on them; what the browser's map is
panned to is the browser's own and not known to the server.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from geo.analysis import Filters
from geo.domain import t
from geo.report import CjkFont, FontMissing, status_map
from ui.briefing import chinese_font
from ui.cache import dataset
from ui.settings import lang


def picture_title(title: str, filters: Filters, zone_names: dict[str, str]) -> str:
    """The picture's title: the page, the date and the filters that narrow it.

    >>> picture_title("物业小区", Filters(date="2020-02-25", street=("浮山街道",), zone=("Z2",)), {"Z2": "二网格"})
    '物业小区 · 2020-02-25 · 浮山街道、二网格'
    """
    narrowed = [*filters.district, *filters.street, *(zone_names.get(z, z) for z in filters.zone)]
    return " · ".join([title, *([filters.date] if filters.date else []), *(["、".join(narrowed)] if narrowed else [])])


def _picture(shown, vocabulary: str, title: str, lg: str, font: CjkFont) -> bytes:
    zones = dataset().zones
    return status_map(shown, vocabulary, zones.loc[zones.geometry.notna()], title, lg, font)


def map_picture_button(shown, vocabulary: str, title_key: str, filters: Filters, stem: str,
                       key: str | None = None) -> None:
    """A download button for the PNG of the places ``shown`` (a view with ``category``) coloured by ``vocabulary``,
    named ``stem``.png; ``key`` names the button (``stem`` by default)."""
    lg, font = lang(), chinese_font()
    if isinstance(font, FontMissing):  # no Chinese font on the server: the overview's briefing buttons say so
        return
    zones = dataset().zones
    title = picture_title(t(title_key, lg), filters, dict(zip(zones["id"].astype(str), zones["name"].astype(str))))
    st.download_button(t("map_picture", lg), partial(_picture, shown, vocabulary, title, lg, font),
                       file_name=f"{stem}.png",
                       mime="image/png", key=f"picture_{key or stem}", help=t("map_picture_help", lg), on_click="ignore",
                       icon=":material/image:")
