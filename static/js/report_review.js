// Review of a report: ask for confirmation after the browser has checked the form (a return
// needs its comment first), saying what will happen to the cell. Without JS the server still
// refuses a return without a comment.
(function () {
  document.querySelectorAll("form[data-review]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      const button = event.submitter;
      const question = button && button.getAttribute("data-confirm-submit");
      if (question && !window.confirm(question)) {
        event.preventDefault();
      }
    });
  });
})();
