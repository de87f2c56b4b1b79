// The leaders' dashboard charts: Apache ECharts (served from /static/vendor/echarts/), drawn from
// the JSON the page carries (json_script; no inline script under the CSP). Each chart's table
// stays on the page for screen readers and print.
(function () {
  "use strict";
  function fmt(n) {
    return (typeof n === "number") ? n.toLocaleString("vi-VN") : String(n);
  }
  function option(spec) {
    var base = {
      animation: false,
      tooltip: { trigger: spec.kind === "pie" ? "item" : "axis", valueFormatter: fmt },
      legend: { top: 0, type: "scroll" },
      aria: { enabled: true },
    };
    if (spec.kind === "pie") {
      base.series = [{
        type: "pie", radius: ["35%", "65%"], top: 24,
        name: spec.series[0].name,
        data: spec.categories.map(function (c, i) { return { name: c, value: spec.series[0].data[i] }; }),
        label: { formatter: "{b}: {d}%" },
      }];
      return base;
    }
    base.grid = { left: 8, right: 8, top: 36, bottom: 8, containLabel: true };
    // long lists of names (agencies, goods categories) as horizontal bars; months as columns
    var horizontal = (spec.key === "agencies" || spec.key === "categories") && spec.categories.length > 4;
    var names = { type: "category", data: spec.categories };
    var values = { type: "value", axisLabel: { formatter: fmt } };
    if (horizontal) {
      names.inverse = true;
      names.axisLabel = { width: 110, overflow: "truncate" };
      base.xAxis = values; base.yAxis = names;
    } else {
      names.axisLabel = { hideOverlap: true };
      base.xAxis = names; base.yAxis = values;
    }
    base.series = spec.series.map(function (s) { return { type: "bar", name: s.name, data: s.data }; });
    return base;
  }
  function draw() {
    var data = document.getElementById("cg-chart-data");
    if (!data || typeof echarts === "undefined") { return; }
    var specs = JSON.parse(data.textContent);
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var spec = specs[Number(el.getAttribute("data-chart"))];
      if (!spec) { return; }
      var chart = echarts.init(el, null, { locale: "VI", renderer: "svg" });
      chart.setOption(option(spec));
      el.setAttribute("data-drawn", "1");
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
    window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
