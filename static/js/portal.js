// Panelist portal: a live character counter under each answer. Drafts are autosaved by
// htmx; the server refuses an over-long answer with a message and keeps the text.
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
    if (over) text += " " + counter.dataset.over;
    counter.textContent = text;
    counter.classList.toggle("text-danger", over);
    counter.classList.toggle("fw-semibold", over);
    textarea.classList.toggle("is-invalid", over);
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches("textarea[data-limit]")) update(event.target);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-limit]").forEach(update);
  });
})();
