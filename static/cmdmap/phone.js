/*
 * The map on a phone (住建局疫情防控指挥图): a map that fills the screen's width must not trap the page.
 *
 * On a touch screen one finger scrolls the page, as it does everywhere else on it; two fingers move and
 * zoom the map, and one finger sliding over the map says so (the hint). Leaflet's own dragging would take
 * every one-finger swipe: with it off, Leaflet's stylesheet lets the browser pan (touch-action: pan-x pan-y)
 * and the swipe scrolls the page around the map's frame. On a narrow map the layer list folds into its
 * button, as the legend does (static/cmdmap/fastlayer.js), so that the places are not hidden behind them.
 *
 * Runs inside the map's own frame; nothing here reaches outside it.
 */
(function () {
  "use strict";
  if (!window.L || L.cmdmapPhone) { return; }

  var HINT_MS = 1500;  // how long the hint stays after the finger left

  /* A screen whose main pointer is a finger (phones, tablets): not a laptop with a touch screen too. */
  function fingers() {
    return !!(window.matchMedia && window.matchMedia("(pointer: coarse)").matches) && L.Browser.touch;
  }

  /* A map as narrow as a phone's screen (the frame is the map's width). */
  function narrow() {
    return !!(window.matchMedia && window.matchMedia("(max-width: 640px)").matches);
  }

  function twoFingers(map, text) {
    var box = map.getContainer(), timer = null;
    var hint = L.DomUtil.create("div", "cmdmap-touch-hint", box);
    hint.textContent = text;
    map.dragging.disable();
    function show() {
      L.DomUtil.addClass(hint, "shown");
      clearTimeout(timer);
    }
    function later() {
      clearTimeout(timer);
      timer = setTimeout(function () { L.DomUtil.removeClass(hint, "shown"); }, HINT_MS);
    }
    // Not passive: with two fingers the browser must not scroll the page meanwhile.
    box.addEventListener("touchstart", function (e) {
      if (e.touches.length > 1) {
        e.preventDefault();
        L.DomUtil.removeClass(hint, "shown");
        map.dragging.enable();
      }
    }, {passive: false});
    box.addEventListener("touchmove", function (e) {
      if (e.touches.length > 1) {
        e.preventDefault();
      } else if (!map.dragging.enabled()) {
        show();
      }
    }, {passive: false});
    function ended(e) {
      if (e.touches.length === 0) {
        map.dragging.disable();
        later();
      }
    }
    box.addEventListener("touchend", ended, {passive: true});
    box.addEventListener("touchcancel", ended, {passive: true});
  }

  /* The layer list folded into its button: a tap on the button opens it, a tap on the map folds it. */
  function foldLayers(map) {
    var list = map.getContainer().querySelector(".leaflet-control-layers");
    if (!list) { return; }
    L.DomUtil.removeClass(list, "leaflet-control-layers-expanded");
    map.on("click", function () { L.DomUtil.removeClass(list, "leaflet-control-layers-expanded"); });
  }

  /* Called once the map and its controls exist (geo/maps/build.py PhoneGestures). */
  L.cmdmapPhone = function (map, labels) {
    if (fingers()) { twoFingers(map, labels.hint); }
    if (narrow()) { foldLayers(map); }
    return map;
  };
  L.cmdmapPhone.narrow = narrow;
})();
