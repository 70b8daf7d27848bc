"""One city's six tables (three layers, three daily reports) as the newest version of the store has them.

Compounds and sites without a zone get one by spatial join (see :mod:`geo.store.spatial`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from geo.domain.problems import Problem
from geo.domain.schema import GEOMETRY_TABLES, STATUS_TABLES
from geo.store import spatial
from geo.store.rows import current


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


def load_store(engine) -> Dataset:
    """The newest version of every table in the store, as a Dataset."""

    frames = {kind: current(engine, kind) for kind in (*GEOMETRY_TABLES, *STATUS_TABLES)}
    assigned = 0
    for kind in ("compounds", "sites"):
        if engine.dialect.name == "postgresql":  # the join on PostGIS's index: large cities stay fast
            frames[kind], count = spatial.assign_zones_in_database(engine, kind, frames[kind])
        else:
            frames[kind], count = spatial.assign_zones(frames[kind], frames["zones"])
        assigned += count
    return Dataset(**frames, problems=[], zones_assigned=assigned)
