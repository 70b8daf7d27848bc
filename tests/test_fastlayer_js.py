"""The browser's decoder (static/cmdmap/decode.js), run by Node on packs made by geo/pack.py.

A place's rings must end where its own vertices end, also when points and polygons are interleaved in a
pack or in the later packs of a layer (the supplies layer draws compounds and sites, a nation's compounds come
in tiles): a ring running on into the next place's vertices draws a shard across the map.
"""

import json
import math
import shutil
import subprocess

import geopandas as gpd
import numpy as np
from shapely import MultiPolygon, Point, box

from geo.maps.pack import PACK_FORMAT, decode_ints, encode_ints, pack_places
from tests.browser import ROOT
from tests.needs import unavailable

SCRIPT = r"""
const fs = require("fs");
const src = fs.readFileSync(process.argv[process.argv.length - 1], "utf8");
eval(src);
const {decode, buildGrid, item} = globalThis.cmdmapDecode;
const packs = JSON.parse(fs.readFileSync(0, "utf8"));
const out = [];
for (const g of packs.map(decode)) {
const grid = buildGrid(g);
for (let f = 0; f < g.n; f++) {
  const rings = [];
  for (let r = g.ringOf[f]; r < g.ringOf[f + 1]; r++) rings.push([g.ringVert[r], g.ringEnd[r]]);
  const cells = [];
  for (let k = 0; k < grid.side * grid.side; k++) {
    for (let i = grid.start[k]; i < grid.start[k + 1]; i++) { if (grid.items[i] === f) cells.push(k); }
  }
  const x = (g.box[4 * f] + g.box[4 * f + 2]) / 2, y = (g.box[4 * f + 1] + g.box[4 * f + 3]) / 2;
  const centre = Math.min(grid.side - 1, Math.floor((y - grid.y0) / grid.h)) * grid.side +
    Math.min(grid.side - 1, Math.floor((x - grid.x0) / grid.w));
  out.push({id: item(g.ids, f), name: item(g.names, f), first: g.featVert[f], end: g.featVert[f + 1], rings: rings, cells: cells, centre: centre});
}
}
console.log(JSON.stringify(out));
"""


DECODER = str(ROOT / "static" / "cmdmap" / "decode.js")


def node() -> str:
    found = shutil.which("node")
    if not found:
        unavailable("node is not installed (Debian: apt-get install nodejs; ./run.sh test installs it)")
    return found


