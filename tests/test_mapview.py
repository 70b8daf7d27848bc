"""Map building: offline assets, escaping, styles by category, base maps and datums."""

import json

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import Point, box

from geo.analysis.views import compound_view, site_view
from geo.domain import MISSING
from geo.maps import (
    Layer,
    Legend,
    LegendEntry,
    MapUpdate,
    Source,
    assets,
    base_map,
    inline_sources,
    layer_state,
    map_update,
    overlay_datum,
)
from geo.maps.fastlayer import FastLayer
from geo.maps.layers import category_legend, compound_layer, site_layer, style_for, styles, zone_outline_layer
from geo.maps.pack import Pack, decode_ints, pack_places
from geo.settings import Settings

XSS = "<img src=x onerror=alert(1)>"


def _html(m):
    return m.get_root().render()


def build_map(layers, settings, legends=None):
    """A whole map in one page: the base map with the places' shapes embedded, its update inside."""
    datum = overlay_datum(settings)
    sources = {layer.key: inline_sources(layer, datum) for layer in layers}
    totals = np.array([layer.frame.total_bounds for layer in layers])
    bounds = (totals[:, 0].min(), totals[:, 1].min(), totals[:, 2].max(), totals[:, 3].max())
    m = base_map(layers, sources, settings, bounds)
    map_update(layers, sources, legends, datum=datum).add_to(m)
    return m


def _with_shapes(layer, places):
    """A page layer with its places' shapes and names attached, as :func:`build_map` embeds them."""
    layer.frame = gpd.GeoDataFrame(layer.frame.merge(places[["id", "name", "geometry"]], on="id"),
                                   geometry="geometry", crs=4326)
    return layer


def test_map_requests_nothing_from_outside(tiny):
    view = compound_view(tiny, "2020-02-25")
    m = build_map([_with_shapes(compound_layer(view, "zh"), tiny.compounds)], Settings(basemap="none"))
    html = _html(m)
    assert "/app/static/cache/cmdmap-map-" in html  # Leaflet with our scripts, as one file
    for cdn in ("cdn.jsdelivr.net", "cdnjs", "code.jquery.com", "bootstrapcdn", "googleapis"):
        assert cdn not in html


def test_leaflet_and_our_scripts_reach_a_map_as_one_file_in_their_order():
    (url,) = [u for _, u in assets.map_scripts()]
    text = (assets.STATIC_DIR / url.removeprefix("/app/static/")).read_text(encoding="utf-8")
    assert text.index('t.version="1.9.4"') < text.index("root.cmdmapDecode = ") < text.index("L.CmdmapLayer = L.Canvas")
    assert "sourceMappingURL" not in text  # the source maps are not served


def test_where_the_cache_cannot_be_written_the_scripts_load_one_by_one(tmp_path, monkeypatch):
    for part in ("cmdmap/a.js", "cmdmap/b.js"):
        (tmp_path / part).parent.mkdir(exist_ok=True)
        (tmp_path / part).write_text(f"var {part[7]} = 1;\n//# sourceMappingURL=x.map\n", encoding="utf-8")
    monkeypatch.setattr(assets, "STATIC_DIR", tmp_path)
    url = assets.bundle("both", ("cmdmap/a.js", "cmdmap/b.js"))
    assert url.startswith("/app/static/cache/both-") and assets.bundle("both", ("cmdmap/a.js", "cmdmap/b.js")) == url
    assert (tmp_path / "cache" / url.rsplit("/", 1)[1]).read_text() == "var a = 1;\n\n;\nvar b = 1;\n"
    (tmp_path / "cache").rename(tmp_path / "old")
    (tmp_path / "cache").write_text("not a folder")
    assert assets.bundle("both", ("cmdmap/a.js", "cmdmap/b.js")) is None


def test_every_value_reaching_the_page_is_escaped(tiny):
    view = compound_view(tiny, "2020-02-25")
    layer = _with_shapes(compound_layer(view, "zh"), tiny.compounds)
    m = build_map([layer], Settings(basemap="none"), [category_legend(XSS, "closure", view["category"], "zh")])
    html = _html(m)
    assert XSS not in html
    assert "<img" not in html
    assert "\\u003cimg src=x onerror=alert(1)>" in html  # the name of 0502, as JSON text the browser shows as typed
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # the legend title, escaped HTML


