"""Variants of the tiny city (``tests/conftest.py``) that real bureaus start from.

* :func:`write_point_city`: its compounds are points, as a list picked on a map gives them (most bureaus
  have no outlines); compound 0503 has no zone and lies in Z2, and compound 0504 lies outside both zones.
* :func:`write_unreported_city`: its layers only, before any daily report.
* :func:`write_zoneless_city`: compounds and sites with their reports, no zone shapes (and no zone named).
* :func:`write_listed_city`: everything as lists, as a bureau keeps it: zones as names with a leader and a
  phone (no shapes), compounds as a GB18030 list (latitude first, no ids, zones by name) of which two have
  no position yet (待定位), and daily reports that name the compounds by name.
"""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo.accounts import auth
from geo.upload import open_city
from tests.conftest import write_tiny_city

REPORTS = ("compound_status.csv", "site_status.csv", "supplies.csv")

#: Where the point city's compounds are: the centres of the tiny city's squares, and one outside every zone.
POINTS = {"0501": (114.302, 29.832), "0502": (114.306, 29.836), "0503": (114.326, 29.836)}
OUTSIDE = ("0504", "城外小区", (114.41, 29.90))  # 9 km out (not so far as to be doubted): the map opens far wider than one point


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


#: The listed city's compounds without a position: (name, zone name or "").
UNPLACED = (("龙潭小区", "浮山街道第一片区"), ("待建小区", ""))


def write_listed_city(folder: Path) -> Path:
    """The tiny city as lists (see the module's docstring): ``zones.csv``, ``compounds.csv`` and the reports."""
    write_tiny_city(folder)
    (folder / "zones.geojson").unlink()
    (folder / "compounds.geojson").unlink()
    (folder / "zones.csv").write_bytes(
        "片区名称,区县,片区长,联系电话\r\n温泉街道第一片区,咸安区,张伟,13800000001\r\n"
        "浮山街道第一片区,咸安区,李娜,13800000002\r\n".encode("gb18030"))
    (folder / "compounds.csv").write_bytes(
        ("小区名称,地址,纬度,经度,所属网格,户数\r\n"
         "金桂花园,金桂路1号,29.832,114.302,温泉街道第一片区,300\r\n"
         "浮山小区,浮山路2号,29.836,114.326,浮山街道第一片区,80\r\n"
         + "".join(f"{name},,,,{zone},50\r\n" for name, zone in UNPLACED)).encode("gb18030"))

    def zone_by_name(features):
        names = {"Z1": "温泉街道第一片区", "Z2": "浮山街道第一片区"}
        for feature in features:
            feature["properties"]["zone"] = names[feature["properties"]["zone"]]

    _rewrite(folder / "sites.geojson", zone_by_name)
    (folder / "compound_status.csv").write_text(
        "小区名称,日期,封闭状态\n金桂花园,2020-02-25,封闭管理\n龙潭小区,2020-02-25,全封闭\n"
        "浮山小区,2020-02-25,未封闭\n", encoding="utf-8")
    (folder / "supplies.csv").unlink()
    return folder


def open_served(folder: Path, tmp_path: Path, monkeypatch, users: dict[str, str], **settings: str):
    """The city in ``folder`` in an SQLite store the pages read (no base map, the wall keeping its first view,
    ``settings`` as CMDMAP_ variables), with ``users`` (name to role, password "tulip-harbor-2020"); its engine."""
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    env = {"CMDMAP_DATA_DIR": str(folder), "CMDMAP_DATABASE_URL": url, "CMDMAP_BASEMAP": "none",
           "CMDMAP_WALL_ROTATE_SECONDS": "0", **{f"CMDMAP_{k.upper()}": v for k, v in settings.items()}}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    engine = open_city(url, folder)
    for name, role in users.items():
        auth.add_user(auth.SYSTEM, engine, name, role, "tulip-harbor-2020")
    return engine


def map_sent(at: AppTest) -> tuple[str, dict]:
    """A page's map as sent to the browser: its script (layers, styles, layer control) and its update
    (statuses, legend, extent)."""
    maps = [json.loads(e.proto.json_args) for e in at.get("component_instance")
            if e.proto.component_name == "streamlit_folium.st_folium"]
    assert len(maps) == 1
    update = maps[0]["feature_group"]
    start = update.index("cmdmap.update(") + len("cmdmap.update(")
    return maps[0]["script"], json.JSONDecoder().raw_decode(update[start:])[0]
