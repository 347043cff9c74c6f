// The live clock of every screen (console, projector display, speaker view).
// It polls live.json with If-None-Match; between answers it counts down locally from the
// remaining time of the last 200, measured from the moment the server sent it (half a
// round trip before it arrived). A dropped connection neither freezes nor jumps the clock;
// the next poll, at most half a second later, corrects it.
(function () {
  "use strict";

  function formatClock(seconds) {
    if (seconds >= 0) {
      const whole = Math.ceil(seconds - 1e-6);
      return Math.floor(whole / 60) + ":" + String(whole % 60).padStart(2, "0");
    }
    const whole = Math.floor(-seconds);
    return "+" + Math.floor(whole / 60) + ":" + String(whole % 60).padStart(2, "0");
  }

  class LiveFeed {
    constructor(url, interval) {
      this.url = url;
      this.interval = interval || 500;
      this.etag = null;
      this.state = null;
      this.receivedAt = 0; // performance.now() when the server spoke
      this.roundTripMs = null;
      this.offsetMs = null; // server clock minus this screen's clock
      this.online = true;
      this.listeners = [];
    }

    onChange(listener) {
      this.listeners.push(listener);
    }

    emit() {
      this.listeners.forEach((listener) => listener(this));
    }

    start() {
      this.poll();
    }

    async poll() {
      const sentAt = performance.now();
      const sentWall = Date.now();
      try {
        const headers = this.etag ? { "If-None-Match": this.etag } : {};
        const response = await fetch(this.url, { headers: headers, cache: "no-store" });
        const arrivedAt = performance.now();
        if (response.status === 200) {
          const state = await response.json();
          this.roundTripMs = arrivedAt - sentAt;
          this.offsetMs = Date.parse(state.server_time) - (sentWall + this.roundTripMs / 2);
          this.receivedAt = arrivedAt - this.roundTripMs / 2;
          this.etag = response.headers.get("ETag");
          this.state = state;
          this.online = true;
          this.emit();
        } else if (response.status === 304) {
          if (!this.online) {
            this.online = true;
            this.emit();
          }
        } else {
          throw new Error("live.json answered " + response.status);
        }
      } catch (error) {
        if (this.online) {
          this.online = false;
          this.emit();
        }
      } finally {
        window.setTimeout(() => this.poll(), this.interval);
      }
    }

    remaining() {
      const state = this.state;
      if (!state) return null;
      if (state.state !== "running") return state.remaining_seconds;
      return state.remaining_seconds - (performance.now() - this.receivedAt) / 1000;
    }

    phase() {
      const state = this.state;
      if (!state || !state.speaker) return "idle";
      const remaining = this.remaining();
      if (remaining <= 0) return "overtime";
      if (remaining <= state.warning_seconds) return "warning";
      return "normal";
    }
  }

  function valueAt(state, path) {
    return path.split(".").reduce((value, key) => (value == null ? null : value[key]), state);
  }

  // What the colours say, in words, and a polite announcement when something changes that
  // matters (a new speaker, the warning, time up, pause): never every second.
  function narrator(root, feed) {
    const texts = (root.querySelector("[data-live-texts]") || { dataset: {} }).dataset;
    const phaseText = root.querySelector("[data-live-phase-text]");
    const announcer = root.querySelector("[data-live-announce]");
    let last = { state: null, phase: null, speaker: null };

    function fill(template, values) {
      return (template || "").replace(/\{(\w+)\}/g, (_, key) => values[key] || "");
    }

    return function narrate(remaining) {
      const state = feed.state;
      if (!state) return;
      const phase = feed.phase();
      const clock = formatClock(remaining);
      const warning = formatClock(state.warning_seconds || 0);
      let shown = "";
      if (state.state === "paused") shown = texts.paused;
      else if (phase === "overtime") shown = fill(texts.overtime, { time: clock });
      else if (phase === "warning") shown = fill(texts.warning, { time: warning });
      if (phaseText && phaseText.textContent !== shown) phaseText.textContent = shown;

      const speaker = state.speaker ? state.speaker.id : null;
      let news = "";
      if (last.state !== null) {
        if (state.state === "finished" && last.state !== "finished") news = texts.ended;
        else if (state.state === "paused" && last.state === "running") news = texts.paused;
        else if (state.state === "running" && last.state === "paused") news = texts.resumed;
        else if (
          speaker !== null &&
          (speaker !== last.speaker || (state.state === "running" && last.state === "ready"))
        )
          news = fill(texts.floor, { name: state.speaker.name }); // new speaker, or clock started
        else if (phase === "overtime" && last.phase !== "overtime") news = texts.timeUp;
        else if (phase === "warning" && last.phase === "normal") news = fill(texts.warning, { time: warning });
      }
      if (news && announcer) announcer.textContent = news;
      last = { state: state.state, phase: phase, speaker: speaker };
    };
  }

  function bindScreen(root) {
    const feed = new LiveFeed(root.dataset.liveUrl, Number(root.dataset.liveInterval) || 500);
    root.liveFeed = feed;
    const clocks = root.querySelectorAll("[data-live-clock]");
    const narrate = narrator(root, feed);

    function tick() {
      const remaining = feed.remaining();
      if (remaining === null) return;
      const text = formatClock(remaining);
      clocks.forEach((clock) => {
        if (clock.textContent !== text) clock.textContent = text;
      });
      root.dataset.phase = feed.phase();
      narrate(remaining);
    }

    feed.onChange(() => {
      const state = feed.state;
      root.dataset.connection = feed.online ? "online" : "offline";
      if (!state) return;
      root.dataset.state = state.state;
      root.dataset.version = state.version;
      root.querySelectorAll("[data-live-text]").forEach((element) => {
        const value = valueAt(state, element.dataset.liveText);
        element.textContent = value == null ? "" : value;
        const holder = element.closest("[data-live-hide-empty]");
        if (holder) holder.hidden = value == null || value === "";
      });
      const you = root.dataset.panelist;
      if (you) {
        const speaking = state.speaker && String(state.speaker.id) === you;
        const next = state.next_speaker && String(state.next_speaker.id) === you;
        root.dataset.you = speaking ? "speaking" : next ? "next" : "waiting";
      }
      tick();
    });

    window.setInterval(tick, 100);
    feed.start();
    return feed;
  }

  window.LiveClock = { LiveFeed: LiveFeed, bindScreen: bindScreen, formatClock: formatClock };

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-live-url]").forEach(bindScreen);
  });
})();
