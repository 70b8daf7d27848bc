"""One city's tables (its layers and daily reports) as the newest version of the store has them.

Places without a zone (compounds, sites) get one by spatial join (see :mod:`geo.store.spatial`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from geo.domain import TABLES, Problem, layer_tables, report_tables
from geo.store import spatial
from geo.store.rows import current


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


def load_store(engine) -> Dataset:
    """The newest version of every table in the store, as a Dataset."""

    frames = {kind: current(engine, kind) for kind in (*layer_tables(), *report_tables())}
    assigned = 0
    for kind in [name for name in layer_tables() if "zone" in TABLES[name].names]:  # places in zones
        frames[kind] = spatial.zones_named(frames[kind], frames["zones"])
        if engine.dialect.name == "postgresql":  # the join on PostGIS's index: large cities stay fast
            frames[kind], count = spatial.assign_zones_in_database(engine, kind, frames[kind])
        else:
            frames[kind], count = spatial.assign_zones(frames[kind], frames["zones"])
        assigned += count
    return Dataset(frames, problems=[], zones_assigned=assigned)
