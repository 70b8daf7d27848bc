"""Turn status views into map layers and legends: the same category is the same colour everywhere.

Examples
--------
>>> style_for("closure", "sealed")["fillColor"]
'#d32f2f'
>>> style_for("closure", "missing")["dashArray"]
'4 3'
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis import Thresholds, header
from geo.analysis.zones import CLASS_COLORS, class_breaks, classify, metric
from geo.domain import MISSING, TABLES, kinds, map_distinct, t, vocab
from geo.domain.tasks import inspected_kinds
from geo.maps.fastlayer import Layer
from geo.maps.legend import Legend, LegendEntry

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


def supply_bands(limits: Thresholds, lang: str) -> dict[str, str]:
    """Each supply level with the days of cover it stands for, by the settings' thresholds (偏紧 and 告急).

    >>> supply_bands(Thresholds(low=7.0, critical=2.5), "zh")["low"]
    '偏紧（2.5–7 天）'
    """
    values = {"low": f"{limits.low:g}", "critical": f"{limits.critical:g}"}
    return {code: t(f"supply_band_{code}", lang, label=vocab.label("supply_level", code, lang), **values)
            for code in vocab.codes("supply_level")}


def category_legend(title: str, vocabulary: str, categories: pd.Series, lang: str,
                    layers: tuple[str, ...] = (), limits: Thresholds | None = None) -> Legend:
    """Legend with every category of ``vocabulary`` and 'no report', each with its count; ``layers``: the map
    layers it explains. The supply levels say their days of cover by ``limits``, the settings' thresholds."""
    counts = categories.value_counts()
    bands = supply_bands(limits, lang) if limits is not None and vocabulary == "supply_level" else {}
    entries = [LegendEntry(bands.get(code) or vocab.label(vocabulary, code, lang), vocab.color(vocabulary, code),
                           int(counts.get(code, 0))) for code in vocab.codes(vocabulary)]
    entries.append(LegendEntry(t("legend_missing", lang), MISSING_COLOR, int(counts.get(MISSING, 0)), dashed=True))
    return Legend(title, entries, layers)


def _values(values: pd.Series, suffix: str = "") -> pd.Series:
    """Numbers and text as a tooltip shows them: whole numbers without '.0', '—' for nothing.

    >>> _values(pd.Series([3.0, None, 2.5, float("inf")]), "天").tolist()
    ['3天', '—', '2.5天', '—']
    """
    def one(value) -> str:
        if not isinstance(value, str) and value in (np.inf, -np.inf):
            return "—"
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return f"{value}{suffix}"

    return map_distinct(values, one, missing="—")


def _states(vocabulary: str, codes: pd.Series, lang: str) -> pd.Series:
    labels = {code: vocab.label(vocabulary, code, lang) for code in vocab.codes(vocabulary)}
    return map_distinct(codes, lambda c: labels.get(str(c), t("legend_missing", lang)),
                        missing=t("legend_missing", lang))


def _kind_layer(kind: str, view: gpd.GeoDataFrame, lang: str, columns: dict[str, pd.Series],
                fields: list[tuple[str, str]], show: bool) -> Layer:
    """The layer of a kind of place (see :mod:`geo.domain.kinds`): its places coloured by their state.

    The tooltip says the state first, then ``fields`` (label, column of ``columns``).
    """
    entry = kinds.kind(kind)
    state = _states(entry.vocabulary, view["category"], lang)
    if "state_days" in view:  # 全封闭（第 12 天）: how long the place has been in it
        held = map_distinct(view["state_days"], lambda n: t("state_day", lang, days=int(n)), missing="")
        state = state + held.to_numpy()
    frame = pd.DataFrame({"id": view["id"].astype(str), "category": view["category"], "state": state, **columns})
    only_points = all(TABLES[place].accepts == ("Point",) for place in entry.place_layers)
    style = styles(entry.vocabulary, point=only_points)
    if not only_points and any(TABLES[place].points for place in entry.place_layers):
        # Areas and points (compounds known by their outline or only by their address, supplies): the browser
        # draws each place by its own shape, a point as a circle of a fixed size in the ``pt_`` style.
        style.update({f"pt_{k}": v for k, v in styles(entry.vocabulary, point=True).items()})
    return Layer(t(entry.layer_title, lang), kind, frame, style, [(t(entry.state_label, lang), "state"), *fields],
                 entry.place_layers, radius=8 if only_points else 7, show=show)


