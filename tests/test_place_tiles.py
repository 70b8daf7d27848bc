"""A nation's places in tiles (geo/maps/tiles.py): every place in one tile, tiles of nearby places, dots in
the tiles' order, and the page's statuses listed in that order whatever the browser fetches."""

import json

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import Point, box

from geo.maps import Layer, Source, cut_tiles, layer_state, pack_tiles, places_of
from geo.maps.pack import decode_ints
from tests.test_pack import _shapes


def _city(n: int, seed: int = 7) -> gpd.GeoDataFrame:
    """``n`` small square compounds scattered over a province, some far apart, in no order."""
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(108, 116, n), rng.uniform(24, 32, n)
    return gpd.GeoDataFrame({"id": [f"C{i:05d}" for i in range(n)], "name": [f"小区{i}" for i in range(n)]},
                            geometry=[box(a, b, a + 0.003, b + 0.002) for a, b in zip(x, y)], crs=4326)


def test_every_place_is_in_exactly_one_tile_of_at_most_the_size_asked():
    city = _city(1000)
    tiles = cut_tiles(city, 64)
    rows = np.concatenate(tiles)
    assert sorted(rows.tolist()) == list(range(1000))
    assert max(len(t) for t in tiles) <= 64
    assert min(len(t) for t in tiles) >= 32  # halved at the median: no tile of a handful


def test_tiles_hold_nearby_places_and_say_their_extent():
    city = _city(2000)
    tiled = pack_tiles(city, 100)
    area = 8 * 8
    for tile in tiled.tiles:
        minx, miny, maxx, maxy = tile.box
        assert (maxx - minx) * (maxy - miny) < area / 8  # a tile is a small part of the province
        placed = city.set_index("id").loc[tile.pack.ids].total_bounds
        assert minx <= placed[0] and miny <= placed[1] and maxx >= placed[2] and maxy >= placed[3]
    assert sum(len(t.pack.ids) for t in tiled.tiles) == 2000


def test_dots_are_the_tiles_places_in_their_order_without_names():
    city = _city(300)
    tiled = pack_tiles(city, 40)
    order = np.concatenate([t.pack.ids for t in tiled.tiles])
    assert tiled.dots.ids.tolist() == order.tolist()
    body = json.loads(tiled.dots.text)
    assert body["ids"] == [] and body["names"] == [] and set(body["rings"]) == {0}
    bounds = city.set_index("id").loc[order].bounds
    centres = np.column_stack([(bounds.minx + bounds.maxx) / 2, (bounds.miny + bounds.maxy) / 2])
    assert np.abs(np.array(_shapes(tiled.dots)) - centres).max() <= 0.0006  # to about 100 m


def test_a_place_without_a_shape_is_in_no_tile_and_no_dot():
    city = _city(50)
    city.loc[3, "geometry"] = None
    city.loc[4, "geometry"] = Point()
    tiled = pack_tiles(city, 8)
    kept = [i for t in tiled.tiles for i in t.pack.ids]
    assert "C00003" not in kept and "C00004" not in kept and len(kept) == 48
    assert tiled.dots.ids.tolist() == kept


def test_tiles_in_another_datum_say_their_extent_in_it():
    city = _city(200)
    wgs, gcj = pack_tiles(city, 50), pack_tiles(city, 50, datum="gcj02")
    shift = np.array(gcj.tiles[0].box) - np.array(wgs.tiles[0].box)
    assert 0.001 < np.abs(shift).max() < 0.01  # GCJ-02 moves a place some hundreds of metres


def test_the_statuses_list_the_tiles_places_in_order_and_not_the_dots_again():
    city = _city(120)
    tiled = pack_tiles(city, 30)
    sources = [Source(tiled.dots, role="dots"), *(Source(t.pack, role="tile", box=t.box) for t in tiled.tiles)]
    rows = pd.DataFrame({"id": ["C00007", "C00100"], "category": ["sealed", "open"]})
    state = layer_state(Layer("小区", "compounds", rows, {"sealed": {}, "open": {}}), places_of(sources))
    codes = decode_ints(state["c"])
    order = [i for t in tiled.tiles for i in t.pack.ids]
    assert len(codes) == 120
    assert codes[order.index("C00007")] == 0 and codes[order.index("C00100")] == 1
    assert (codes >= 0).sum() == 2
    heads = [json.loads(s.js()) for s in sources]
    assert heads[0]["role"] == "dots" and heads[0]["n"] == 120
    assert [h["n"] for h in heads[1:]] == [len(t.pack.ids) for t in tiled.tiles]
    assert all(len(h["box"]) == 4 for h in heads[1:])
