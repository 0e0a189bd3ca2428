/* Draw every <figure class="chart" data-spec="ID"> from the JSON in <script id="ID">, with ECharts.
   The data are read with JSON.parse and handed to ECharts as data, never as markup or code. */
(function () {
  "use strict";
  function option(spec) {
    var animation = false;  /* drawn at once: what a screenshot or a printout shows is the chart */
    var tooltip = { trigger: spec.kind === "pie" ? "item" : "axis", confine: true };
    var title = { text: spec.title, textStyle: { fontSize: 14 } };
    if (spec.kind === "pie") {
      return { animation: animation, title: title, tooltip: tooltip, series: [{ type: "pie", radius: ["35%", "65%"], top: 30,
        data: spec.labels.map(function (name, i) { return { name: name, value: spec.values[i] }; }) }] };
    }
    if (spec.kind === "points") {
      return { animation: animation, title: title, tooltip: { trigger: "item", confine: true }, grid: { left: 8, right: 16, containLabel: true },
        xAxis: { type: "category", data: spec.labels, axisLabel: { show: false } }, yAxis: { type: "value", name: spec.unit },
        series: [{ type: "scatter", symbolSize: 10, data: spec.values }] };
    }
    var labels = spec.labels.slice().reverse(), values = spec.values.slice().reverse();
    return { animation: animation, title: title, tooltip: tooltip, grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "value", name: spec.unit }, yAxis: { type: "category", data: labels,
        axisLabel: { width: 140, overflow: "truncate" } }, series: [{ type: "bar", data: values, barMaxWidth: 28 }] };
  }
  var figures = document.querySelectorAll("figure.chart[data-spec]");
  var charts = [];
  for (var i = 0; i < figures.length; i++) {
    var source = document.getElementById(figures[i].getAttribute("data-spec"));
    if (!source || typeof echarts === "undefined") { continue; }
    var spec = JSON.parse(source.textContent);
    var chart = echarts.init(figures[i], null, { renderer: "svg" });
    chart.setOption(option(spec));
    charts.push(chart);
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
