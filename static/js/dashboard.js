// Draws the dashboard's charts (Chart.js, vendored) from the figures the page carries as JSON
// (json_script: no inline script, the CSP stays strict). Every bar leads to the list behind it,
// the same address as the number in the table beside it.
document.addEventListener("DOMContentLoaded", () => {
  if (typeof Chart === "undefined") return; // the tables carry the same figures
  const colours = ["#0d6efd", "#adb5bd", "#dc3545", "#198754", "#fd7e14"];
  const longest = window.matchMedia("(max-width: 575px)").matches ? 18 : 32;
  function shortLabel(value) {
    const label = String(this.getLabelForValue(value));
    return label.length > longest ? `…${label.slice(label.length - longest + 1)}` : label;
  }
  for (const canvas of document.querySelectorAll("canvas[data-chart]")) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) continue;
    const spec = JSON.parse(source.textContent);
    const horizontal = Boolean(spec.horizontal);
    const chart = new Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map((dataset, index) => ({
          label: dataset.label,
          data: dataset.data,
          backgroundColor: colours[index % colours.length],
        })),
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: spec.datasets.length > 1 } },
        scales: {
          [horizontal ? "x" : "y"]: { beginAtZero: true, max: spec.max, ticks: { precision: 0 } },
          // A room's name carries its floor and building: shortened beside the bars (a phone has no room
          // for it), whole in the tooltip and in the table.
          ...(horizontal ? { y: { ticks: { callback: shortLabel } } } : {}),
        },
        onHover: (event, elements) => {
          event.native.target.style.cursor = elements.length ? "pointer" : "default";
        },
        onClick: (event, elements) => {
          if (!elements.length) return;
          const { datasetIndex, index } = elements[0];
          const link = spec.datasets[datasetIndex].links[index];
          if (link) window.location.assign(link);
        },
      },
    });
    canvas.chart = chart;
  }
});
