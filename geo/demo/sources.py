"""The real inputs of the demo city: the district boundary and its streets and towns.

They are kept in ``data/source/`` (:data:`SOURCE_DIR`), copied once from public data
by :func:`copy_sources` (``python -m geo.demo REALDATA_DIR``) with a README that
records their origin. :func:`read_boundary` and :func:`read_townships` read them for
:func:`geo.demo.city.write_city`; :func:`write_boundary` writes the boundary, converted
to WGS-84, beside the demo with its origin. Everything else in the demo is invented.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

from geo.demo.files import to_json, write_feature_collection, write_layer
from geo.demo.places import Layer, round_geometries
from geo.io import convert_geometries

#: Folder holding the real inputs, inside the project (not the output folder).
SOURCE_DIR = Path(__file__).resolve().parents[2] / "data" / "source"
BOUNDARY_SOURCE = "xianan_gcj02.geojson"
TOWNSHIP_SOURCE = "townships_xianan.csv"

DISTRICT = "咸安区"
DISTRICT_ADCODE = 421202

BOUNDARY_ORIGIN = (
    "anzhou99/GeoJsons : 421200_full.json @ ae3304715838d7d37de1e682434d146614237f11; "
    "Aliyun DataV GeoAtlas export"
)
CONVERTED_ORIGIN = BOUNDARY_ORIGIN + "; GCJ-02 converted to WGS-84 by geo.io.datum_convert"
TOWNSHIP_ORIGIN = (
    "xiangyuecn/AreaCity-JsSpider-StatsGov : src/采集到的数据/ok_data_level4.csv @ "
    "1ec058087376da33e086b2fe1691ea17b0e365bb; MIT licence; rows of 咸安区 (pid 421202)"
)

SOURCE_README = f"""# Real inputs of the demo city

Written by `geo.demo.sources.copy_sources` from public data; `geo.demo.city.write_city` reads
them to draw the demo city of `data/`. Do not edit by hand.

| file | origin | coordinates |
| --- | --- | --- |
| {BOUNDARY_SOURCE} | {BOUNDARY_ORIGIN}. Only the 咸安区 feature (adcode \
{DISTRICT_ADCODE}), properties `name` and `adcode` kept. | GCJ-02 |
| {TOWNSHIP_SOURCE} | {TOWNSHIP_ORIGIN}. Written without the BOM. | none |

The boundary in `data/boundary.geojson` is this one converted to WGS-84 by
`geo.io.datum_convert`; its `"origin"` member says so.
"""


def copy_sources(realdata_dir: Path, source_dir: Path = SOURCE_DIR) -> None:
    """Copy the real inputs of the demo into the project's ``data/source``.

    Parameters
    ----------
    realdata_dir : Path
        Folder holding ``421200_full.json`` and ``townships_xianan_liling.csv``.
    source_dir : Path
        Target folder (default ``data/source`` of the project).

    Notes
    -----
    Only the Xian'an feature is kept, with its ``name`` and ``adcode`` (the other
    properties are lists and dicts that break writers); the township table is
    cut to the 咸安区 rows (``pid`` 421202) and written without its BOM. A
    ``README.md`` beside them records their origin.
    """
    source_dir.mkdir(parents=True, exist_ok=True)
    collection = json.loads((realdata_dir / "421200_full.json").read_text(encoding="utf-8"))
    [feature] = [f for f in collection["features"]
                 if int(f["properties"]["adcode"]) == DISTRICT_ADCODE]
    properties = {"name": feature["properties"]["name"], "adcode": DISTRICT_ADCODE}
    text = to_json({"type": "Feature", "properties": properties, "geometry": feature["geometry"]})
    write_feature_collection(source_dir / BOUNDARY_SOURCE, [[text]], origin=BOUNDARY_ORIGIN)
    with open(realdata_dir / "townships_xianan_liling.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    kept = [rows[0]] + [row for row in rows[1:] if row[1] == str(DISTRICT_ADCODE)]
    with open(source_dir / TOWNSHIP_SOURCE, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(kept)
    (source_dir / "README.md").write_text(SOURCE_README, encoding="utf-8", newline="\n")


def read_boundary(source_dir: Path = SOURCE_DIR) -> shapely.Geometry:
    """The district boundary in WGS-84, coordinates rounded to :data:`DECIMALS`."""
    collection = json.loads((source_dir / BOUNDARY_SOURCE).read_text(encoding="utf-8"))
    gcj = shape(collection["features"][0]["geometry"])
    [wgs] = round_geometries(convert_geometries([gcj], "gcj02", "wgs84"))
    return wgs


def read_townships(source_dir: Path = SOURCE_DIR) -> pd.DataFrame:
    """Streets and towns of the district: columns ``street`` (ext_name) and ``short`` (name)."""
    table = pd.read_csv(source_dir / TOWNSHIP_SOURCE, dtype=str, encoding="utf-8-sig")
    table = table[table["pid"] == str(DISTRICT_ADCODE)]
    return pd.DataFrame({"street": table["ext_name"].to_numpy(),
                         "short": table["name"].to_numpy()})


def write_boundary(path: Path, boundary: shapely.Geometry) -> None:
    """The district boundary (WGS-84) with its origin."""
    properties = pd.DataFrame({"name": [DISTRICT], "adcode": [DISTRICT_ADCODE]})
    write_layer(path, Layer(properties, np.array([boundary], dtype=object)), CONVERTED_ORIGIN)
