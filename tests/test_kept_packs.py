"""The packs of a layer's places kept across restarts (geo/maps/kept.py, issue #22): a million compounds' tiles took
33 s of the warm-up after every start, for the very files the start before had written.

An index is found again by the places' content and the choices that shape the packs, and taken only whole.
"""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
import shapely
import streamlit as st
from shapely.geometry import Polygon

import ui.cache
import ui.packs
from geo.maps import keep_packs, kept_packs, pack_places, pack_tiles, places_key, write_pack
from geo.settings import load
from geo.store import apply_rows, connect, current, newest_version, snapshot_folder
from ui.warmup import Warmer


def _places(n: int = 6) -> gpd.GeoDataFrame:
    squares = [Polygon([(114 + i * 0.01, 30), (114.005 + i * 0.01, 30), (114.005 + i * 0.01, 30.005),
                        (114 + i * 0.01, 30.005)]) for i in range(n)]
    return gpd.GeoDataFrame({"id": [f"C{i:03d}" for i in range(n)], "name": [f"小区{i}" for i in range(n)]},
                            geometry=squares, crs="EPSG:4326")


def test_the_key_follows_every_id_name_shape_order_and_choice_and_nothing_else():
    places = _places()
    key = places_key(places, "wgs84", 100)
    assert key == places_key(places.copy(), "wgs84", 100)  # another frame of the same places
    assert key == places_key(places.assign(zone=["Z1"] * 6), "wgs84", 100)  # a column packs do not hold
    moved = places.copy()
    moved.loc[3, "geometry"] = shapely.affinity.translate(moved.geometry[3], 1e-5)
    renamed = places.assign(name=[*places["name"][:5], "新名"])
    holed = places.copy()
    holed.loc[0, "geometry"] = Polygon(places.geometry[0].exterior,
                                       [[(114.001, 30.001), (114.002, 30.001), (114.002, 30.002)]])
    unplaced, unplaced_later = places.copy(), places.copy()  # a place not placed yet (待定位) has no shape
    unplaced.loc[1, "geometry"] = None
    unplaced_later.loc[[1, 2], "geometry"] = [places.geometry[2], None]
    others = [places_key(unplaced, "wgs84", 100), places_key(unplaced_later, "wgs84", 100),
              places_key(moved, "wgs84", 100), places_key(renamed, "wgs84", 100), places_key(holed, "wgs84", 100),
              places_key(places.iloc[::-1], "wgs84", 100), places_key(places.iloc[:5], "wgs84", 100),
              places_key(places, "gcj02", 100), places_key(places, "wgs84", 2)]
    assert len({key, *others}) == len(others) + 1


@pytest.fixture
def kept(tmp_path):
    """Tiles and dots of six places written as files and listed in an index; (index folder, files folder, key)."""
    places, files, index = _places(), tmp_path / "cache", tmp_path / "store.snapshot" / "packs"
    tiled = pack_tiles(places, 2)
    packs = [("dots", None, tiled.dots), *(("tile", tile.box, tile.pack) for tile in tiled.tiles)]
    for _, _, pack in packs:
        assert write_pack(pack, files)
    key = places_key(places, "wgs84", 4)
    keep_packs(index, key, packs)
    return index, files, key, packs


def test_an_index_gives_back_the_very_packs_it_lists(kept):
    index, files, key, packs = kept
    found = kept_packs(index, key, files)
    assert [(role, box, pack.digest, pack.kind, pack.text, pack.ids.tolist()) for role, box, pack in found] == \
           [(role, box, pack.digest, pack.kind, pack.text, pack.ids.tolist()) for role, box, pack in packs]
    assert oct(index.stat().st_mode & 0o777) == "0o700"  # beside the store, as its snapshot


def test_an_index_is_taken_only_whole(kept):
    index, files, key, packs = kept
    tile = packs[2][2]
    (files / f"{tile.file_name}.gz").unlink()  # removed by the sweep of old packs, say
    assert kept_packs(index, key, files) is None
    write_pack(tile, files)
    assert kept_packs(index, key, files) is not None
    (files / tile.file_name).write_text(tile.text.replace("C", "X"), encoding="utf-8")  # not what its name says
    assert kept_packs(index, key, files) is None


