// The indicator dashboard: one horizontal bar chart per indicator group, drawn with ECharts
// from the data the server embedded with json_script (no inline script: CSP).
(function () {
  "use strict";

  function chartHeight(count) {
    return Math.max(160, 48 + 44 * count);
  }

  function draw(group, box) {
    var items = group.items;
    // Bars read top-down in table order; ECharts' category axis runs bottom-up.
    var ordered = items.slice().reverse();
    box.style.height = chartHeight(items.length) + "px";
    var chart = echarts.init(box, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 64, top: 8, bottom: 8, containLabel: true },
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var item = ordered[p.dataIndex];
          return echarts.format.encodeHTML(item.name) + "<br>" +
            echarts.format.encodeHTML(item.display + " " + item.unit);
        }
      },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: {
        type: "category",
        data: ordered.map(function (item) { return item.name; }),
        axisLabel: { width: 220, overflow: "truncate" }
      },
      series: [{
        type: "bar",
        data: ordered.map(function (item) { return item.value; }),
        barMaxWidth: 28,
        cursor: "pointer",
        label: {
          show: true,
          position: "right",
          formatter: function (p) {
            var item = ordered[p.dataIndex];
            return item.display + " " + item.unit;
          }
        }
      }]
    });
    chart.on("click", function (p) {
      var item = ordered[p.dataIndex];
      if (item && item.url) window.location.href = item.url;
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function init() {
    var data = document.getElementById("dashboard-data");
    if (!data || typeof echarts === "undefined") return;
    JSON.parse(data.textContent).forEach(function (group) {
      var box = document.querySelector('.chart[data-chart="' + group.key + '"]');
      if (box && group.items.length) draw(group, box);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
