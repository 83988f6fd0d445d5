// series.js draws a live series' chart with the vendored uPlot, from the JSON the chart
// element carries: times in seconds, values (means at rollup resolutions) and, for
// rollups, the minima and maxima. Times are shown in Asia/Ho_Chi_Minh. The page works
// without it: the newest items are also in a table.
(function () {
  "use strict";
  if (typeof uPlot === "undefined") return;
  document.querySelectorAll('[data-chart="series"]').forEach(function (el) {
    var src = el.querySelector('script[type="application/json"]');
    if (!src) return;
    var d;
    try { d = JSON.parse(src.textContent); } catch (e) { return; }
    if (!d || !d.t || d.t.length === 0) return;
    var label = d.name + (d.unit ? " (" + d.unit + ")" : "");
    var series = [{}, { label: label, stroke: "#0b5394", width: 2, points: { show: d.t.length < 200 } }];
    var data = [d.t, d.v];
    if (d.min && d.max) {
      series.push({ label: d.names[0], stroke: "#6f9fd8", width: 1, dash: [4, 3], points: { show: false } });
      series.push({ label: d.names[1], stroke: "#8a1c1c", width: 1, dash: [4, 3], points: { show: false } });
      data.push(d.min, d.max);
    }
    // Axis ticks as dd/mm hh:mm (or hh:mm within a day), in the province's time.
    var day = uPlot.fmtDate("{DD}/{MM}"), clock = uPlot.fmtDate("{HH}:{mm}");
    var span = d.t[d.t.length - 1] - d.t[0];
    var tick = function (u, splits) {
      return splits.map(function (s) {
        var t = uPlot.tzDate(new Date(s * 1e3), "Asia/Ho_Chi_Minh");
        return span > 2 * 86400 ? day(t) : span > 86400 ? day(t) + " " + clock(t) : clock(t);
      });
    };
    var width = function () { return Math.max(Math.min(el.clientWidth || 600, 1100), 280); };
    var plot = new uPlot({
      width: width(),
      height: 280,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), "Asia/Ho_Chi_Minh"); },
      scales: { x: { time: true } },
      axes: [{ values: tick }, {}],
      series: series,
      legend: { show: true }
    }, data, el);
    el.setAttribute("data-drawn", "1");
    window.addEventListener("resize", function () { plot.setSize({ width: width(), height: 280 }); });
  });
})();
