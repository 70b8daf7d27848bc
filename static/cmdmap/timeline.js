/*
 * A step of the time line (ui/timeline.py) shown at once: a click on 前一日/后一日 in the sidebar recolours the
 * open map and its legend from the date's statuses, which came with the page (no tooltips, no extent), while
 * Streamlit reruns the page for that date; the rerun's update then brings the tooltips and everything else on
 * the page (tiles, table, address) follows it. Without this, the map waited for the whole rerun: at 10,000
 * compounds 0.4 to 1 s, most of it the page's other elements (bench/timeline.py).
 *
 * Called by every rerun of a map page with ``steps``: {date, "-1": glimpse or null, "1": glimpse or null,
 * near: {"-1": date or null, "1": date or null}}, each glimpse a map update of static/cmdmap/fastlayer.js
 * (window.cmdmap.glimpse) on the date in ``near``. One step is shown per rerun: a second click before the rerun
 * arrives waits for it, and if that click's rerun stops the first one before it reaches the map, the map is
 * told which date the page is on (window.cmdmap.pageOn) and leaves the glimpse.
 */
(function (steps) {
  "use strict";
  function maps(each) {
    var frames = document.querySelectorAll("iframe");
    for (var i = 0; i < frames.length; i++) {
      try {
        var map = frames[i].contentWindow && frames[i].contentWindow.cmdmap;
        if (map && map.glimpse) { each(map); }
      } catch (err) { /* a frame of another origin, or one being replaced */ }
    }
  }
  window.__cmdmapSteps = steps;
  maps(function (map) { map.pageOn(steps.date); });
  if (window.__cmdmapStepHook) { return; }
  window.__cmdmapStepHook = true;
  var BUTTONS = {"-1": ".st-key-timeline_back button", "1": ".st-key-timeline_forward button"};
  document.addEventListener("click", function (event) {
    var target = event.target && event.target.closest ? event.target : null;
    var now = window.__cmdmapSteps;
    if (!target || !now || now.shown) { return; }
    var by = target.closest(BUTTONS["-1"]) ? "-1" : target.closest(BUTTONS["1"]) ? "1" : null;
    var glimpse = by && now[by];
    if (!glimpse || target.closest("button").disabled) { return; }
    now.shown = true;
    maps(function (map) { map.glimpse(glimpse, now.near[by]); });
  }, true);  // before Streamlit's own handler sends the click
})
