// Charts on plan pages, drawn from data the server embeds with json_script.
document.addEventListener("DOMContentLoaded", function () {
  var gapData = document.getElementById("gap-chart-data");
  var gapCanvas = document.getElementById("gap-chart");
  if (gapData && gapCanvas && window.Chart) {
    var d = JSON.parse(gapData.textContent);
    new Chart(gapCanvas, {
      type: "bar",
      data: {
        labels: d.labels,
        datasets: [
          { label: "Required", data: d.required, backgroundColor: "rgba(13,110,253,0.75)" },
          { label: "You", data: d.current, backgroundColor: "rgba(25,135,84,0.75)" },
        ],
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        scales: { x: { min: 0, max: 5, ticks: { stepSize: 1 } } },
        plugins: { legend: { position: "bottom" } },
      },
    });
    gapCanvas.dataset.rendered = "1";
  }

  var historyData = document.getElementById("assessment-history-data");
  var historyCanvas = document.getElementById("assessment-history");
  if (historyData && historyCanvas && window.Chart) {
    var series = JSON.parse(historyData.textContent);
    var palette = ["#0d6efd", "#198754", "#dc3545", "#fd7e14", "#6f42c1", "#20c997", "#0dcaf0", "#6c757d"];
    var labels = Array.from(new Set([].concat.apply([], Object.values(series).map(function (s) {
      return s.map(function (p) { return p.x; });
    })))).sort();
    var datasets = Object.keys(series).map(function (name, i) {
      var byDate = {};
      series[name].forEach(function (p) { byDate[p.x] = p.y; });
      return {
        label: name, borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length],
        spanGaps: true, data: labels.map(function (x) { return x in byDate ? byDate[x] : null; }),
      };
    });
    new Chart(historyCanvas, {
      type: "line",
      data: { labels: labels, datasets: datasets },
      options: { maintainAspectRatio: false, scales: { y: { min: 0, max: 5, ticks: { stepSize: 1 } } },
                 plugins: { legend: { position: "bottom" } } },
    });
  }
});
