// The goal page's progress chart: check-ins over time against the ideal straight line from
// (start, baseline) to (deadline, target), drawn from data the server embeds with json_script.
// Values are plotted as measured, so a falling metric's lines simply head down to its target.
(function () {
  function toTime(iso) {
    var p = iso.split("-");
    return Date.UTC(+p[0], +p[1] - 1, +p[2]);
  }

  function dateLabel(time) {
    return new Date(time).toLocaleDateString(undefined, {
      day: "numeric", month: "short", year: "numeric", timeZone: "UTC",
    });
  }

  function render(canvas) {
    var source = document.getElementById(canvas.dataset.chartData);
    if (!source || !window.Chart || canvas.dataset.rendered) return;
    var d = JSON.parse(source.textContent);
    var start = toTime(d.start);
    var deadline = toTime(d.deadline);
    var measured = [{ x: start, y: d.baseline }].concat(d.points.map(function (p) {
      return { x: toTime(p.x), y: p.y };
    }));
    var end = Math.max(deadline, measured[measured.length - 1].x);
    var unit = d.unit ? " " + d.unit : "";
    new Chart(canvas, {
      type: "line",
      data: {
        datasets: [
          {
            label: "Your check-ins", data: measured, borderColor: "#0d6efd", backgroundColor: "#0d6efd",
            pointRadius: 3, tension: 0,
          },
          {
            label: "Steady pace", data: [{ x: start, y: d.baseline }, { x: deadline, y: d.target }],
            borderColor: "#6c757d", backgroundColor: "#6c757d", borderDash: [6, 4], pointRadius: 0,
          },
          {
            label: "Target", data: [{ x: start, y: d.target }, { x: end, y: d.target }],
            borderColor: "#198754", backgroundColor: "#198754", borderDash: [2, 3], borderWidth: 1.5, pointRadius: 0,
          },
        ],
      },
      options: {
        maintainAspectRatio: false,
        interaction: { mode: "nearest", intersect: false },
        scales: {
          x: { type: "linear", min: start, max: end, ticks: { maxTicksLimit: 6, callback: dateLabel } },
          y: { title: { display: true, text: d.metric + (d.unit ? " (" + d.unit + ")" : "") } },
        },
        plugins: {
          legend: { position: "bottom", labels: { usePointStyle: true, pointStyle: "line" } },
          tooltip: {
            callbacks: {
              title: function (items) { return dateLabel(items[0].parsed.x); },
              label: function (item) { return item.dataset.label + ": " + item.parsed.y + unit; },
            },
          },
        },
      },
    });
    canvas.dataset.rendered = "1";
  }

  function renderAll(root) {
    root.querySelectorAll("canvas[data-chart-data]").forEach(render);
  }

  document.addEventListener("DOMContentLoaded", function () { renderAll(document); });
  // A panel htmx swaps in later gets its chart too.
  document.addEventListener("htmx:afterSettle", function () { renderAll(document); });
})();
