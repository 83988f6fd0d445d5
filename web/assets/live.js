// live.js keeps the live tiles moving (partial_live_tiles.html): it opens the
// section's server-sent event stream, and for each point of a tile's series shows the
// value and its time, adds it to the sparkline, and, for a signed-in reader, asks the
// thresholds API (at most once a second per tile) whether the threshold is ok, open
// or clearing. Without the API it marks a value beyond the threshold as open. The
// browser reconnects the stream by itself, resuming after the last event.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "vi";
  var fmt = new Intl.NumberFormat(lang === "vi" ? "vi-VN" : "en-GB", { maximumFractionDigits: 6 });
  var tfmt = new Intl.DateTimeFormat(lang === "vi" ? "vi-VN" : "en-GB", {
    timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false
  });
  function beyond(v, op, t) {
    switch (op) {
      case "gt": return v > t;
      case "ge": return v >= t;
      case "lt": return v < t;
      case "le": return v <= t;
    }
    return false;
  }
  function draw(tile) {
    var vals = tile._vals, pl = tile.querySelector(".lt-spark polyline");
    if (!pl || !vals.length) return;
    var lo = Math.min.apply(null, vals), hi = Math.max.apply(null, vals), span = hi - lo || 1;
    var pts = vals.map(function (v, i) {
      var x = vals.length === 1 ? 50 : (i * 100) / (vals.length - 1);
      return x.toFixed(2) + "," + (28 - ((v - lo) * 26) / span).toFixed(2);
    });
    pl.setAttribute("points", pts.join(" "));
  }
  function setState(box, tile, st) {
    tile.className = tile.className.replace(/\bst-\S+/, "st-" + st);
    tile.setAttribute("data-state", st);
    var el = tile.querySelector(".state");
    if (el) el.textContent = box.getAttribute("data-l-" + st) || st;
  }
  function ask(box, tile) {
    var now = Date.now();
    if (tile._asking || now - (tile._asked || 0) < 1000) {
      if (!tile._again) tile._again = setTimeout(function () { tile._again = null; ask(box, tile); }, 1000);
      return;
    }
    tile._asking = true;
    tile._asked = now;
    fetch("/api/v1/series/" + encodeURIComponent(tile.getAttribute("data-key")) + "/thresholds", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) {
        if (j && j.items && j.items.length) setState(box, tile, j.items[0].state);
      })
      .catch(function () {})
      .then(function () { tile._asking = false; });
  }
  function start(box) {
    var tiles = {};
    box.querySelectorAll(".lt-tile").forEach(function (t) {
      var data = t.querySelector(".spark-data");
      try { t._vals = JSON.parse(data ? data.textContent : "[]"); } catch (e) { t._vals = []; }
      tiles[t.getAttribute("data-key")] = t;
      draw(t);
    });
    var url = box.getAttribute("data-stream");
    if (!url || !window.EventSource) return;
    var es = new EventSource(url);
    es.addEventListener("ready", function () { box.classList.add("connected"); });
    es.addEventListener("error", function () { box.classList.remove("connected"); });
    es.addEventListener("point", function (e) {
      var p;
      try { p = JSON.parse(e.data); } catch (err) { return; }
      var tile = tiles[p.series];
      if (!tile) return;
      tile.querySelector(".v").textContent = fmt.format(p.value);
      var at = tile.querySelector(".at");
      if (at) at.textContent = tfmt.format(new Date(p.time));
      tile._vals.push(p.value);
      if (tile._vals.length > 60) tile._vals.shift();
      draw(tile);
      tile.setAttribute("data-value", String(p.value));
      var op = tile.getAttribute("data-op");
      if (!op) return;
      if (box.getAttribute("data-thresholds")) {
        ask(box, tile);
      } else if (beyond(p.value, op, parseFloat(tile.getAttribute("data-th")))) {
        setState(box, tile, "open");
      }
    });
  }
  document.querySelectorAll(".live-tiles[data-stream]").forEach(start);
})();