def test_script_cannot_be_closed_from_data():
    frame = gpd.GeoDataFrame({"id": ["</script><script>alert(1)</script>"], "name": ["</script>"],
                              "category": ["open"], "n": ["</script>"]}, geometry=[Point(114.3, 29.8)], crs=4326)
    assert "</script>" not in pack_places(frame).text
    layer = Layer("x", "sites", frame, {"open": {}}, [("n", "n")])
    assert "</script>" not in MapUpdate({"states": [layer_state(layer, [Pack(frame["id"].to_numpy(), "", "p")])]}).message


def test_styles_are_one_table_per_layer_not_one_per_feature(tiny):
    view = compound_view(tiny, "2020-02-25")
    html = _html(build_map([_with_shapes(compound_layer(view, "zh"), tiny.compounds)], Settings(basemap="none")))
    # sealed appears once for an area and once for a point, however many sealed compounds
    assert html.count('"fillColor": "#d32f2f"') == 2


def test_missing_is_grey_and_dashed_on_every_layer():
    assert style_for("closure", "missing") == style_for("resumption", "missing")
    assert style_for("closure", "missing")["dashArray"]


def test_amap_base_map_shifts_overlays_to_gcj02():
    frame = gpd.GeoDataFrame({"id": ["a"], "name": ["a"]}, geometry=[Point(114.3, 29.8)], crs=4326)
    wgs = decode_ints(json.loads(pack_places(frame, "wgs84").text)["xy"])
    gcj = decode_ints(json.loads(pack_places(frame, "gcj02").text)["xy"])
    assert 300 < abs(gcj[0] - wgs[0]) < 1000  # a few hundred metres, in 1e-5 degrees
    assert overlay_datum(Settings(basemap="amap")) == "gcj02"
    assert overlay_datum(Settings(basemap="osm")) == "wgs84"


def test_base_map_settings_choose_the_tiles():
    frame = gpd.GeoDataFrame({"id": ["z"], "category": ["outline"]}, geometry=[box(0, 0, 1, 1)], crs=4326)
    layer = Layer("z", "zones", frame, {"outline": {}})
    assert "autonavi" in _html(build_map([layer], Settings(basemap="amap")))
    assert "tile.openstreetmap.org" in _html(build_map([layer], Settings(basemap="osm")))
    assert "tk=KEY" in _html(build_map([layer], Settings(basemap="tianditu", tianditu_key="KEY")))
    custom = _html(build_map([layer], Settings(basemap="custom", tile_url="http://tiles.local/{z}/{x}/{y}.png")))
    assert "tiles.local" in custom
    none = _html(build_map([layer], Settings(basemap="none")))
    assert "L.tileLayer" not in none


def test_layer_control_and_hidden_layers(tiny):
    compounds = compound_view(tiny, "2020-02-25")
    sites = site_view(tiny, "2020-02-25")
    layers = [_with_shapes(zone_outline_layer(tiny.zones, "zh"), tiny.zones.assign(name=tiny.zones["name"])),
              _with_shapes(compound_layer(compounds, "zh"), tiny.compounds),
              _with_shapes(site_layer(sites, "zh", show=False), tiny.sites)]
    html = _html(build_map(layers, Settings(basemap="none")))
    assert "L.control.layers" in html
    assert "\\u5728\\u5efa\\u5de5\\u5730" in html  # the sites layer is listed, JSON-escaped
    assert html.count("/app/static/cache/cmdmap-map-") == 1


