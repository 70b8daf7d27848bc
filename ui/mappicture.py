"""Any map as a picture: a PNG of what a map page shows (its filters and date), with title, legend, scale and north.

Drawn on the server (300 dpi, a Chinese font, over the configured base map when its tiles
can be had), only when the button is clicked: a leader takes it into a report or a chat.
A place page's picture is the briefing's figure (:func:`geo.report.status_map`); the
overview's, the zones', the comparison's and the problems' draw the page's own layers and
legends (:func:`geo.report.layers_picture`). The picture shows the places the page's
filters keep, framed on them; what the browser's map is panned to is the browser's own
and not known to the server.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from geo.analysis import Filters
from geo.domain import t
from geo.maps import Layer, Legend
from geo.report import CjkFont, FontMissing, figure_tiles, layers_picture, status_map
from ui.briefing import chinese_font
from ui.cache import dataset, zone_names
from ui.settings import lang, settings


def picture_title(title: str, filters: Filters, zone_names: dict[str, str]) -> str:
    """The picture's title: the page, the date and the filters that narrow it.

    >>> picture_title("物业小区", Filters(date="2020-02-25", street=("浮山街道",), zone=("Z2",)), {"Z2": "二网格"})
    '物业小区 · 2020-02-25 · 浮山街道、二网格'
    """
    narrowed = [*filters.district, *filters.street, *(zone_names.get(z, z) for z in filters.zone)]
    return " · ".join([title, *([filters.date] if filters.date else []), *(["、".join(narrowed)] if narrowed else [])])


def _picture(shown, vocabulary: str, title: str, lg: str, font: CjkFont) -> bytes:
    zones = dataset().zones
    return status_map(shown, vocabulary, zones.loc[zones.geometry.notna()], title, lg, font,
                      basemap=figure_tiles(settings()))


def _layers_picture(layers: list[Layer], legends: list[Legend], title: str, lg: str, font: CjkFont) -> bytes:
    return layers_picture(layers, legends, dataset().layer, title, lg, font, basemap=figure_tiles(settings()))


def _button(make, title_key: str, filters: Filters, stem: str, key: str) -> None:
    """The download button of the PNG that ``make(title, lang, font)`` draws when it is clicked."""
    lg, font = lang(), chinese_font()
    if isinstance(font, FontMissing):  # no Chinese font on the server: the overview's briefing buttons say so
        return
    title = picture_title(t(title_key, lg), filters, zone_names())
    st.download_button(t("map_picture", lg), partial(make, title, lg, font), file_name=f"{stem}.png",
                       mime="image/png", key=f"picture_{key}", help=t("map_picture_help", lg), on_click="ignore",
                       icon=":material/image:")


def map_picture_button(shown, vocabulary: str, title_key: str, filters: Filters, stem: str,
                       key: str | None = None) -> None:
    """A download button for the PNG of the places ``shown`` (a view with ``category``) coloured by ``vocabulary``,
    named ``stem``.png; ``key`` names the button (``stem`` by default)."""
    _button(lambda title, lg, font: _picture(shown, vocabulary, title, lg, font), title_key, filters, stem,
            key or stem)


def layers_picture_button(layers: list[Layer], legends: list[Legend], title_key: str, filters: Filters, stem: str,
                          key: str) -> None:
    """A download button for the PNG of a map page's ``layers`` and ``legends`` as its map draws them, named
    ``stem``.png; ``key`` names the button."""
    _button(lambda title, lg, font: _layers_picture(layers, legends, title, lg, font), title_key, filters, stem, key)