def place_layer(kind: str, view: gpd.GeoDataFrame, lang: str, show: bool = True) -> Layer:
    """Any kind of place's layer: its places' state, zone, and whom to call when its layer says (a market, a park)."""
    calls = [column for column in ("contact", "phone") if column in view]
    columns = {"zone": _values(view["zone_name"]), **{column: _values(view[column]) for column in calls}}
    fields = [(t("col_zone", lang), "zone"), *((header(column, kind, lang), column) for column in calls)]
    return _kind_layer(kind, view, lang, columns, fields, show)


def compound_layer(view: gpd.GeoDataFrame, lang: str, show: bool = True) -> Layer:
    columns = {"zone": _values(view["zone_name"]), "residents": _values(view["residents"]),
               "fever": _values(view["fever_reports"])}
    fields = [(t("col_zone", lang), "zone"), (t("col_residents", lang), "residents"),
              (t("col_fever_reports", lang), "fever")]
    return _kind_layer("compounds", view, lang, columns, fields, show)


def site_layer(view: gpd.GeoDataFrame, lang: str, show: bool = True) -> Layer:
    ledger = view["health_ledger"].astype(object)
    columns = {"workers": _values(view["workers_returned"]) + " / " + _values(view["workers_total"]),
               "ledger": map_distinct(ledger, lambda c: vocab.label("yes_no", str(c), lang), missing="—"),
               "zone": _values(view["zone_name"])}
    fields = [(t("col_workers", lang), "workers"), (t("col_health_ledger", lang), "ledger"),
              (t("col_zone", lang), "zone")]
    return _kind_layer("sites", view, lang, columns, fields, show)


def supply_layer(view: gpd.GeoDataFrame, lang: str, show: bool = True) -> Layer:
    items = {code: vocab.label("item", code, lang) for code in vocab.codes("item")}
    short = map_distinct(view["short_items"], lambda s: ", ".join(items.get(c, c) for c in str(s).split(",") if c)
                         or "—", missing="—")
    days = pd.to_numeric(view["min_days"], errors="coerce").astype(float).round(1)
    columns = {"days": _values(days, t("unit_days", lang)), "short": short}
    fields = [(t("col_min_days", lang), "days"), (t("col_short_items", lang), "short")]
    return _kind_layer("supplies", view, lang, columns, fields, show)


#: Kinds whose layer tells more than state and zone; every other kind's is :func:`place_layer`.
OWN_LAYERS = {"compounds": compound_layer, "sites": site_layer, "supplies": supply_layer}


def layer_of(kind: str, view: gpd.GeoDataFrame, lang: str, show: bool = True) -> Layer:
    """The map layer of the kind of place ``kind`` from its view (see :func:`geo.analysis.kind_view.view_of`)."""
    own = OWN_LAYERS.get(kind)
    return own(view, lang, show) if own else place_layer(kind, view, lang, show)


def kind_legend(kind: str, view: gpd.GeoDataFrame, lang: str, limits: Thresholds | None = None) -> Legend:
    """The legend of the kind of place ``kind``: its title, every state and how many places are in it (the
    supply levels with their days of cover by ``limits``)."""
    entry = kinds.kind(kind)
    return category_legend(t(entry.legend, lang), entry.vocabulary, view["category"], lang, (kind,), limits)


def kind_legends(names, views: Mapping[str, pd.DataFrame], lang: str,
                 limits: Thresholds | None = None) -> list[Legend]:
    """The legends of several kinds of places on one map: kinds sharing a legend and a vocabulary (markets,
    sales offices, agencies and parks: open or closed) share one, counting the places of all of them."""
    groups: dict[tuple, list[str]] = {}
    for name in names:
        entry = kinds.kind(name)
        groups.setdefault((entry.legend, entry.vocabulary), []).append(name)
    return [category_legend(t(legend, lang), vocabulary, pd.concat([views[n]["category"] for n in group]), lang,
                            tuple(group), limits) for (legend, vocabulary), group in groups.items()]


def zone_outline_layer(zones: gpd.GeoDataFrame, lang: str) -> Layer:
    """Zone boundaries as context on every map: visible with no base map, never in the way of a click."""
    frame = pd.DataFrame({"id": zones["id"].astype(str).to_numpy(), "category": "outline"})
    return Layer(t("layer_zone_outlines", lang), "outlines", frame,
                 {"outline": {"color": "#546e7a", "weight": 1.5, "fill": False, "opacity": 0.8}},
                 places=("zones",), interactive=False, tooltips=False)