def test_state_is_in_pack_order_and_hides_what_is_filtered_out():
    layer = Layer("小区", "compounds", pd.DataFrame({"id": ["c", "a"], "category": ["sealed", "odd"],
                                                    "zone": ["一片区", "一片区"]}),
                  {"open": {}, "sealed": {}}, [("片区", "zone")], highlight=frozenset({"c"}))
    state = layer_state(layer, [Pack(np.array(["a", "b"]), "", "ab"), Pack(np.array(["c"]), "", "c")])
    assert state["cats"] == ["open", "sealed", "odd"]  # a category without a style is still drawn
    assert decode_ints(state["c"]).tolist() == [2, -1, 1]  # b is filtered out
    assert state["h"] == [2]
    (label, column), = state["fields"]
    assert label == "片区"
    assert [column["d"][i] if i >= 0 else "" for i in decode_ints(column["i"])] == ["一片区", "", "一片区"]


def test_a_glimpse_is_the_update_without_tooltips_or_extent():
    """Issue #19: what a time line step shows at once (static/cmdmap/timeline.js): the statuses and the legend of
    the update, escaped the same way."""
    layer = Layer("小区", "compounds", pd.DataFrame({"id": ["a"], "category": ["sealed"], "zone": [XSS]}),
                  {"open": {}, "sealed": {}}, [("片区", "zone")])
    sources = {"compounds": [Source(Pack(np.array(["a", "b"]), "", "ab"))]}
    legend = Legend("</script>", [LegendEntry("封闭", "#f00", 1)])
    update = map_update([layer], sources, [legend], fit=("", None))
    full, glimpse = json.loads(update.message), json.loads(update.glimpse)
    assert glimpse == {"states": [{k: v for k, v in state.items() if k != "fields"} for state in full["states"]],
                       "legend": full["legend"]}
    assert decode_ints(glimpse["states"][0]["c"]).tolist() == [1, -1] and "fit" in full and "fit" not in glimpse
    assert XSS not in update.glimpse and "</script>" not in update.glimpse


def test_template_syntax_in_data_is_text_not_jinja():
    """Names and tooltip values reach the page as typed: never run, nor a broken page, by Jinja."""
    import folium
    from streamlit_folium import _get_feature_group_string

    frame = gpd.GeoDataFrame({"id": ["a"], "name": ["{{ 7*7 }}"], "category": ["open"],
                              "zone": ["{% bad {{ 6*7 }}"]}, geometry=[box(0, 0, 1, 1)], crs=4326)
    layer = Layer("小区", "compounds", frame, {"open": {}}, [("片区", "zone")])
    html = _html(build_map([layer], Settings(basemap="none")))
    assert "{{ 7*7 }}" in html and "{% bad {{ 6*7 }}" in html
    sources = {"compounds": inline_sources(layer, "wgs84")}
    m = base_map([layer], sources, Settings(basemap="none"))
    m.get_root().render()
    group = folium.FeatureGroup(name="update")
    map_update([layer], sources).add_to(group)
    assert "{% bad {{ 6*7 }}" in _get_feature_group_string(group, m)


def test_distinct_tooltip_values_go_as_a_list_in_pack_order():
    layer = Layer("小区", "compounds", pd.DataFrame({"id": ["c", "a", "x"], "category": ["open"] * 3,
                                                    "n": [3, 1, 9]}), {"open": {}}, [("人数", "n")])
    state = layer_state(layer, [Pack(np.array(["a", "b", "c"]), "", "abc")])  # x has no shape: not drawn
    assert state["fields"] == [["人数", ["1", "", "3"]]]
    assert decode_ints(state["c"]).tolist() == [0, -1, 0]


def test_a_map_without_tiles_has_a_zoom_limit_so_one_point_can_be_fitted():
    """basemap=none: Leaflet had no maxZoom, and fitting a single place's bounds zoomed to Infinity (NaN)."""
    frame = gpd.GeoDataFrame({"id": ["S1"], "name": ["工地"], "category": ["resumed"]},
                             geometry=[Point(114.31, 29.84)], crs=4326)
    layer = Layer("工地", "sites", frame, {"resumed": {}})
    m = base_map([layer], {"sites": inline_sources(layer, "wgs84")}, Settings(basemap="none"),
                 bounds=(114.31, 29.84, 114.31, 29.84))
    html = _html(m)
    assert '"maxZoom": 18' in html
    assert "fitBounds" in html and "Infinity" not in html


