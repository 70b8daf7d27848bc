"""One city's tables (its layers and daily reports) as the newest version of the store has them.

Places without a zone (compounds, sites) get one by spatial join (see :mod:`geo.store.spatial`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
from sqlalchemy.exc import DBAPIError

from geo.domain import TABLES, Problem, layer_tables, report_tables
from geo.store import spatial
from geo.store.rows import current, from_records, payload_columns

# what reading a table raises when its pages are damaged (pandas wraps the driver's error in its own)
READ_ERRORS = (DBAPIError, sqlite3.DatabaseError, pd.errors.DatabaseError)


@dataclass
class Dataset:
    tables: dict[str, pd.DataFrame]  # every table of geo.domain.schema.TABLES by name, layers as GeoDataFrames
    problems: list[Problem] = field(default_factory=list)
    zones_assigned: int = 0  # places whose zone came from the spatial join
    unreadable: dict[str, str] = field(default_factory=dict)  # table -> why it could not be read (it is empty)

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


def read_error_text(exc: BaseException) -> str:
    """The database's own words for a failed read, first line (pandas and SQLAlchemy wrap them with the SQL).

    >>> read_error_text(pd.errors.DatabaseError("Execution failed on sql 'SELECT …'"))
    "Execution failed on sql 'SELECT …'"
    """
    while exc.__cause__ is not None:
        exc = exc.__cause__
    return str(getattr(exc, "orig", None) or exc).splitlines()[0][:120]


def load_store(engine) -> Dataset:
    """The newest version of every table in the store, as a Dataset.

    A table that cannot be read (its pages damaged) is empty and named in ``unreadable``, so
    that what can be read is still shown; when no table can be read the first error is raised.
    """
    frames, unreadable, first_error = {}, {}, None
    for kind in (*layer_tables(), *report_tables()):
        try:
            frames[kind] = current(engine, kind)
        except READ_ERRORS as exc:
            first_error = first_error or exc
            unreadable[kind] = read_error_text(exc)
            frames[kind] = from_records(kind, pd.DataFrame(columns=payload_columns(kind)))
    if len(unreadable) == len(frames):
        raise first_error
    assigned = 0
    for kind in [name for name in layer_tables() if "zone" in TABLES[name].names]:  # places in zones
        frames[kind] = spatial.zones_named(frames[kind], frames["zones"])
        if engine.dialect.name == "postgresql":  # the join on PostGIS's index: large cities stay fast
            frames[kind], count = spatial.assign_zones_in_database(engine, kind, frames[kind])
        else:
            frames[kind], count = spatial.assign_zones(frames[kind], frames["zones"])
        assigned += count
    return Dataset(frames, problems=[], zones_assigned=assigned, unreadable=unreadable)
