// The admin index's chart of views per day (uPlot, vendored). The table below it has the same numbers.
"use strict";

(function () {
  function draw() {
    const box = document.getElementById("views-chart");
    const source = document.getElementById("views-chart-data");
    if (!box || !source || typeof window.uPlot === "undefined") return;
    const data = JSON.parse(source.textContent);
    const days = data.days.map((day) => Date.parse(day + "T12:00:00+08:00") / 1000);
    const labels = { site: box.dataset.siteLabel, article: box.dataset.articleLabel };
    const colours = { site: "#417690", article: "#ba2121" };
    const series = [{}].concat(
      data.series.map((one) => ({ label: labels[one.key], stroke: colours[one.key], width: 2 }))
    );
    const options = {
      width: Math.max(320, box.clientWidth || 600),
      height: 220,
      series: series,
      axes: [{}, { size: 50 }],
      scales: { y: { range: (_u, min, max) => [0, Math.max(5, max)] } },
    };
    box.replaceChildren();
    new window.uPlot(options, [days].concat(data.series.map((one) => one.values)), box);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
