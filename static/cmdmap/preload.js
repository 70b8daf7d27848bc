/*
 * Start fetching a map page's packs of places (see geo/pack.py) from the page itself, as soon as the page
 * script begins: the map's own frame starts a second or more later, and finds them in window.__cmdmapPacks
 * (static/cmdmap/fastlayer.js). Keeps the packs of the last few pages only.
 */
(function (urls) {
  "use strict";
  if (typeof DecompressionStream !== "function") { return; }  // the map fetches the plain packs itself
  var packs = window.__cmdmapPacks = window.__cmdmapPacks || {};
  urls.forEach(function (url) {
    if (packs[url]) { return; }
    packs[url] = fetch(url, {credentials: "same-origin"}).then(function (r) {
      if (!r.ok) { throw new Error("pack " + url + ": HTTP " + r.status); }
      return new Response(r.body.pipeThrough(new DecompressionStream("gzip"))).json();
    });
    packs[url].catch(function () { delete packs[url]; });  // the map will try again
  });
  var keys = Object.keys(packs);
  keys.slice(0, Math.max(0, keys.length - 6)).forEach(function (url) { delete packs[url]; });
})
