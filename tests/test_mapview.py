"""Map building: offline assets, escaping, styles by category, base maps and datums."""

import json

import geopandas as gpd
from shapely import Point, box

from geo.layers import category_legend, compound_layer, site_layer, style_for, zone_outline_layer
from geo.mapview import Layer, build_map, feature_collection, overlay_datum
from geo.status import compound_view, site_view

XSS = "<img src=x onerror=alert(1)>"


def _html(m):
    return m.get_root().render()


def test_map_requests_nothing_from_outside(tiny):
    view = compound_view(tiny, "2020-02-25")
    m = build_map([compound_layer(view, "zh")], {"basemap": "none"})
    html = _html(m)
    assert "/app/static/vendor/leaflet/leaflet.js" in html
    for cdn in ("cdn.jsdelivr.net", "cdnjs", "code.jquery.com", "bootstrapcdn", "googleapis"):
        assert cdn not in html


def test_every_value_reaching_the_page_is_escaped(tiny):
    view = compound_view(tiny, "2020-02-25")
    m = build_map([compound_layer(view, "zh")], {"basemap": "none"},
                  [category_legend(XSS, "closure", view["category"], "zh")])
    html = _html(m)
    assert XSS not in html
    assert "<img" not in html
    collection = json.loads(feature_collection(compound_layer(view, "zh").frame))
    tip = next(f["properties"]["t"] for f in collection["features"] if f["properties"]["id"] == "0502")
    assert "&lt;img src=x onerror=alert(1)&gt;" in tip


def test_script_cannot_be_closed_from_data():
    frame = gpd.GeoDataFrame({"id": ["</script><script>alert(1)</script>"], "category": ["open"],
                              "tip": ["x"]}, geometry=[Point(114.3, 29.8)], crs=4326)
    assert "</script>" not in feature_collection(frame)


def test_styles_are_one_table_per_layer_not_one_per_feature(tiny):
    view = compound_view(tiny, "2020-02-25")
    html = _html(build_map([compound_layer(view, "zh")], {"basemap": "none"}))
    assert html.count('"fillColor": "#d32f2f"') == 1  # sealed appears once, however many sealed compounds


def test_missing_is_grey_and_dashed_on_every_layer():
    assert style_for("closure", "missing") == style_for("resumption", "missing")
    assert style_for("closure", "missing")["dashArray"]


def test_amap_base_map_shifts_overlays_to_gcj02():
    frame = gpd.GeoDataFrame({"id": ["a"], "category": ["open"], "tip": [""]},
                             geometry=[Point(114.3, 29.8)], crs=4326)
    wgs = json.loads(feature_collection(frame, "wgs84"))["features"][0]["geometry"]["coordinates"]
    gcj = json.loads(feature_collection(frame, "gcj02"))["features"][0]["geometry"]["coordinates"]
    assert 0.003 < abs(gcj[0] - wgs[0]) < 0.01  # a few hundred metres
    assert overlay_datum({"basemap": "amap"}) == "gcj02"
    assert overlay_datum({"basemap": "osm"}) == "wgs84"


def test_base_map_settings_choose_the_tiles():
    frame = gpd.GeoDataFrame({"id": ["z"], "category": ["outline"], "tip": [""]}, geometry=[box(0, 0, 1, 1)], crs=4326)
    layer = Layer("z", "zones", frame, {"outline": {}})
    assert "autonavi" in _html(build_map([layer], {"basemap": "amap"}))
    assert "tile.openstreetmap.org" in _html(build_map([layer], {"basemap": "osm"}))
    assert "tk=KEY" in _html(build_map([layer], {"basemap": "tianditu", "tianditu_key": "KEY"}))
    custom = _html(build_map([layer], {"basemap": "custom", "tile_url": "http://tiles.local/{z}/{x}/{y}.png"}))
    assert "tiles.local" in custom
    none = _html(build_map([layer], {"basemap": "none"}))
    assert "L.tileLayer" not in none


def test_layer_control_and_hidden_layers(tiny):
    compounds = compound_view(tiny, "2020-02-25")
    sites = site_view(tiny, "2020-02-25")
    layers = [zone_outline_layer(tiny.zones, "zh"), compound_layer(compounds, "zh"), site_layer(sites, "zh", show=False)]
    html = _html(build_map(layers, {"basemap": "none"}))
    assert "L.control.layers" in html
    assert "\\u5728\\u5efa\\u5de5\\u5730" in html  # the sites layer is listed, JSON-escaped
