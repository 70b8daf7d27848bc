"""The base map under the briefing's map figures: tiles of a tile file or of a tile server, warped from Web Mercator
(and GCJ-02) into the figure's UTM projection, credited in a corner; a plain figure when they cannot be had.

No internet: the tile server is one this module starts on 127.0.0.1, serving the tiles of the test's file.
"""

from __future__ import annotations

import contextlib
import io
import socket
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest
from PIL import Image
from pyproj import Transformer

from geo.accounts import SYSTEM
from geo.analysis import compound_view
from geo.domain import vocab
from geo.io import wgs84_to_gcj02
from geo.report import build_briefing, find_cjk_font, status_map
from geo.report.figure_tiles import FETCH_SECONDS, FETCHERS, FigureTiles, base_image, figure_tiles
from geo.settings import load
from geo.store import load_store
from geo.upload import open_city
from tests.tilefiles import png, tile_of, tiles_around, write_mbtiles

CENTRE = (114.32, 29.84)
TILE_COLOUR = (40 + 10 * 13, 120, 200)  # tiles_around's colour of zoom 13


@pytest.fixture
def city(tiny_dir):
    tiles = tiles_around(*CENTRE, range(11, 14), margin=3)
    path = write_mbtiles(tiny_dir.parent / "city.mbtiles", tiles, scheme="tms")
    return load_store(open_city(f"sqlite:///{tiny_dir.parent / 'figure.sqlite'}", tiny_dir)), path, tiles


def share_of(png_bytes: bytes, colour: tuple[int, int, int]) -> float:
    pixels = np.asarray(Image.open(io.BytesIO(png_bytes)).convert("RGB")).reshape(-1, 3).astype(int)
    return float((np.abs(pixels - colour).max(axis=1) <= 2).mean())


def closure_map(ds, basemap) -> bytes:
    return status_map(compound_view(ds, "2020-02-25"), "closure", ds.zones, "物业小区封闭管理状态", "zh",
                      find_cjk_font(), basemap=basemap)


def test_a_figure_with_a_tile_file_has_its_tiles_under_the_places_and_without_one_stays_plain(city):
    ds, path, _ = city
    tiles = figure_tiles(load({"CMDMAP_BASEMAP": "file", "CMDMAP_TILE_FILE": str(path)}))
    with_tiles = closure_map(ds, tiles)
    assert share_of(with_tiles, TILE_COLOUR) > 0.4  # the file's zoom-13 tiles fill the map's frame
    sealed = tuple(int(vocab.color("closure", "sealed")[i:i + 2], 16) for i in (1, 3, 5))
    assert share_of(with_tiles, sealed) > 0  # the places are drawn over them
    assert with_tiles.basemap == "city.mbtiles"
    plain = closure_map(ds, None)
    assert share_of(plain, TILE_COLOUR) == 0 and plain.basemap == ""
    elsewhere = write_mbtiles(path.parent / "elsewhere.mbtiles", tiles_around(2.35, 48.85, range(11, 14)))
    missing = closure_map(ds, figure_tiles(load({"CMDMAP_BASEMAP": "file", "CMDMAP_TILE_FILE": str(elsewhere)})))
    assert share_of(missing, TILE_COLOUR) == 0 and missing.basemap == ""  # a file without the city: plain


