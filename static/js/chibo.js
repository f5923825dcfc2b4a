// Small progressive enhancements; every page works without them.
document.addEventListener("click", function (event) {
  const target = event.target.closest("[data-confirm]");
  if (target && !window.confirm(target.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});

// A table wider than the screen scrolls inside its .table-responsive box; a keyboard user
// scrolls it once it can take focus (WCAG 2.1.1), so such a box gets tabindex=0 while it
// overflows. Checked again after an htmx swap and when the window changes size.
function markScrollableBoxes() {
  document.querySelectorAll(".table-responsive").forEach(function (box) {
    if (box.scrollWidth > box.clientWidth + 1) {
      box.setAttribute("tabindex", "0");
    } else if (box.getAttribute("tabindex") === "0") {
      box.removeAttribute("tabindex");
    }
  });
}
markScrollableBoxes();
document.body.addEventListener("htmx:afterSettle", markScrollableBoxes);
window.addEventListener("resize", markScrollableBoxes);
window.addEventListener("load", markScrollableBoxes);
