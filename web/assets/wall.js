// wall.js refreshes the wall screen without reloading it: every data-seconds it asks
// data-refresh for the board's figures and redraws the tiles, lists and charts. A
// failed request keeps what is shown and tries again next time.
(function () {
  "use strict";
  var main = document.getElementById("main");
  if (!main) return;
  var url = main.getAttribute("data-refresh");
  var every = (parseInt(main.getAttribute("data-seconds"), 10) || 60) * 1000;
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function num(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, document.documentElement.lang === "vi" ? "." : ","); }
  function tiles(id, list) {
    var ul = document.getElementById(id);
    if (!ul) return;
    ul.textContent = "";
    list.forEach(function (c) {
      var li = el("li", "wt cls-" + c["class"]);
      li.setAttribute("data-class", c["class"]);
      li.appendChild(el("span", "n", num(c.n)));
      var l = el("span", "l");
      var dot = el("span", "dot"); dot.setAttribute("aria-hidden", "true");
      l.appendChild(dot); l.appendChild(document.createTextNode(c.label));
      li.appendChild(l);
      ul.appendChild(li);
    });
  }
  function charts(list) {
    var box = document.getElementById("wall-charts");
    if (!box || !window.tinhsoForecast) return;
    box.textContent = "";
    list.forEach(function (s) {
      var f = el("figure", "spark cls-" + s["class"]);
      var cap = el("figcaption");
      cap.appendChild(el("span", "code", s.code));
      cap.appendChild(document.createTextNode(" "));
      var b = el("span", "badge-cls"); var dot = el("span", "dot"); dot.setAttribute("aria-hidden", "true");
      b.appendChild(dot); b.appendChild(document.createTextNode(s.label)); cap.appendChild(b);
      f.appendChild(cap);
      var c = el("div", "chart fchart small"); c.setAttribute("role", "img"); c.setAttribute("aria-label", s.chart.label);
      f.appendChild(c); box.appendChild(f);
      window.tinhsoForecast(c, s.chart);
    });
  }
  function render(d) {
    document.getElementById("wall-at").textContent = d.at;
    document.getElementById("wall-task-total").textContent = num(d.task_total);
    document.getElementById("wall-ind-total").textContent = num(d.indicator_total);
    tiles("wall-tasks", d.tasks);
    tiles("wall-inds", d.indicators);
    var ol = document.getElementById("wall-urgent");
    if (ol && d.urgent) {
      ol.textContent = "";
      d.urgent.forEach(function (u) {
        var li = el("li", "cls-" + u["class"]);
        var b = el("span", "badge-cls"); var dot = el("span", "dot"); dot.setAttribute("aria-hidden", "true");
        b.appendChild(dot); b.appendChild(document.createTextNode(u.label));
        li.appendChild(b); li.appendChild(document.createTextNode(" "));
        li.appendChild(el("span", "t", u.title)); li.appendChild(el("span", "o", u.owners)); li.appendChild(el("span", "why", u.detail));
        ol.appendChild(li);
      });
    }
    charts(d.charts || []);
    main.setAttribute("data-refreshed", String(Date.now()));
  }
  function tick() {
    fetch(url, { cache: "no-store", credentials: "omit" }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).then(render).catch(function () {}).finally(function () { setTimeout(tick, every); });
  }
  // The documents' bars: each segment as wide as its count (set here, not in a style
  // attribute, which the Content-Security-Policy refuses).
  function bars() {
    document.querySelectorAll(".seg[data-n]").forEach(function (s) { s.style.flex = s.getAttribute("data-n"); });
  }
  bars();
  // Draw the first charts from the page's own data, then refresh.
  window.addEventListener("load", function () {
    try { render(JSON.parse(document.getElementById("wall-data").textContent)); } catch (e) {}
    setTimeout(tick, every);
  });
})();