def test_a_map_brings_its_phone_gestures_in_the_pages_language_and_its_own_style_sheet():
    """On a phone one finger scrolls the page and two move the map (static/cmdmap/phone.js, tried in
    tests/test_browser_phone.py); its hint and the legend's button speak the page's language."""
    frame = gpd.GeoDataFrame({"id": ["S1"], "name": ["工地"], "category": ["resumed"]},
                             geometry=[Point(114.31, 29.84)], crs=4326)
    layer = Layer("工地", "sites", frame, {"resumed": {}})
    sources = {"sites": inline_sources(layer, "wgs84")}
    chinese = _html(base_map([layer], sources, Settings(basemap="none")))
    english = _html(base_map([layer], sources, Settings(basemap="none"), lang="en"))
    assert "L.cmdmapPhone(" in chinese and "两指移动地图" in chinese and '"legend": "图例"' in chinese
    assert "Use two fingers to move the map" in english and "两指移动地图" not in english
    assert "/app/static/cmdmap/map.css?v=" in chinese
    (url,) = [u for _, u in assets.map_scripts()]
    bundled = (assets.STATIC_DIR / url.removeprefix("/app/static/")).read_text(encoding="utf-8")
    assert bundled.index("L.CmdmapLayer = L.Canvas") < bundled.index("L.cmdmapPhone = function")


def test_a_place_named_twice_shows_its_last_row_whether_the_rows_are_many_or_a_few():
    pack = Pack(np.array([f"p{i}" for i in range(40)], dtype=object), "", "forty")
    styles = {"open": {}, "sealed": {}}
    many = pd.DataFrame({"id": [f"p{i}" for i in range(40)] + ["p3", "nowhere"],
                         "category": ["open"] * 40 + ["sealed", "sealed"]})
    few = pd.DataFrame({"id": ["p3", "p1", "p3", "nowhere"], "category": ["open", "sealed", "sealed", "open"]})
    codes = decode_ints(layer_state(Layer("小区", "compounds", many, styles), [pack])["c"])
    assert codes[3] == 1 and (np.delete(codes, 3) == 0).all()
    codes = decode_ints(layer_state(Layer("小区", "compounds", few, styles), [pack])["c"])  # a filter's few rows
    assert codes[[1, 3]].tolist() == [1, 1] and (np.delete(codes, [1, 3]) == -1).all()


def test_a_map_of_many_places_keeps_a_few_bytes_an_id_of_its_packs():
    """A million compounds' map kept an index of its packs' ids, with its hash table and each id made a Python
    string again: 160 MB of the server's memory (bench/warm_memory.py)."""
    import gc
    import tracemalloc

    import pyarrow

    n = 200_000
    ids = np.array([f"XQ-{i:07d}" for i in range(n)], dtype=object)
    layer = Layer("小区", "compounds", pd.DataFrame({"id": pd.array(ids, dtype="str"), "category": "open"}),
                  {"open": {}})
    gc.collect()
    tracemalloc.start()
    arrow = pyarrow.total_allocated_bytes()
    try:
        state = layer_state(layer, [Pack(ids, "", "many")])
        del state
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] + pyarrow.total_allocated_bytes() - arrow
    finally:
        tracemalloc.stop()
    assert kept < 30 * n


def test_a_layers_states_are_drawn_mildest_first_and_the_unreported_under_all():
    # the page's script sorts the styles table's keys (jinja's tojson): the order it draws by is sent apart
    frame = gpd.GeoDataFrame({"id": ["C1"], "name": ["金桂花园"], "category": ["sealed"]},
                             geometry=[box(0, 0, 1, 1)], crs=4326)
    layer = Layer("小区", "compounds", frame, styles("closure"))
    assert FastLayer(layer, []).order == [MISSING, "open", "controlled", "sealed"]
    html = _html(base_map([layer], {"compounds": inline_sources(layer, "wgs84")}, Settings(basemap="none")))
    assert f'order: {json.dumps([MISSING, "open", "controlled", "sealed"])}' in html
