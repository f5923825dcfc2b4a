// Charts of the compliance dashboard. Data comes from the json_script block "dashboard-data".
(function () {
  const source = document.getElementById("dashboard-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  // No growing bars for those who ask their system for less motion (and for screenshots).
  if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    window.Chart.defaults.animation = false;
  }
  const red = "#b3151b";
  const percentAxis = { beginAtZero: true, max: 100, ticks: { callback: (v) => v + "%" } };

  function draw(id, config) {
    const canvas = document.getElementById(id);
    if (canvas) {
      return new window.Chart(canvas, config);
    }
    return null;
  }

  draw("chart-children", {
    type: "bar",
    data: {
      labels: data.children.labels,
      datasets: [{ label: "Tỷ lệ thực hiện (%)", data: data.children.compliance, backgroundColor: red }],
    },
    options: {
      indexAxis: data.children.labels.length > 8 ? "y" : "x",
      plugins: { legend: { display: false } },
      scales: data.children.labels.length > 8 ? { x: percentAxis } : { y: percentAxis },
      maintainAspectRatio: false,
    },
  });

  // Finished quarters only: the quarter under way is named on the axis with no point (null),
  // so it is never drawn as a fall; quarters to come are not in the data.
  draw("chart-quarters", {
    type: "line",
    data: {
      labels: data.quarters.labels,
      datasets: [{ label: "Tỷ lệ thực hiện (%)", data: data.quarters.compliance, borderColor: red, backgroundColor: red, tension: 0.2 }],
    },
    options: { plugins: { legend: { display: false } }, scales: { y: percentAxis }, maintainAspectRatio: false },
  });

  draw("chart-grades", {
    type: "doughnut",
    data: {
      labels: data.grades.labels,
      datasets: [{ data: data.grades.values, backgroundColor: ["#198754", "#0d6efd", "#ffc107", "#dc3545"] }],
    },
    options: { plugins: { legend: { position: "bottom" } }, maintainAspectRatio: false },
  });
})();
