"""A base map from a tile file: MBTiles (XYZ and TMS rows, both layouts) and PMTiles, read by z/x/y; the map's
tile layer for it; and what a file that cannot serve does (no tiles, a message saying why)."""

from __future__ import annotations

import sqlite3

import folium
import pytest
from pmtiles.tile import TileType

from geo.io import TileFileError, open_tile_file, read_tile
from geo.maps import add_basemap, basemap_problem, overlay_datum
from geo.maps.basemap import TILE_URL, max_zoom
from geo.settings import Settings
from tests.tilefiles import png, write_mbtiles, write_pmtiles

RED, GREEN, BLUE = png((255, 0, 0)), png((0, 255, 0)), png((0, 0, 255))
# z=1 has two rows: the top one (y=0) red, the bottom one (y=1) green; z=0 blue
TILES = {(0, 0, 0): BLUE, (1, 0, 0): RED, (1, 1, 0): RED, (1, 0, 1): GREEN, (1, 1, 1): GREEN}


@pytest.mark.parametrize("scheme", ["xyz", "tms", None])
@pytest.mark.parametrize("layout", ["tiles", "map"])
def test_an_mbtiles_file_gives_each_tile_at_its_xyz_position_whatever_its_row_order(tmp_path, scheme, layout):
    path = write_mbtiles(tmp_path / "city.mbtiles", TILES, scheme=scheme, layout=layout)
    tiles = open_tile_file(str(path))
    assert (tiles.kind, tiles.format, tiles.media_type, tiles.min_zoom, tiles.max_zoom) == \
        ("mbtiles", "png", "image/png", 0, 1)
    assert tiles.tms is (scheme != "xyz")  # the MBTiles specification's rows are TMS unless the file says xyz
    assert read_tile(tiles, 1, 0, 0) == RED and read_tile(tiles, 1, 1, 1) == GREEN and read_tile(tiles, 0, 0, 0) == BLUE


def test_a_tile_the_file_does_not_have_or_that_cannot_exist_is_none(tmp_path):
    tiles = open_tile_file(str(write_mbtiles(tmp_path / "city.mbtiles", TILES)))
    assert read_tile(tiles, 2, 0, 0) is None  # a zoom level not downloaded
    assert read_tile(tiles, 1, 2, 0) is None and read_tile(tiles, 1, 0, 5) is None  # off the pyramid
    assert read_tile(tiles, 31, 0, 0) is None and read_tile(tiles, -1, 0, 0) is None


def test_the_zoom_range_comes_from_the_metadata_else_from_the_tiles(tmp_path):
    declared = write_mbtiles(tmp_path / "declared.mbtiles", TILES, metadata={"minzoom": "0", "maxzoom": "17"})
    assert open_tile_file(str(declared)).max_zoom == 17
    undeclared = write_mbtiles(tmp_path / "bare.mbtiles", TILES, metadata={"minzoom": None, "maxzoom": "deep"})
    assert (open_tile_file(str(undeclared)).min_zoom, open_tile_file(str(undeclared)).max_zoom) == (0, 1)


def test_the_tile_format_is_taken_from_the_tiles_when_the_metadata_does_not_say(tmp_path):
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (256, 256), (9, 9, 9)).save(buffer, format="JPEG")
    path = write_mbtiles(tmp_path / "photo.mbtiles", {(0, 0, 0): buffer.getvalue()}, metadata={"format": None})
    assert open_tile_file(str(path)).media_type == "image/jpeg"


def test_a_pmtiles_file_of_pngs_is_read_like_mbtiles(tmp_path):
    tiles = open_tile_file(str(write_pmtiles(tmp_path / "city.pmtiles", TILES)))
    assert (tiles.kind, tiles.media_type, tiles.min_zoom, tiles.max_zoom) == ("pmtiles", "image/png", 0, 1)
    assert read_tile(tiles, 1, 0, 0) == RED and read_tile(tiles, 1, 1, 1) == GREEN and read_tile(tiles, 2, 0, 0) is None


@pytest.mark.parametrize("make, key", [
    (lambda p: p, "tile_file_missing"),
    (lambda p: (p.write_text("name,lon,lat\n", encoding="utf-8"), p)[1], "tile_file_unknown"),
    (lambda p: (p.write_bytes(b""), p)[1], "tile_file_unknown"),
    (lambda p: write_mbtiles(p, {}), "tile_file_empty"),
    (lambda p: write_mbtiles(p, {(0, 0, 0): b"\x1a\x02vector"}, metadata={"format": "pbf"}), "tile_file_not_raster"),
    (lambda p: write_pmtiles(p, {(0, 0, 0): b"\x1a\x02vector"}, TileType.MVT), "tile_file_not_raster"),
    (lambda p: (p.write_bytes(b"PMTiles\x03" + b"\x00" * 20), p)[1], "tile_file_unreadable"),
])
def test_a_file_that_cannot_serve_a_base_map_is_refused_with_a_message_naming_it(tmp_path, make, key):
    path = make(tmp_path / "city.mbtiles")
    with pytest.raises(TileFileError) as refused:
        open_tile_file(str(path))
    assert refused.value.key == key
    assert str(path) in refused.value.text.zh and str(path) in refused.value.text.en
    assert "Traceback" not in refused.value.text.both()


def test_a_damaged_sqlite_file_is_refused_not_a_crash(tmp_path):
    path = tmp_path / "city.mbtiles"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE other (a)")
    conn.close()
    with pytest.raises(TileFileError) as refused:
        open_tile_file(str(path))
    assert refused.value.key == "tile_file_unreadable"


def test_the_map_draws_the_file_s_tiles_from_the_app_in_the_file_s_datum(tmp_path):
    path = write_mbtiles(tmp_path / "city.mbtiles", TILES, metadata={"minzoom": "0", "maxzoom": "16"})
    settings = Settings(basemap="file", tile_file=str(path), tile_crs="gcj02")
    m = folium.Map(tiles=None)
    add_basemap(m, settings)
    layers = [child for child in m._children.values() if isinstance(child, folium.TileLayer)]
    assert [layer.tiles for layer in layers] == [TILE_URL] == ["/tiles/{z}/{x}/{y}"]
    assert layers[0].options["max_native_zoom"] == 16 and layers[0].options["min_zoom"] == 0
    assert max_zoom(settings) == 18 and overlay_datum(settings) == "gcj02" and basemap_problem(settings) is None
    deep = write_mbtiles(tmp_path / "deep.mbtiles", TILES, metadata={"maxzoom": "20"})
    assert max_zoom(Settings(basemap="file", tile_file=str(deep))) == 20


def test_a_tile_file_that_cannot_serve_leaves_the_map_without_tiles_and_says_why(tmp_path):
    settings = Settings(basemap="file", tile_file=str(tmp_path / "gone.mbtiles"))
    m = folium.Map(tiles=None)
    add_basemap(m, settings)
    assert not [child for child in m._children.values() if isinstance(child, folium.TileLayer)]
    problem = basemap_problem(settings)
    assert "gone.mbtiles" in problem.zh and "不存在" in problem.zh and "does not exist" in problem.en
    assert max_zoom(settings) == 18
