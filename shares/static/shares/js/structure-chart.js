// The share-structure chart on the cooperative page: reads the JSON the page put in a
// <script type="application/json"> element (json_script) and draws an ECharts pie. No inline script.
(function () {
  "use strict";
  function draw(container) {
    var source = document.getElementById(container.getAttribute("data-chart-source"));
    if (!source || typeof window.echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    if (!data.groups || !data.groups.length) {
      return;
    }
    var chart = window.echarts.init(container, null, { renderer: "svg" });
    chart.setOption({
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          return p.name + "<br>" + Number(p.value).toLocaleString("zh-CN", { minimumFractionDigits: 2 }) + " " + data.unit + "（" + data.groups[p.dataIndex].percent + "）";
        }
      },
      legend: { bottom: 0, type: "scroll" },
      color: ["#b3261e", "#e46962", "#f2b8b5", "#0d6efd", "#fd7e14", "#6c757d"],
      series: [{
        type: "pie",
        radius: ["35%", "65%"],
        center: ["50%", "45%"],
        avoidLabelOverlap: true,
        // on a phone the labels do not fit beside the ring: the legend and the table carry the figures
        label: container.clientWidth < 500 ? { show: false } : { formatter: "{d}%" },
        data: data.groups.map(function (g) { return { name: g.name, value: g.value }; })
      }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function init() {
    var nodes = document.querySelectorAll("[data-chart-source]");
    for (var i = 0; i < nodes.length; i++) {
      draw(nodes[i]);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
