"""Where things are: the km plane around the city centre, zones, compound outlines, site points.

Zones are Voronoi cells of seed points drawn around a hand-placed anchor of each
street or town and clipped to the boundary, so they tile the district without gaps;
compounds are star-shaped outlines and sites are points near the seeds, always inside
the boundary. Coordinates are WGS-84, rounded to :data:`DECIMALS`. A :class:`Layer`
holds one row of properties per geometry.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

#: Xianning city centre (WGS-84).
CITY_CENTRE = (114.32, 29.84)
_KM_PER_DEG_LAT = 110.574
_KM_PER_DEG_LON = 111.320 * np.cos(np.radians(CITY_CENTRE[1]))

#: Approximate WGS-84 anchor of each street or town, and its zone count in the demo.
#: Hand-placed from memory of the map: good enough for a demo, not a survey.
TOWNSHIP_ANCHORS: dict[str, tuple[float, float, int]] = {
    "温泉街道": (114.318, 29.832, 4),
    "浮山街道": (114.292, 29.846, 3),
    "永安街道": (114.326, 29.862, 4),
    "汀泗桥镇": (114.205, 29.780, 2),
    "向阳湖镇": (114.190, 29.925, 1),
    "官埠桥镇": (114.245, 29.885, 1),
    "横沟桥镇": (114.300, 29.955, 2),
    "贺胜桥镇": (114.370, 29.985, 2),
    "双溪桥镇": (114.500, 29.885, 1),
    "马桥镇": (114.420, 29.910, 1),
    "桂花镇": (114.360, 29.725, 1),
    "高桥镇": (114.550, 29.820, 1),
    "大幕乡": (114.640, 29.870, 1),
}
#: Spread (km) of the zone seeds around a street's or a town's anchor in the demo.
URBAN_SPREAD_KM = 1.1
TOWN_SPREAD_KM = 1.6
#: Share of compounds and of sites in the three urban streets.
URBAN_COMPOUND_SHARE = 0.8
URBAN_SITE_SHARE = 0.55
#: Coordinates are written with 6 decimals (about 0.1 m).
DECIMALS = 6


@dataclass
class Layer:
    """A geometry layer: one row of properties per geometry, in schema column order."""

    properties: pd.DataFrame
    geometry: np.ndarray


def round_geometries(geometries, decimals: int = DECIMALS) -> np.ndarray:
    """Round coordinates, repairing the rare geometry that rounding makes invalid."""
    rounded = shapely.transform(np.asarray(geometries, dtype=object),
                                lambda xy: np.round(xy, decimals))
    broken = ~shapely.is_valid(rounded)
    if broken.any():
        rounded[broken] = [keep_polygons(g) for g in shapely.make_valid(rounded[broken])]
    return rounded


def keep_polygons(geometry: shapely.Geometry) -> shapely.Geometry:
    """Drop the lines and points that a clip or a repair can leave beside the polygons."""
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
    polygons = [q for p in parts for q in shapely.get_parts(p)]
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


def to_km(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Degrees to a local plane in km around the city centre."""
    return ((np.asarray(lon) - CITY_CENTRE[0]) * _KM_PER_DEG_LON,
            (np.asarray(lat) - CITY_CENTRE[1]) * _KM_PER_DEG_LAT)


def to_degrees(x_km, y_km) -> tuple[np.ndarray, np.ndarray]:
    """The local km plane back to WGS-84 degrees."""
    return (CITY_CENTRE[0] + np.asarray(x_km) / _KM_PER_DEG_LON,
            CITY_CENTRE[1] + np.asarray(y_km) / _KM_PER_DEG_LAT)


def split_count(total: int, weights) -> np.ndarray:
    """Split ``total`` in proportion to ``weights`` by largest remainder, at least 1 each.

    >>> split_count(12, [3, 1]).tolist()
    [9, 3]
    """
    weights = np.asarray(weights, dtype=float)
    share = (total - len(weights)) * weights / weights.sum()
    counts = np.floor(share).astype(int)
    order = np.argsort(-(share - counts), kind="stable")
    counts[order[: total - len(weights) - counts.sum()]] += 1
    return counts + 1


def plan_zone_counts(total: int, townships: pd.DataFrame) -> np.ndarray:
    """Number of zones in each street or town: the demo layout, scaled up for big cities."""
    demo = np.array([TOWNSHIP_ANCHORS.get(s, (0, 0, 1))[2] for s in townships["street"]])
    if total <= demo.sum():
        return demo
    urban = townships["street"].str.endswith("街道").to_numpy()
    urban_total = round(total * URBAN_COMPOUND_SHARE)
    counts = np.zeros(len(demo), dtype=int)
    counts[urban] = split_count(urban_total, demo[urban])
    counts[~urban] = split_count(total - urban_total, demo[~urban])
    return counts


