// A delegation's floor page: its place in the queue, whether it speaks next or has the floor,
// worked out from the live state the page's live clock already receives (static/js/live-clock.js),
// so that a page left open asks the database nothing while nothing changes. The controls ask
// the server again only when the queue no longer holds as many of this delegation's requests
// as they were drawn with (given the floor, withdrawn from another device). Elements are
// looked up at every update: htmx replaces the controls after each action.
(function () {
  "use strict";

  function fill(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, (_, key) => (values[key] == null ? "" : values[key]));
  }

  function bind(root) {
    const feed = root.liveFeed;
    if (!feed) return;
    const code = root.dataset.delegation;
    let askedAt = null; // the live version the controls were last asked for at

    function update() {
      const state = feed.state;
      if (!state) return;
      const speaker = state.speaker && state.speaker.delegation === code;
      const next = state.next_speaker && state.next_speaker.delegation === code;
      root.dataset.you = speaker ? "speaking" : next ? "next" : "waiting";

      const hint = root.querySelector("[data-floor-hint]");
      if (hint) hint.hidden = Boolean(state.item && state.item.kind === "dialogue");
      const closed = root.querySelector("[data-floor-closed]");
      if (closed) closed.hidden = state.list_of_speakers_open !== false;

      const controls = root.querySelector("[data-floor-controls]");
      if (!controls) return;
      const version = Number(state.version);
      if (version < Number(controls.dataset.version)) return; // drawn after this state
      const order = state.queue_order || [];
      const mine = order.filter((waiting) => waiting === code).length;
      if (mine !== Number(controls.dataset.waiting)) {
        if (askedAt !== version && window.htmx) {
          askedAt = version;
          window.htmx.ajax("GET", controls.dataset.refreshUrl, {
            target: controls,
            swap: "outerHTML",
          });
        }
        return;
      }
      const place = root.querySelector("[data-floor-place]");
      if (!place) return;
      const index = order.indexOf(code);
      const texts = place.dataset;
      const shown =
        index < 0
          ? texts.none
          : index === 0
            ? texts.first
            : fill(texts.place, { place: index + 1, count: order.length });
      if (place.textContent !== shown) place.textContent = shown;
    }

    // The button pressed is disabled while its request runs and then replaced: the keyboard
    // is put back on its successor (the same id), not left at the top of the page.
    let pressed = null;
    root.addEventListener("submit", (event) => {
      pressed = event.submitter && event.submitter.id ? event.submitter.id : null;
    });
    document.addEventListener("htmx:afterSettle", () => {
      const successor = pressed && document.getElementById(pressed);
      pressed = null;
      if (successor && root.contains(successor)) successor.focus();
    });

    feed.onChange(update);
    // New controls (an action's answer, or asked for above): brought up to the feed at once.
    document.addEventListener("htmx:afterSettle", update);
  }

  // After live-clock.js has bound the page (its listener was added first).
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".floor-page[data-live-url]").forEach(bind);
  });
})();
