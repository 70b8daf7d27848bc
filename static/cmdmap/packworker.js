/*
 * Fetch, unzip, parse and decode packs of places off the page's main thread (see static/cmdmap/preload.js).
 *
 * At 100,000 compounds, unzipping, parsing and decoding a pack and indexing it takes 0.3 s (Node, idle
 * machine), at the moment Streamlit keeps the page's main thread busiest; here it runs on another core.
 * Each message asks for one pack: {url, decoder}; the answer is {url, geom} with the arrays handed over,
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
    var geom = cmdmapDecode.decode(pack);
    geom.grid = cmdmapDecode.buildGrid(geom);
    self.postMessage({url: job.url, geom: geom}, cmdmapDecode.buffers(geom));
  }).catch(function (err) {
    self.postMessage({url: job.url, error: String(err)});
  });
};
