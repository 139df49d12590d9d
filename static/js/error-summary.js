// The error summary (templates/includes/error_summary.html) takes focus when the page loads, so a
// screen reader announces it and Tab continues from it. Its links move focus to the field itself:
// a plain #anchor would only scroll, and might leave the field under the sticky section navigation.
(function () {
  "use strict";
  function focusField(event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    field.focus({ preventScroll: true });
    field.scrollIntoView({ block: "center" });
  }
  function init() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary || summary.dataset.ready) return;
    summary.dataset.ready = "1";
    summary.addEventListener("click", focusField);
    summary.focus();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
