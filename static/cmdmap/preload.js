/*
 * Start getting a map page's packs of places (see geo/maps/pack.py) from the page itself, as soon as the page
 * script begins: the map's own frame starts a second or more later, and finds them in window.__cmdmapPacks
 * (static/cmdmap/fastlayer.js). A worker (static/cmdmap/packworker.js) fetches and decodes them on another
 * core; where there is no worker, the page fetches them and the frame decodes them. Keeps the last few.
 */
(function (urls, workerUrl, decoderUrl) {
  "use strict";
  if (typeof DecompressionStream !== "function") { return; }  // the map fetches the plain packs itself
  var packs = window.__cmdmapPacks = window.__cmdmapPacks || {};
  var wanted = urls.filter(function (url) { return !packs[url]; });
  if (!wanted.length) { return; }
  var worker = null, waiting = {};
  try { worker = typeof Worker === "function" ? new Worker(workerUrl) : null; } catch (err) { worker = null; }
  var fetched = function (url) {
    return fetch(url, {credentials: "same-origin"}).then(function (r) {
      if (!r.ok) { throw new Error("pack " + url + ": HTTP " + r.status); }
      return new Response(r.body.pipeThrough(new DecompressionStream("gzip"))).json();
    });
  };
  // a pack's places come first, then its grid (the map builds one itself if a pointer comes before)
  var settle = function (url, data) {
    var w = waiting[url];
    if (!w) { return; }
    if (data.geom) {
      w.geom = data.geom;
      w.resolve(data.geom);
      return;
    }
    delete waiting[url];
    if (data.grid) { w.geom.grid = data.grid; } else if (!w.geom) { w.reject(new Error(data.error)); }
    if (!Object.keys(waiting).length) { worker.terminate(); }
  };
  if (worker) {
    worker.onmessage = function (event) { settle(event.data.url, event.data); };
    worker.onerror = function (event) {  // the worker could not start: every pack it had
      Object.keys(waiting).forEach(function (url) { settle(url, {error: "worker: " + (event.message || "failed")}); });
    };
  }
  wanted.forEach(function (url) {
    packs[url] = worker ? new Promise(function (resolve, reject) {
      waiting[url] = {resolve: resolve, reject: reject};
      worker.postMessage({url: url, decoder: decoderUrl});
    }) : fetched(url);
    packs[url].catch(function () { delete packs[url]; });  // the map will try again
  });
  var keys = Object.keys(packs);
  keys.slice(0, Math.max(0, keys.length - 6)).forEach(function (url) { delete packs[url]; });
})
