// Small conveniences on top of pages that work without JavaScript.
(function () {
  "use strict";

  // Move focus to the error summary so screen readers announce the problems first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }

  // Copy buttons for links people pass on by hand (shown only where copying works).
  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var done = button.parentNode.querySelector(".copy-field__done");
    if (!field || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        if (done) { done.textContent = "Copied. You can paste it into a message now."; }
      }, function () {
        field.select();
        if (done) { done.textContent = "Select the link and copy it."; }
      });
    });
  });

  // The accent colour: a colour picker beside the text box, and the preview follows both.
  // Without JavaScript the text box alone works, and the preview shows the saved colour.
  var accent = document.querySelector("[data-accent-input]");
  var preview = document.querySelector("[data-accent-preview]");
  if (accent && preview) {
    var previewText = preview.querySelector("[data-accent-preview-text]");
    var hex = function (text) {
      var match = /^#?([0-9a-f]{6})$/i.exec(text.trim());
      return match ? "#" + match[1].toLowerCase() : null;
    };
    var show = function (colour) {
      preview.style.setProperty("--accent", colour);
      previewText.textContent = "Preview of " + colour + ". It is not saved until you choose Save the colour.";
    };
    var picker = document.createElement("input");
    picker.type = "color";
    picker.id = accent.id + "-picker";
    picker.className = "colour-picker";
    picker.value = hex(accent.value) || hex(getComputedStyle(preview).getPropertyValue("--accent")) || "#0b5d4b";
    var pickerLabel = document.createElement("label");
    pickerLabel.htmlFor = picker.id;
    pickerLabel.className = "label";
    pickerLabel.textContent = "Or pick the colour";
    var pickerField = document.createElement("div");
    pickerField.className = "field";
    pickerField.appendChild(pickerLabel);
    pickerField.appendChild(picker);
    accent.parentNode.parentNode.insertBefore(pickerField, accent.parentNode.nextSibling);
    accent.addEventListener("input", function () {
      var colour = hex(accent.value);
      if (colour) { picker.value = colour; show(colour); }
    });
    picker.addEventListener("input", function () {
      accent.value = picker.value;
      show(picker.value);
    });
  }

  // A box that only one answer asks for (GOV.UK's conditional reveal): hidden until that
  // answer is chosen. Without JavaScript it simply shows, with help saying when to fill it.
  Array.prototype.forEach.call(document.querySelectorAll("[data-reveal-when]"), function (box) {
    var radio = document.getElementById(box.getAttribute("data-reveal-when"));
    if (!radio || !radio.form) { return; }
    radio.setAttribute("aria-controls", box.id);
    var update = function () { box.hidden = !radio.checked; };
    Array.prototype.forEach.call(radio.form.querySelectorAll("input[type=radio]"), function (other) {
      if (other.name === radio.name) { other.addEventListener("change", update); }
    });
    update();
  });

  // Warn before leaving a wizard page with typed text that has not been saved yet.
  var form = document.getElementById("wizard-form");
  if (!form) { return; }
  // A page shown again with a problem holds text that is not saved yet.
  var changed = Boolean(summary || document.querySelector("[data-unsaved]"));
  form.addEventListener("input", function () { changed = true; stillHere(); });
  form.addEventListener("change", function () { changed = true; });
  form.addEventListener("submit", function () { changed = false; });

  // Someone typing a long answer is not away from the device: tell the server now and
  // then, so the idle sign-out does not catch them mid-sentence.
  var lastSent = Date.now();
  var token = form.querySelector("input[name=csrf_token]");
  var stillHereUrl = form.getAttribute("data-still-here");
  var kept = form.getAttribute("data-kept") === "yes";
  // At most every five minutes, or every half of the idle time if that is shorter.
  var every = 1000 * Number(form.getAttribute("data-still-here-every") || 300);
  function stillHere() {
    if (!token || !stillHereUrl || Date.now() - lastSent < every) { return; }
    lastSent = Date.now();
    fetch(stillHereUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token.value }
    }).then(function (response) {
      if (response.status === 401) {
        saySignedOut(response.headers.get("X-Signed-Out") === "idle" && kept);
      }
    }).catch(function () { /* offline: the save itself will say what happened */ });
  }

  // Signed out before typing began: say so now, not only after saving. Only a page left
  // too long on a step that keeps its text may promise to keep it.
  function saySignedOut(willKeep) {
    if (document.getElementById("signed-out-notice")) { return; }
    var notice = document.createElement("div");
    notice.id = "signed-out-notice";
    notice.className = "banner banner--warning";
    notice.setAttribute("role", "alert");
    notice.textContent = willKeep
      ? "You have been signed out because this page was left for a while. Carry on: " +
        "when you save, what you typed is kept, and you can save it after signing in again."
      : "You have been signed out. Copy anything you have typed here before you save: " +
        "you will need to sign in again, and this page's changes will not be kept.";
    form.insertBefore(notice, form.firstChild);
  }

  window.addEventListener("beforeunload", function (event) {
    if (changed) { event.preventDefault(); event.returnValue = ""; }
  });
})();

