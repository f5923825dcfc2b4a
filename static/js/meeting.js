// Run page: keep every form's version in step with the server after an htmx update, so the
// next action is not mistaken for a conflicting edit by someone else.
document.body.addEventListener("htmx:afterRequest", function (event) {
  const xhr = event.detail.xhr;
  const version = xhr && xhr.getResponseHeader("X-Meeting-Version");
  if (!version) return;
  document.querySelectorAll('input[name="version"]').forEach(function (input) {
    input.value = version;
  });
});

// Roll call: choosing an absence opens the reason field of that row (no error yet: the reason
// is asked for only when the whole table is saved); choosing "present" closes it.
document.body.addEventListener("change", function (event) {
  const radio = event.target;
  if (!radio.matches || !radio.matches('#attendance-form input[type="radio"][name^="status_"]')) return;
  const row = radio.closest("tr");
  const box = row && row.querySelector(".attendance-reason");
  if (!box) return;
  const absent = radio.value === "excused" || radio.value === "unexcused";
  box.hidden = !absent;
  if (radio.value === "excused") {
    const input = box.querySelector("input");
    if (input && !input.value) input.focus();
  }
});

// Roll call of a hybrid meeting (issue 17): "in person / online" is asked of present rows only.
document.body.addEventListener("change", function (event) {
  const radio = event.target;
  if (!radio.matches || !radio.matches('#attendance-form input[type="radio"][name^="status_"]')) return;
  const row = radio.closest("tr");
  const box = row && row.querySelector(".attendance-mode");
  if (box) box.hidden = radio.value !== "present";
});
