/*
 * Fetch, unzip, parse and decode packs of places off the page's main thread (see static/cmdmap/preload.js).
 *
 * At 100,000 compounds, unzipping, parsing and decoding a pack and indexing it takes 0.3 s (Node, idle
 * machine), at the moment Streamlit keeps the page's main thread busiest; here it runs on another core.
 * Each message asks for one pack: {url, decoder}; the answers are {url, geom}, then {url, grid} (the grid that
 * finds the place under the pointer, which the map needs only once it is drawn), with the arrays handed over;
 * or {url, error}.
 */
/* global importScripts, cmdmapDecode */
self.onmessage = function (event) {
  "use strict";
  var job = event.data;
  try {
    if (!self.cmdmapDecode) { importScripts(job.decoder); }
  } catch (err) {
    self.postMessage({url: job.url, error: "decoder: " + err});
    return;
  }
  cmdmapDecode.fetchPack(job.url, true).then(function (pack) {
    var geom = cmdmapDecode.decode(pack), kept = {n: geom.n, box: geom.box.slice()};
    self.postMessage({url: job.url, geom: geom}, cmdmapDecode.buffers(geom));
    var grid = cmdmapDecode.buildGrid(kept);
    self.postMessage({url: job.url, grid: grid}, cmdmapDecode.buffers(grid));
  }).catch(function (err) {
    self.postMessage({url: job.url, error: String(err)});
  });
};
