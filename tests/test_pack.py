"""Packs of places: the shapes the browser decodes are the ones stored, rounded to a metre."""

import gzip
import json
import os
import time

import geopandas as gpd
import numpy as np
from shapely import MultiPolygon, Point, Polygon, box

from geo.maps import pack as pack_module
from geo.maps.pack import PACK_FORMAT, decode_ints, encode_ints, pack_places, write_pack


def _shapes(pack):
    """Decode a pack as the browser does: per feature its rings (lists of (x, y) in degrees) or its point."""
    body = json.loads(pack.text)
    xy = np.cumsum(decode_ints(body["xy"]).reshape(-1, 2), axis=0) / 10 ** body["q"]
    out, vertex, ring = [], 0, 0
    for count in body["rings"]:
        if count == 0:
            out.append(tuple(xy[vertex]))
            vertex += 1
            continue
        rings = []
        for size in body["sizes"][ring:ring + count]:
            rings.append([tuple(v) for v in xy[vertex:vertex + size]])
            vertex += size
        ring += count
        out.append(rings)
    assert vertex == len(xy)
    return out


def test_integers_round_trip_whatever_their_size():
    values = np.array([0, 1, -1, 15, -16, 16, 511, -512, 2 ** 31, -(2 ** 31), 18_000_000, -9_000_000,
                       2 ** 63 - 1, -(2 ** 63)])
    assert decode_ints(encode_ints(values)).tolist() == values.tolist()
    assert encode_ints(values, chunk=3) == encode_ints(values)  # long arrays go a chunk at a time
    assert encode_ints(np.array([0, 1, -1, 15])) == "ACBe"  # one character each while zigzagged below 32


def test_polygons_holes_multipolygons_and_points_come_back_rounded():
    square_with_hole = Polygon(box(114.0, 30.0, 114.01, 30.01).exterior.coords,
                               [box(114.004, 30.004, 114.006, 30.006).exterior.coords])
    two = MultiPolygon([box(114.1, 30.1, 114.101, 30.101), box(114.2, 30.2, 114.201, 30.201)])
    frame = gpd.GeoDataFrame({"id": ["A", "B", "S"], "name": ["甲", "乙", "工地"]},
                             geometry=[square_with_hole, two, Point(114.123456, 30.654321)], crs=4326)
    pack = pack_places(frame)
    assert pack.ids.tolist() == ["A", "B", "S"]
    shapes = _shapes(pack)
    assert [len(s) for s in shapes[:2]] == [2, 2]  # outer ring and hole; two parts
    assert all(len(ring) == 4 for ring in shapes[0])  # the closing vertex is left to the browser
    assert shapes[2] == (114.12346, 30.65432)
    assert np.allclose(sorted(shapes[1][1]), sorted([(114.2, 30.2), (114.201, 30.2), (114.201, 30.201),
                                                     (114.2, 30.201)]))


def test_empty_and_collapsing_shapes_are_left_out():
    tiny = box(114.0, 30.0, 114.000001, 30.000001)  # rounds to a single point
    frame = gpd.GeoDataFrame({"id": ["empty", "tiny", "ok"], "name": ["", "", ""]},
                             geometry=[Polygon(), tiny, box(114, 30, 114.001, 30.001)], crs=4326)
    assert pack_places(frame).ids.tolist() == ["ok"]


def test_names_stay_text_and_cannot_close_a_script():
    frame = gpd.GeoDataFrame({"id": ["1"], "name": ["</script><b>金桂"]}, geometry=[Point(114, 30)], crs=4326)
    text = pack_places(frame).text
    assert "</script>" not in text and "<b>" not in text
    assert json.loads(text)["names"] == ["</script><b>金桂"]


def test_a_pack_names_its_format_and_a_new_format_gets_a_new_file(monkeypatch):
    frame = gpd.GeoDataFrame({"id": ["1"], "name": ["a"]}, geometry=[Point(114, 30)], crs=4326)
    before = pack_places(frame)
    assert json.loads(before.text)["v"] == PACK_FORMAT
    monkeypatch.setattr(pack_module, "PACK_FORMAT", PACK_FORMAT + 1)
    after = pack_places(frame)
    assert json.loads(after.text)["v"] == PACK_FORMAT + 1
    assert after.digest != before.digest and after.file_name != before.file_name  # never the old cached file


def test_write_pack_writes_once_and_forgets_old_packs(tmp_path):
    frame = gpd.GeoDataFrame({"id": ["1"], "name": ["a"]}, geometry=[Point(114, 30)], crs=4326)
    pack = pack_places(frame)
    stale = [tmp_path / "places-old.json", tmp_path / "places-old.json.gz"]
    for old in stale:
        old.write_text("{}")
        os.utime(old, (time.time() - 3 * 86400,) * 2)
    assert write_pack(pack, tmp_path)
    assert (tmp_path / pack.file_name).read_text(encoding="utf-8") == pack.text
    assert gzip.decompress((tmp_path / f"{pack.file_name}.gz").read_bytes()).decode("utf-8") == pack.text
    assert not any(old.exists() for old in stale)
    # no partial file left behind
    assert sorted(p.name for p in tmp_path.iterdir()) == [pack.file_name, f"{pack.file_name}.gz"]


def test_write_pack_reports_a_read_only_folder(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    frame = gpd.GeoDataFrame({"id": ["1"], "name": ["a"]}, geometry=[Point(114, 30)], crs=4326)
    assert write_pack(pack_places(frame), blocker / "cache") is False


def _ids(encoded):
    """Ids as the browser makes them (static/cmdmap/decode.js numberedIds and item)."""
    if isinstance(encoded, list):
        return encoded
    numbers = np.cumsum(decode_ints(encoded["n"]))
    return [f"{encoded['prefix']}{str(n).zfill(encoded['width'])}" for n in numbers]


def test_ids_keep_their_leading_zeros_and_exact_text():
    from geo.maps.pack import encode_ids

    for ids in (["XA-C00001", "XA-C00002", "XA-C00100"], ["0501", "0502", "0499"], ["C1", "C10", "C2"],
                ["C01", "C1"], ["A1", "B2"], ["110101199003071234", "110101199003071235"], ["7"], ["", "x"]):
        assert _ids(encode_ids(np.array(ids, dtype=object))) == ids, ids



def test_write_pack_looks_for_old_packs_once_in_a_while_not_at_each_pack(tmp_path):
    frame = gpd.GeoDataFrame({"id": ["1", "2"], "name": ["a", "b"]}, geometry=[Point(114, 30)] * 2, crs=4326)
    assert write_pack(pack_places(frame.iloc[:1]), tmp_path)
    stale = tmp_path / "fields-old.json.gz"
    stale.write_text("{}")
    os.utime(stale, (time.time() - 3 * 86400,) * 2)
    assert write_pack(pack_places(frame.iloc[1:]), tmp_path)
    assert stale.exists()  # looked for a moment ago: the next look removes it
    assert write_pack(pack_places(frame), tmp_path, keep_seconds=86400, sweep_every=0)
    assert not stale.exists()
