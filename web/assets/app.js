// app.js draws the charts of a page with the vendored uPlot, from the JSON each chart
// element carries. Pages work without it: every figure is also in a table.
(function () {
  "use strict";
  if (typeof uPlot === "undefined") return;
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var src = el.querySelector('script[type="application/json"]');
    if (!src) return;
    var d;
    try { d = JSON.parse(src.textContent); } catch (e) { return; }
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
