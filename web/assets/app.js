// app.js draws the charts of a page with the vendored uPlot, from the JSON each chart
// element carries. Pages work without it: every figure is also in a table.
(function () {
  "use strict";
  if (typeof uPlot === "undefined") return;

  // forecast draws an indicator's figures on a time axis, the values that meet the
  // target as a pale band, and the straight-line forecast to the horizon with its 80%
  // band. The element's name says the same in words.
  function forecast(el, d) {
    var set = {};
    d.x.concat(d.fx || []).forEach(function (x) { set[x] = true; });
    var xs = Object.keys(set).map(Number).sort(function (a, b) { return a - b; });
    function at(keys, vals) {
      var m = {};
      (keys || []).forEach(function (k, i) { m[k] = vals[i]; });
      return xs.map(function (x) { return x in m ? m[x] : null; });
    }
    var data = [xs, at(d.x, d.values), at(d.fx, d.fv)];
    var series = [{}, { label: d.name, stroke: "#0b5394", width: 2, points: { show: true, size: d.small ? 5 : 7, fill: "#0b5394" } },
      { label: "forecast", stroke: "#5b6b7d", dash: [6, 4], width: 2, points: { show: false } }];
    var bands = [];
    if (d.flo && d.flo.length) {
      data.push(at(d.fx, d.flo), at(d.fx, d.fhi));
      series.push({ label: "low", stroke: "rgba(91,107,125,0.4)", width: 1, points: { show: false } },
        { label: "high", stroke: "rgba(91,107,125,0.4)", width: 1, points: { show: false } });
      bands.push({ series: [4, 3], fill: "rgba(91,107,125,0.18)" });
    }
    var all = [];
    data.slice(1).forEach(function (a) { a.forEach(function (v) { if (v !== null) all.push(v); }); });
    [d.goal_low, d.goal_high].forEach(function (v) { if (typeof v === "number") all.push(v); });
    var lo = Math.min.apply(null, all), hi = Math.max.apply(null, all);
    var pad = (hi - lo) * 0.1 || Math.abs(hi) * 0.1 || 1;
    var w = el.clientWidth || (d.small ? 280 : 640);
    var u = new uPlot({
      width: Math.min(w, d.small ? 420 : 900), height: d.small ? (document.body.classList.contains("wall") ? 118 : 150) : 280,
      cursor: { show: !d.small }, select: { show: false }, legend: { show: false },
      padding: [8, 8, 0, 0],
      scales: { x: { time: true }, y: { range: [lo - pad, hi + pad] } },
      axes: [{ size: d.small ? 28 : 40, font: d.small ? "11px system-ui" : "12px system-ui" }, { size: d.small ? 40 : 56, font: d.small ? "11px system-ui" : "12px system-ui" }],
      series: series, bands: bands,
      hooks: { drawAxes: [function (u) {
        // The values that meet the target: a pale green band (open ends to the edge).
        var c = u.ctx, top = u.bbox.top, bot = u.bbox.top + u.bbox.height;
        var y1 = typeof d.goal_high === "number" ? Math.max(top, Math.min(bot, u.valToPos(d.goal_high, "y", true))) : top;
        var y2 = typeof d.goal_low === "number" ? Math.max(top, Math.min(bot, u.valToPos(d.goal_low, "y", true))) : bot;
        if (typeof d.goal_low !== "number" && typeof d.goal_high !== "number") return;
        c.save();
        c.fillStyle = "rgba(29,94,32,0.12)";
        c.fillRect(u.bbox.left, y1, u.bbox.width, y2 - y1);
        c.strokeStyle = "#1d5e20"; c.lineWidth = 1.5 * (window.devicePixelRatio || 1); c.setLineDash([4, 3]);
        [d.goal_low, d.goal_high].forEach(function (v) {
          if (typeof v !== "number") return;
          var y = u.valToPos(v, "y", true);
          if (y < top || y > bot) return;
          c.beginPath(); c.moveTo(u.bbox.left, y); c.lineTo(u.bbox.left + u.bbox.width, y); c.stroke();
        });
        c.restore();
      }] }
    }, data, el);
    el.setAttribute("data-drawn", "1");
    return u;
  }
  window.tinhsoForecast = forecast;

  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var src = el.querySelector('script[type="application/json"]');
    if (!src) return;
    var d;
    try { d = JSON.parse(src.textContent); } catch (e) { return; }
    if (el.getAttribute("data-chart") === "forecast") {
      if (d && d.x && d.x.length) forecast(el, d);
      return;
    }
    if (!d || !d.values || d.values.length === 0) return;
    var xs = d.values.map(function (_, i) { return i; });
    var series = [{}, { label: d.name || "", stroke: "#0b5394", width: 2, fill: "rgba(11,83,148,0.08)" }];
    var data = [xs, d.values];
    if (typeof d.target === "number") {
      series.push({ label: "target", stroke: "#8a1c1c", dash: [6, 4], width: 2, points: { show: false } });
      data.push(xs.map(function () { return d.target; }));
    }
    if (el.getAttribute("data-chart") === "bars") {
      series[1].paths = uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.6, 60] }) : undefined;
      series.push({ label: "100%", stroke: "#8a1c1c", dash: [6, 4], width: 2, points: { show: false } });
      data.push(xs.map(function () { return 100; }));
    }
    var labels = d.labels || [];
    if (el.getAttribute("data-chart") === "spark") {
      // A small trend chart in a table cell: the figures by period as points joined by a
      // line, and the target as a dashed line across the whole chart (drawn by a hook,
      // so it shows even with one period); the cell says the same in words, and the
      // container carries it as its name.
      var lines = [d.target, d.upper].filter(function (v) { return typeof v === "number"; });
      var all = d.values.concat(lines);
      var lo = Math.min.apply(null, all), hi = Math.max.apply(null, all);
      var pad = (hi - lo) * 0.15 || Math.abs(hi) * 0.1 || 1;
      var spark = new uPlot({
        width: 180,
        height: 56,
        cursor: { show: false },
        select: { show: false },
        legend: { show: false },
        padding: [4, 6, 4, 6],
        scales: { x: { time: false, range: [-0.5, xs.length - 0.5] }, y: { range: [lo - pad, hi + pad] } },
        axes: [{ show: false }, { show: false }],
        series: [{}, { stroke: "#0b5394", width: 2, points: { show: true, size: 6, fill: "#0b5394" } }],
        hooks: {
          draw: [function (u) {
            var c = u.ctx;
            c.save();
            c.strokeStyle = "#8a1c1c";
            c.lineWidth = 2 * (window.devicePixelRatio || 1);
            c.setLineDash([6, 4]);
            lines.forEach(function (v) {
              var y = Math.round(u.valToPos(v, "y", true));
              c.beginPath();
              c.moveTo(u.bbox.left, y);
              c.lineTo(u.bbox.left + u.bbox.width, y);
              c.stroke();
            });
            c.restore();
          }]
        }
      }, [xs, d.values], el);
      el.setAttribute("data-drawn", "1");
      return;
    }
    var opts = {
      width: Math.min(el.clientWidth || 600, 900),
      height: 240,
      scales: { x: { time: false } },
      axes: [{ values: function (u, splits) { return splits.map(function (i) { return labels[i] || ""; }); } }, {}],
      series: series,
      legend: { show: true }
    };
    var plot = new uPlot(opts, data, el);
    window.addEventListener("resize", function () { plot.setSize({ width: Math.min(el.clientWidth || 600, 900), height: 240 }); });
  });
})();
