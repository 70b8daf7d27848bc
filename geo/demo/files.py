"""Writing the demo's files with stable bytes: GeoJSON one feature a line, CSV without a BOM.

The same data always give the same bytes (compact JSON with Chinese kept as is,
``\\n`` line ends, coordinates in their shortest repr), so the shipped demo can be
regenerated and diffed; big layers and tables are written in chunks to bound memory.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping

from geo.demo.places import Layer


def to_json(value) -> str:
    """Compact JSON text, Chinese kept as is.

    >>> to_json({"name": "咸安区", "adcode": 421202})
    '{"name":"咸安区","adcode":421202}'
    """
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def geometry_texts(geometries) -> list[str]:
    """GeoJSON geometry text of each geometry, coordinates as stored (shortest repr).

    Points and polygons without holes take a fast vectorised path (100,000
    compounds in about a second); anything else goes through
    :func:`shapely.geometry.mapping`.
    """
    geometries = np.asarray(geometries, dtype=object)
    kinds = shapely.get_type_id(geometries)
    if (kinds == shapely.GeometryType.POINT).all():
        return [f'{{"type":"Point","coordinates":{to_json(xy)}}}'
                for xy in shapely.get_coordinates(geometries).tolist()]
    if (kinds == shapely.GeometryType.POLYGON).all() and not shapely.get_num_interior_rings(
            geometries).any():
        coords = shapely.get_coordinates(geometries).tolist()
        ends = np.cumsum(shapely.get_num_coordinates(geometries)).tolist()
        return [f'{{"type":"Polygon","coordinates":[{to_json(coords[a:b])}]}}'
                for a, b in zip([0] + ends[:-1], ends)]
    return [to_json(mapping(g)) for g in geometries]


def feature_texts(properties: pd.DataFrame, geometries) -> list[str]:
    """One GeoJSON feature text per row: properties in column order, then geometry."""
    names = list(properties.columns)
    columns = [properties[name].tolist() for name in names]
    return [
        f'{{"type":"Feature","properties":{to_json(dict(zip(names, values)))},"geometry":{g}}}'
        for values, g in zip(zip(*columns), geometry_texts(geometries))
    ]


def write_feature_collection(path: Path, features, origin: str | None = None) -> None:
    """Write a GeoJSON FeatureCollection, one feature per line (UTF-8, stable bytes).

    ``features`` is an iterable of lists of feature texts (chunks, to bound the
    memory of big cities). ``origin``, when given, is written as a top-level
    ``"origin"`` member that names where the data come from.
    """
    head = {"type": "FeatureCollection"} if origin is None else {
        "type": "FeatureCollection", "origin": origin}
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(to_json(head)[:-1] + ',"features":[')
        separator = "\n"
        for chunk in features:
            if chunk:
                f.write(separator + ",\n".join(chunk))
                separator = ",\n"
        f.write("\n]}\n")


def write_layer(path: Path, layer: Layer, origin: str | None = None, chunk: int = 10_000) -> None:
    """Write a geometry layer as GeoJSON, ``chunk`` features at a time."""
    write_feature_collection(path, (
        feature_texts(layer.properties.iloc[start:start + chunk],
                      layer.geometry[start:start + chunk])
        for start in range(0, len(layer.geometry), chunk)
    ), origin)


def write_table_days(path: Path, frames) -> int:
    """Write day chunks of a status table to one CSV (UTF-8, no BOM); return the row count."""
    rows = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        for i, frame in enumerate(frames):
            frame.to_csv(f, header=i == 0, index=False, lineterminator="\n")
            rows += len(frame)
    return rows
