"""The browser's decoder (static/cmdmap/fastlayer.js), run by Node on packs made by geo/pack.py.

A place's rings must end where its own vertices end, also when points and polygons are interleaved in a
pack or when two packs are joined (the supplies layer draws compounds and sites): a ring running on into
the next place's vertices draws a shard across the map.
"""

import json
import shutil
import subprocess

import geopandas as gpd
from shapely import MultiPolygon, Point, box

from geo.pack import pack_places
from tests.browser import ROOT
from tests.needs import unavailable

SCRIPT = r"""
const fs = require("fs");
const src = fs.readFileSync(process.argv[process.argv.length - 1], "utf8");
eval(src.slice(src.indexOf("var ALPHABET"), src.indexOf("var registry")) +
     src.slice(src.indexOf("/* Signed integers"), src.indexOf("function loadSource")));
const packs = JSON.parse(fs.readFileSync(0, "utf8"));
const g = concat(packs.map(decode));
const out = [];
for (let f = 0; f < g.n; f++) {
  const rings = [];
  for (let r = g.ringOf[f]; r < g.ringOf[f + 1]; r++) rings.push([g.ringVert[r], g.ringEnd[r]]);
  out.push({id: g.ids[f], first: g.featVert[f], end: g.featVert[f + 1], rings: rings});
}
console.log(JSON.stringify(out));
"""


def node() -> str:
    found = shutil.which("node")
    if not found:
        unavailable("node is not installed (Debian: apt-get install nodejs; ./run.sh test installs it)")
    return found


def test_rings_end_where_their_place_ends_in_mixed_and_joined_packs():
    mixed = gpd.GeoDataFrame({"id": ["A", "p1", "B", "p2"], "name": ["", "", "", ""]}, geometry=[
        box(114.0, 30.0, 114.01, 30.01), Point(114.2, 30.2),
        MultiPolygon([box(114.3, 30.3, 114.31, 30.31), box(114.4, 30.4, 114.41, 30.41)]), Point(114.5, 30.5)],
        crs=4326)
    points = gpd.GeoDataFrame({"id": ["S1", "S2"], "name": ["", ""]},
                              geometry=[Point(114.6, 30.6), Point(114.7, 30.7)], crs=4326)
    packs = [json.loads(pack_places(frame).text) for frame in (mixed, points)]
    done = subprocess.run([node(), "-e", SCRIPT, str(ROOT / "static" / "cmdmap" / "fastlayer.js")],
                          input=json.dumps(packs), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    places = json.loads(done.stdout)
    assert [p["id"] for p in places] == ["A", "p1", "B", "p2", "S1", "S2"]
    for place in places:
        if place["id"] in ("A", "B"):
            assert place["rings"][0][0] == place["first"] and place["rings"][-1][1] == place["end"], place
            assert all(a < b for a, b in place["rings"]), place
        else:
            assert place["rings"] == [] and place["end"] == place["first"] + 1, place
    assert len(places[2]["rings"]) == 2
