/*
 * Decoding the packs of places (geo/maps/pack.py) into flat arrays, and the grid that finds a place under a point.
 *
 * Used by the map's frame (static/cmdmap/fastlayer.js) and by the page's worker (static/cmdmap/packworker.js),
 * which decodes the packs off the page's main thread while Streamlit is still building the page.
 * Everything it returns is typed arrays and lists of strings, so that a worker can hand it over.
 */
(function (root) {
  "use strict";

  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var DIGIT = new Int8Array(128);
  for (var i = 0; i < 64; i++) { DIGIT[ALPHABET.charCodeAt(i)] = i; }
  var D2R = Math.PI / 180, MAX_LAT = 85.0511287798;
  var FORMAT = 1;  // the pack format read here: geo/maps/pack.py PACK_FORMAT (a test keeps the two equal)

  /* A pack's JSON from ``url``; ``zipped``: the gzipped copy, unzipped here (the server sends it as it is). */
  function fetchPack(url, zipped) {
    return fetch(url, {credentials: "same-origin"}).then(function (r) {
      if (!r.ok) { throw new Error("pack " + url + ": HTTP " + r.status); }
      return zipped ? new Response(r.body.pipeThrough(new DecompressionStream("gzip"))).json() : r.json();
    });
  }

  /* Signed integers written by geo/maps/pack.py encode_ints. */
  function decodeInts(text) {
    var out = [], pos = 0, v, mul, c;
    while (pos < text.length) {
      v = 0; mul = 1;
      do { c = DIGIT[text.charCodeAt(pos++)]; v += (c & 31) * mul; mul *= 32; } while (c & 32);
      out.push((v % 2) ? -(v + 1) / 2 : v / 2);
    }
    return out;
  }

  /* A layer's statuses (geo/maps/fastlayer.py layer_state ``c``: a small code per place, -1 not shown) into a
     new Int16Array of ``n`` (-1 past the text's end), without the list decodeInts makes: a million places'
     codes through that list and a copy took 45 ms in Node, against 5 ms here (bench/apply_state.py). */
  function decodeCodes(text, n) {
    var out = new Int16Array(n), pos = 0, f = 0, v, mul, c, len = text.length;
    for (; f < n && pos < len; f++) {
      c = DIGIT[text.charCodeAt(pos++)];
      if (c & 32) {  // more than one character: a code of 16 or more (rare), decoded as decodeInts does
        v = c & 31; mul = 32;
        do { c = DIGIT[text.charCodeAt(pos++)]; v += (c & 31) * mul; mul *= 32; } while (c & 32);
      } else {
        v = c;
      }
      out[f] = (v % 2) ? -(v + 1) / 2 : v / 2;
    }
    if (f < n) { out.fill(-1, f); }
    return out;
  }

  /* Ids written as a prefix and numbers (geo/maps/pack.py encode_ids) kept so, made into text only when one is
     wanted (making 100,000 of them was 50 ms of a worker's time, and handing them over to the page more). */
  function numberedIds(ids) {
    var deltas = decodeInts(ids.n), num = new Float64Array(deltas.length), at = 0;
    for (var i = 0; i < deltas.length; i++) { at += deltas[i]; num[i] = at; }
    return {prefix: ids.prefix, width: ids.width, num: num};
  }

  /* A list of strings as one text and where each starts: a worker hands over 100,000 names as two objects
     instead of 100,000 (copying them cost the page's main thread 60 ms). */
  function texts(list) {
    var at = new Int32Array(list.length + 1), n = 0;
    for (var i = 0; i < list.length; i++) { at[i] = n; n += list[i].length; }
    at[list.length] = n;
    return {text: list.join(""), at: at};
  }

  /* String ``i`` of a list held as texts() or numberedIds(). */
  function item(t, i) {
    if (t.num) {
      var digits = String(t.num[i]);
      while (digits.length < t.width) { digits = "0" + digits; }
      return t.prefix + digits;
    }
    return t.text.slice(t.at[i], t.at[i + 1]);
  }

  /* Decode a pack into world coordinates (Web Mercator pixels at zoom 0, as Leaflet's EPSG:3857). A pack of
     another format is refused (an Error, which the map writes to the console) rather than drawn wrong. */
  function decode(pack) {
    var version = pack && typeof pack === "object" ? pack.v : undefined;
    if (version !== FORMAT) {
      throw new Error("cmdmap: a pack of format " + JSON.stringify(version) + " was refused: this decoder reads " +
                      "format " + FORMAT + " (geo/maps/pack.py PACK_FORMAT); reload the page to get both anew");
    }
    var rings = pack.rings, sizes = pack.sizes, n = rings.length, text = pack.xy;
    var unit = Math.pow(10, -pack.q);
    var featVert = new Int32Array(n + 1), ringOf = new Int32Array(n + 1);
    var nv = 0, ri = 0, f, r;
    for (f = 0; f < n; f++) {
      featVert[f] = nv; ringOf[f] = ri;
      if (rings[f] === 0) { nv += 1; } else { for (r = 0; r < rings[f]; r++) { nv += sizes[ri + r]; } ri += rings[f]; }
    }
    featVert[n] = nv; ringOf[n] = ri;
    // where each ring's vertices start and end (a point feature's vertex may lie between two rings)
    var ringVert = new Int32Array(ri), ringEnd = new Int32Array(ri);
    for (f = 0; f < n; f++) {
      var at = featVert[f];
      for (r = ringOf[f]; r < ringOf[f + 1]; r++) { ringVert[r] = at; at += sizes[r]; ringEnd[r] = at; }
    }
    var X = new Float64Array(nv), Y = new Float64Array(nv), box = new Float64Array(4 * n);
    var pos = 0, ax = 0, ay = 0, v, mul, c, k = 0, x, y, end, bx0, by0, bx1, by1;
    // Mercator's y exactly at an anchor latitude, and within 0.1 degree of it by its Taylor series to the
    // second order (off by under 0.05 pixel at zoom 18): a logarithm and a sine per vertex were half the
    // decoding time of 1.4 million vertices. Nearby vertices follow each other, so anchors are few.
    var anchor = NaN, m0 = 0, m1 = 0, m2 = 0, R = 128 / Math.PI;
    for (f = 0; f < n; f++) {
      bx0 = by0 = Infinity; bx1 = by1 = -Infinity;  // each place's box, in the same pass (a second was 20 ms)
      for (end = featVert[f + 1]; k < end; k++) {
        v = 0; mul = 1;
        do { c = DIGIT[text.charCodeAt(pos++)]; v += (c & 31) * mul; mul *= 32; } while (c & 32);
        ax += (v % 2) ? -(v + 1) / 2 : v / 2;
        v = 0; mul = 1;
        do { c = DIGIT[text.charCodeAt(pos++)]; v += (c & 31) * mul; mul *= 32; } while (c & 32);
        ay += (v % 2) ? -(v + 1) / 2 : v / 2;
        var lat = Math.max(Math.min(ay * unit, MAX_LAT), -MAX_LAT), d = (lat - anchor) * D2R;
        if (!(Math.abs(d) < 0.002)) {  // also the first vertex (NaN)
          var sin = Math.sin(lat * D2R), cos = Math.cos(lat * D2R);
          anchor = lat; d = 0;
          m0 = (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * 256;
          m1 = -R / cos; m2 = -R / 2 * sin / (cos * cos);
        }
        x = (ax * unit + 180) / 360 * 256; y = m0 + d * (m1 + d * m2);
        X[k] = x; Y[k] = y;
        if (x < bx0) { bx0 = x; } if (x > bx1) { bx1 = x; }
        if (y < by0) { by0 = y; } if (y > by1) { by1 = y; }
      }
      box[4 * f] = bx0; box[4 * f + 1] = by0; box[4 * f + 2] = bx1; box[4 * f + 3] = by1;
    }
    return {n: n, ids: Array.isArray(pack.ids) ? texts(pack.ids) : numberedIds(pack.ids), names: texts(pack.names),
            rings: Int32Array.from(rings), featVert: featVert, ringOf: ringOf, ringVert: ringVert, ringEnd: ringEnd,
            X: X, Y: Y, box: box, unit: unit};
  }

  /* A grid over the extent of decoded places ``g``: which places may be under a point. The places of cell
     ``k`` are items[start[k]] to items[start[k + 1]] (two passes: count, then fill). */
  function buildGrid(g) {
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity, f, box = g.box;
    for (f = 0; f < g.n; f++) {
      if (box[4 * f] < x0) { x0 = box[4 * f]; } if (box[4 * f + 1] < y0) { y0 = box[4 * f + 1]; }
      if (box[4 * f + 2] > x1) { x1 = box[4 * f + 2]; } if (box[4 * f + 3] > y1) { y1 = box[4 * f + 3]; }
    }
    var side = Math.max(1, Math.min(512, Math.ceil(Math.sqrt(g.n / 2))));
    var w = Math.max((x1 - x0) / side, 1e-9), h = Math.max((y1 - y0) / side, 1e-9);
    var start = new Int32Array(side * side + 1), items = null, fill = null;
    var cell = function (v, origin, size) { return Math.max(0, Math.min(side - 1, Math.floor((v - origin) / size))); };
    var visit = function (add) {
      for (f = 0; f < g.n; f++) {
        // clamped at both ends: the place at the far edge of the extent falls just past the last cell
        var cx0 = cell(box[4 * f], x0, w), cx1 = cell(box[4 * f + 2], x0, w);
        var cy0 = cell(box[4 * f + 1], y0, h), cy1 = cell(box[4 * f + 3], y0, h);
        for (var cy = cy0; cy <= cy1; cy++) { for (var cx = cx0; cx <= cx1; cx++) { add(cy * side + cx, f); } }
      }
    };
    visit(function (key) { start[key + 1]++; });
    for (var k = 0; k < side * side; k++) { start[k + 1] += start[k]; }
    items = new Int32Array(start[side * side]); fill = start.slice(0, side * side);
    visit(function (key, place) { items[fill[key]++] = place; });
    return {x0: x0, y0: y0, w: w, h: h, side: side, start: start, items: items};
  }

  /* The buffers of decoded places, or of a grid, to hand over from a worker without a copy. */
  function buffers(g) {
    var arrays = g.items ? [g.start, g.items]
      : [g.ids.num || g.ids.at, g.names.at, g.rings, g.featVert, g.ringOf, g.ringVert, g.ringEnd, g.X, g.Y, g.box];
    return arrays.map(function (a) { return a.buffer; });
  }

  root.cmdmapDecode = {FORMAT: FORMAT, fetchPack: fetchPack, decodeInts: decodeInts, decodeCodes: decodeCodes,
                       decode: decode, item: item, buildGrid: buildGrid, buffers: buffers};
})(typeof self !== "undefined" ? self : globalThis);
