"""Fix one place by hand: place or move it, rename it, retire it; each change a version its author may undo.

Staff find places misplaced (a point picked on the wrong street) or not placed at all (待定位: a list's
row without coordinates, see :mod:`geo.io.points`). Each change here is one version of the place's
layer, action ``edit``, written as an upload is (:func:`geo.store.apply_rows`): the history lists it,
its author may undo it while nothing newer builds on it (:func:`geo.upload.check.undo_import`), and an
admin may roll it back. A move is checked as an upload's is: far from where the place was, far from
every other place of the city, or outside the place's own zone is a warning to confirm.

Examples
--------
>>> import geopandas as gpd
>>> from shapely import Point
>>> from geo.accounts import User
>>> from geo.store import connect
>>> engine = connect("sqlite://")
>>> places = gpd.GeoDataFrame({"id": ["S1", "S2"], "name": ["六岭棚改", "学校工程"]},
...                           geometry=[Point(114.31, 29.84), None], crs=4326)
>>> store.apply_rows(engine, "sites", places, "clerk").version
1
>>> clerk = User("clerk", "staff")
>>> plan_move(engine, "sites", "S2", Point(114.312, 29.841)).metres is None  # it had no position
True
>>> move_place(engine, "sites", "S2", Point(114.312, 29.841), clerk).version
2
>>> rename_place(engine, "sites", "S2", "育才学校工程", clerk).version
3
>>> store.current(engine, "sites").set_index("id").loc["S2", "name"]
'育才学校工程'
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy.engine import Engine

from geo import store
from geo.accounts import auth
from geo.domain import TABLES, Text, t
from geo.io import datum_guess as crs
from geo.io import metres_between, parse_position
from geo.io.read import MAX_CELL_CHARS
from geo.store import backup

ACTION = "edit"
MAX_NAME = 200  # characters: longer than any place's name, short enough for a tooltip


class EditRefused(ValueError):
    """A change that cannot be made as asked; ``text`` says why and what to do, in both languages."""

    def __init__(self, key: str, **values):
        self.text = t(key, **values)
        super().__init__(self.text.en)


@dataclass(frozen=True)
class Move:
    """What placing or moving a place would do, before it is done."""

    place_id: str
    name: str
    before: shapely.Point | None
    """Where it is now (None: not placed yet)."""
    after: shapely.Point
    """Where it would be (WGS-84)."""
    metres: float | None
    """How far it moves (None when it had no position)."""
    warnings: tuple[Text, ...] = ()
    """What a person must confirm first: a long move, a spot far from every other place, outside its zone."""


def stored_place(engine: Engine, kind: str, place_id: str) -> pd.Series:
    """The current row of place ``place_id`` of layer ``kind`` (its ``geometry`` None when not placed)."""
    if kind not in TABLES or not TABLES[kind].geometry:
        raise EditRefused("edit_not_a_layer", kind=kind)
    places = store.current(engine, kind)
    match = places.loc[places["id"].astype(str) == str(place_id)]
    if match.empty:
        raise EditRefused("edit_no_such_place", place=place_id, table=TABLES[kind].text)
    return match.iloc[-1]


def position_from(text: str | None = None, lon: float | None = None, lat: float | None = None,
                  datum: str = "wgs84") -> shapely.Point:
    """A position typed (``text``: "114.32,29.85" in either order, or degrees-minutes-seconds) or clicked
    (``lon``, ``lat``) in ``datum``, as a WGS-84 point; :class:`EditRefused` when it is none, or not in China.

    >>> position_from("29.85, 114.32").wkt
    'POINT (114.32 29.85)'
    >>> round(position_from(lon=114.3254, lat=29.8375, datum="gcj02").x, 3)
    114.32
    """
    if text is not None:
        pair = parse_position(text)
        if pair is None:
            raise EditRefused("edit_not_a_position", value=str(text)[:40])
        lon, lat = pair
    if lon is None or lat is None or not (np.isfinite(lon) and np.isfinite(lat)):
        raise EditRefused("edit_not_a_position", value=f"{lon}, {lat}")
    west, south, east, north = crs.CHINA
    if not (west <= lon <= east and south <= lat <= north):
        raise EditRefused("edit_outside_china", lon=round(float(lon), 6), lat=round(float(lat), 6))
    [point] = crs.to_wgs84([shapely.Point(lon, lat)], datum)
    return point


def _nearest_other(engine: Engine, kind: str, place_id: str, point: shapely.Point) -> float | None:
    """Metres from ``point`` to the nearest other placed place of the city's layers (None: there is none)."""
    nearest = None
    for layer in (kind, *(k for k in ("compounds", "sites") if k != kind)):
        others = store.current(engine, layer)
        others = others.loc[others.geometry.notna() & (others["id"].astype(str) != str(place_id))]
        if others.empty:
            continue
        xy = shapely.get_coordinates(shapely.point_on_surface(np.asarray(others.geometry, dtype=object)))
        here = np.repeat([[point.x, point.y]], len(xy), axis=0)
        found = float(metres_between(here, xy).min())
        nearest = found if nearest is None else min(nearest, found)
    return nearest


