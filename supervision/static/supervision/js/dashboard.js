// Dashboard charts: the page puts the figures in <script type="application/json" id="sup-chart-data">
// (json_script); each [data-sup-chart] element names the chart it draws. No inline script (CSP).
(function () {
  "use strict";
  var TIER_COLOURS = ["#b3261e", "#f2b8b5", "#ffe08a", "#9fd3a8", "#3aa660", "#1b6b3a"];

  function tiers(data) {
    var t = data.tiers;
    if (!t || !t.labels.length) { return null; }
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 40, right: 16, top: 16, bottom: 56 },
      color: TIER_COLOURS,
      xAxis: { type: "category", data: t.labels },
      yAxis: { type: "value", name: data.labels.villages, minInterval: 1 },
      series: t.series.map(function (s) { return { name: s.name, type: "bar", stack: "tiers", data: s.data }; })
    };
  }

  function trend(data) {
    var t = data.trend;
    if (!t || !t.labels.length) { return null; }
    return {
      tooltip: { trigger: "axis" },
      legend: { bottom: 0 },
      grid: { left: 64, right: 56, top: 24, bottom: 48 },
      xAxis: { type: "category", data: t.labels },
      yAxis: [
        { type: "value", name: data.labels.income },
        { type: "value", name: data.labels.households, minInterval: 1 }
      ],
      series: [
        { name: data.labels.income, type: "bar", data: t.income.map(Number), itemStyle: { color: "#b3261e" } },
        { name: data.labels.households, type: "line", yAxisIndex: 1, data: t.households, itemStyle: { color: "#0d6efd" } }
      ]
    };
  }

  function stake(data) {
    var s = data.stake;
    if (!s || !s.length) { return null; }
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 16, top: 16, bottom: 32 },
      xAxis: { type: "category", data: s.map(function (b) { return b.name; }) },
      yAxis: { type: "value", name: data.labels.cooperatives, minInterval: 1 },
      series: [{ type: "bar", data: s.map(function (b) { return b.value; }), itemStyle: { color: "#e46962" } }]
    };
  }

  var BUILDERS = { tiers: tiers, trend: trend, stake: stake };

  function init() {
    if (typeof window.echarts === "undefined") { return; }
    var nodes = document.querySelectorAll("[data-sup-chart]");
    for (var i = 0; i < nodes.length; i++) {
      var node = nodes[i];
      var source = document.getElementById(node.getAttribute("data-chart-data"));
      var build = BUILDERS[node.getAttribute("data-sup-chart")];
      if (!source || !build) { continue; }
      var option = build(JSON.parse(source.textContent));
      if (!option) { continue; }
      var chart = window.echarts.init(node, null, { renderer: "svg" });
      chart.setOption(option);
      window.addEventListener("resize", chart.resize);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
