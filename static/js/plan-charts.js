// Charts on plan pages, drawn from data the server embeds with json_script.

// A skill name as at most two lines of about `width` characters, the rest cut with "…": long names
// would otherwise squeeze the bars to nothing, or be clipped, in a narrow chart. The tooltip has
// the whole name.
function wrapLabel(text, width) {
  var lines = [], line = "";
  text.split(/\s+/).forEach(function (word) {
    if (line && (line + " " + word).length > width) { lines.push(line); line = word; }
    else { line = line ? line + " " + word : word; }
  });
  if (line) lines.push(line);
  var cut = lines.length > 2;
  lines = lines.slice(0, 2).map(function (l) { return l.length > width ? l.slice(0, width - 1) + "…" : l; });
  if (cut && !lines[1].endsWith("…")) lines[1] = lines[1].slice(0, width - 1) + "…";
  return lines;
}

document.addEventListener("DOMContentLoaded", function () {
  var gapData = document.getElementById("gap-chart-data");
  var gapCanvas = document.getElementById("gap-chart");
  if (gapData && gapCanvas && window.Chart) {
    var d = JSON.parse(gapData.textContent);
    // 30 px a skill and room for the axes (set here: the page's policy allows no style attributes).
    var box = gapCanvas.closest(".gap-chart");
    if (box && box.dataset.rows) box.style.height = (Number(box.dataset.rows) * 30 + 70) + "px";
    // About a third of the chart's width for the names, at some 7 px a character.
    var width = Math.max(12, Math.round(gapCanvas.parentElement.clientWidth / 3 / 7));
    new Chart(gapCanvas, {
      type: "bar",
      data: {
        labels: d.labels.map(function (name) { return wrapLabel(name, width); }),
        datasets: [
          { label: "Required", data: d.required, backgroundColor: "rgba(31,79,209,0.8)" },
          { label: "You", data: d.current, backgroundColor: "rgba(25,135,84,0.8)" },
        ],
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        // Every skill named: Chart.js would otherwise skip labels that don't fit their row.
        scales: { x: { min: 0, max: 5, ticks: { stepSize: 1 } }, y: { ticks: { autoSkip: false, font: { size: 11 } } } },
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: { title: function (items) { return d.labels[items[0].dataIndex]; } } },
        },
      },
    });
    gapCanvas.dataset.rendered = "1";
  }

  var historyData = document.getElementById("assessment-history-data");
  var historyCanvas = document.getElementById("assessment-history");
  if (historyData && historyCanvas && window.Chart) {
    var series = JSON.parse(historyData.textContent);
    var palette = ["#1f4fd1", "#198754", "#dc3545", "#fd7e14", "#6f42c1", "#20c997", "#0dcaf0", "#6c757d"];
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
