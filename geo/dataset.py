"""Load the six files of a city (three GeoJSON layers, three CSV tables) into one Dataset.

A missing or unreadable file never stops the others: it becomes an empty
table and a :class:`~geo.read.Problem`. Compounds and sites without a zone
get one by spatial join (see :func:`assign_zones`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.read import Problem, read_layer, read_table
from geo.schema import GEOMETRY_TABLES, STATUS_TABLES, TABLES


@dataclass
class Dataset:
    zones: gpd.GeoDataFrame
    compounds: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    compound_status: pd.DataFrame
    site_status: pd.DataFrame
    supplies: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    zones_assigned: int = 0  # places whose zone came from the spatial join

    def layer(self, kind: str):
        return getattr(self, kind)


def assign_zones(places: gpd.GeoDataFrame, zones: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, int]:
    """Give every place with an empty zone the zone containing its representative point.

    >>> from shapely import Point, box
    >>> zones = gpd.GeoDataFrame({"id": ["Z1"]}, geometry=[box(0, 0, 1, 1)], crs=4326)
    >>> places = gpd.GeoDataFrame({"id": ["C1"], "zone": [pd.NA]}, geometry=[Point(.5, .5)], crs=4326)
    >>> assign_zones(places, zones)[0]["zone"].tolist()
    ['Z1']
    """
    blank = places["zone"].isna() | (places["zone"].astype("string").str.strip() == "")
    if not blank.any() or zones.empty:
        return places, 0
    points = gpd.GeoDataFrame(geometry=places.loc[blank].representative_point(), crs=places.crs)
    joined = gpd.sjoin(points, zones[["id", "geometry"]], how="left", predicate="within")
    joined = joined[~joined.index.duplicated(keep="first")]
    places = places.copy()
    places.loc[blank, "zone"] = joined["id"].astype("string")
    return places, int(joined["id"].notna().sum())


def empty_frame(kind: str) -> pd.DataFrame:
    """An empty table (or layer) of ``kind`` with the right columns."""
    names = TABLES[kind].names
    if kind in GEOMETRY_TABLES:
        return gpd.GeoDataFrame({c: pd.Series(dtype="string") for c in names}, geometry=[], crs="EPSG:4326")
    return pd.DataFrame({c: pd.Series(dtype="string") for c in names})


def load_dataset(data_dir: str | Path) -> Dataset:
    """Read every layer and table of ``data_dir``; problems are collected, not raised."""
    data_dir = Path(data_dir)
    problems: list[Problem] = []
    frames: dict[str, object] = {}
    for kind in GEOMETRY_TABLES + STATUS_TABLES:
        path = data_dir / TABLES[kind].file
        if not path.exists():
            problems.append(Problem(path.name, None, None, None,
                                    f"找不到文件 {path.name}，该图层暂不显示。",
                                    f"File {path.name} not found; that layer is not shown."))
            frame, found = empty_frame(kind), []
        elif kind in GEOMETRY_TABLES:
            frame, found = read_layer(path, kind)
        else:
            reading = read_table(path, kind)
            frame, found = reading.frame.reset_index(drop=True), reading.problems
        frames[kind] = frame
        problems.extend(found)
    assigned = 0
    for kind in ("compounds", "sites"):
        frames[kind], count = assign_zones(frames[kind], frames["zones"])
        assigned += count
    return Dataset(**frames, problems=problems, zones_assigned=assigned)


def load_store(engine) -> Dataset:
    """The newest version of every table in the store, as a Dataset."""
    from geo import store

    frames = {kind: store.current(engine, kind) for kind in (*GEOMETRY_TABLES, *STATUS_TABLES)}
    assigned = 0
    for kind in ("compounds", "sites"):
        frames[kind], count = assign_zones(frames[kind], frames["zones"])
        assigned += count
    return Dataset(**frames, problems=[], zones_assigned=assigned)
