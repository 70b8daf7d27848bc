"""Variants of the tiny city (``tests/conftest.py``) that real bureaus start from.

* :func:`write_point_city`: its compounds are points, as a list picked on a map gives them (most bureaus
  have no outlines); compound 0503 has no zone and lies in Z2, and compound 0504 lies outside both zones.
* :func:`write_unreported_city`: its layers only, before any daily report.
* :func:`write_zoneless_city`: compounds and sites with their reports, no zone shapes (and no zone named).
"""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.conftest import write_tiny_city

REPORTS = ("compound_status.csv", "site_status.csv", "supplies.csv")

#: Where the point city's compounds are: the centres of the tiny city's squares, and one outside every zone.
POINTS = {"0501": (114.302, 29.832), "0502": (114.306, 29.836), "0503": (114.326, 29.836)}
OUTSIDE = ("0504", "城外小区", (114.52, 29.95))  # 20 km out: the map opens far wider than one point


def _rewrite(path: Path, change) -> None:
    collection = json.loads(path.read_text(encoding="utf-8"))
    change(collection["features"])
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")


def write_point_city(folder: Path, mixed: bool = False) -> Path:
    """The tiny city with point compounds, plus 0504 outside every zone; ``mixed``: 0501 keeps its outline."""
    write_tiny_city(folder)

    def to_points(features):
        for feature in features:
            if not (mixed and feature["properties"]["id"] == "0501"):
                feature["geometry"] = {"type": "Point", "coordinates": list(POINTS[feature["properties"]["id"]])}
        fid, name, xy = OUTSIDE
        features.append({"type": "Feature", "properties": {"id": fid, "name": name, "address": "城外路9号",
                                                           "zone": "", "households": 40, "property_company": "Z"},
                         "geometry": {"type": "Point", "coordinates": list(xy)}})

    _rewrite(folder / "compounds.geojson", to_points)
    return folder


def write_unreported_city(folder: Path) -> Path:
    """The tiny city's layers, and not one daily report yet."""
    write_tiny_city(folder)
    for name in REPORTS:
        (folder / name).unlink()
    return folder


def write_zoneless_city(folder: Path) -> Path:
    """The tiny city's compounds, sites and reports with no zone shapes, and no zone named in a row."""
    write_tiny_city(folder)
    (folder / "zones.geojson").unlink()

    def no_zone(features):
        for feature in features:
            feature["properties"]["zone"] = ""

    for layer in ("compounds.geojson", "sites.geojson"):
        _rewrite(folder / layer, no_zone)
    return folder


def map_sent(at: AppTest) -> tuple[str, dict]:
    """A page's map as sent to the browser: its script (layers, styles, layer control) and its update
    (statuses, legend, extent)."""
    maps = [json.loads(e.proto.json_args) for e in at.get("component_instance")
            if e.proto.component_name == "streamlit_folium.st_folium"]
    assert len(maps) == 1
    update = maps[0]["feature_group"]
    start = update.index("cmdmap.update(") + len("cmdmap.update(")
    return maps[0]["script"], json.JSONDecoder().raw_decode(update[start:])[0]