def find_anchors(rng: np.random.Generator, townships: pd.DataFrame,
                 boundary: shapely.Geometry) -> np.ndarray:
    """Anchor of each street or town in km; a random inner point for an unknown one."""
    anchors = []
    for street in townships["street"]:
        if street in TOWNSHIP_ANCHORS:
            lon, lat, _ = TOWNSHIP_ANCHORS[street]
        else:
            [[lon, lat]] = sample_inside(rng, boundary, 1)
        anchors.append(to_km(lon, lat))
    return np.array(anchors, dtype=float)


def sample_inside(rng: np.random.Generator, boundary: shapely.Geometry, n: int) -> np.ndarray:
    """``n`` points uniformly inside ``boundary`` (lon, lat)."""
    minx, miny, maxx, maxy = boundary.bounds
    found = np.empty((0, 2))
    while len(found) < n:
        xy = rng.uniform((minx, miny), (maxx, maxy), size=(4 * n + 16, 2))
        found = np.vstack([found, xy[shapely.contains_xy(boundary, xy[:, 0], xy[:, 1])]])
    return found[:n]


def place_zone_seeds(rng: np.random.Generator, boundary: shapely.Geometry,
                     anchors: np.ndarray, counts: np.ndarray, urban: np.ndarray) -> tuple:
    """Seed points (km) of every zone, spread around the anchors and kept apart.

    Seeds are drawn from a Gaussian around each anchor, inside the boundary,
    and a candidate closer than half the expected spacing to another seed is
    dropped, so the Voronoi cells are of similar size. Returns the seeds and
    the township index of each, ordered by township then by distance from its
    anchor.
    """
    growth = (counts.sum() / sum(a[2] for a in TOWNSHIP_ANCHORS.values())) ** 0.25
    spread = np.where(urban, np.minimum(URBAN_SPREAD_KM * growth, 6.0),
                      np.minimum(TOWN_SPREAD_KM * growth, 4.0))
    seeds = np.empty((0, 2))
    limits = np.empty(0)
    for anchor, count, sigma in zip(anchors, counts, spread):
        spacing = 0.5 * np.sqrt(4 * np.pi * sigma**2 / count)
        mine = np.empty((0, 2))
        while len(mine) < count:
            wanted = count - len(mine)
            candidates = anchor + rng.normal(0.0, sigma, size=(2 * wanted + 8, 2))
            lon, lat = to_degrees(candidates[:, 0], candidates[:, 1])
            candidates = candidates[shapely.contains_xy(boundary, lon, lat)]
            placed = np.vstack([seeds, mine])
            reach = np.concatenate([limits, np.full(len(mine), spacing)])
            kept = keep_apart(candidates, placed, reach, spacing)[:wanted]
            mine = np.vstack([mine, kept])
            if len(kept) < wanted / 4:
                spacing *= 0.8  # a crowded anchor: relax the spacing
        order = np.argsort(np.hypot(*(mine - anchor).T), kind="stable")
        seeds = np.vstack([seeds, mine[order]])
        limits = np.concatenate([limits, np.full(count, spacing)])
    return seeds, np.repeat(np.arange(len(counts)), counts)


def keep_apart(candidates: np.ndarray, placed: np.ndarray, reach: np.ndarray,
               spacing: float) -> np.ndarray:
    """Candidates at least ``max(reach, spacing)`` from every placed point and ``spacing``
    from every earlier kept candidate (a later one of two close candidates is dropped)."""
    points = shapely.points(candidates)
    keep = np.ones(len(candidates), dtype=bool)
    if len(placed):
        tree = shapely.STRtree(shapely.points(placed))
        near = tree.query(points, predicate="dwithin", distance=max(spacing, reach.max()))
        gaps = np.hypot(*(candidates[near[0]] - placed[near[1]]).T)
        keep[near[0][gaps < np.maximum(reach[near[1]], spacing)]] = False
    pairs = shapely.STRtree(points).query(points, predicate="dwithin", distance=spacing)
    later = pairs[1][pairs[0] < pairs[1]]
    keep[later] = False
    return candidates[keep]


def draw_voronoi(seeds_km: np.ndarray, boundary: shapely.Geometry) -> np.ndarray:
    """Voronoi cells of the seeds clipped to the boundary, in seed order (WGS-84)."""
    lon, lat = to_degrees(seeds_km[:, 0], seeds_km[:, 1])
    points = shapely.multipoints(np.column_stack([lon, lat]))
    frame = shapely.buffer(shapely.envelope(boundary), 0.1)
    cells = shapely.get_parts(shapely.voronoi_polygons(points, extend_to=frame, ordered=True))
    shapely.prepare(boundary)
    inside = shapely.contains(boundary, cells)
    clipped = cells.copy()
    clipped[~inside] = [keep_polygons(g) for g in shapely.intersection(cells[~inside], boundary)]
    return round_geometries(clipped)


