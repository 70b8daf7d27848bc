"""The three layers of places: grid zones, residential compounds, construction sites.

:func:`build_zones`, :func:`build_compounds` and :func:`build_sites` each put the
geometry of :mod:`geo.demo.places` together with the invented properties of
:mod:`geo.demo.names` into a :class:`~geo.demo.places.Layer`, in the column order of
:data:`geo.domain.schema.TABLES`. Two compounds are deliberately left without a zone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from geo.demo.names import (
    SITE_KIND_WEIGHTS,
    SITE_KINDS,
    chinese_numeral,
    draw_phones,
    format_id,
    make_unique,
    name_compounds,
    name_contractors,
    name_developers,
    name_people,
    name_property_companies,
    name_site,
    write_addresses,
)
from geo.demo.places import (
    URBAN_COMPOUND_SHARE,
    URBAN_SITE_SHARE,
    Layer,
    draw_voronoi,
    find_anchors,
    join_zones,
    place_outlines,
    place_points,
    place_zone_seeds,
    plan_zone_counts,
)
from geo.demo.sources import DISTRICT
from geo.domain import TABLES

#: Compounds per zone: in Xianning the leader of 温泉第四片区 answered for 14 compounds.
COMPOUNDS_PER_ZONE = 14


def count_sites(compounds: int) -> int:
    """Default number of sites: 48 for the 200-compound demo, one per four in big cities."""
    if compounds <= 200:
        return max(40, round(compounds * 0.24))
    return compounds // 4


def build_zones(rng: np.random.Generator, boundary: shapely.Geometry,
                townships: pd.DataFrame, compounds: int) -> tuple[Layer, np.ndarray, np.ndarray]:
    """The grid zones layer, with the seed points (km) and township index of each zone."""
    counts = plan_zone_counts(max(24, round(compounds / COMPOUNDS_PER_ZONE)), townships)
    urban = townships["street"].str.endswith("街道").to_numpy()
    anchors = find_anchors(rng, townships, boundary)
    seeds, owners = place_zone_seeds(rng, boundary, anchors, counts, urban)
    cells = draw_voronoi(seeds, boundary)
    streets = townships["street"].to_numpy()[owners]
    numbers = np.concatenate([np.arange(1, c + 1) for c in counts])
    arabic = counts[owners] > 10
    names = [f"{s}第{n if a else chinese_numeral(n)}片区"
             for s, n, a in zip(streets, numbers, arabic)]
    n = len(seeds)
    properties = pd.DataFrame({
        "id": format_id("XA-Z", range(1, n + 1), max(2, len(str(n)))),
        "name": names,
        "district": DISTRICT,
        "street": streets,
        "leader": name_people(rng, n),
        "phone": draw_phones(rng, n),
    })
    return Layer(properties[TABLES["zones"].names], cells), seeds, owners


def build_compounds(rng: np.random.Generator, boundary: shapely.Geometry, zones: Layer,
                    seeds_km: np.ndarray, urban_zone: np.ndarray, n: int,
                    townships: pd.DataFrame) -> Layer:
    """The residential compounds layer; exactly two compounds are left without a zone."""
    weights = np.where(urban_zone, URBAN_COMPOUND_SHARE / urban_zone.sum(),
                       (1 - URBAN_COMPOUND_SHARE) / max(1, (~urban_zone).sum()))
    polygons, area = place_outlines(rng, boundary, seeds_km, weights / weights.sum(), n)
    zone = join_zones(shapely.centroid(polygons), zones)
    density = np.where(urban_zone[zone], rng.uniform(0.015, 0.045, n), rng.uniform(0.01, 0.025, n))
    households = np.clip(np.round(area * density), 80, 2000).astype(np.int64)
    zone_ids = zones.properties["id"].to_numpy()[zone].astype(object)
    zone_ids[rng.choice(n, size=min(2, n), replace=False)] = ""
    properties = pd.DataFrame({
        "id": format_id("XA-C", range(1, n + 1), max(4, len(str(n)))),
        "name": name_compounds(rng, n),
        "address": write_addresses(rng, zones.properties["street"].to_numpy()[zone], townships),
        "zone": zone_ids,
        "households": households,
        "property_company": name_property_companies(rng, n),
    })
    return Layer(properties[TABLES["compounds"].names], polygons)


def build_sites(rng: np.random.Generator, boundary: shapely.Geometry, zones: Layer,
                seeds_km: np.ndarray, urban_zone: np.ndarray, n: int,
                compound_names: list[str]) -> Layer:
    """The construction sites layer (points)."""
    weights = np.where(urban_zone, URBAN_SITE_SHARE / urban_zone.sum(),
                       (1 - URBAN_SITE_SHARE) / max(1, (~urban_zone).sum()))
    points = place_points(rng, boundary, seeds_km, weights / weights.sum(), n)
    kinds = rng.choice(len(SITE_KINDS), size=n, p=SITE_KIND_WEIGHTS)
    names = make_unique([name_site(rng, k, compound_names) for k in kinds])
    properties = pd.DataFrame({
        "id": format_id("XA-S", range(1, n + 1), max(3, len(str(n)))),
        "name": names,
        "kind": np.asarray(SITE_KINDS, dtype=object)[kinds],
        "developer": name_developers(rng, kinds),
        "contractor": name_contractors(rng, n),
        "zone": zones.properties["id"].to_numpy()[join_zones(points, zones)],
    })
    return Layer(properties[TABLES["sites"].names], points)
