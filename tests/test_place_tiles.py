"""A nation's places in tiles (geo/maps/tiles.py): every place in one tile, tiles of nearby places, dots in
the tiles' order, and the page's statuses listed in that order whatever the browser fetches."""

import gzip
import json
from dataclasses import replace

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import Point, box

from geo.maps import Layer, Source, cut_tiles, layer_state, map_update, pack_places, pack_tiles, places_of
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


def _tiled_sources(tiled, folder=None) -> list[Source]:
    return [Source(tiled.dots, role="dots", folder=folder),
            *(Source(t.pack, f"/app/static/cache/{t.pack.file_name}", "tile", t.box, folder) for t in tiled.tiles)]


def _status_layer(rows: pd.DataFrame) -> Layer:
    return Layer("小区", "compounds", rows, {"sealed": {}, "open": {}}, fields=[("片区", "zone"), ("人数", "n")])


def test_a_tiled_layers_tooltip_columns_go_into_a_file_beside_each_tile_not_into_the_update(tmp_path):
    city = _city(400)
    tiled = pack_tiles(city, 50)
    rows = pd.DataFrame({"id": city["id"], "category": "open", "zone": [f"Z{i % 7}" for i in range(400)],
                         "n": [str(i) for i in range(400)]})
    rows.loc[rows["id"].isin(tiled.tiles[2].pack.ids), "category"] = None  # filtered out: still listed
    rows = rows[~rows["id"].isin(tiled.tiles[3].pack.ids)]  # a tile with no place shown
    inline = map_update([_status_layer(rows)], {"compounds": _tiled_sources(tiled)})
    apart = map_update([_status_layer(rows)], {"compounds": _tiled_sources(tiled, tmp_path)})
    state = json.loads(apart.message)["states"][0]
    assert state["fields"] == [] and state["tf"][0] == ["片区", "人数"]
    assert len(apart.message) * 3 < len(inline.message)  # the columns were most of the update
    digests = state["tf"][1]
    assert len(digests) == len(tiled.tiles) and digests[3] is None and all(digests[:3] + digests[4:])
    for tile, digest in zip(tiled.tiles, digests):
        if digest is None:
            continue
        zipped = tmp_path / f"fields-{digest}.json.gz"
        assert zipped.exists() and (tmp_path / f"fields-{digest}.json").exists()
        zone, people = json.loads(gzip.decompress(zipped.read_bytes()))
        people = people if isinstance(people, list) else [people["d"][i] for i in decode_ints(people["i"])]
        assert people == [str(int(i[1:])) for i in tile.pack.ids]  # each value at its place in the tile
    # the timeline's glimpse carries neither; the same update again writes nothing new
    assert "tf" not in json.loads(apart.glimpse)["states"][0]
    files = sorted(tmp_path.iterdir())
    map_update([_status_layer(rows)], {"compounds": _tiled_sources(tiled, tmp_path)})
    assert sorted(tmp_path.iterdir()) == files


def test_a_layer_in_one_pack_or_without_tooltips_keeps_its_columns_in_the_update(tmp_path):
    city = _city(60)
    rows = pd.DataFrame({"id": city["id"], "category": "open", "zone": "Z1", "n": "3"})
    whole = Source(pack_places(city), "/app/static/cache/c.json", folder=tmp_path)
    state = json.loads(map_update([_status_layer(rows)], {"compounds": [whole]}).message)["states"][0]
    assert "tf" not in state and [f[0] for f in state["fields"]] == ["片区", "人数"]
    # fewer places than a tenth of what a map draws at once: still in the update
    state = json.loads(map_update([_status_layer(rows)], {"compounds": [whole]}, at_once=601).message)["states"][0]
    assert "tf" not in state and not list(tmp_path.glob("fields-*"))
    quiet = replace(_status_layer(rows), fields=[])  # the wall's screen
    state = json.loads(map_update([quiet], {"compounds": _tiled_sources(pack_tiles(city, 20), tmp_path)}).message)
    assert "tf" not in state["states"][0] and not list(tmp_path.glob("fields-*"))


def test_a_big_citys_whole_pack_keeps_its_tooltip_columns_in_a_file_beside_it(tmp_path):
    city = _city(60)
    rows = pd.DataFrame({"id": city["id"][::-1], "category": "open", "zone": "Z1",
                         "n": [str(i) for i in range(60)][::-1]})
    whole = Source(pack_places(city), "/app/static/cache/c.json", folder=tmp_path)
    inline = map_update([_status_layer(rows)], {"compounds": [whole]})
    apart = map_update([_status_layer(rows)], {"compounds": [whole]}, at_once=600)  # 60 places: a tenth of it
    state = json.loads(apart.message)["states"][0]
    assert state["fields"] == [] and state["tf"][0] == ["片区", "人数"] and len(apart.message) < len(inline.message)
    (digest,) = state["tf"][1]
    zone, people = json.loads(gzip.decompress((tmp_path / f"fields-{digest}.json.gz").read_bytes()))
    people = people if isinstance(people, list) else [people["d"][i] for i in decode_ints(people["i"])]
    assert people == [str(int(i[1:])) for i in whole.pack.ids]  # in the pack's order, not the rows'
    assert json.loads(inline.message)["states"][0]["c"] == state["c"]  # the same statuses either way