def join_zones(points: np.ndarray, zones: Layer) -> np.ndarray:
    """Index of the zone containing each point; the nearest zone for a point in no zone."""
    tree = shapely.STRtree(zones.geometry)
    pairs = tree.query(points, predicate="intersects")
    found = np.full(len(points), len(zones.geometry), dtype=np.int64)
    np.minimum.at(found, pairs[0], pairs[1])
    lost = np.flatnonzero(found == len(zones.geometry))
    if lost.size:
        nearest = tree.query_nearest(points[lost], return_distance=False, all_matches=False)
        found[lost[nearest[0]]] = nearest[1]
    return found


def measure_spacing(seeds_km: np.ndarray) -> np.ndarray:
    """Distance (km) from each seed to its nearest neighbour."""
    points = shapely.points(seeds_km)
    tree = shapely.STRtree(points)
    pairs, distance = tree.query_nearest(points, exclusive=True, return_distance=True,
                                         all_matches=False)
    spacing = np.full(len(points), np.inf)
    spacing[pairs[0]] = distance
    return spacing


def draw_outlines(rng: np.random.Generator, centres_km: np.ndarray) -> tuple:
    """Compound outlines around the centres: 8-20 vertices, 60-250 m across.

    Jittered ellipses and rounded rectangles (super-ellipses) at a random
    angle; every outline is star-shaped around its centre, hence a valid
    polygon. Returns the polygons (WGS-84, rounded) and their areas in m².
    """
    n = len(centres_km)
    vertices = rng.integers(8, 21, size=n)
    major = rng.uniform(30.0, 125.0, size=n)
    minor = major * rng.uniform(0.45, 1.0, size=n)
    turn = rng.uniform(0.0, np.pi, size=n)
    boxy = np.where(rng.random(n) < 0.4, 0.35, 1.0)
    owner = np.repeat(np.arange(n), vertices)
    step = np.arange(len(owner)) - np.repeat(np.cumsum(vertices) - vertices, vertices)
    angle = 2 * np.pi * (step + rng.uniform(-0.3, 0.3, size=len(owner))) / vertices[owner]
    radius = np.clip(rng.normal(1.0, 0.06, size=len(owner)), 0.85, 1.15)
    cos, sin = np.cos(angle), np.sin(angle)
    x = major[owner] * radius * np.sign(cos) * np.abs(cos) ** boxy[owner]
    y = minor[owner] * radius * np.sign(sin) * np.abs(sin) ** boxy[owner]
    east = (x * np.cos(turn[owner]) - y * np.sin(turn[owner])) / 1000 + centres_km[owner, 0]
    north = (x * np.sin(turn[owner]) + y * np.cos(turn[owner])) / 1000 + centres_km[owner, 1]
    lon, lat = to_degrees(east, north)
    coords = np.round(np.column_stack([lon, lat]), DECIMALS)
    polygons = shapely.polygons(shapely.linearrings(coords, indices=owner))
    area = np.pi * major * minor * np.where(boxy < 1, 1.2, 1.0)
    return polygons, area


def place_outlines(rng: np.random.Generator, boundary: shapely.Geometry, seeds_km: np.ndarray,
                   weights: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` compound outlines near zone seeds chosen by ``weights``, all inside the boundary."""
    jitter = np.clip(0.35 * measure_spacing(seeds_km), 0.12, 1.5)
    shapely.prepare(boundary)
    polygons = np.empty(n, dtype=object)
    areas = np.empty(n)
    todo = np.arange(n)
    while todo.size:
        zone = rng.choice(len(seeds_km), size=todo.size, p=weights)
        centres = seeds_km[zone] + rng.normal(size=(todo.size, 2)) * jitter[zone, None]
        drawn, area = draw_outlines(rng, centres)
        ok = shapely.within(drawn, boundary)
        polygons[todo[ok]] = drawn[ok]
        areas[todo[ok]] = area[ok]
        todo = todo[~ok]
    return polygons, areas


def place_points(rng: np.random.Generator, boundary: shapely.Geometry, seeds_km: np.ndarray,
                 weights: np.ndarray, n: int) -> np.ndarray:
    """``n`` points near zone seeds chosen by ``weights``, inside the boundary (WGS-84)."""
    jitter = np.clip(0.5 * measure_spacing(seeds_km), 0.3, 2.0)
    found = np.empty((0, 2))
    while len(found) < n:
        zone = rng.choice(len(seeds_km), size=n - len(found), p=weights)
        xy = seeds_km[zone] + rng.normal(size=(len(zone), 2)) * jitter[zone, None]
        lon, lat = to_degrees(xy[:, 0], xy[:, 1])
        xy = np.round(np.column_stack([lon, lat]), DECIMALS)
        found = np.vstack([found, xy[shapely.contains_xy(boundary, xy[:, 0], xy[:, 1])]])
    return shapely.points(found)