def test_rings_end_where_their_place_ends_in_mixed_packs_and_later_ones():
    mixed = gpd.GeoDataFrame({"id": ["A", "p1", "B", "p2"], "name": ["", "金桂花园", "a\u0000<b>", "🏠家"]}, geometry=[
        box(114.0, 30.0, 114.01, 30.01), Point(114.2, 30.2),
        MultiPolygon([box(114.3, 30.3, 114.31, 30.31), box(114.4, 30.4, 114.41, 30.41)]), Point(114.5, 30.5)],
        crs=4326)
    points = gpd.GeoDataFrame({"id": ["S1", "S2"], "name": ["工地 一", ""]},
                              geometry=[Point(114.6, 30.6), Point(114.7, 30.7)], crs=4326)
    numbered = gpd.GeoDataFrame({"id": ["110101199003071", "000000000000009"], "name": ["", ""]},
                                geometry=[Point(114.8, 30.8), Point(114.9, 30.9)], crs=4326)
    packs = [json.loads(pack_places(frame).text) for frame in (mixed, points, numbered)]
    assert isinstance(packs[2]["ids"], dict)  # as a prefix and numbers
    done = subprocess.run([node(), "-e", SCRIPT, DECODER],
                          input=json.dumps(packs), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    places = json.loads(done.stdout)
    assert [p["id"] for p in places] == ["A", "p1", "B", "p2", "S1", "S2", "110101199003071", "000000000000009"]
    # names and ids come as one text and offsets per pack
    assert [p["name"] for p in places] == ["", "金桂花园", "a\u0000<b>", "🏠家", "工地 一", "", "", ""]
    for place in places:
        if place["id"] in ("A", "B"):
            assert place["rings"][0][0] == place["first"] and place["rings"][-1][1] == place["end"], place
            assert all(a < b for a, b in place["rings"]), place
        else:
            assert place["rings"] == [] and place["end"] == place["first"] + 1, place
    assert len(places[2]["rings"]) == 2
    # the grid that finds a place under the pointer lists each place once in each cell it touches
    for place in places:
        assert place["centre"] in place["cells"] and len(set(place["cells"])) == len(place["cells"]), place


MERCATOR = r"""
const fs = require("fs");
const src = fs.readFileSync(process.argv[process.argv.length - 1], "utf8");
eval(src);
const decode = globalThis.cmdmapDecode.decode;
const g = decode(JSON.parse(fs.readFileSync(0, "utf8")));
console.log(JSON.stringify({X: Array.from(g.X), Y: Array.from(g.Y)}));
"""


def test_vertices_land_where_web_mercator_puts_them():
    """The decoder's short cut for Mercator's y (a series around nearby vertices) stays within 0.05 pixel at
    zoom 18, for compounds spread over a province and for a zone tens of kilometres across."""
    frame = gpd.GeoDataFrame({"id": [f"C{i}" for i in range(41)] + ["Z"], "name": [""] * 42}, geometry=[
        *(box(100 + i * 0.37, -20 + i * 1.9, 100.002 + i * 0.37, -19.998 + i * 1.9) for i in range(41)),
        box(114.0, 29.8, 114.6, 30.4)], crs=4326)
    text = pack_places(frame).text
    done = subprocess.run([node(), "-e", MERCATOR, DECODER],
                          input=text, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    body = json.loads(text)
    deltas = decode_ints(body["xy"]).reshape(-1, 2).cumsum(axis=0) * 10.0 ** -body["q"]
    lat = np.radians(deltas[:, 1])
    exact = (0.5 - np.log((1 + np.sin(lat)) / (1 - np.sin(lat))) / (4 * math.pi)) * 256
    assert np.abs(np.array(got["Y"]) - exact).max() * 2 ** 18 < 0.05
    assert np.allclose(got["X"], (deltas[:, 0] + 180) / 360 * 256)



VERSIONS = r"""
const fs = require("fs");
const src = fs.readFileSync(process.argv[process.argv.length - 1], "utf8");
eval(src);
const {FORMAT, decode} = globalThis.cmdmapDecode;
const pack = JSON.parse(fs.readFileSync(0, "utf8"));
const outcome = (p) => { try { return {n: decode(p).n}; } catch (err) { return {error: String(err)}; } };
const old = Object.assign({}, pack); delete old.v;
console.log(JSON.stringify({format: FORMAT, same: outcome(pack), next: outcome(Object.assign({}, pack, {v: FORMAT + 1})),
                            old: outcome(old), text: outcome(Object.assign({}, pack, {v: String(FORMAT)}))}));
"""


def test_a_pack_of_another_format_is_refused_not_misread():
    """decode.js reads the format geo/maps/pack.py writes, and refuses with a clear error any other: a newer
    one, one written as text, and a pack from before packs had a format (a file cached long ago)."""
    frame = gpd.GeoDataFrame({"id": ["A", "B"], "name": ["", ""]}, geometry=[box(114, 30, 114.01, 30.01),
                                                                             Point(114.2, 30.2)], crs=4326)
    done = subprocess.run([node(), "-e", VERSIONS, DECODER],
                          input=pack_places(frame).text, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    assert got["format"] == PACK_FORMAT and got["same"] == {"n": 2}
    for refused, shown in (("next", str(PACK_FORMAT + 1)), ("old", "undefined"), ("text", f'"{PACK_FORMAT}"')):
        assert "n" not in got[refused], refused
        assert f"pack of format {shown} was refused" in got[refused]["error"], got[refused]
        assert f"this decoder reads format {PACK_FORMAT}" in got[refused]["error"], got[refused]


CODES = r"""
const fs = require("fs");
eval(fs.readFileSync(process.argv[process.argv.length - 1], "utf8"));
const {decodeCodes} = globalThis.cmdmapDecode;
const cases = JSON.parse(fs.readFileSync(0, "utf8"));
console.log(JSON.stringify(cases.map(([text, n]) => {
  const out = decodeCodes(text, n);
  return [out.constructor.name, Array.from(out)];
})));
"""


def test_a_layers_statuses_decode_into_a_typed_array_as_they_were_encoded():
    """decodeCodes (the map's statuses at every update) reads what encode_ints wrote, codes of one character and
    of several alike, and leaves the places past the end of a shorter text not shown (-1)."""
    rng = np.random.default_rng(3)
    small = rng.integers(-1, 6, 1000)
    mixed = np.array([-1, 0, 15, 16, -17, 300, 32767, -1, 2])  # 16 and more take two characters or three
    cases = [(encode_ints(small), 1000), (encode_ints(mixed), len(mixed)), (encode_ints(np.array([3, 1])), 5),
             ("", 3)]
    done = subprocess.run([node(), "-e", CODES, DECODER], input=json.dumps(cases), capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    assert all(kind == "Int16Array" for kind, _ in got)
    assert got[0][1] == small.tolist() and got[1][1] == mixed.tolist()
    assert got[2][1] == [3, 1, -1, -1, -1] and got[3][1] == [-1, -1, -1]
    assert decode_ints(encode_ints(mixed)).tolist() == mixed.tolist()  # the Python side agrees
