"""Which zone holds a place: compounds and sites without a zone get the zone their shape lies in.

On PostgreSQL the database answers with PostGIS and its GIST index, so a city of
a hundred thousand compounds never has to be joined in Python
(:func:`assign_zones_in_database`); on SQLite the same answer comes from
geopandas (:func:`assign_zones`).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from sqlalchemy import text
from sqlalchemy.engine import Engine


def zones_named(places: pd.DataFrame, zones: pd.DataFrame) -> pd.DataFrame:
    """A place whose zone names a zone by its name (stored before that zone was) gets the zone's id, where the
    name is one zone's: places uploaded before their zones join them as soon as the zones arrive.

    >>> zones = pd.DataFrame({"id": ["WG1"], "name": ["东城网格"]})
    >>> zones_named(pd.DataFrame({"id": ["C1", "C2"], "zone": ["东城网格", "WG1"]}), zones)["zone"].tolist()
    ['WG1', 'WG1']
    """
    if "zone" not in places or zones.empty or places.empty:
        return places
    given = places["zone"].astype("string").str.strip()
    names = zones["name"].astype("string").str.strip()
    once = ~names.duplicated(keep=False) & names.notna()
    by_name = dict(zip(names[once], zones.loc[once, "id"].astype(str)))
    named = given.notna() & ~given.isin(set(zones["id"].astype(str))) & given.isin(list(by_name))
    if not named.any():
        return places
    places = places.copy()
    places.loc[named, "zone"] = given[named].map(by_name)
    return places


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
    """:func:`assign_zones` done by PostGIS: the same answer, the join on the database's index."""
    blank = places["zone"].isna() | (places["zone"].astype("string").str.strip() == "")
    if not blank.any():
        return places, 0
    found = _zone_by_database(engine, kind)
    zones = places.loc[blank, "id"].astype("string").map(found)
    places = places.copy()
    places.loc[blank, "zone"] = zones.astype("string")
    return places, int(pd.notna(zones).sum())
