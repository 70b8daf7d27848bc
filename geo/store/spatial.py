"""Spatial questions asked of the store: what is inside a map view, which zone holds a place.

On PostgreSQL the database answers with PostGIS and its GIST indexes, so a city of
a hundred thousand compounds never has to be joined in Python; on SQLite the same
answers come from shapely and geopandas.

Examples
--------
>>> import tempfile
>>> from geo.store.engine import connect
>>> from geo.store.versions import apply_rows
>>> from shapely import Point
>>> engine = connect(f"sqlite:///{tempfile.mkdtemp()}/store.sqlite")
>>> sites = gpd.GeoDataFrame({"id": ["S1", "S2"]}, geometry=[Point(114.31, 29.84), Point(114.5, 29.9)], crs=4326)
>>> apply_rows(engine, "sites", sites, "clerk").version
1
>>> in_view(engine, "sites", (114.3, 29.8, 114.4, 29.9))["id"].tolist()
['S1']
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely
from sqlalchemy import and_, func, text
from sqlalchemy.engine import Engine

from geo.store.geomtype import SRID


def in_view(engine: Engine, kind: str, bbox: tuple[float, float, float, float]) -> gpd.GeoDataFrame:
    """The current rows of layer ``kind`` whose shape meets the box (west, south, east, north; WGS-84)."""
    from geo.store.versions import ROWS, _from_records, _read_rows

    rows = ROWS[kind]
    current = rows.c.removed_in.is_(None)
    if engine.dialect.name == "postgresql":
        envelope = func.ST_MakeEnvelope(*bbox, SRID)
        # && is the index's bounding-box test; ST_Intersects then checks the shapes themselves
        condition = and_(current, rows.c.geometry.op("&&")(envelope), func.ST_Intersects(rows.c.geometry, envelope))
        frame = _read_rows(engine, kind, condition)
        return _from_records(kind, frame.drop(columns="row_id").reset_index(drop=True))
    frame = _from_records(kind, _read_rows(engine, kind, current).drop(columns="row_id"))
    return frame[frame.intersects(shapely.box(*bbox))].reset_index(drop=True)


def _zone_by_database(engine: Engine, kind: str) -> dict[str, str]:
    """Place id to the zone containing its representative point, for current places without a zone."""
    query = text(f"""
        SELECT p.id, z.id AS zone
        FROM rows_{kind} p
        JOIN LATERAL (
            SELECT z.id FROM rows_zones z
            WHERE z.removed_in IS NULL AND ST_Within(ST_PointOnSurface(p.geometry), z.geometry)
            ORDER BY z.row_id LIMIT 1
        ) z ON true
        WHERE p.removed_in IS NULL AND (p.zone IS NULL OR btrim(p.zone) = '')
    """)
    with engine.connect() as conn:
        return {str(place): str(zone) for place, zone in conn.execute(query)}


def assign_zones_in_database(engine: Engine, kind: str, places: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, int]:
    """:func:`geo.store.dataset.assign_zones` done by PostGIS: the same answer, the join on the database's index."""
    blank = places["zone"].isna() | (places["zone"].astype("string").str.strip() == "")
    if not blank.any():
        return places, 0
    found = _zone_by_database(engine, kind)
    zones = places.loc[blank, "id"].astype("string").map(found)
    places = places.copy()
    places.loc[blank, "zone"] = zones.astype("string")
    return places, int(pd.notna(zones).sum())
