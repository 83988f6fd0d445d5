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
