/*
 * Fast place layers for the command map (住建局疫情防控指挥图).
 *
 * Leaflet's own GeoJSON layer makes one object, one path and one tooltip per
 * feature: 100,000 compounds take over a minute to appear. Here a layer is one
 * canvas drawn from flat arrays (one small path per place, a plain rectangle for
 * a place a few pixels across), with hover and click found through a grid index. Shapes come once per data version in a "pack"
 * (see geo/maps/pack.py), a static file the browser caches; the statuses, tooltips
 * and filters of a page arrive with each rerun as a small "state".
 *
 * Tooltips are built from text nodes, never from HTML: no name can inject markup.
 * window.cmdmap exposes a few read-only helpers for the browser tests.
 */
(function () {
  "use strict";
  if (window.cmdmap) { return; }

  var DOT_PX = 6;  // places smaller than this across (in screen pixels) are drawn as a rectangle
  // places smaller than this across get a solid one-pixel outline, whatever their style's (see _redrawAll)
  var THIN_OUTLINE_PX = 40;
  // With more points than this in view (a province of compounds known by their addresses), each is a square
  // of POINT_DOT_PX written into the pixels, as the outlines that small are, instead of a circle: crowded
  // circles hide each other anyway, and stamping 100,000 took the software rasterizer over a second.
  var POINT_CROWD = 4000, POINT_DOT_PX = 5;
  var DOTS_PX = 3;  // a tiled place seen from afar (geo/maps/tiles.py): a nation's compounds, each a dot
  // Tiles fetched are kept while they hold at most this many times the places a view draws at once; past it
  // those looked at longest ago are forgotten (fetched again if looked at again): a leader panning across a
  // nation at street level would otherwise end with all of its tiles decoded (38 MB zipped at a million).
  var KEEP_VIEWS = 2;
  var GLIMPSE_GIVES_WAY_MS = 400;  // a time line step's glimpse left behind by the page waits this for an update
  var FIELDS_AFTER_MS = 1000;  // tooltip lines kept apart are fetched once the view has stayed this long (or on hover)
  // A new state (a wall's refresh) draws a layer of more places than SLICE_ABOVE off screen, SLICE_MS of work at
  // a time, pausing after PAUSE_EVERY places written as dots (a path costs about PATH_COST of them)
  var SLICE_ABOVE = 5000, SLICE_MS = 12, PAUSE_EVERY = 2048, PATH_COST = 32;
  var DEFAULT_STYLE = {stroke: true, color: "#3388ff", weight: 2, opacity: 1, fill: true, fillOpacity: 0.2};

  var registry = {layers: {}, order: [], packs: {}, map: null, tip: null, hover: null, fitKey: undefined, focusKey: "",
                  legend: null, labels: {}, marks: {script: Date.now()},
                  drawing: 0, applying: false, toHide: []};  // see hideWhenDrawn  // marks: when each step happened, for bench/

  function mark(name) { if (!registry.marks[name]) { registry.marks[name] = Date.now(); } }

  var D = window.cmdmapDecode;  // static/cmdmap/decode.js, loaded before this file

  /* The page's own fetch of a pack (static/cmdmap/preload.js), started before this frame was. */
  function preloaded(url) {
    try {
      var packs = window.parent !== window && window.parent.__cmdmapPacks;
      return (packs && packs[url]) || null;
    } catch (err) {
      return null;  // a page of another origin
    }
  }

  function fetchPack(source) {
    // the gzipped copy where the browser can unzip it: the server sends it as it is
    var zipped = source.gz && typeof DecompressionStream === "function";
    var url = zipped ? source.gz : source.url;
    var fetched = function () { return D.fetchPack(url, zipped); };
    var early = zipped && preloaded(url);
    return early ? early.catch(fetched) : fetched();
  }

  function loadSource(source) {
    if (!registry.packs[source.id]) {
      mark("layer");
      var label = " " + source.id.slice(0, 6);
      registry.packs[source.id] = (source.data ? Promise.resolve(source.data) : fetchPack(source))
        .then(function (pack) {
          mark("fetched"); mark("fetched" + label);
          var g = pack.X ? pack : D.decode(pack);  // the page's worker may have decoded it already
          mark("decoded"); mark("decoded" + label);
          if (pack.X) { mark("decoded by the page" + label); }
          return g;
        });
    }
    return registry.packs[source.id];
  }

  function inside(g, f, wx, wy) {
    var hit = false;
    for (var r = g.ringOf[f]; r < g.ringOf[f + 1]; r++) {
      var a = g.ringVert[r], b = g.ringEnd[r];
      for (var i = a, j = b - 1; i < b; j = i++) {
        if (((g.Y[i] > wy) !== (g.Y[j] > wy)) &&
            (wx < (g.X[j] - g.X[i]) * (wy - g.Y[i]) / (g.Y[j] - g.Y[i]) + g.X[i])) { hit = !hit; }
      }
    }
    return hit;
  }

  function decodeColumn(values) {
    if (values && values.d) { return D.decodeInts(values.i).map(function (i) { return i < 0 ? "" : values.d[i]; }); }
    return values || [];
  }

  /* Small rectangles written into a canvas's pixels (device pixels; ``bounds`` in layer points), then put
     in one go: under the paths drawn afterwards. */
  /* A dot's side along x (``shrink`` 1) or y (the cosine of the latitude: Mercator stretches y), in pixels. Dots lie
     on a grid of the pack's unit (geo/maps/tiles.py DOT_PRECISION, about 100 m): where its step is a little more
     than a dot, their rounded places left a pixel's gap every few rows, faint stripes across a dense province;
     there each dot grows to the step. Farther apart, dots are dots. */
  function dotSide(g, v, shrink) {
    var step = (g.unit || 0) / 360 * 256 * v.scale / shrink;
    return step > DOTS_PX && step < 2 * DOTS_PX ? Math.ceil(step) : DOTS_PX;
  }

  /* Hide ``layer`` (null: only those waiting) once no layer is being drawn off screen and no update is being
     applied: a wall turning from one view to the next keeps the last one's places until the next one's are
     drawn, instead of showing none in between. */
  function hideWhenDrawn(layer) {
    if (layer) { registry.toHide.push(layer); }
    if (registry.drawing > 0 || registry.applying) { return; }
    registry.toHide.splice(0).forEach(function (l) { if (l.hidden) { l._container.style.visibility = "hidden"; } });
  }

  function Dots(canvas, bounds, kept) {
    this.canvas = canvas; this.bounds = bounds; this.kept = kept;
    this.ratio = canvas.width / Math.max(1, bounds.max.x - bounds.min.x);
    this.pixels = null;
  }
  var colourCtx = null, colours = {};
  Dots.prototype.colour = function (css, alpha) {
    var key = css + "/" + alpha;
    if (!(key in colours)) {
      colourCtx = colourCtx || document.createElement("canvas").getContext("2d");
      colourCtx.fillStyle = "#000"; colourCtx.fillStyle = css;
      var text = String(colourCtx.fillStyle), rgb, a = alpha;
      if (text.charAt(0) === "#") {
        rgb = [1, 3, 5].map(function (i) { return parseInt(text.substr(i, 2), 16); });
      } else {
        var parts = text.replace(/[^\d.,]/g, "").split(",").map(Number);
        rgb = parts.slice(0, 3); a = alpha * (parts.length > 3 ? parts[3] : 1);
      }
      // little-endian RGBA in one 32-bit word, as ImageData holds it
      colours[key] = ((Math.round(Math.max(0, Math.min(1, a)) * 255) << 24) | (rgb[2] << 16) | (rgb[1] << 8) | rgb[0]) >>> 0;
    }
    return colours[key];
  };
  Dots.prototype.rect = function (x, y, w, h, pixel) {
    var c = this.canvas, r = this.ratio, W = c.width, px = this.pixels;
    if (!px) {
      // the layer's image of the last redraw, cleared, where it is the canvas's size: a wall's canvas is 16 MB,
      // and a new one at each refresh kept the garbage collector busy
      var kept = this.kept.image;
      this.image = kept && kept.width === W && kept.height === c.height ? kept : new ImageData(W, c.height);
      this.kept.image = this.image;
      px = this.pixels = new Uint32Array(this.image.data.buffer);
      px.fill(0);
    }
    var x0 = Math.max(0, Math.round((x - this.bounds.min.x) * r)), x1 = Math.min(W, Math.round((x + w - this.bounds.min.x) * r));
    var y0 = Math.max(0, Math.round((y - this.bounds.min.y) * r)), y1 = Math.min(c.height, Math.round((y + h - this.bounds.min.y) * r));
    // a plain loop: a few pixels a row, where TypedArray.fill's call cost more than the writing (100,000 places)
    for (var row = y0, at; row < y1; row++) { for (at = row * W + x0; at < row * W + x1; at++) { px[at] = pixel; } }
  };
  Dots.prototype.put = function (ctx) {
    if (this.image) { ctx.putImageData(this.image, 0, 0); }
  };

  /* A tile's extent [minx, miny, maxx, maxy] in degrees as a box of world coordinates (as decode.js's). */
  function worldBox(box) {
    var a = L.CRS.EPSG3857.latLngToPoint(L.latLng(box[3], box[0]), 0);
    var b = L.CRS.EPSG3857.latLngToPoint(L.latLng(box[1], box[2]), 0);
    return [a.x, a.y, b.x, b.y];
  }

  function meets(box, v) { return !(box[2] < v.x0 || box[0] > v.x1 || box[3] < v.y0 || box[1] > v.y1); }

  /*
   * A layer's places come in slots, each one pack (geo/maps/fastlayer.py Source): "whole" packs fetched at
   * once, "tile"s (geo/maps/tiles.py) fetched when the view holds at most ``atOnce`` of their places, and
   * "dots", every tiled place as a point, drawn where the view holds more. A slot's places are
   * ``offset`` … ``offset + n - 1`` of the layer's statuses, which stay one list whatever is fetched.
   */
  L.CmdmapLayer = L.Canvas.extend({
    initialize: function (options) {
      L.Canvas.prototype.initialize.call(this, {padding: 0.2});
      this.key = options.key; this.kind = options.kind; this.styles = options.styles;
      // the categories in the order they are drawn, the last on top: the styles table's keys come sorted
      this.order = options.order || Object.keys(options.styles);
      this.radius = options.radius || 7; this.interactive = options.interactive !== false;
      this.tooltips = options.tooltips !== false; this.highlightStyle = options.highlight || {};
      this.atOnce = options.atOnce > 0 ? options.atOnce : Infinity;
      this.keep = KEEP_VIEWS * this.atOnce; this.looks = 0;
      this.slicing = {above: SLICE_ABOVE, ms: SLICE_MS, pause: PAUSE_EVERY};  // tests slice a small city
      this.ready = false; this.state = null; this.cats = null; this.drawn = 0; this.lit = 0; this.serial = 0;
      this.error = null; this.slots = []; this.dotSlots = []; this.parts = [];
      registry.layers[this.key] = this;
      var self = this, at = 0;
      options.sources.forEach(function (source) {
        var slot = {source: source, role: source.role || "whole", offset: at, n: source.n, geom: null, looked: 0,
                    box: source.box ? worldBox(source.box) : null};
        if (slot.role === "dots") { self.dotSlots.push(slot); return; }  // the places of the tiles after it
        self.slots.push(slot);
        at += source.n;
      });
      this.n = at;
      var first = this.slots.filter(function (s) { return s.role !== "tile"; }).concat(this.dotSlots);
      Promise.all(first.map(function (slot) { return self._load(slot); })).then(function () {
        self.ready = true;
        self._applyState();
        mark("state " + self.key);
        self._redrawAll();
      }).catch(function () {});  // _load keeps the error
    },

    /* Fetch and decode a slot's pack once; the layer redraws when a tile comes. */
    _load: function (slot) {
      var self = this;
      if (!slot.loading) {
        slot.loading = loadSource(slot.source).then(function (g) {
          if (g.n !== slot.n) { throw new Error("cmdmap: a pack of " + g.n + " places, where " + slot.n + " were said"); }
          slot.geom = g;
          if (slot.role === "tile") { mark("tile"); self._forgetTiles(); self._tileCame(); }
          return g;
        });
        slot.loading.catch(function (err) {
          slot.loading = null; delete registry.packs[slot.source.id];  // asked again at the next look
          self.error = String(err);
          if (window.console) { console.error(err); }
        });
      }
      return slot.loading;
    },

    /* Forget the tiles looked at longest ago while those kept hold more than ``keep`` places (never one in
       view). */
    _forgetTiles: function () {
      var kept = this.slots.filter(function (s) { return s.role === "tile" && s.geom; });
      var held = kept.reduce(function (sum, s) { return sum + s.n; }, 0);
      if (held <= this.keep) { return; }
      kept.sort(function (a, b) { return a.looked - b.looked; });
      for (var i = 0; i < kept.length && held > this.keep; i++) {
        var s = kept[i];
        if (s.looked === this.looks) { continue; }  // in the last view
        held -= s.n;
        s.geom = null; s.loading = null; s.fields = null; s.fieldsDigest = null; s.bucketsFor = -1;
        delete registry.packs[s.source.id];
        this.forgotten = (this.forgotten || 0) + 1;
      }
    },

    /* Redraw once the tiles in view have all come (a redraw before would draw the same dots again: at a million
       places, some tens of milliseconds each), at most once a frame. */
    _tileCame: function () {
      var self = this;
      if (this._tileFrame) { return; }
      this._tileFrame = requestAnimationFrame(function () {
        self._tileFrame = null;
        if (!self._map || !self._bounds) { return; }
        var v = self._view();
        if (!self.slots.some(function (s) { return s.role === "tile" && !s.geom && s.loading && meets(s.box, v); })) {
          self._redrawAll();
        }
      });
    },

    onAdd: function (map) {
      L.Canvas.prototype.onAdd.call(this, map);  // it redraws on each "update" of the view (see _redraw)
      this._container.style.pointerEvents = "none";  // hover and click come from the map (see attach)
      attach(map);
      registry.order.push(this);
      syncLegend();
      this._redrawAll();
    },

    /* Leaflet's canvas clears itself and draws its own paths here (on each "update" of the view, and once more
       at the end of a view reset, as a jump far away or many zoom levels makes). Drawing ours only on
       "update" let that last clearing wipe the places until the next zoom. */
    _redraw: function () {
      this._redrawRequest = null;
      this._redrawAll();
    },

    onRemove: function (map) {
      registry.order = registry.order.filter(function (l) { return l !== this; }, this);
      syncLegend();
      if (registry.hover && registry.hover.layer === this) { hideTip(); }
      L.Canvas.prototype.onRemove.call(this, map);
    },

    /* The page's statuses: a category per place (-1: filtered out), tooltip fields, highlighted places. */
    setState: function (state) {
      this.hidden = state.visible === false;
      if (state.c !== undefined) {
        // the same statuses again (a wall's refresh that only shows another layer): only the tooltips are new,
        // and what was made of the statuses (a code per place, the places by style) is kept
        var same = this.state && this.cats && this.state.c === state.c &&
          this.state.cats.join("\u0001") === state.cats.join("\u0001") && String(this.state.h) === String(state.h);
        this.state = state;
        if (same) { this._applyFields(); } else { this._applyState(); }
      }
      var shown = this._shown;
      if (!this.hidden && shown && this._map && this._bounds && shown.key === this._pictureKey()) {
        // the very picture its canvas kept while hidden (a wall turning back to this layer): shown as it is,
        // where drawing it again took 100,000 compounds' wall 60 to 110 ms of one refresh
        this._job = (this._job || 0) + 1;  // a drawing of another picture still under way is dropped
        this._container.style.visibility = "";
        this.parts = shown.parts; this.drawn = shown.drawn; this.litDrawn = shown.lit; this.dotsShown = shown.dots;
        return;
      }
      this._redrawAll(true);
    },

    /* What the canvas's picture was drawn from: the statuses' serial, the view, the packs come. */
    _pictureKey: function () {
      var map = this._map, b = this._bounds, origin = map.getPixelOrigin();
      return [this.serial, map.getZoom(), origin.x, origin.y, b.min.x, b.min.y, b.max.x, b.max.y,
              this.slots.filter(function (s) { return s.geom; }).length].join(",");
    },

    /* Leaflet sets the canvas's size here, which clears it: no picture is kept any more. */
    _update: function () {
      this._shown = null;
      L.Canvas.prototype._update.call(this);
    },

    _applyState: function () {
      var s = this.state, n = this.n;
      if (!this.ready || !s) { return; }
      this.cats = D.decodeCodes(s.c, n);
      this.lit = new Uint8Array(n);
      (s.h || []).forEach(function (f) { this.lit[f] = 1; }, this);
      this._applyFields();
      this.serial++;
    },

    _applyFields: function () {
      this.fields = (this.state.fields || []).map(function (pair) { return [pair[0], pair[1], null]; });  // decoded when shown
    },

    /* A slot's tooltip columns where the state keeps them apart (``tf``, a nation's tiles: geo/maps/fastlayer.py
       layer_state): fetched from their file beside the slot's pack once per state; null while on their way (the
       tooltip is made again when they come). */
    _slotFields: function (slot) {
      var tf = this.state.tf, d = tf[1][this.slots.indexOf(slot)], self = this;
      if (!d) { return []; }  // none of its places shown
      if (slot.fieldsDigest === d) { return slot.fields; }
      slot.fieldsDigest = d; slot.fields = null;
      var zipped = typeof DecompressionStream === "function";
      var url = slot.source.url.replace(/[^\/]*$/, "fields-" + d + ".json");
      D.fetchPack(zipped ? url + ".gz" : url, zipped).then(function (columns) {
        if (slot.fieldsDigest !== d) { return; }  // a newer state came meanwhile
        slot.fields = columns.map(function (column, i) { return [tf[0][i], column, null]; });
        mark("fields");
        var hover = registry.hover, at = hover && hover.layer === self && self._at(hover.f);
        if (at && at.slot === slot && registry.tip) { registry.tip.setContent(self.tooltipContent(hover.f)); }
      }).catch(function (err) {
        if (slot.fieldsDigest === d) { slot.fieldsDigest = null; }  // asked again at the next look
        self.error = String(err);
      });
      return null;
    },

    /* The tooltip lines of the slots drawn, where the state keeps them apart (``tf``), once the view has stayed
       a moment (or at a hover): asked for with the tiles of the next view, they made a leader's jumps across a
       nation wait (the app server answers its files one by one), and a big city's map is drawn before them. */
    _fieldsSoon: function (slots) {
      if (!this.tooltips || !this.state || !this.state.tf || !slots.length) { return; }
      var self = this;
      clearTimeout(this._fieldsTimer);
      this._fieldsTimer = setTimeout(function () {
        slots.forEach(function (s) { if (s.geom) { self._slotFields(s); } });
      }, FIELDS_AFTER_MS);
    },

    /* A slot's places shown, by style (in the layer's order of its categories, points after polygons). */
    _buckets: function (slot) {
      if (slot.bucketsFor === this.serial) { return slot.buckets; }
      var g = slot.geom, codes = this.state.cats, cats = this.cats, byCat = {}, f, c;
      for (f = 0; f < g.n; f++) {
        c = cats[slot.offset + f];
        if (c < 0) { continue; }
        var key = (g.rings[f] === 0 ? "pt_" : "") + codes[c];
        (byCat[key] || (byCat[key] = [])).push(f);
      }
      var order = [], seen = {};
      var styleKeys = this.order;
      styleKeys.concat(styleKeys.map(function (k) { return "pt_" + k; })).forEach(function (k) {
        if (byCat[k] && !seen[k]) { order.push(k); seen[k] = 1; }
      });
      Object.keys(byCat).forEach(function (k) { if (!seen[k]) { order.push(k); } });
      slot.buckets = order.map(function (k) { return [k, byCat[k]]; });
      slot.bucketsFor = this.serial;
      return slot.buckets;
    },

    /* The slots to draw in view ``v``: the whole packs; the tiles in view when they hold at most ``atOnce``
       places and have all come (those missing are asked for meanwhile), else the dots. */
    _parts: function (v) {
      var parts = this.slots.filter(function (s) { return s.role !== "tile" && s.geom; });
      var tiles = this.slots.filter(function (s) { return s.role === "tile" && meets(s.box, v); });
      if (!tiles.length) { this._fieldsSoon(parts); return parts; }
      var inView = tiles.reduce(function (sum, s) { return sum + s.n; }, 0), self = this, look = ++this.looks;
      tiles.forEach(function (s) { s.looked = look; });
      if (inView <= this.atOnce) {
        var missing = tiles.filter(function (s) { return !s.geom; });
        missing.forEach(function (s) { self._load(s); });
        if (!missing.length) {
          this._fieldsSoon(parts.concat(tiles));
          return parts.concat(tiles);
        }
      }
      this._fieldsSoon(parts);
      return parts.concat(this.dotSlots.filter(function (s) { return s.geom; }));
    },

    _style: function (bucketKey) {
      var s = this.styles[bucketKey];
      if (!s && bucketKey.indexOf("pt_") === 0) { s = this.styles[bucketKey.slice(3)]; }
      return L.extend({}, DEFAULT_STYLE, s || {});
    },

    _view: function () {
      var map = this._map, scale = Math.pow(2, map.getZoom()), origin = map.getPixelOrigin(), b = this._bounds;
      return {scale: scale, ox: origin.x, oy: origin.y,
              x0: (b.min.x + origin.x) / scale, y0: (b.min.y + origin.y) / scale,
              x1: (b.max.x + origin.x) / scale, y1: (b.max.y + origin.y) / scale};
    },

    _trace: function (ctx, g, f, v) {
      var k, sx, sy;
      if (g.rings[f] === 0) {
        k = g.featVert[f]; sx = g.X[k] * v.scale - v.ox; sy = g.Y[k] * v.scale - v.oy;
        ctx.moveTo(sx + this.radius, sy); ctx.arc(sx, sy, this.radius, 0, 2 * Math.PI);
        return;
      }
      for (var r = g.ringOf[f]; r < g.ringOf[f + 1]; r++) {
        var a = g.ringVert[r], b = g.ringEnd[r];
        ctx.moveTo(g.X[a] * v.scale - v.ox, g.Y[a] * v.scale - v.oy);
        for (k = a + 1; k < b; k++) { ctx.lineTo(g.X[k] * v.scale - v.ox, g.Y[k] * v.scale - v.oy); }
        ctx.closePath();
      }
    },

    /* Set a style's fill and stroke once for a bucket of features. */
    _brush: function (ctx, style) {
      ctx.fillStyle = style.fillColor || style.color;
      // whole pixels: a 1.5-pixel outline took the software rasterizer 40 times as long as a 2-pixel one
      ctx.lineWidth = Math.max(1, Math.round(style.weight)); ctx.strokeStyle = style.color;
      ctx.lineJoin = "round"; ctx.lineCap = "round";
      ctx.setLineDash(style.dashArray ? String(style.dashArray).split(/[ ,]+/).map(Number) : []);
      return {fill: style.fill !== false, fillAlpha: style.fillOpacity === undefined ? 0.2 : style.fillOpacity,
              stroke: style.stroke !== false && style.weight > 0, strokeAlpha: style.opacity === undefined ? 1 : style.opacity,
              dash: style.dashArray ? String(style.dashArray).split(/[ ,]+/).map(Number) : null};
    },

    /* A point's circle in the style ``key``, drawn once into a small canvas of its own (at the screen's pixel
       ratio, as Leaflet's canvas is): stamping it is a copy, where an arc filled and stroked for each of
       10,000 points took the software rasterizer four times as long. */
    _sprite: function (key, style) {
      var sprites = this._sprites || (this._sprites = {});
      if (!sprites[key]) {
        var ratio = L.Browser.retina ? 2 : 1, size = 2 * (this.radius + Math.max(1, Math.round(style.weight))) + 2;
        var canvas = document.createElement("canvas"), ctx;
        canvas.width = canvas.height = size * ratio;
        ctx = canvas.getContext("2d");
        ctx.scale(ratio, ratio);
        var brush = this._brush(ctx, style);
        ctx.beginPath();
        ctx.arc(size / 2, size / 2, this.radius, 0, 2 * Math.PI);
        this._paintOne(ctx, brush);
        sprites[key] = {canvas: canvas, size: size, half: size / 2};
      }
      return sprites[key];
    },

    /* One path per feature: a single path of 10,000 polygons took the software rasterizer 0.7 s,
       10,000 small paths 0.06 s. */
    _paintOne: function (ctx, brush) {
      if (brush.fill) { ctx.globalAlpha = brush.fillAlpha; ctx.fill("evenodd"); }
      if (brush.stroke) { ctx.globalAlpha = brush.strokeAlpha; ctx.stroke(); }
    },

    /* Draw the layer's places in view. ``sliced`` (a new state from the page: a wall's refresh): a big layer is
       drawn off screen a few milliseconds at a time and shown whole once done, the picture before staying until
       then, so that no one refresh holds the page (100,000 compounds drawn at once took 70-90 ms, 344 ms at a
       million). A move of the map draws at once: Leaflet has just cleared the canvas. */
    _redrawAll: function (sliced) {
      var ctx = this._ctx;
      if (!ctx || !this._map || !this._bounds) { return; }
      this._job = (this._job || 0) + 1;  // a drawing still under way is dropped: this one is newer
      if (this.hidden) {  // out of sight with its picture, shown again as it is if nothing changed (setState)
        this.drawn = 0; this.parts = []; this.dotsShown = false;
        hideWhenDrawn(this);
        return;
      }
      var b = this._bounds, v = this._view(), parts = this.ready && this.cats ? this._parts(v) : [];
      var work = parts.reduce(function (sum, s) { return sum + s.geom.n; }, 0);
      if (!sliced || work < this.slicing.above) {
        this._container.style.visibility = "";
        this._shown = null;
        ctx.clearRect(b.min.x, b.min.y, b.max.x - b.min.x, b.max.y - b.min.y);
        var steps = this._paint(ctx, this._container, v, parts), step;
        do { step = steps.next(); } while (!step.done);
        this._show(step.value);
        return;
      }
      // off screen: a canvas of the same size and transform, put in the place of the layer's when done
      var front = this._container, back = this._back || (this._back = document.createElement("canvas"));
      if (back.width !== front.width || back.height !== front.height) {
        back.width = front.width; back.height = front.height;
      }
      var bctx = back.getContext("2d");
      bctx.setTransform(1, 0, 0, 1, 0, 0);
      bctx.clearRect(0, 0, back.width, back.height);
      bctx.setTransform(ctx.getTransform());
      var job = this._job, self = this, drawing = this._paint(bctx, back, v, parts);
      registry.drawing++;
      var slice = function () {
        var started = performance.now(), next = {done: false};
        if (job === self._job && self._map) {
          do { next = drawing.next(); } while (!next.done && performance.now() - started < self.slicing.ms);
          if (next.done) {  // the canvases change places: copying 16 MB of pixels took 20-28 ms
            back.className = front.className; back.style.cssText = front.style.cssText;
            back._leaflet_pos = front._leaflet_pos; back._leaflet_disable_events = true;
            back.style.visibility = "";
            front.parentNode.replaceChild(back, front);
            self._container = back; self._ctx = bctx; self._back = front;
            self._show(next.value);
          }
        }
        registry.updateMs = Math.max(registry.updateMs || 0, performance.now() - started);
        if (!next.done && job === self._job && self._map) { setTimeout(slice, 0); return; }
        if (--registry.drawing === 0) { hideWhenDrawn(null); }
      };
      slice();
    },

    /* What a drawing drew becomes what the layer shows (what a pointer finds, the counts tests read). */
    _show: function (drew) {
      this.parts = drew.parts; this.dotsShown = drew.dots; this.drawn = drew.drawn; this.litDrawn = drew.lit;
      this._shown = {key: this._pictureKey(), parts: this.parts, drawn: drew.drawn, lit: drew.lit, dots: drew.dots};
      if (drew.drawn) { mark("drawn"); mark("drawn " + this.key); }
      registry.drawnAt = Date.now();
    },

    /* Draw ``parts`` in view ``v`` on ``ctx`` (the canvas ``canvas``'s), pausing every few thousand places: a
       generator, run through at once or a slice at a time (see _redrawAll); it gives what it drew. */
    _paint: function* (ctx, canvas, v, parts) {
      var drawn = 0, self = this, cats = this.cats, tick = 0, pause = this.slicing.pause, p, s, g, f, d, c;
      var drew = {parts: parts.filter(function (s) { return s.role !== "dots"; }), drawn: 0, lit: 0, dots: false};
      drew.dots = parts.length > drew.parts.length;
      if (!parts.length) { return drew; }
      var visible = function (g, f) {
        var box = g.box;
        return !(box[4 * f + 2] < v.x0 || box[4 * f] > v.x1 || box[4 * f + 3] < v.y0 || box[4 * f + 1] > v.y1);
      };
      var big = function (g, f) {
        var box = g.box;
        return g.rings[f] !== 0 &&
          Math.max(box[4 * f + 2] - box[4 * f], box[4 * f + 3] - box[4 * f + 1]) * v.scale >= THIN_OUTLINE_PX;
      };
      var dot = function (g, f) {
        var box = g.box;
        return g.rings[f] !== 0 && (box[4 * f + 2] - box[4 * f]) * v.scale < DOT_PX &&
          (box[4 * f + 3] - box[4 * f + 1]) * v.scale < DOT_PX;
      };
      // Places a few pixels across (a province's compounds seen whole) are written straight into the canvas's
      // pixels as small rectangles of the outline's colour, under the paths: 100,000 of them as paths, filled
      // and stroked, took the software rasterizer 1.5 s. They go in the order of the pack, not category after
      // category: where they crowd, the mix of colours shows how many of each there are.
      var dots = new Dots(canvas, this._bounds, this._kept || (this._kept = {}));
      var pixelOf = this.state.cats.map(function (code) {
        var style = self._style(code), brush = self._brush(ctx, style);
        if (!brush.fill) { return -1; }  // an outline stays an outline
        return brush.stroke ? dots.colour(style.color, brush.strokeAlpha)
          : dots.colour(style.fillColor || style.color, brush.fillAlpha);
      });
      var crowd = 0, centre = this._map.getCenter();
      for (p = 0; p < parts.length; p++) {
        s = parts[p]; g = s.geom;
        if (s.role === "dots") { continue; }  // dots have a size of their own
        for (d = 0; d < g.n; d++) {
          if (++tick >= pause) { tick = 0; yield; }
          if (g.rings[d] === 0 && cats[s.offset + d] >= 0 && visible(g, d)) { crowd++; }
        }
      }
      var pointPixelOf = this.state.cats.map(function (code) {
        var style = self._style("pt_" + code);  // its fill, whole: a point's outline is a white ring
        return dots.colour(style.fillColor || style.color, 1);
      });
      for (p = 0; p < parts.length; p++) {
        s = parts[p]; g = s.geom;
        var box = g.box;
        var isDot = s.isDot = s.isDot && s.isDot.length === g.n ? s.isDot.fill(0) : new Uint8Array(g.n);
        // a tiled place seen from afar is its dot; points in a crowd are squares
        var size = s.role === "dots" ? DOTS_PX : (crowd > POINT_CROWD ? POINT_DOT_PX : 0), wide = size, high = size;
        if (s.role === "dots") { wide = dotSide(g, v, 1); high = dotSide(g, v, Math.cos(centre.lat * Math.PI / 180)); }
        for (d = 0; d < g.n; d++) {
          if (++tick >= pause) { tick = 0; yield; }
          c = cats[s.offset + d];
          if (size && g.rings[d] === 0 && c >= 0 && visible(g, d)) {
            var k = g.featVert[d];
            dots.rect(Math.round(g.X[k] * v.scale - v.ox) - (wide >> 1), Math.round(g.Y[k] * v.scale - v.oy) - (high >> 1),
                      wide, high, pointPixelOf[c]);
            isDot[d] = 1;
            drawn++;
            continue;
          }
          if (c < 0 || pixelOf[c] < 0 || !dot(g, d) || !visible(g, d)) { continue; }
          // its box, grown by the outline's pixel and to at least 4 pixels so that it stays visible
          var w = Math.max(4, Math.round((box[4 * d + 2] - box[4 * d]) * v.scale) + 2);
          var h = Math.max(4, Math.round((box[4 * d + 3] - box[4 * d + 1]) * v.scale) + 2);
          dots.rect(Math.round((box[4 * d] + box[4 * d + 2]) / 2 * v.scale - v.ox - w / 2),
                    Math.round((box[4 * d + 1] + box[4 * d + 3]) / 2 * v.scale - v.oy - h / 2), w, h, pixelOf[c]);
          isDot[d] = 1;
          drawn++;
        }
      }
      yield;
      dots.put(ctx);
      for (p = 0; p < parts.length; p++) {
        s = parts[p]; g = s.geom;
        if (s.role === "dots") { continue; }  // all drawn as dots above: no paths, no lists by style of a million
        var buckets = this._buckets(s);
        for (var i = 0; i < buckets.length; i++) {
          var bucket = buckets[i], style = this._style(bucket[0]), brush = this._brush(ctx, style), paths = [];
          for (var j = 0; j < bucket[1].length; j++) {
            if (++tick >= pause) { tick = 0; yield; }
            f = bucket[1][j];
            if (!s.isDot[f] && visible(g, f)) { paths.push(f); }
          }
          if (bucket[0].indexOf("pt_") === 0) {  // points: their circle drawn once, then stamped at each
            var sprite = this._sprite(bucket[0], style);
            ctx.globalAlpha = 1;
            for (j = 0; j < paths.length; j++) {
              if (++tick >= pause) { tick = 0; yield; }
              var at = g.featVert[paths[j]];
              ctx.drawImage(sprite.canvas, Math.round(g.X[at] * v.scale - v.ox) - sprite.half,
                            Math.round(g.Y[at] * v.scale - v.oy) - sprite.half, sprite.size, sprite.size);
            }
            drawn += paths.length;
            continue;
          }
          // A wide or dashed outline costs the rasterizer far more, and on a place a few tens of pixels across
          // it shows little more than a solid one-pixel line (its fill says its state): those first with that,
          // then the big ones in the style's own width and dashes (switching them per place is slow too). A
          // nation's 21,455 compounds in view at zoom 15 were drawn in 1.0 s with two-pixel outlines, 0.4 s with
          // one-pixel ones.
          var width = ctx.lineWidth;  // the style's, set by _brush
          var passes = brush.stroke && (width > 1 || brush.dash)
            ? [[false, 1, []], [true, width, brush.dash || []]] : [[null, width, null]];
          for (var q = 0; q < passes.length; q++) {
            var pass = passes[q];
            ctx.lineWidth = pass[1];
            if (pass[2]) { ctx.setLineDash(pass[2]); }
            for (j = 0; j < paths.length; j++) {
              if (++tick >= pause / PATH_COST) { tick = 0; yield; }  // only this drawing draws on ctx
              f = paths[j];
              if (pass[0] !== null && big(g, f) !== pass[0]) { continue; }
              ctx.beginPath();
              this._trace(ctx, g, f, v);
              this._paintOne(ctx, brush);
              drawn++;
            }
          }
        }
      }
      var lit = 0, litBrush = this._brush(ctx, L.extend({}, DEFAULT_STYLE, this.highlightStyle, {fill: false}));
      for (p = 0; p < parts.length; p++) {
        s = parts[p]; g = s.geom;
        for (f = 0; f < g.n; f++) {
          if (this.lit[s.offset + f] && cats[s.offset + f] >= 0 && visible(g, f)) {
            ctx.beginPath(); this._trace(ctx, g, f, v); this._paintOne(ctx, litBrush); lit++;
          }
        }
      }
      ctx.globalAlpha = 1;
      drew.drawn = drawn; drew.lit = lit;
      return drew;
    },

    /* The feature (the layer's place number) under a container point, or -1: points first, then the smallest
       polygon around it, then a polygon too small to aim at that is within a few pixels. A dot is not
       pointed at: from that far, the zones are. */
    hit: function (point) {
      if (!this.cats || !this._map || this.hidden) { return -1; }
      var map = this._map, scale = Math.pow(2, map.getZoom()), origin = map.getPixelOrigin();
      var layerPoint = map.containerPointToLayerPoint(point);
      var wx = (layerPoint.x + origin.x) / scale, wy = (layerPoint.y + origin.y) / scale;
      var tol = (this.radius + 3) / scale;
      var best = -1, bestScore = Infinity, self = this;
      this.parts.forEach(function (s) {
        var g = s.geom, seen = {};
        // the page's worker sends it just after the places; built here if a pointer comes first
        var grid = g.grid || (g.grid = D.buildGrid(g));
        var cx0 = Math.floor((wx - tol - grid.x0) / grid.w), cx1 = Math.floor((wx + tol - grid.x0) / grid.w);
        var cy0 = Math.floor((wy - tol - grid.y0) / grid.h), cy1 = Math.floor((wy + tol - grid.y0) / grid.h);
        for (var cy = Math.max(0, cy0); cy <= Math.min(grid.side - 1, cy1); cy++) {
          for (var cx = Math.max(0, cx0); cx <= Math.min(grid.side - 1, cx1); cx++) {
            var cell = cy * grid.side + cx;
            for (var i = grid.start[cell]; i < grid.start[cell + 1]; i++) {
              var f = grid.items[i];
              if (seen[f] || self.cats[s.offset + f] < 0) { continue; }
              seen[f] = 1;
              var x0 = g.box[4 * f], y0 = g.box[4 * f + 1], x1 = g.box[4 * f + 2], y1 = g.box[4 * f + 3];
              if (wx < x0 - tol || wx > x1 + tol || wy < y0 - tol || wy > y1 + tol) { continue; }
              var score;
              if (g.rings[f] === 0) {
                var d = Math.hypot(wx - x0, wy - y0) * scale;
                if (d > self.radius + 3) { continue; }
                score = -1e9 + d;
              } else if (inside(g, f, wx, wy)) {
                score = (x1 - x0) * (y1 - y0);
              } else if ((x1 - x0) * scale < 8 && (y1 - y0) * scale < 8) {
                score = 1e9 + Math.hypot(wx - (x0 + x1) / 2, wy - (y0 + y1) / 2);
              } else {
                continue;
              }
              if (score < bestScore) { bestScore = score; best = s.offset + f; }
            }
          }
        }
      });
      return best;
    },

    /* The slot holding the layer's place ``f``, and its number there. */
    _at: function (f) {
      for (var i = 0; i < this.slots.length; i++) {
        var s = this.slots[i];
        if (f >= s.offset && f < s.offset + s.n) { return {slot: s, f: f - s.offset}; }
      }
      return null;
    },

    tooltipContent: function (f) {
      var div = document.createElement("div"), title = document.createElement("b"), at = this._at(f);
      title.textContent = at && at.slot.geom ? D.item(at.slot.geom.names, at.f) : "";
      div.appendChild(title);
      var fields = this.fields, row = f, coming = false;
      if (this.state && this.state.tf && at) {
        fields = this._slotFields(at.slot); row = at.f;
        coming = fields === null;
        if (coming) { fields = this.state.tf[0].map(function (label) { return [label, [], null]; }); }
      }
      fields.forEach(function (field) {
        // made at the first tooltip, not at each update: a million places' column took 56-80 ms (Node, this VM)
        var values = field[2] || (field[2] = decodeColumn(field[1])), value = coming ? "…" : values[row];
        div.appendChild(document.createElement("br"));
        div.appendChild(document.createTextNode(field[0] + (registry.labels.colon || "：") +
                                                (value === undefined ? "" : value)));
      });
      return div;
    },

    feature: function (f) {
      var at = this._at(f), id = at && at.slot.geom ? D.item(at.slot.geom.ids, at.f) : "", kind = this.kind;
      return {toGeoJSON: function () { return {type: "Feature", properties: {id: id, k: kind}, geometry: null}; }};
    }
  });

  function topHit(point) {
    for (var i = registry.order.length - 1; i >= 0; i--) {
      var layer = registry.order[i];
      if (!layer.interactive) { continue; }
      var f = layer.hit(point);
      if (f >= 0) { return {layer: layer, f: f}; }
    }
    return null;
  }

  function hideTip() {
    if (registry.tip && registry.map) { registry.map.closeTooltip(registry.tip); }
    registry.hover = null;
  }

  function onMove(e) {
    var map = registry.map, hit = topHit(e.containerPoint);
    map.getContainer().style.cursor = hit ? "pointer" : "";
    if (!hit || !hit.layer.tooltips) { hideTip(); return; }
    if (!registry.tip) { registry.tip = L.tooltip({direction: "top", offset: [0, -12], opacity: 0.95}); }
    if (!registry.hover || registry.hover.layer !== hit.layer || registry.hover.f !== hit.f) {
      registry.tip.setContent(hit.layer.tooltipContent(hit.f));
      registry.hover = hit;
    }
    registry.tip.setLatLng(e.latlng);
    if (!map.hasLayer(registry.tip)) { map.openTooltip(registry.tip); }
  }

  function attach(map) {
    if (registry.map === map) { return; }
    registry.map = map;
    var pending = null;
    map.on("mousemove", function (e) {  // one hit test per frame, however fast the mouse moves
      if (pending) { pending = e; return; }
      pending = e;
      requestAnimationFrame(function () { var last = pending; pending = null; onMove(last); });
    });
    map.on("mouseout", hideTip);
    map.on("click", function (e) {
      var hit = topHit(e.containerPoint);
      if (hit) { hit.layer.fire("click", {latlng: e.latlng, layer: hit.layer.feature(hit.f)}); }
    });
  }

  /* The legend: a button with its name that folds and unfolds it (folded at first on a map as narrow as a
   * phone, where it would cover half the places), and its parts below. */
  function setLegend(html) {
    var map = registry.map;
    if (!map) { return; }
    if (!registry.legend) {
      registry.legend = L.control({position: "bottomright"});
      registry.legend.onAdd = function () {
        var div = L.DomUtil.create("div", "cmdmap-legend");
        div.style.cssText = "background:rgba(255,255,255,.92);padding:8px 10px;border-radius:6px;" +
          "box-shadow:0 1px 4px rgba(0,0,0,.3);font:13px/1.4 'Noto Sans CJK SC','WenQuanYi Micro Hei'," +
          "sans-serif;max-height:60vh;overflow:auto";
        var toggle = L.DomUtil.create("a", "cmdmap-legend-toggle", div);
        toggle.href = "#";
        toggle.setAttribute("role", "button");
        toggle.style.cssText = "display:block;color:#333;text-decoration:none;font-weight:600;cursor:pointer";
        L.DomUtil.create("div", "cmdmap-legend-body", div);
        var narrow = L.cmdmapPhone && L.cmdmapPhone.narrow();
        setFolded(div, narrow);
        L.DomEvent.disableClickPropagation(div);  // a tap on the legend is not a click on the map
        L.DomEvent.disableScrollPropagation(div);
        L.DomEvent.on(toggle, "click", function (e) {
          L.DomEvent.preventDefault(e);
          setFolded(div, !L.DomUtil.hasClass(div, "folded"));
        });
        return div;
      };
      registry.legend.addTo(map);
    }
    var box = registry.legend.getContainer();
    box.style.display = html ? "" : "none";
    box.querySelector(".cmdmap-legend-body").innerHTML = html;  // built and escaped on the server (geo/maps/legend.py)
    syncLegend();
  }

  function setFolded(div, folded) {
    var toggle = div.querySelector(".cmdmap-legend-toggle"), body = div.querySelector(".cmdmap-legend-body");
    if (folded) { L.DomUtil.addClass(div, "folded"); } else { L.DomUtil.removeClass(div, "folded"); }
    body.style.display = folded ? "none" : "";
    toggle.textContent = (registry.labels.legend || "") + (folded ? " ▸" : " ▾");
    toggle.setAttribute("aria-expanded", folded ? "false" : "true");
    toggle.style.marginBottom = folded ? "0" : "4px";
  }

  /* A part of the legend names its layers (data-layers): it shows while one of them is on the map, so that
   * a layer unticked in the layer control takes its legend away (the overview has ten layers). */
  function syncLegend() {
    var box = registry.legend && registry.legend.getContainer();
    if (!box) { return; }
    var on = {};
    registry.order.forEach(function (l) { on[l.key] = true; });
    var parts = box.querySelectorAll(".cmdmap-legend-part"), shown = 0;
    for (var i = 0; i < parts.length; i++) {
      var keys = (parts[i].getAttribute("data-layers") || "").split(" ").filter(Boolean);
      var visible = !keys.length || keys.some(function (k) { return on[k] || !registry.layers[k]; });
      parts[i].style.display = visible ? "" : "none";
      parts[i].style.cssText += visible && shown ? ";border-top:1px solid #ccc;margin-top:6px;padding-top:6px"
                                                 : ";border-top:none;margin-top:0;padding-top:0";
      if (visible) { shown++; }
    }
  }

  /* Apply one update of the map's states, legend and view (window.cmdmap.update, .glimpse). */
  function applyUpdate(message) {
    mark("update");
    var started = performance.now();
    registry.applying = true;
    try {
      (message.states || []).forEach(function (state) {
        var layer = registry.layers[state.key];
        if (layer) { layer.setState(state); }
      });
    } finally {
      registry.applying = false;
      hideWhenDrawn(null);
    }
    if (message.legend !== undefined) { setLegend(message.legend); }
    var map = registry.map;
    if (map && message.fit && message.fit.key !== registry.fitKey) {
      var first = registry.fitKey === undefined;
      registry.fitKey = message.fit.key;
      if (!(first && message.fit.initial) && message.fit.bounds) {
        // a map with no zoom limit (no tiles) fitted a single point at the zoom Infinity, and drew nothing
        map.fitBounds(message.fit.bounds, isFinite(map.getMaxZoom()) ? {} : {maxZoom: 18});
      }
    }
    // how long the page was busy applying the update and redrawing: a wall display must not stall
    registry.updateMs = Math.max(registry.updateMs || 0, performance.now() - started);
  }

  window.cmdmap = {
    /* The words the map's own controls say, in the page's language (geo/maps/build.py PhoneGestures). */
    configure: function (labels) { registry.labels = labels || {}; },
    /* Apply one rerun's states, legend and view (see geo/maps/fastlayer.py MapUpdate). */
    update: function (message) {
      registry.sent = message; registry.glimpse = null;
      applyUpdate(message);
    },
    /* A time line step's statuses on ``date``, shown at the click while the page reruns for that date
       (static/cmdmap/timeline.js); the rerun's update then brings the rest. */
    glimpse: function (message, date) {
      registry.glimpse = {date: date};
      applyUpdate(message);
    },
    /* The page has rerun for ``date``. A glimpse of another date whose rerun never reached the map (a second
       click stopped it) gives way to the last update the page sent: streamlit-folium does not send an update
       again that it sent before, and the map stayed on the glimpse's colours under the page of the day after.
       Not at once: the run's own update, if it has one, may come just after this (three quick clicks), and
       the map would show the date it started from in between. */
    pageOn: function (date) {
      var glimpse = registry.glimpse;
      if (!glimpse || glimpse.date === date || !registry.sent) { return; }
      setTimeout(function () {
        if (registry.glimpse === glimpse) {  // no update nor another glimpse since
          registry.glimpse = null;
          applyUpdate(registry.sent);
        }
      }, GLIMPSE_GIVES_WAY_MS);
    },
    /* For tests: whether the legend is folded into its button. */
    legendFolded: function () {
      return !!registry.legend && L.DomUtil.hasClass(registry.legend.getContainer(), "folded");
    },
    /* Fly to one place chosen in the table under the map, once per choice (see geo/maps/build.py MapFocus). */
    focus: function (message) {
      var map = registry.map;
      if (!map || message.key === registry.focusKey) { return; }
      registry.focusKey = message.key;
      if (message.key && message.bounds) {
        map.flyToBounds(message.bounds, {maxZoom: isFinite(map.getMaxZoom()) ? map.getMaxZoom() : 18, duration: 0.6});
      }
    },
    longestUpdate: function () { return registry.updateMs || 0; },
    /* For tests: how many layers are being drawn off screen. */
    drawing: function () { return registry.drawing; },
    /* For tests: how many tooltip lines the layers' places have (none while a time line step's glimpse shows). */
    tooltipFields: function () {
      return registry.order.reduce(function (sum, l) {
        var tf = l.state && l.state.tf;
        return sum + (tf ? tf[0].length : (l.fields ? l.fields.length : 0));
      }, 0);
    },
    /* For tests: how many features the layers on the map drew last time, and how many are highlighted. */
    drawn: function (key) {
      return registry.order.filter(function (l) { return !key || l.key === key; })
        .reduce(function (sum, l) { return sum + l.drawn; }, 0);
    },
    /* For tests: how many places the clickable layers on the map show (whether in view or not). */
    shown: function () {
      return registry.order.filter(function (l) { return l.interactive && !l.hidden && l.cats; })
        .reduce(function (sum, l) {
          var n = 0;
          for (var f = 0; f < l.cats.length; f++) { if (l.cats[f] >= 0) { n++; } }
          return sum + n;
        }, 0);
    },
    highlighted: function () {
      return registry.order.reduce(function (sum, l) { return sum + (l.litDrawn || 0); }, 0);
    },
    marks: function () { return registry.marks; },
    /* For tests: the styles layer ``key``'s places are drawn by, in the order drawn (the last on top). */
    drawOrder: function (key) {
      var layer = registry.order.filter(function (l) { return l.key === key; })[0];
      var slot = layer && layer.slots.filter(function (s) { return s.geom; })[0];
      return slot ? layer._buckets(slot).map(function (b) { return b[0]; }) : null;
    },
    /* For tests: the map's zoom, and its centre as [lat, lng]. */
    zoom: function () { return registry.map ? registry.map.getZoom() : null; },
    center: function () {
      var c = registry.map && registry.map.getCenter();
      return c ? [c.lat, c.lng] : null;
    },
    errors: function () {
      return Object.keys(registry.layers).map(function (k) { return registry.layers[k].error; }).filter(Boolean);
    },
    /* For tests: a point (client coordinates of this frame) on each clickable feature shown, at most ``limit``. */
    points: function (limit) {
      var map = registry.map, out = [];
      if (!map) { return out; }
      var rect = map.getContainer().getBoundingClientRect(), size = map.getSize();
      registry.order.slice().reverse().forEach(function (layer) {
        if (!layer.interactive || !layer.cats || layer.hidden) { return; }
        layer.parts.forEach(function (s) {
          var g = s.geom;
          for (var f = 0; f < g.n && out.length < (limit || 500); f++) {
            if (layer.cats[s.offset + f] < 0) { continue; }
            var k = g.featVert[f];
            var wx = g.rings[f] === 0 ? g.X[k] : (g.box[4 * f] + g.box[4 * f + 2]) / 2;
            var wy = g.rings[f] === 0 ? g.Y[k] : (g.box[4 * f + 1] + g.box[4 * f + 3]) / 2;
            var p = map.project(map.unproject(L.point(wx, wy), 0));
            var cp = map.layerPointToContainerPoint(p.subtract(map.getPixelOrigin()));
            if (cp.x < 30 || cp.y < 30 || cp.x > size.x - 30 || cp.y > size.y - 30) { continue; }
            var hit = topHit(cp);
            if (!hit || hit.layer !== layer || hit.f !== s.offset + f) { continue; }
            out.push({key: layer.key, id: D.item(g.ids, f), x: rect.left + cp.x, y: rect.top + cp.y});
          }
        });
      });
      return out;
    },
    /* For bench/: where ``count`` of a tiled layer's places are, spread through it, as [lat, lng]. */
    tiledPlaces: function (key, count) {
      var layer = registry.layers[key], out = [];
      var dots = layer && layer.dotSlots.filter(function (s) { return s.geom; })[0];
      if (!dots || !registry.map) { return out; }
      for (var i = 0; i < count; i++) {
        var k = dots.geom.featVert[Math.floor((i + 0.5) * dots.geom.n / count)];
        var at = registry.map.unproject(L.point(dots.geom.X[k], dots.geom.Y[k]), 0);
        out.push([at.lat, at.lng]);
      }
      return out;
    },
    /* For tests: the opacity (0 to 255) of layer ``key``'s canvas at each of its pixels on the line from [lat, lng]
       ``from`` to ``to``. */
    alphas: function (key, from, to) {
      var layer = registry.layers[key], map = registry.map, c = layer._container, b = layer._bounds;
      var ratio = c.width / Math.max(1, b.max.x - b.min.x), out = [];
      var a = map.latLngToLayerPoint(from).subtract(b.min).multiplyBy(ratio);
      var z = map.latLngToLayerPoint(to).subtract(b.min).multiplyBy(ratio);
      var n = Math.max(1, Math.round(a.distanceTo(z))), data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      for (var i = 0; i <= n; i++) {
        var x = Math.round(a.x + (z.x - a.x) * i / n), y = Math.round(a.y + (z.y - a.y) * i / n);
        out.push(data[4 * (y * c.width + x) + 3]);
      }
      return out;
    },
    /* For tests: keep the tiles of at most ``places`` places of layer ``key`` (twice ``atOnce`` by default). */
    keepTiles: function (key, places) { registry.layers[key].keep = places; },
    /* For tests and bench/: each layer's tiles (fetched and kept, of all, drawn, forgotten), whether it shows dots. */
    tiles: function () {
      var out = {};
      registry.order.forEach(function (l) {
        var tiles = l.slots.filter(function (s) { return s.role === "tile"; });
        out[l.key] = {fetched: tiles.filter(function (s) { return s.geom; }).length, of: tiles.length,
                      drawn: l.parts.filter(function (s) { return s.role === "tile"; }).length, dots: !!l.dotsShown,
                      fields: tiles.filter(function (s) { return s.fields; }).length, forgotten: l.forgotten || 0};
      });
      return out;
    }
  };
})();