// A print run's progress, followed without reloading; the page works without this too,
// with its "Check progress" link. The bar, its words and the page title follow each check;
// a screen reader is told only every tenth of the way, and not more often than every 10
// seconds, so that it is not talking all the time. When the run ends the page is loaded
// again, to offer the booklet and list what was left out, and its news is focused so it is
// read out. A run that waits a minute for a print worker is left alone, so that an idle
// tablet is not kept busy: the page says so, and "Check progress" looks again.
(function () {
  "use strict";
  var ENDED = "job-ended";
  var SAY_EVERY = 10000;
  var WAIT_AT_MOST = 60000;
  var ended = document.querySelector("[data-job-ended]");
  try {
    if (ended && window.sessionStorage.getItem(ENDED) === window.location.pathname) {
      window.sessionStorage.removeItem(ENDED);
      ended.focus();
    }
  } catch (ignore) { /* Storage turned off: the new title still says how it ended. */ }
  var box = document.querySelector("[data-job-progress]");
  if (!box || box.getAttribute("data-finished") === "yes" || !window.fetch) { return; }
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-job-progress-text]");
  var label = box.querySelector("[data-job-progress-label]");
  var said = box.querySelector("[data-job-progress-said]");
  var waiting = document.querySelector("[data-job-waiting]");
  // The title after its first words, which say the state: " – Group: Rowan unit – …".
  var titleRest = document.title.slice(box.getAttribute("data-title-state").length);
  var lastTenth = -1;
  var lastSaidAt = Date.now();
  var queuedSince = box.getAttribute("data-state") === "queued" ? Date.now() : null;

  function tenth(job) { return job.total ? Math.floor(10 * job.done / job.total) : 0; }

  function say(job) {
    var now = Date.now();
    if (lastTenth < 0) { lastTenth = tenth(job); return; }
    if (tenth(job) > lastTenth && now - lastSaidAt >= SAY_EVERY) {
      lastTenth = tenth(job);
      lastSaidAt = now;
      said.textContent = job.label + ": " + job.text + " done";
    }
  }

  function show(job) {
    bar.max = job.total;
    bar.value = job.done;
    bar.textContent = job.text;
    if (label.textContent !== job.label) { label.textContent = job.label; }
    text.textContent = job.text + " done";
    document.title = job.label + (job.state === "running" ? " " + job.text : "") + titleRest;
  }

  function waitedTooLong(job) {
    if (job.state !== "queued") { queuedSince = null; return false; }
    if (queuedSince === null) { queuedSince = Date.now(); }
    return Date.now() - queuedSince > WAIT_AT_MOST;
  }

  function check() {
    fetch(box.getAttribute("data-job-progress"), {
      credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (job) {
      if (job.finished) {
        try { window.sessionStorage.setItem(ENDED, window.location.pathname); } catch (ignore) { /* see above */ }
        window.location.reload();
        return;
      }
      show(job);
      if (waitedTooLong(job)) {
        if (waiting) { waiting.hidden = false; }
        said.textContent = "Still waiting for a print worker. Use Check progress to look again.";
        return;
      }
      say(job);
      window.setTimeout(check, 1500);
    }).catch(function () {
      // Offline for a moment, or signed out: try again a little later; the link still works.
      window.setTimeout(check, 5000);
    });
  }
  window.setTimeout(check, 1000);
})();