def _zone_warning(engine: Engine, row: pd.Series, point: shapely.Point) -> Text | None:
    """A warning when the place's zone has a shape and ``point`` lies outside it."""
    zone = row.get("zone")
    if zone is None or pd.isna(zone):
        return None
    zones = store.current(engine, "zones")
    match = zones.loc[(zones["id"].astype(str) == str(zone)) & zones.geometry.notna()]
    if match.empty or match.geometry.iloc[0].contains(point):
        return None
    return t("edit_outside_zone", zone=str(match["name"].iloc[0]))


def plan_move(engine: Engine, kind: str, place_id: str, point: shapely.Point,
              max_move_m: float = 5000.0) -> Move:
    """What moving (or placing) ``place_id`` to ``point`` (WGS-84) would do, and what must be confirmed first."""
    row = stored_place(engine, kind, place_id)
    before = row.geometry
    if before is not None and before.geom_type != "Point":
        raise EditRefused("edit_has_outline", place=str(row["name"]))
    if "Point" not in TABLES[kind].accepts:
        raise EditRefused("edit_not_points", table=TABLES[kind].text)
    warnings = []
    metres = None
    if before is not None:
        metres = float(metres_between(np.array([[before.x, before.y]]), np.array([[point.x, point.y]]))[0])
        if metres < 0.5:  # the same spot: nothing to store
            raise EditRefused("edit_same_place", place=str(row["name"]))
        if metres > max_move_m:
            warnings.append(t("edit_far_move", km=round(metres / 1000, 1), limit=round(max_move_m / 1000, 1)))
    else:
        nearest = _nearest_other(engine, kind, place_id, point)
        if nearest is not None and nearest > max_move_m:
            warnings.append(t("edit_far_from_city", km=round(nearest / 1000, 1)))
    zone = _zone_warning(engine, row, point)
    if zone is not None:
        warnings.append(zone)
    return Move(str(row["id"]), str(row["name"]), before, point, metres, tuple(warnings))


def _store_row(engine: Engine, kind: str, row: pd.Series, user: auth.User, summary: Text) -> store.Applied:
    """``row`` (a place's every column and its geometry) as a new version of layer ``kind``."""
    table = TABLES[kind]
    frame = pd.DataFrame({name: [row.get(name)] for name in table.names})
    for col in table.columns:
        frame[col.name] = frame[col.name].astype("Int64" if col.kind == "int" else "string")
    places = gpd.GeoDataFrame(frame, geometry=[row.geometry], crs="EPSG:4326")
    with backup.before_change(engine):
        return store.apply_rows(engine, kind, places, user.name, ACTION, summary=[summary], rows_in_file=1)


def move_place(engine: Engine, kind: str, place_id: str, point: shapely.Point, user: auth.User | None,
               max_move_m: float = 5000.0, confirmed: bool = False) -> store.Applied:
    """Place or move ``place_id`` to ``point`` (WGS-84): a version, once its warnings are ``confirmed``."""
    auth.require(user, "upload")
    move = plan_move(engine, kind, place_id, point, max_move_m)
    if move.warnings and not confirmed:
        raise EditRefused("edit_confirm_first")
    row = stored_place(engine, kind, place_id).copy()
    row["geometry"] = point
    key = "edit_summary_placed" if move.before is None else "edit_summary_moved"
    return _store_row(engine, kind, row, user, t(key, place=move.name, lon=round(point.x, 6), lat=round(point.y, 6),
                                                  metres=round(move.metres or 0)))


def name_problem(name: str) -> Text | None:
    """What is wrong with a place's new name, or None.

    >>> name_problem("金桂花园") is None, name_problem("   ") is not None, name_problem("a" * 500) is not None
    (True, True, True)
    """
    name = (name or "").strip()
    if not name:
        return t("edit_name_blank")
    if len(name) > min(MAX_NAME, MAX_CELL_CHARS) or any(not ch.isprintable() for ch in name):
        return t("edit_name_too_long", limit=MAX_NAME)
    return None


def rename_place(engine: Engine, kind: str, place_id: str, name: str, user: auth.User | None) -> store.Applied:
    """Give ``place_id`` the name ``name``: a version (its id, history and reports stay the same)."""
    auth.require(user, "upload")
    problem = name_problem(name)
    if problem is not None:
        raise EditRefused("edit_name_refused", why=problem)
    row = stored_place(engine, kind, place_id).copy()
    before, row["name"] = str(row["name"]), name.strip()
    if before == row["name"]:
        raise EditRefused("edit_same_name")
    return _store_row(engine, kind, row, user, t("edit_summary_renamed", before=before, after=row["name"]))


def retire_place(engine: Engine, kind: str, place_id: str, user: auth.User | None) -> store.Applied:
    """Retire ``place_id`` (closed, demolished, a duplicate): it leaves the maps, figures and tables from this
    version on; its reports are kept, and undoing the version brings it back."""
    auth.require(user, "upload")
    row = stored_place(engine, kind, place_id)
    with backup.before_change(engine):
        return store.retire_rows(engine, kind, [str(row["id"])], user.name, ACTION,
                                 summary=[t("edit_summary_retired", place=str(row["name"]))])
