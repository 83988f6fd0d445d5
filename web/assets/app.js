// app.js draws the charts of a page with the vendored uPlot, from the JSON each chart
// element carries. Pages work without it: every figure is also in a table.
(function () {
  "use strict";
  if (typeof uPlot === "undefined") return;

  // forecast draws an indicator's figures on a time axis, each with its value beside
  // it, the values that meet the target as a pale band edged by the target's line (with
  // its label), and the straight-line forecast to the horizon with its 80% band. A
  // rank (lower is better) is drawn with the first place on top. The element's name
  // says the same in words, and the page has the figures as a table.
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
    var series = [{}, { label: d.name, stroke: "#0b5394", width: 2, points: { show: true, size: d.small ? 5 : 8, fill: "#0b5394" } },
      { label: d.name, stroke: "#5b6b7d", dash: [6, 4], width: 2, points: { show: false } }];
    var bands = [];
    if (d.flo && d.flo.length) {
      data.push(at(d.fx, d.flo), at(d.fx, d.fhi));
      series.push({ label: d.name, stroke: "rgba(91,107,125,0.4)", width: 1, points: { show: false } },
        { label: d.name, stroke: "rgba(91,107,125,0.4)", width: 1, points: { show: false } });
      bands.push({ series: [4, 3], fill: "rgba(91,107,125,0.18)" });
    }
    var all = [];
    data.slice(1).forEach(function (a) { a.forEach(function (v) { if (v !== null) all.push(v); }); });
    [d.goal_low, d.goal_high].forEach(function (v) { if (typeof v === "number") all.push(v); });
    var lo = Math.min.apply(null, all), hi = Math.max.apply(null, all);
    var pad = (hi - lo) * 0.12 || Math.abs(hi) * 0.15 || 1;
    var ylo = lo - pad, yhi = hi + pad;
    if (lo >= 0 && ylo < 0) ylo = 0;
    // One date only: a year either side, so that the point stands in the middle.
    var xlo = xs[0], xhi = xs[xs.length - 1];
    if (xhi - xlo < 86400 * 60) { xlo -= 86400 * 365; xhi += 86400 * 365; }
    var rank = d.direction === "rank" && !d.small;
    var labels = !d.small && d.vlabels && d.values.length <= 16;
    function width() { return Math.min(el.clientWidth || (d.small ? 280 : 640), d.small ? 420 : 900); }
    function height() { return d.small ? (document.body.classList.contains("wall") ? 118 : 150) : 280; }
    var font = d.small ? "11px system-ui" : "12px system-ui";
    // Numbers on the axis as the page's language writes them (1,2 in Vietnamese).
    var numFmt = new Intl.NumberFormat(document.documentElement.lang || "vi", { maximumFractionDigits: 3 });
    var u = new uPlot({
      width: width(), height: height(),
      cursor: { show: !d.small }, select: { show: false }, legend: { show: false },
      padding: [labels ? 18 : 8, 12, 0, 0],
      scales: { x: { time: true, range: [xlo, xhi] }, y: { range: [ylo, yhi], dir: rank ? -1 : 1 } },
      // Dates in the province's calendar as numbers (05/2025, or the year alone over
      // long spans), not the English month names uPlot writes by default.
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"); },
      axes: [{ size: d.small ? 28 : 40, font: font, splits: dateSplits, values: function (u, splits) {
        var years = u._step >= 12;
        return splits.map(function (ts) {
          var t = new Date(ts * 1e3), m = t.getUTCMonth() + 1;
          return years ? String(t.getUTCFullYear()) : (m < 10 ? "0" : "") + m + "/" + t.getUTCFullYear();
        });
      } }, { size: d.small ? 40 : 56, font: font, values: function (u, splits) {
        return splits.map(function (v) { return numFmt.format(v); });
      } }],
      series: series, bands: bands,
      hooks: {
        drawAxes: [function (u) {
          // The values that meet the target: a pale green band, open ends to the edge
          // the scale runs to (the top of a rank's axis is its first place).
          if (typeof d.goal_low !== "number" && typeof d.goal_high !== "number") return;
          var c = u.ctx, top = u.bbox.top, bot = u.bbox.top + u.bbox.height;
          var clamp = function (y) { return Math.max(top, Math.min(bot, y)); };
          var y1 = clamp(u.valToPos(typeof d.goal_low === "number" ? d.goal_low : ylo, "y", true));
          var y2 = clamp(u.valToPos(typeof d.goal_high === "number" ? d.goal_high : yhi, "y", true));
          c.save();
          c.fillStyle = "rgba(29,94,32,0.12)";
          c.fillRect(u.bbox.left, Math.min(y1, y2), u.bbox.width, Math.abs(y2 - y1));
          c.restore();
        }],
        draw: [function (u) {
          var c = u.ctx, dpr = window.devicePixelRatio || 1, top = u.bbox.top, bot = u.bbox.top + u.bbox.height;
          c.save();
          // The target's line, labelled, over the figures.
          c.strokeStyle = "#1d5e20"; c.lineWidth = 2 * dpr; c.setLineDash([6 * dpr, 4 * dpr]);
          c.font = (d.small ? 10 : 12) * dpr + "px system-ui"; c.fillStyle = "#1d5e20";
          [d.goal_low, d.goal_high].forEach(function (v, i) {
            if (typeof v !== "number") return;
            var y = Math.round(u.valToPos(v, "y", true));
            if (y < top - 1 || y > bot + 1) return;
            c.beginPath(); c.moveTo(u.bbox.left, y); c.lineTo(u.bbox.left + u.bbox.width, y); c.stroke();
            if (d.goal_text && !d.small && i === (typeof d.goal_high === "number" ? 1 : 0)) {
              c.textAlign = "right"; c.textBaseline = "bottom";
              c.fillText(d.goal_text, u.bbox.left + u.bbox.width - 4 * dpr, y - 3 * dpr);
            }
          });
          // Each figure's value beside its point.
          if (labels) {
            c.setLineDash([]); c.fillStyle = "#0b3a66"; c.textAlign = "center"; c.textBaseline = "bottom";
            c.font = "bold " + 12 * dpr + "px system-ui";
            d.x.forEach(function (x, i) {
              var px = u.valToPos(x, "x", true), py = u.valToPos(d.values[i], "y", true);
              c.fillText(d.vlabels[i], px, py - 7 * dpr);
            });
          }
          c.restore();
        }]
      }
    }, data, el);
    el.setAttribute("data-drawn", "1");
    fit(el, u, width, height);
    return u;
  }

  // dateSplits are the time axis's ticks: the first day of a month, every 1, 2, 3 or 6
  // months, or of a year, every 1, 2, 5 or 10 years, as many as fit 70 px apart.
  function dateSplits(u) {
    var mn = u.scales.x.min, mx = u.scales.x.max, a = new Date(mn * 1e3), b = new Date(mx * 1e3);
    var months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth() + 1;
    var room = Math.max(2, Math.floor(u.bbox.width / (window.devicePixelRatio || 1) / 70));
    var steps = [1, 2, 3, 6, 12, 24, 60, 120], step = 120;
    for (var i = 0; i < steps.length; i++) if (months / steps[i] <= room) { step = steps[i]; break; }
    u._step = step;
    var y = a.getUTCFullYear(), out = [];
    if (step >= 12) y -= y % (step / 12);
    for (var k = 0; k < 2400; k += step) {
      var ts = Date.UTC(y, k, 1) / 1e3;
      if (ts > mx) break;
      if (ts >= mn) out.push(ts);
    }
    return out;
  }

  // fit redraws the charts at their boxes' new widths when the window is resized or a
  // phone turned (and when a box changes width for another reason, where the browser
  // has ResizeObserver). A chart whose element left the page (the wall screen draws
  // its charts again on each refresh) is destroyed and forgotten.
  var fitted = [], queued = false;
  var observer = window.ResizeObserver ? new ResizeObserver(function () { later(); }) : null;
  function later() { if (!queued) { queued = true; requestAnimationFrame(function () { queued = false; refit(true); }); } }
  function refit(resize) {
    fitted = fitted.filter(function (f) {
      if (!f.el.isConnected) {
        if (observer) observer.unobserve(f.el);
        f.u.destroy();
        return false;
      }
      if (resize && f.el.clientWidth !== f.last) {
        f.last = f.el.clientWidth;
        f.u.setSize({ width: f.width(), height: f.height() });
        f.el.setAttribute("data-width", String(Math.round(f.u.width)));
      }
      return true;
    });
  }
  function fit(el, u, width, height) {
    refit(false);
    fitted.push({ el: el, u: u, width: width, height: height, last: el.clientWidth });
    el.setAttribute("data-width", String(Math.round(u.width)));
    if (observer) observer.observe(el);
  }
  window.addEventListener("resize", later);
  window.addEventListener("orientationchange", later);
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
  });
})();