def zone_outlines(zones: gpd.GeoDataFrame, lang: str) -> list[Layer]:
    """The zones' outlines (:func:`zone_outline_layer`), or no layer at all for a city without zone shapes:
    an empty line in the layer control helps nobody."""
    return [zone_outline_layer(zones, lang)] if len(zones) else []


def zone_choropleth(zones: gpd.GeoDataFrame, metric_code: str, lang: str,
                    top: float | None = None) -> tuple[Layer, Legend]:
    """Zones shaded by five equal-interval classes of a metric; zones without data are 'missing'.

    ``top``: the metric's peak over every report date for these zones (:func:`geo.analysis.zones.zone_peaks`),
    so that the classes, and the legend that states them, are the same on every date of the view.
    """
    chosen = metric(metric_code)
    values = zones[metric_code]
    unit = chosen.unit
    frame = pd.DataFrame({"id": zones["id"].astype(str), "category": classify(values, unit=unit, top=top),
                          "value": _values(values, unit), "street": _values(zones["street"]),
                          "leader": _values(zones["leader"])})
    fields = [(chosen.label(lang), "value"), (t("col_street", lang), "street"),
              (t("col_leader", lang), "leader")]
    style = {f"c{i + 1}": {"color": "#37474f", "weight": 1.2, "fillColor": color, "fillOpacity": 0.8}
             for i, color in enumerate(CLASS_COLORS)}
    style[MISSING] = style_for("report", MISSING)
    breaks = class_breaks(values, unit=unit, top=top)
    counts = frame["category"].value_counts()
    entries = []
    for i, upper in enumerate(breaks):
        # a share runs on from the last bound (20–40%); a count starts at the next whole number (11–20)
        start = 0 if i == 0 else breaks[i - 1] + (0 if unit == "%" else 1)
        shown = f"{upper:g}" if start == upper else f"{start:g}–{upper:g}"
        entries.append(LegendEntry(f"{shown}{unit}", CLASS_COLORS[i], int(counts.get(f"c{i + 1}", 0))))
    entries.append(LegendEntry(t("legend_no_data", lang), MISSING_COLOR, int(counts.get(MISSING, 0)), dashed=True))
    legend = Legend(chosen.label(lang), entries)
    return Layer(t("layer_zones", lang), "zones", frame, style, fields, ("zones",)), legend


#: Colour of what an upload would change, on the preview map only (no status uses it).
HIGHLIGHT = "#00b8d4"


#: A place of an upload's warned row on the preview map.
WARNED = "#d50000"


def highlight_layer(places: pd.DataFrame, changed: set[str], lang: str,
                    sources: tuple[str, ...] = (), warned: set[str] = frozenset()) -> tuple[Layer, Legend]:
    """Places an upload would change, highlighted, those of its ``warned`` rows in red; the others quiet grey.

    ``sources`` names the dataset layers that hold the places' shapes; without
    it ``places`` brings its own ``geometry`` and ``name`` (an uploaded layer).

    >>> from shapely import Point
    >>> places = pd.DataFrame({"id": ["S1", "S2", "S3"], "geometry": [Point(0, 0)] * 3})
    >>> layer, legend = highlight_layer(places, {"S1", "S2"}, "zh", warned={"S2"})
    >>> layer.frame["category"].tolist(), [(e.label, e.count) for e in legend.entries]
    (['changed', 'warned', 'same'], [('将变化', 1), ('将变化，需核实（见上方警告）', 1), ('不变', 1)])
    >>> [k for k in layer.styles if not k.startswith("pt_")]  # the order they are drawn in: the last on top
    ['same', 'changed', 'warned']
    >>> layer.fields, layer.frame["change"].iloc[0]  # the tooltip: "本次导入：将变化"
    ([('本次导入', 'change')], '将变化')
    """
    ids = places["id"].astype(str)
    category = pd.Series(np.select([ids.isin(warned).to_numpy(), ids.isin(changed).to_numpy()],
                                   ["warned", "changed"], "same"), index=places.index)
    labels = {"changed": t("upload_changed", lang), "warned": t("upload_warned", lang), "same": t("upload_same", lang)}
    frame = places.assign(id=places["id"].astype(str), category=category, change=category.map(labels))
    if sources:
        frame = pd.DataFrame(frame[["id", "category", "change"]])
    # drawn in this order: the places that stay under those the upload changes, and the warned ones on top
    styles = {"same": {"color": "#9e9e9e", "weight": 1, "fillColor": "#e0e0e0", "fillOpacity": 0.4},
              "changed": {"color": HIGHLIGHT, "weight": 3, "fillColor": HIGHLIGHT, "fillOpacity": 0.7},
              "warned": {"color": WARNED, "weight": 3, "fillColor": WARNED, "fillOpacity": 0.8},
              "pt_same": {"color": "#ffffff", "weight": 1, "fillColor": "#bdbdbd", "fillOpacity": 0.8},
              "pt_changed": {"color": "#ffffff", "weight": 2, "fillColor": HIGHLIGHT, "fillOpacity": 1},
              "pt_warned": {"color": "#ffffff", "weight": 2, "fillColor": WARNED, "fillOpacity": 1}}
    counts = category.value_counts()
    legend = Legend(t("upload_preview", lang), [
        LegendEntry(t("upload_changed", lang), HIGHLIGHT, int(counts.get("changed", 0))),
        *([LegendEntry(t("upload_warned", lang), WARNED, int(counts["warned"]))] if "warned" in counts else []),
        LegendEntry(t("upload_same", lang), "#e0e0e0", int(counts.get("same", 0))),
    ])
    return Layer(t("upload_preview", lang), "preview", frame, styles, [(t("upload_preview_tip", lang), "change")],
                 sources), legend


