// The console: keyboard shortcuts, and staying in step with other consoles. The speaking
// clock itself is live-clock.js; when the live state has a new version (another console
// acted), the panels are fetched again. The notes pad follows the speaker who has the floor,
// saving what was typed for the previous one first.
(function () {
  "use strict";

  const console_ = document.querySelector(".console");
  if (!console_) return;

  function panels() {
    return document.getElementById("console-panels");
  }

  // Keyboard shortcuts (never while typing in a field).
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    const button = panels().querySelector('button[data-shortcut="' + event.key.toLowerCase() + '"]');
    if (button && !button.disabled) {
      event.preventDefault();
      button.click();
    }
  });

  // The notes pad: remember unsaved typing, and follow the current speaker.
  function notesForm() {
    return document.getElementById("notes-form");
  }
  document.addEventListener("input", function (event) {
    if (event.target.id === "notes-text") notesForm().dataset.dirty = "1";
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    const form = notesForm();
    if (form && event.detail.successful && form.contains(event.detail.elt)) delete form.dataset.dirty;
  });
  window.addEventListener("beforeunload", function (event) {
    const form = notesForm();
    if (form && form.dataset.dirty) event.preventDefault();
  });

  // The speaker is named as the notes view asks for them: "turn=12" (a panelist's turn) or
  // "intervention=5" (a remarks speaker, a delegation).
  let switching = Promise.resolve();
  function followSpeaker() {
    const speaker = panels().dataset.notesQuery;
    const form = notesForm();
    const shown = form ? form.dataset.notesQuery : "";
    if (!speaker || speaker === shown) return;
    switching = switching.then(async function () {
      const current = notesForm();
      if (current && current.dataset.dirty) {
        await htmx.ajax("POST", current.action, { source: current, target: "#notes-status", swap: "outerHTML" });
      }
      await htmx.ajax("GET", console_.dataset.notesUrl + "?" + speaker, { target: "#notes", swap: "outerHTML" });
    });
  }
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id === "console-panels" || event.target.id === "console-panels") followSpeaker();
  });

  // Another console acted: fetch the panels again.
  document.addEventListener("DOMContentLoaded", function () {
    const feed = console_.liveFeed;
    if (!feed) return;
    feed.onChange(function () {
      console_.classList.toggle("offline", !feed.online);
      if (feed.state && Number(feed.state.version) > Number(panels().dataset.version)) {
        htmx.ajax("GET", console_.dataset.panelsUrl, { target: "#console-panels", swap: "outerHTML" });
      }
    });
  });
})();