def test_gcj02_tiles_are_read_where_gcj02_puts_a_place():
    """Each tile column its own colour: the figure's centre shows the column holding the place, in the datum the
    tiles are drawn in (GCJ-02 moves Xianning some 500 m, two tiles at zoom 17)."""
    def column_tile(z, x, y):
        return png((x % 256, (x // 256) % 256, 7))

    lon, lat = CENTRE
    half = 60.0  # metres around the place, in UTM zone 50N
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:32650", always_xy=True).transform(lon, lat)
    bounds = (x - half, y - half, x + half, y + half)
    for datum, (tlon, tlat) in (("wgs84", (lon, lat)), ("gcj02", wgs84_to_gcj02(lon, lat))):
        image = base_image(FigureTiles(column_tile, datum, "", 17, 17), "EPSG:32650", bounds, (64, 64))
        column = tile_of(float(tlon), float(tlat), 17)[0]
        assert tuple(image[32, 32][:3]) == (column % 256, (column // 256) % 256, 7), datum
    assert tile_of(*wgs84_to_gcj02(lon, lat), 17)[0] - tile_of(lon, lat, 17)[0] >= 2


@pytest.fixture
def tile_server(city):
    _, _, tiles = city

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self):
            z, x, y = (int(part) for part in self.path.strip("/").removesuffix(".png").split("/"))
            data = tiles.get((z, x, y))
            self.send_response(200 if data else 404)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(data or b"")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/{{z}}/{{x}}/{{y}}.png"
    server.shutdown()
    server.server_close()


def test_a_tile_server_gives_the_briefing_its_base_map_and_one_that_does_not_answer_leaves_it_plain_once(city,
                                                                                                   tile_server):
    ds, _, _ = city
    settings = load({"CMDMAP_BASEMAP": "custom", "CMDMAP_TILE_URL": tile_server})
    briefing = build_briefing(ds, "2020-02-25", user=SYSTEM, settings=settings, font=find_cjk_font())
    closure = next(s for s in briefing.sections if s.heading == "小区封闭管理")
    assert share_of(closure.figure, TILE_COLOUR) > 0.4  # zoom 13 is the deepest the server has all of
    assert closure.caption == f"图：物业小区封闭管理状态（底图：{tile_server.split('/')[2]}）"
    assert any(line.startswith("地图底图：127.0.0.1") for line in briefing.sections[-1].lines)
    with silent_server() as (silent, connections):
        start = time.perf_counter()
        plain = closure_map(ds, figure_tiles(silent))
        assert time.perf_counter() - start > FETCH_SECONDS and connections  # it was asked, and waited for
    assert share_of(plain, TILE_COLOUR) == 0 and plain.basemap == ""  # plain, and the caption will say so
    assert figure_tiles(silent) is None  # not asked again for a while


def test_a_server_that_does_not_answer_is_waited_for_once_and_no_more_tiles_are_asked_of_it():
    """The briefing's second figure does not wait again, and the threads still waiting ask for no more tiles."""
    asked = []

    def hanging(z, x, y):
        asked.append((z, x, y))
        time.sleep(FETCH_SECONDS + 0.5)
        raise TimeoutError("timed out")

    tiles = FigureTiles(hanging, "wgs84", "", 0, 18, remote="http://hanging.example/{z}/{x}/{y}.png")
    bounds = (500_000.0, 3_300_000.0, 520_000.0, 3_316_000.0)  # 20 km of UTM 50N near Xianning: 16+ tiles at zoom 12
    start = time.perf_counter()
    assert base_image(tiles, "EPSG:32650", bounds, (800, 640)) is None
    first = time.perf_counter() - start
    assert FETCH_SECONDS - 0.1 < first < FETCH_SECONDS + 1.5 and len(asked) == FETCHERS  # one wave, then given up
    start = time.perf_counter()
    assert base_image(tiles, "EPSG:32650", bounds, (800, 640)) is None
    assert time.perf_counter() - start < 1.0 and len(asked) == FETCHERS  # not asked again
    time.sleep(0.7)  # the waiting threads' reads end: they ask for no next tile
    assert len(asked) == FETCHERS


@contextmanager
def silent_server():
    """A tile server that takes connections and never answers (a firewall that swallows them): its settings and
    the connections it took."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    taken: list[socket.socket] = []

    def take():
        with contextlib.suppress(OSError):  # closed at the end
            while True:
                taken.append(listener.accept()[0])

    threading.Thread(target=take, daemon=True).start()
    port = listener.getsockname()[1]
    try:
        yield load({"CMDMAP_BASEMAP": "custom", "CMDMAP_TILE_URL": f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png"}), \
            taken
    finally:
        listener.close()
        for connection in taken:
            connection.close()