def test_an_index_of_another_format_or_cut_short_is_not_taken(kept, caplog):
    index, files, key, _ = kept
    path = index / f"packs-{key}.json"
    body = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**body, "format": 99}), encoding="utf-8")
    assert kept_packs(index, key, files) is None
    path.write_text(json.dumps(body)[:100], encoding="utf-8")
    assert kept_packs(index, key, files) is None
    assert "could not be read" in caplog.text


def test_only_the_newest_used_indexes_are_kept(tmp_path, monkeypatch):
    # the module keep_packs reads: the doctests of geo/maps/kept.py, run first in one process, import it again
    monkeypatch.setitem(keep_packs.__globals__, "INDEXES_KEPT", 2)
    files, index = tmp_path / "cache", tmp_path / "packs"
    keys = []
    for n in (2, 3, 4):
        places = _places(n)
        pack = pack_places(places)
        write_pack(pack, files)
        keys.append(places_key(places, "wgs84", 10))
        keep_packs(index, keys[-1], [("whole", None, pack)])
    assert kept_packs(index, keys[0], files) is None and kept_packs(index, keys[2], files) is not None


def test_a_folder_that_cannot_be_written_keeps_no_index_and_says_so(tmp_path, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    pack = pack_places(_places(2))
    keep_packs(blocker / "packs", "k", [("whole", None, pack)])
    assert "could not be written" in caplog.text


def _restart(monkeypatch) -> None:
    """What a new process has: no cache, nothing packed."""
    monkeypatch.setattr(ui.packs, "_LAST_PACKED", {})
    monkeypatch.setattr(ui.cache, "_last_read", {})
    st.cache_resource.clear()


def test_a_restart_finds_the_packs_the_start_before_made_and_makes_them_again_when_a_place_moved(
        page_env, app_store_url, monkeypatch):
    monkeypatch.setenv("CMDMAP_MAP_PLACES_AT_ONCE", "2")  # the tiny city's compounds stand for a nation: tiles
    made = []
    for name in ("pack_places", "pack_tiles"):
        real = getattr(ui.packs, name)
        monkeypatch.setattr(ui.packs, name, lambda *a, real=real, name=name, **k: made.append(name) or real(*a, **k))
    Warmer(lambda: connect(app_store_url), load()).step()
    assert "pack_tiles" in made
    assert list((snapshot_folder(app_store_url) / "packs").glob("packs-*.json"))
    version = newest_version(page_env)
    before = ui.packs._sources(app_store_url, version, "", "compounds", "wgs84", 2)

    _restart(monkeypatch)
    made.clear()
    Warmer(lambda: connect(app_store_url), load()).step()
    assert made == []  # every layer's packs read back
    after = ui.packs._sources(app_store_url, version, "", "compounds", "wgs84", 2)
    assert [(s.url, s.role, s.box, s.pack.ids.tolist(), s.pack.text) for s in after] == \
           [(s.url, s.role, s.box, s.pack.ids.tolist(), s.pack.text) for s in before]

    moved = current(page_env, "compounds").head(1).copy()  # one compound moved by a metre
    moved["geometry"] = moved.geometry.translate(1e-5)
    apply_rows(page_env, "compounds", moved, "clerk")
    _restart(monkeypatch)
    again = ui.packs._sources(app_store_url, newest_version(page_env), "", "compounds", "wgs84", 2)
    assert made == ["pack_tiles"]
    assert {s.pack.digest for s in again} != {s.pack.digest for s in before}


def test_packs_read_back_hold_their_ids_as_numpy_text_not_a_python_string_each(tmp_path):
    """A million compounds' tiles and dots, read back at every start, held two million Python strings: 120 MB
    of the server's memory. Numpy's own text keeps a short id in 16 bytes."""
    places = _places(2_000)
    tiled = pack_tiles(places, 300)
    made = [("dots", None, tiled.dots), *(("tile", tile.box, tile.pack) for tile in tiled.tiles)]
    for _, _, pack in made:
        write_pack(pack, tmp_path / "packs")
    key = places_key(places, "wgs84", 300)
    keep_packs(tmp_path / "index", key, made)
    back = kept_packs(tmp_path / "index", key, tmp_path / "packs")
    assert [pack.ids.tolist() for _, _, pack in back] == [pack.ids.tolist() for _, _, pack in made]
    for _, _, pack in back:
        assert pack.ids.dtype != object and pack.ids.nbytes <= 16 * len(pack.ids)
