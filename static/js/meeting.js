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
