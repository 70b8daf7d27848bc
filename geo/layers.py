"""Turn status views into map layers and legends: the same category is the same colour everywhere.

Examples
--------
>>> style_for("closure", "sealed")["fillColor"]
'#d32f2f'
>>> style_for("closure", "missing")["dashArray"]
'4 3'
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import vocab
from geo.labels import t
from geo.mapview import Layer, Legend, LegendEntry, tooltip_html
from geo.vocab import MISSING
from geo.zonestats import CLASS_COLORS, class_breaks, classify, metric

MISSING_COLOR = vocab.color("report", MISSING)


def style_for(vocabulary: str, code: str, point: bool = False) -> dict:
    """Leaflet path style of a category; 'missing' is grey with a dashed outline on every map."""
    if code == MISSING:
        return {"color": "#616161", "weight": 1.5, "dashArray": "4 3", "fillColor": MISSING_COLOR,
                "fillOpacity": 0.55}
    fill = vocab.color(vocabulary, code)
    if point:
        return {"color": "#ffffff", "weight": 1.5, "fillColor": fill, "fillOpacity": 0.95}
    # The outline in the fill colour keeps a 100-metre compound visible as a dot at district zoom.
    return {"color": fill, "weight": 2, "fillColor": fill, "fillOpacity": 0.6}


def styles(vocabulary: str, point: bool = False) -> dict[str, dict]:
    return {code: style_for(vocabulary, code, point) for code in [*vocab.codes(vocabulary), MISSING]}


def category_legend(title: str, vocabulary: str, categories: pd.Series, lang: str) -> Legend:
    """Legend with every category of ``vocabulary`` and 'no report', each with its count."""
    counts = categories.value_counts()
    entries = [LegendEntry(vocab.label(vocabulary, code, lang), vocab.color(vocabulary, code),
                           int(counts.get(code, 0))) for code in vocab.codes(vocabulary)]
    entries.append(LegendEntry(t("legend_missing", lang), MISSING_COLOR, int(counts.get(MISSING, 0)), dashed=True))
    return Legend(title, entries)


def _value(value, suffix: str = "") -> str:
    if value is None or (not isinstance(value, str) and (pd.isna(value) or value in (np.inf, -np.inf))):
        return "—"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value}{suffix}"


def _state_label(vocabulary: str, code, lang: str) -> str:
    if code is None or pd.isna(code) or code == MISSING:
        return t("legend_missing", lang)
    return vocab.label(vocabulary, str(code), lang)


def _frame(view: gpd.GeoDataFrame, tips: list[str]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"id": view["id"].astype(str).to_numpy(), "category": view["category"].to_numpy(),
                             "tip": tips}, geometry=view.geometry.to_numpy(), crs=view.crs)


def compound_layer(view: gpd.GeoDataFrame, lang: str, show: bool = True) -> Layer:
    tips = [
        tooltip_html(row.name, [
            (t("col_closure", lang), _state_label("closure", row.category, lang)),
            (t("col_zone", lang), _value(row.zone_name)),
            (t("col_residents", lang), _value(row.residents)),
            (t("col_fever_reports", lang), _value(row.fever_reports)),
        ])
        for row in view.itertuples()
    ]
    return Layer(t("layer_compounds", lang), "compounds", _frame(view, tips), styles("closure"), show=show)


def site_layer(view: gpd.GeoDataFrame, lang: str, show: bool = True) -> Layer:
    tips = [
        tooltip_html(row.name, [
            (t("col_resumption", lang), _state_label("resumption", row.category, lang)),
            (t("col_workers", lang), f"{_value(row.workers_returned)} / {_value(row.workers_total)}"),
            (t("col_health_ledger", lang), _state_label("yes_no", row.health_ledger, lang)
             if isinstance(row.health_ledger, str) else "—"),
            (t("col_zone", lang), _value(row.zone_name)),
        ])
        for row in view.itertuples()
    ]
    return Layer(t("layer_sites", lang), "sites", _frame(view, tips), styles("resumption", point=True), radius=8, show=show)


def supply_layer(view: gpd.GeoDataFrame, lang: str, show: bool = True) -> Layer:
    tips = []
    for row in view.itertuples():
        short = ", ".join(vocab.label("item", code, lang) for code in str(row.short_items or "").split(",") if code)
        tips.append(tooltip_html(row.name, [
            (t("col_supply_level", lang), _state_label("supply_level", row.category, lang)),
            (t("col_min_days", lang), _value(None if pd.isna(row.min_days) else round(float(row.min_days), 1),
                                             t("unit_days", lang))),
            (t("col_short_items", lang), short or "—"),
        ]))
    return Layer(t("layer_supplies", lang), "supplies", _frame(view, tips), {
        **styles("supply_level"), **{f"pt_{k}": v for k, v in styles("supply_level", point=True).items()}
    }, show=show)


def zone_outline_layer(zones: gpd.GeoDataFrame, lang: str) -> Layer:
    """Zone boundaries as context on every map: visible with no base map, never in the way of a click."""
    frame = gpd.GeoDataFrame({"id": zones["id"].astype(str).to_numpy(), "category": "outline", "tip": ""},
                             geometry=zones.geometry.to_numpy(), crs=zones.crs)
    return Layer(t("layer_zone_outlines", lang), "outlines", frame,
                 {"outline": {"color": "#546e7a", "weight": 1.5, "fill": False, "opacity": 0.8}},
                 interactive=False, tooltips=False)


def zone_choropleth(zones: gpd.GeoDataFrame, metric_code: str, lang: str) -> tuple[Layer, Legend]:
    """Zones shaded by five equal-interval classes of a metric; zones without data are 'missing'."""
    chosen = metric(metric_code)
    values = zones[metric_code]
    view = zones.assign(category=classify(values))
    unit = chosen.unit
    tips = [
        tooltip_html(row.name, [
            (chosen.zh if lang == "zh" else chosen.en, _value(getattr(row, metric_code), unit)),
            (t("col_street", lang), _value(row.street)),
            (t("col_leader", lang), _value(row.leader)),
        ])
        for row in view.itertuples()
    ]
    style = {f"c{i + 1}": {"color": "#37474f", "weight": 1.2, "fillColor": color, "fillOpacity": 0.8}
             for i, color in enumerate(CLASS_COLORS)}
    style[MISSING] = style_for("report", MISSING)
    breaks = class_breaks(values)
    counts = view["category"].value_counts()
    low = float(values.min()) if values.notna().any() else 0.0
    entries = []
    for i, upper in enumerate(breaks):
        start = low if i == 0 else breaks[i - 1]
        entries.append(LegendEntry(f"{start:g}–{upper:g}{unit}", CLASS_COLORS[i], int(counts.get(f"c{i + 1}", 0))))
    entries.append(LegendEntry(t("legend_no_data", lang), MISSING_COLOR, int(counts.get(MISSING, 0)), dashed=True))
    legend = Legend(chosen.zh if lang == "zh" else chosen.en, entries)
    return Layer(t("layer_zones", lang), "zones", _frame(view, tips), style), legend


#: Colour of what an upload would change, on the preview map only (no status uses it).
HIGHLIGHT = "#00b8d4"


def highlight_layer(places: gpd.GeoDataFrame, changed: set[str], lang: str) -> tuple[Layer, Legend]:
    """Places an upload would change, highlighted; the others quiet grey."""
    category = places["id"].astype(str).isin(changed).map({True: "changed", False: "same"})
    tips = [tooltip_html(name, [(t("col_change", lang), t("upload_changed" if c == "changed" else "upload_same",
                                                           lang))])
            for name, c in zip(places["name"].astype(str), category)]
    frame = gpd.GeoDataFrame({"id": places["id"].astype(str).to_numpy(), "category": category.to_numpy(),
                              "tip": tips}, geometry=places.geometry.to_numpy(), crs=places.crs)
    styles = {"changed": {"color": HIGHLIGHT, "weight": 3, "fillColor": HIGHLIGHT, "fillOpacity": 0.7},
              "same": {"color": "#9e9e9e", "weight": 1, "fillColor": "#e0e0e0", "fillOpacity": 0.4},
              "pt_changed": {"color": "#ffffff", "weight": 2, "fillColor": HIGHLIGHT, "fillOpacity": 1},
              "pt_same": {"color": "#ffffff", "weight": 1, "fillColor": "#bdbdbd", "fillOpacity": 0.8}}
    counts = category.value_counts()
    legend = Legend(t("upload_preview", lang), [
        LegendEntry(t("upload_changed", lang), HIGHLIGHT, int(counts.get("changed", 0))),
        LegendEntry(t("upload_same", lang), "#e0e0e0", int(counts.get("same", 0))),
    ])
    return Layer(t("upload_preview", lang), "preview", frame, styles), legend
