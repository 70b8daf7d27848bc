"""A picture of any map page: the page's own layers and legends (:class:`geo.maps.Layer`, :class:`geo.maps.Legend`)
drawn on the server with matplotlib, as the briefing draws its figures (:mod:`geo.report.figures`).

Each layer is drawn in the colours its Leaflet styles give the browser (``fillColor``,
``color``; a style without fill as a ring), points as dots; legends with their counts;
title, scale bar and north arrow in a Chinese font at 300 dpi; the configured base map
under it when its tiles can be had (:mod:`geo.report.figure_tiles`). The picture is
framed on the places drawn (not on the zones' outlines, which are context); a layer
that the page opens unticked is left out, as the map shows it.

Examples
--------
>>> colours({"fillColor": "#e53935", "color": "#424242", "fillOpacity": 0.8})
('#e53935', '#424242')
>>> colours({"color": "#d50000", "fill": False})
('none', '#d50000')
"""

from __future__ import annotations

import io
from typing import Callable

import geopandas as gpd
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch
from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

from geo.domain import t
from geo.maps import Layer, Legend
from geo.report.figure_tiles import FigureTiles, MapPng, draw_basemap, map_png
from geo.report.figures import ASPECT, DPI, nice_length
from geo.report.fonts import CjkFont

CONTEXT = ("outlines",)  # layers drawn for orientation only: the picture is not framed on them
MARGIN = 0.06  # of the places' extent, around them


def colours(style: dict) -> tuple[str, str]:
    """(fill, edge) colours of a Leaflet path style; fill 'none' for a style drawn as a ring."""
    fill = "none" if style.get("fill") is False or style.get("fillOpacity") == 0 else \
        style.get("fillColor", style.get("color", "#9e9e9e"))
    return fill, style.get("color", "#424242")


def layer_shapes(layer: Layer, shapes: Callable[[str], gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """The layer's rows with their shapes: from the dataset layers it names (by ``id``), else its frame's own."""
    frame = pd.DataFrame(layer.frame).assign(id=lambda f: f["id"].astype(str))
    if not layer.places:
        own = frame if "geometry" in frame else frame.iloc[0:0].assign(geometry=None)
        return gpd.GeoDataFrame(own, geometry="geometry", crs="EPSG:4326")
    parts = [shapes(name)[["id", "geometry"]].assign(id=lambda f: f["id"].astype(str)) for name in layer.places]
    known = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else None
    if known is None:
        return gpd.GeoDataFrame(frame.iloc[0:0].assign(geometry=None), geometry="geometry", crs="EPSG:4326")
    joined = frame.drop(columns="geometry", errors="ignore").merge(known.drop_duplicates("id"), on="id")
    joined = gpd.GeoDataFrame(joined, geometry="geometry", crs="EPSG:4326")
    return joined.loc[joined.geometry.notna() & ~joined.geometry.is_empty]


def layers_picture(layers: list[Layer], legends: list[Legend], shapes: Callable[[str], gpd.GeoDataFrame],
                   title: str, lang: str, font: CjkFont, basemap: FigureTiles | None = None,
                   width_inches: float = 6.2) -> MapPng:
    """A PNG of the ``layers`` shown (``show``), with ``shapes(name)`` giving a dataset layer's shapes (``id``,
    ``geometry``, WGS-84), its ``legends``, ``title``, scale bar and north arrow; over ``basemap``'s tiles when
    they can be had (its ``basemap`` names them)."""
    small = FontProperties(fname=str(font.path), size=7)
    drawn = [(layer, layer_shapes(layer, shapes)) for layer in layers if layer.show]
    drawn = [(layer, frame) for layer, frame in drawn if len(frame)]
    content = [frame for layer, frame in drawn if layer.kind not in CONTEXT] or [frame for _, frame in drawn]
    every = pd.concat(content, ignore_index=True) if content else None
    every = gpd.GeoDataFrame(every, geometry="geometry", crs="EPSG:4326") if every is not None else None
    crs = every.estimate_utm_crs() if every is not None and len(every) else "EPSG:3857"
    figure = Figure(figsize=(width_inches, width_inches * ASPECT), dpi=DPI)
    axes = figure.add_subplot()
    axes.set_axis_off()
    axes.set_aspect("equal")
    for layer, frame in drawn:
        projected = frame.to_crs(crs)
        for category, group in projected.groupby("category", sort=False):
            style = layer.styles.get(str(category), {})
            fill, edge = colours(style)
            points = (group.geom_type == "Point").to_numpy()
            if (~points).any():
                group.loc[~points].plot(ax=axes, facecolor=fill, edgecolor=edge,
                                       linewidth=min(float(style.get("weight", 1)), 4) * 0.25, zorder=2)
            if points.any():
                fill, edge = colours(layer.styles.get(f"pt_{category}", style))
                axes.scatter(group.loc[points].geometry.x, group.loc[points].geometry.y, s=layer.radius * 1.6,
                             c=fill if fill != "none" else "none", edgecolors=edge, linewidths=0.4, zorder=3)
    if every is not None and len(every):
        xmin, ymin, xmax, ymax = every.to_crs(crs).total_bounds
        pad = max(xmax - xmin, ymax - ymin, 200.0) * MARGIN
        axes.set_xlim(xmin - pad, xmax + pad)
        axes.set_ylim(ymin - pad, ymax + pad)
    credit = draw_basemap(axes, crs, basemap, int(width_inches * DPI), FontProperties(fname=str(font.path), size=5)) \
        if basemap is not None else ""
    axes.set_title(title, fontproperties=FontProperties(fname=str(font.path), size=11))
    handles = []
    for legend in legends:
        if legend.layers and not any(layer.key in legend.layers for layer, _ in drawn):
            continue  # the legend of a layer left out
        handles.append(Patch(facecolor="none", edgecolor="none", label=legend.title))
        handles += [Patch(facecolor=entry.color, edgecolor="#424242", linewidth=0.3, linestyle="--" if entry.dashed
                          else "-", label=entry.label + ("" if entry.count is None else f"（{entry.count}）"))
                    for entry in legend.entries]
    if handles:
        # beside the map, not over it: a page's map has many entries (the overview's every kind of place)
        axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, prop=small,
                    frameon=True, framealpha=0.9)
    low, high = axes.get_xlim()
    length = nice_length((high - low) / 4)
    label = t("briefing_scale_km", lang, value=f"{length / 1000:g}") if length >= 1000 else \
        t("briefing_scale_m", lang, value=f"{length:g}")
    axes.add_artist(AnchoredSizeBar(axes.transData, length, label, "lower right", pad=0.4, frameon=False,
                                    size_vertical=(high - low) / 300, fontproperties=small))
    axes.annotate(t("briefing_north", lang), xy=(0.95, 0.97), xytext=(0.95, 0.86), xycoords="axes fraction",
                  ha="center", va="center", fontproperties=FontProperties(fname=str(font.path), size=8),
                  arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 0.8})
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, pil_kwargs={"compress_level": 3})
    return map_png(out.getvalue(), credit)
