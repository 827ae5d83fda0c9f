// Small conveniences on top of pages that work without JavaScript.
(function () {
  "use strict";

  // Move focus to the error summary so screen readers announce the problems first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }

  // Warn before leaving a wizard page with typed text that has not been saved yet.
  var form = document.getElementById("wizard-form");
  if (!form) { return; }
  // A page shown again with a problem holds text that is not saved yet.
  var changed = Boolean(summary || document.querySelector("[data-unsaved]"));
  form.addEventListener("input", function () { changed = true; });
  form.addEventListener("change", function () { changed = true; });
  form.addEventListener("submit", function () { changed = false; });
  window.addEventListener("beforeunload", function (event) {
    if (changed) { event.preventDefault(); event.returnValue = ""; }
  });
})();
