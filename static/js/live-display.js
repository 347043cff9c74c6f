// The projector display and the webcast overlay over the whole agenda: what live-clock.js's
// texts cannot say alone. The root carries the item's kind and the speakers' flags, which the
// stylesheet turns into what is shown (a break's title without a clock, a point of order, a
// speaker online, a dialogue's list of speakers); the queue's length is said with the plural
// of the page's language. Runs on every state live-clock.js's feed receives.
(function () {
  "use strict";

  function flag(root, name, on) {
    if (on) root.setAttribute(name, "");
    else root.removeAttribute(name);
  }

  // "3 requests for the floor": the page gives the forms (data-one, data-other) in its
  // language, Intl.PluralRules says which one a number takes in it (0 is "one" in French).
  function queueText(element, count) {
    const rules = new Intl.PluralRules(document.documentElement.lang || "en");
    const form = rules.select(count) === "one" ? element.dataset.one : element.dataset.other;
    return (form || "").replace("{count}", String(count));
  }

  function show(root, state) {
    const item = state.item || {};
    const speaker = state.speaker || {};
    const following = state.next_speaker || {};
    root.dataset.itemKind = item.kind || "";
    root.dataset.list =
      state.list_of_speakers_open === true ? "open" : state.list_of_speakers_open === false ? "closed" : "";
    flag(root, "data-speaker-point-of-order", speaker.point_of_order === true);
    flag(root, "data-speaker-online", speaker.online === true);
    flag(root, "data-next-point-of-order", following.point_of_order === true);
    const count = Number(state.queue) || 0;
    root.querySelectorAll("[data-live-queue]").forEach((element) => {
      const shown = item.kind === "dialogue" && count > 0 ? queueText(element, count) : "";
      if (element.textContent !== shown) element.textContent = shown;
      element.hidden = shown === "";
    });
  }

  // After live-clock.js has bound the screen (its listener runs first: it was loaded first).
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("main.display[data-live-url]").forEach((root) => {
      const feed = root.liveFeed;
      if (!feed) return;
      feed.onChange(() => {
        if (feed.state) show(root, feed.state);
      });
    });
  });
})();
