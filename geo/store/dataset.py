"""One city's tables (its layers and daily reports) as the newest version of the store has them.

Places without a zone (compounds, sites) get one by spatial join (see :func:`assign_zones`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from geo.io.read import Problem
from geo.domain.schema import TABLES, layer_tables, report_tables


@dataclass
class Dataset:
    tables: dict[str, pd.DataFrame]  # every table of geo.domain.schema.TABLES by name, layers as GeoDataFrames
    problems: list[Problem] = field(default_factory=list)
    zones_assigned: int = 0  # places whose zone came from the spatial join

    def layer(self, kind: str):
        """The table ``kind``: a geometry layer or a daily report."""
        return self.tables[kind]

    @property
    def zones(self) -> gpd.GeoDataFrame:
        return self.tables["zones"]

    @property
    def compounds(self) -> gpd.GeoDataFrame:
        return self.tables["compounds"]

    @property
    def sites(self) -> gpd.GeoDataFrame:
        return self.tables["sites"]

    @property
    def compound_status(self) -> pd.DataFrame:
        return self.tables["compound_status"]

    @property
    def site_status(self) -> pd.DataFrame:
        return self.tables["site_status"]

    @property
    def supplies(self) -> pd.DataFrame:
        return self.tables["supplies"]


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


def load_store(engine) -> Dataset:
    """The newest version of every table in the store, as a Dataset."""
    from geo.store import spatial
    from geo.store import versions as store

    frames = {kind: store.current(engine, kind) for kind in (*layer_tables(), *report_tables())}
    assigned = 0
    for kind in [name for name in layer_tables() if "zone" in TABLES[name].names]:  # places in zones
        if engine.dialect.name == "postgresql":  # the join on PostGIS's index: large cities stay fast
            frames[kind], count = spatial.assign_zones_in_database(engine, kind, frames[kind])
        else:
            frames[kind], count = assign_zones(frames[kind], frames["zones"])
        assigned += count
    return Dataset(frames, problems=[], zones_assigned=assigned)
