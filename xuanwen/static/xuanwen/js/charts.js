// Small charts drawn with ECharts (served from our own static files): each element with
// data-chart="<id>" is drawn from the JSON in <script type="application/json" id="<id>">:
//   {title, categories (or months), series: [{name, data, type?}], colors?, stack?, horizontal?}
// By default grouped bars along the categories, one colour a series; `stack` piles the series
// up, `horizontal` lays the bars across (one row a unit, so a long list of units still fits a
// phone: the box grows with the rows); a series of type "line" is drawn as a line.
// Our ECharts build is the small one, without title, legend or tooltip: the card's heading
// (or the caption above the box) names the chart, and the legend is drawn here, in HTML.
(function () {
  "use strict";
  if (window.xuanwenCharts) return; // loaded once a page, however many cards draw
  window.xuanwenCharts = true;
  var ROW = 26; // px a bar of a horizontal chart takes
  function draw(el) {
    var source = document.getElementById(el.dataset.chart);
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var colors = data.colors || ["#9aa4ae", "#b91c1c"];
    var categories = data.categories || data.months;
    legend(el, data.series, colors);
    if (data.horizontal) el.style.height = 40 + ROW * categories.length + "px";
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    var along = { type: "category", data: categories, inverse: !!data.horizontal,
                  axisLabel: { width: 84, overflow: "truncate" } };
    var across = { type: "value", minInterval: 1 };
    chart.setOption({
      animation: false,
      color: colors,
      grid: { left: data.horizontal ? 90 : 40, right: 8, top: 12, bottom: 24 },
      xAxis: data.horizontal ? across : along,
      yAxis: data.horizontal ? along : across,
      series: data.series.map(function (s) {
        return { name: s.name, type: s.type || "bar", data: s.data,
                 stack: data.stack ? "all" : undefined };
      }),
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function legend(el, series, colors) {
    var list = document.createElement("ul");
    list.className = "chart-legend";
    list.setAttribute("aria-hidden", "true"); // the table says it to a screen reader
    series.forEach(function (s, i) {
      var item = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = colors[i % colors.length];
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(s.name));
      list.appendChild(item);
    });
    el.parentNode.insertBefore(list, el);
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
