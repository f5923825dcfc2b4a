// Meeting page: a schedule typed but not saved is not lost silently. Another form on the page
// (add a guest, a stage button) asks first; the page's primary button submits the schedule
// form itself, so it needs no question.
(function () {
  const form = document.querySelector("form[data-unsaved-warning]");
  if (!form) return;
  const snapshot = () => new URLSearchParams(new FormData(form)).toString();
  const initial = snapshot();
  document.addEventListener("submit", function (event) {
    if (event.target === form || snapshot() === initial) return;
    if (!window.confirm(form.getAttribute("data-unsaved-warning"))) {
      event.preventDefault();
    }
  });
  const error = document.getElementById("loi-lich-hop");
  if (error && !form.querySelector("[autofocus]")) error.scrollIntoView();
})();

// Meeting mode (issue 17): the online room, the reason and the confirmation are asked only
// when the meeting is online or hybrid (the values stay in the form, only hidden).
(function () {
  const mode = document.getElementById("id_mode");
  if (!mode) return;
  const online = ["online_room", "online_reason", "online_not_secret"]
    .map(function (name) { return document.getElementById("div_id_" + name); })
    .filter(Boolean);
  const show = function () {
    online.forEach(function (div) { div.hidden = mode.value === "in_person"; });
  };
  mode.addEventListener("change", show);
  show();
})();
