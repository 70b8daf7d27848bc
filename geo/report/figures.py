"""The briefing's map figures, drawn on the server with matplotlib (no browser): places shaded by their state.

Each figure has a title, a legend with counts, a scale bar, a north arrow and the
zones' outlines, set in a Chinese font at print resolution (300 dpi), over the
configured base map's tiles when they can be had (:mod:`geo.report.figure_tiles`), plain
otherwise: the caption says which.

Examples
--------
>>> round(nice_length(1234.0))
1000
>>> nice_length(73.0)
50.0
"""

from __future__ import annotations

import io
import math

import geopandas as gpd
import pandas as pd
from matplotlib.figure import Figure  # no pyplot: no display, no global state; PNG is drawn by Agg
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch
from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

from geo.domain import MISSING, t, vocab
from geo.report.figure_tiles import FigureTiles, MapPng, draw_basemap, map_png
from geo.report.fonts import CjkFont

DPI = 300  # print resolution
ASPECT = 0.8  # a figure's height over its width
OUTLINES_MAX = 5000  # more places than this are drawn as dots only
MISSING_COLOUR = vocab.color("report", MISSING)


def nice_length(metres: float) -> float:
    """The largest 1, 2 or 5 times a power of ten not above ``metres``: a scale bar's length."""
    if metres <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(metres))
    return max(step * power for step in (1, 2, 5) if step * power <= metres)


def utm_zone(bounds) -> str:
    """The WGS-84 UTM zone of the centre of ``bounds`` (minx, miny, maxx, maxy in degrees), as geopandas'
    ``estimate_utm_crs`` finds it, without asking PROJ's database (0.1 to 1.6 s a figure).

    >>> utm_zone((114.2, 29.8, 114.4, 29.9)), utm_zone((-70.7, -33.5, -70.5, -33.4))
    ('EPSG:32650', 'EPSG:32719')
    """
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    lon, lat = (minx + maxx) / 2, (miny + maxy) / 2
    zone = min(60, max(1, int(math.floor((lon + 180) / 6)) + 1))
    return f"EPSG:{(32600 if lat >= 0 else 32700) + zone}"


def _scale_label(metres: float, lang: str) -> str:
    if metres >= 1000:
        return t("briefing_scale_km", lang, value=f"{metres / 1000:g}")
    return t("briefing_scale_m", lang, value=f"{metres:g}")


def status_map(places: gpd.GeoDataFrame, vocabulary: str, zones: gpd.GeoDataFrame, title: str, lang: str,
               font: CjkFont, width_inches: float = 6.2, basemap: FigureTiles | None = None) -> MapPng:
    """A PNG of ``places`` coloured by ``category`` (codes of ``vocabulary``, or 'missing'), over ``zones``' outlines,
    and over ``basemap``'s tiles when they can be had (:mod:`geo.report.figure_tiles`; its ``basemap`` says whose).

    Drawn in the local UTM projection, so that the scale bar measures metres.
    """
    prop = FontProperties(fname=str(font.path), size=7)
    # a place still to be placed (no geometry yet) is counted in the tables, not drawn
    shown = places.loc[places.geometry.notna() & ~places.geometry.is_empty]
    zones = zones.loc[zones.geometry.notna() & ~zones.geometry.is_empty]
    frame = shown if len(shown) else zones
    if len(frame) and frame.crs is not None and not frame.crs.is_geographic:
        frame = frame.to_crs(4326)
    crs = utm_zone(frame.total_bounds) if len(frame) else "EPSG:3857"
    figure = Figure(figsize=(width_inches, width_inches * ASPECT), dpi=DPI)
    axes = figure.add_subplot()
    axes.set_axis_off()
    axes.set_aspect("equal")
    if len(zones):
        zones.to_crs(crs).boundary.plot(ax=axes, color="#757575", linewidth=0.3)
    codes = [*vocab.codes(vocabulary), MISSING]
    colours = {code: vocab.color(vocabulary, code) for code in codes[:-1]} | {MISSING: MISSING_COLOUR}
    counts = shown["category"].value_counts() if len(shown) else pd.Series(dtype=int)
    if len(shown) > OUTLINES_MAX:  # a province: outlines are specks, and 100,000 of them took a minute to draw
        dots = gpd.GeoSeries(shown.geometry.representative_point(), crs=shown.crs).to_crs(crs)
        fill = shown["category"].map(colours).fillna(MISSING_COLOUR)
        axes.scatter(dots.x.to_numpy(), dots.y.to_numpy(), c=fill.tolist(), s=1.5, linewidths=0)
    elif len(shown):
        projected = shown.to_crs(crs)
        fill = projected["category"].map(colours).fillna(MISSING_COLOUR)
        points = projected.geom_type == "Point"
        if (~points).any():
            projected.loc[~points].plot(ax=axes, color=fill.loc[~points], edgecolor="#424242", linewidth=0.15)
        # every place also as a dot: a compound's outline is a speck at the scale of a city
        dots = projected.geometry.where(points, projected.geometry.representative_point())
        gpd.GeoDataFrame(geometry=dots, crs=crs).plot(ax=axes, color=fill, edgecolor="#424242", linewidth=0.2,
                                                      markersize=7)
    credit = draw_basemap(axes, crs, basemap, int(width_inches * DPI), FontProperties(fname=str(font.path), size=5)) \
        if basemap is not None else ""
    axes.set_title(title, fontproperties=FontProperties(fname=str(font.path), size=11))
    handles = [Patch(facecolor=colours[code], edgecolor="#424242", linewidth=0.3,
                     label=f"{t('legend_missing', lang) if code == MISSING else vocab.label(vocabulary, code, lang)}"
                           f"（{int(counts.get(code, 0))}）")
               for code in codes]
    axes.legend(handles=handles, loc="lower left", prop=prop, frameon=True, framealpha=0.9,
                title=t("briefing_legend", lang), title_fontproperties=prop)
    low, high = axes.get_xlim()
    length = nice_length((high - low) / 4)
    axes.add_artist(AnchoredSizeBar(axes.transData, length, _scale_label(length, lang), "lower right",
                                    pad=0.4, frameon=False, size_vertical=(high - low) / 300, fontproperties=prop))
    # north is up in a UTM projection: an arrow in the upper right corner
    axes.annotate(t("briefing_north", lang), xy=(0.95, 0.97), xytext=(0.95, 0.86), xycoords="axes fraction",
                  ha="center", va="center", fontproperties=FontProperties(fname=str(font.path), size=8),
                  arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 0.8})
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, pil_kwargs={"compress_level": 3})  # 6 took twice as long
    return map_png(out.getvalue(), credit)
