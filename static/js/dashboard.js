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

  // Finished quarters as a solid line; the current quarter, not over yet, as a dashed segment
  // to a hollow "so far" point instead of a fall; quarters to come are not in the data.
  const quarterSets = [
    { label: "Tỷ lệ thực hiện (%)", data: data.quarters.compliance, borderColor: red, backgroundColor: red, tension: 0.2 },
  ];
  if (data.quarters.has_partial) {
    quarterSets.push({
      label: "Quý hiện tại, chưa kết thúc (đến nay)",
      data: data.quarters.partial,
      borderColor: red,
      backgroundColor: "#ffffff",
      borderDash: [6, 4],
      // Only the current quarter's point: the segment's start is the last finished quarter's.
      pointRadius: (context) => (context.dataIndex === data.quarters.partial.length - 1 ? 5 : 0),
      pointBorderWidth: 2,
      tension: 0,
    });
  }
  draw("chart-quarters", {
    type: "line",
    data: { labels: data.quarters.labels, datasets: quarterSets },
    options: {
      plugins: { legend: { display: data.quarters.has_partial, position: "bottom", labels: { boxWidth: 12 } } },
      scales: { y: percentAxis },
      maintainAspectRatio: false,
    },
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