#: How a place with open problems is marked: a ring round it (its own colour still shows), red when one is overdue.
PROBLEM_COLORS = {"overdue": "#d50000", "open": "#ff6d00"}


def problem_layer(open_places: pd.DataFrame, lang: str, show: bool = True) -> Layer:
    """The places with open problems (:func:`geo.analysis.tasks.open_by_place`), each ringed, red when one of its
    problems is overdue, with their counts in the tooltip. Drawn from the places' own packs: no shape is sent
    again, and a change of the problems is a change of statuses only."""
    overdue = open_places["overdue"].astype(int)
    counts = [t("problem_counts", lang, open=int(n), overdue=int(late))
              for n, late in zip(open_places["open"], overdue)]
    frame = pd.DataFrame({"id": open_places["place_id"].astype(str).to_numpy(),
                          "category": np.where(overdue > 0, "overdue", "open"), "problems": counts})
    style = {}
    for code, color in PROBLEM_COLORS.items():
        style[code] = {"color": color, "weight": 4 if code == "overdue" else 3, "opacity": 1, "fill": False}
        style[f"pt_{code}"] = {**style[code], "weight": 3}
    places = tuple(dict.fromkeys(kinds.kind(name).layer for name in inspected_kinds()))
    return Layer(t("layer_problems", lang), "problems", frame, style, [(t("col_open_problems", lang), "problems")],
                 places, radius=12, show=show)


def problem_legend(open_places: pd.DataFrame, lang: str) -> Legend:
    """The problems layer's legend: places with an overdue problem, and with open ones all still in time."""
    late = int((open_places["overdue"] > 0).sum())
    return Legend(t("legend_problems", lang), [
        LegendEntry(t("legend_problems_overdue", lang), PROBLEM_COLORS["overdue"], late),
        LegendEntry(t("legend_problems_open", lang), PROBLEM_COLORS["open"], len(open_places) - late)], ("problems",))


#: Where a photo of a problem or its fix was taken (from its EXIF), as a small blue dot.
PHOTO_STYLE = {"color": "#ffffff", "weight": 1.5, "fillColor": "#1e88e5", "fillOpacity": 0.95}


def photo_layer(located: pd.DataFrame, problems: pd.DataFrame, lang: str, show: bool = True) -> Layer:
    """The photos that say where they were taken (:func:`geo.store.located_photos`), each a dot with its
    problem's place and words in the tooltip: a fix photographed far from its place shows at a glance.
    The dots bring their own positions (WGS-84), not the places' packs."""
    about = problems.set_index("id")
    known = located.loc[located["problem_id"].isin(about.index)]
    rows = about.loc[known["problem_id"]]
    frame = gpd.GeoDataFrame({
        "id": [f"photo-{i}" for i in known["id"]], "category": "photo",
        "name": rows["place_name"].astype(str).to_numpy(),
        "problem": (rows["description"].astype(str).str.slice(0, 60)).to_numpy(),
        "state": [vocab.label("problem_state", state, lang) for state in rows["state"]],
    }, geometry=gpd.points_from_xy(known["lon"], known["lat"]), crs="EPSG:4326")
    return Layer(t("layer_photos", lang), "photos", frame, {"photo": PHOTO_STYLE, "pt_photo": PHOTO_STYLE},
                 [(t("col_problem", lang), "problem"), (t("col_problem_state", lang), "state")], radius=6,
                 show=show)
