// Small charts drawn with ECharts (served from our own static files): each element with
// data-chart="<id>" is drawn from the JSON in <script type="application/json" id="<id>">:
//   {title, categories (or months), series: [{name, data, type?}], colors?, stack?, horizontal?}
// By default grouped bars along the categories, one colour a series; `stack` piles the series
// up, `horizontal` lays the bars across (one row a unit, so a long list of units still fits a
// phone: the box grows with the rows); a series of type "line" is drawn as a line.
(function () {
  "use strict";
  if (window.xuanwenCharts) return; // loaded once a page, however many cards draw
  window.xuanwenCharts = true;
  var ROW = 26; // px a bar of a horizontal chart takes
  function draw(el) {
    var source = document.getElementById(el.dataset.chart);
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var categories = data.categories || data.months;
    if (data.horizontal) el.style.height = 64 + ROW * categories.length + "px";
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    var along = { type: "category", data: categories, inverse: !!data.horizontal,
                  axisLabel: { width: 84, overflow: "truncate" } };
    var across = { type: "value", minInterval: 1 };
    chart.setOption({
      animation: false,
      color: data.colors || ["#9aa4ae", "#b91c1c"],
      title: { text: data.title, left: 0, textStyle: { fontSize: 14 } },
      legend: { top: 20, left: 0 },
      grid: { left: data.horizontal ? 90 : 40, right: 8, top: 52, bottom: 24 },
      tooltip: { trigger: "axis" },
      xAxis: data.horizontal ? across : along,
      yAxis: data.horizontal ? along : across,
      series: data.series.map(function (s) {
        return { name: s.name, type: s.type || "bar", data: s.data,
                 stack: data.stack ? "all" : undefined };
      }),
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function drawAll() {
    document.querySelectorAll("[data-chart]").forEach(draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
