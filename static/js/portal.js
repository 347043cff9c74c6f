// Panelist portal: a live character counter under each answer. Drafts are autosaved by
// htmx; the server refuses an over-long answer with a message and keeps the text, and an
// autosave over a newer version (409) with both texts.
(function () {
  "use strict";
  const format = new Intl.NumberFormat(document.documentElement.lang || undefined);

  function update(textarea) {
    const counter = document.getElementById(textarea.getAttribute("aria-describedby").split(" ")[0]);
    if (!counter) return;
    const limit = Number(textarea.dataset.limit);
    const count = textarea.value.length;
    let text = counter.dataset.template
      .replace("{count}", format.format(count))
      .replace("{limit}", format.format(limit));
    const over = count > limit;
    const near = !over && count >= limit * 0.9;
    if (over) text += " " + counter.dataset.over;
    counter.textContent = text;
    // Announced politely, and only when crossing into "near" or "over", never per keystroke.
    const level = over ? "over" : near ? "near" : "ok";
    if (textarea.dataset.level && textarea.dataset.level !== level && level !== "ok") {
      const announcer = counter.parentElement.querySelector("[data-counter-announce]");
      if (announcer) announcer.textContent = text + (near ? " " + counter.dataset.near : "");
    }
    textarea.dataset.level = level;
    counter.classList.toggle("text-danger", over);
    counter.classList.toggle("fw-semibold", over);
    textarea.classList.toggle("is-invalid", over);
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches("textarea[data-limit]")) update(event.target);
  });
  // An autosave over a version saved meanwhile (another tab, another device) is refused with
  // 409 and both texts: the status, the text now saved and the version to save on top of.
  // htmx drops error responses, so this one is let through; the box keeps what was typed.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const source = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (event.detail.xhr.status === 409 && source && source.matches("textarea[data-limit]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-limit]").forEach(update);
  });
  // Content swapped in by htmx brings its own counters: filled in at once, like the page's.
  document.addEventListener("htmx:load", function (event) {
    const content = event.target;
    if (!content.querySelectorAll) return;
    if (content.matches("textarea[data-limit]")) update(content);
    content.querySelectorAll("textarea[data-limit]").forEach(update);
  });
})();
