// The live clock of every screen (console, projector display, speaker view, floor page).
// Where the page names a stream (data-events-url) and the browser has EventSource, the state
// arrives as server-sent events, each one a live.json body; otherwise, and whenever the stream
// is down, the screen polls live.json with If-None-Match. Every state says how much time was
// left at its server_time; the screen maps server_time onto its own monotonic clock with the
// offset it has estimated from the arrivals (see ClockOffset), and counts down locally from
// there. A dropped connection neither freezes nor jumps the clock. A poll that gets no answer
// within its timeout (a half-open connection can hang for minutes) is abandoned and the next
// one is sent, so the first answer after the connection returns, within a second, corrects it.
(function () {
  "use strict";

  // 6:59 counting down, +0:42 in overtime: as the server writes it (format_clock in
  // config/common/formatting.py); both are tested against tests/config/common/clock_cases.json.
  function formatClock(seconds) {
    if (seconds >= 0) {
      const whole = Math.ceil(seconds - 1e-6);
      return Math.floor(whole / 60) + ":" + String(whole % 60).padStart(2, "0");
    }
    const whole = Math.floor(-seconds);
    return "+" + Math.floor(whole / 60) + ":" + String(whole % 60).padStart(2, "0");
  }

  // The server's clock minus this screen's monotonic clock (performance.now()), in ms.
  // The server stamped server_time at some moment between sending the request and receiving
  // the answer, so each 200 bounds the offset to [server_time - arrival, server_time - sent].
  // Keeping the intersection of these bounds makes one slow answer harmless (its wide bounds
  // barely narrow it); bounds that no longer meet mean a clock was changed: start again.
  // A stream's later events were stamped when the change was built, at some moment before
  // they arrived but not necessarily after anything this screen did: they give a lower bound
  // only (addLowerBound).
  class ClockOffset {
    constructor() {
      this.low = null;
      this.high = null;
    }

    add(serverMs, sentAt, arrivedAt) {
      const low = serverMs - arrivedAt;
      const high = serverMs - sentAt;
      if (this.low === null || low > this.high || high < this.low) {
        this.low = low;
        this.high = high;
      } else {
        this.low = Math.max(this.low, low);
        this.high = Math.min(this.high, high);
      }
    }

    // Above the upper bound, it cannot be a slow event: the server's clock was set forward.
    // Then the event's own bound is the best estimate there is (as if it came at once), until
    // a two-sided one narrows it again.
    addLowerBound(serverMs, arrivedAt) {
      const low = serverMs - arrivedAt;
      if (this.low === null || low > this.high) {
        this.low = low;
        this.high = low;
      } else {
        this.low = Math.max(this.low, low);
      }
    }

    get ms() {
      return this.low === null ? null : (this.low + this.high) / 2;
    }
  }

  const POLL_INTERVAL_MS = 500; // between the starts of two polls
  const FIRST_TIMEOUT_MS = 1000; // a poll unanswered for this long is abandoned...
  const LONGEST_TIMEOUT_MS = 10000; // ...or, on a slow link or a busy server, up to this
  const STREAM_RETRY_MS = 60000; // a stream refused (404, 503, a proxy) is tried again after this
  const STREAM_GRACE_MS = 1000; // content newer than the stream's state: poll if still so after this
  const STREAM_SILENCE_MS = 30000; // a stream this quiet is checked by a poll (see checkSilence)

  class LiveFeed {
    constructor(url, eventsUrl) {
      this.url = url;
      this.eventsUrl = eventsUrl || null;
      this.etag = null;
      this.state = null;
      this.serverTime = 0; // the state's server_time, in ms since the epoch
      this.offset = new ClockOffset();
      this.roundTripMs = null; // smoothed over the answers, 200 and 304 alike
      this.timedOut = 0; // polls abandoned in a row
      this.online = true;
      this.listeners = [];
      this.source = null; // the EventSource, while there is one (open or reconnecting)
      this.transport = "poll"; // "stream" while the stream is open: no polls then
      this.polling = false; // a poll is on its way
      this.hurried = false; // poll again as soon as it is back
      this.nextPoll = null;
      this.awaited = -1; // the newest version the screen's content has been seen with
      this.graceTimer = null;
      this.heardAt = 0; // the stream's last event (or opening)
    }

    onChange(listener) {
      this.listeners.push(listener);
    }

    emit() {
      this.listeners.forEach((listener) => listener(this));
    }

    start() {
      if (this.eventsUrl && window.EventSource) {
        this.listen();
        window.setInterval(() => this.checkSilence(), STREAM_SILENCE_MS / 6);
      } else {
        this.poll();
      }
    }

    streaming() {
      return this.transport === "stream";
    }

    // A state from the stream, a poll, or a poll sent while the stream was open ("check").
    // A poll answered while there is a stream may be older than the stream's last event (it
    // was sent before the change): it is not shown then. A check newer than the stream's state
    // means the stream missed a change (a connection dead without either end knowing): a new
    // one is opened, and the screen polls until it is.
    receive(state, via) {
      const version = Number(state.version);
      const known = this.state === null ? -1 : Number(this.state.version);
      if (via !== "stream" && this.source !== null) {
        if (version < known) return;
        if (version > known && via === "check" && this.streaming()) this.reopen();
      }
      this.serverTime = Date.parse(state.server_time);
      this.state = state;
      this.online = true;
      this.emit();
    }

    listen() {
      const source = new EventSource(this.eventsUrl);
      this.source = source;
      // The first event of a connection was stamped when the server sent it, so after this
      // screen asked for it: two-sided bounds. Reconnections start some time after an error
      // (the retry delay), so the error's moment is a safe "asked at".
      let askedAt = performance.now();
      let first = true;
      source.addEventListener("open", () => {
        if (this.source !== source) return;
        this.heardAt = performance.now();
        this.transport = "stream";
        window.clearTimeout(this.nextPoll); // a poll on its way finishes, and is not followed
        this.nextPoll = null;
        this.online = true;
        this.emit();
      });
      source.addEventListener("message", (message) => {
        if (this.source !== source) return;
        const arrivedAt = performance.now();
        this.heardAt = arrivedAt;
        const state = JSON.parse(message.data);
        const serverMs = Date.parse(state.server_time);
        if (first) this.offset.add(serverMs, askedAt, arrivedAt);
        else this.offset.addLowerBound(serverMs, arrivedAt);
        first = false;
        this.receive(state, "stream");
      });
      source.addEventListener("error", () => {
        if (this.source !== source) return;
        const wasStreaming = this.streaming();
        this.transport = "poll";
        askedAt = performance.now();
        first = true;
        if (source.readyState === EventSource.CLOSED) {
          // Refused for good (404 from a WSGI server or for a draft, a proxy's wrong type): poll, and
          // try the stream again later, in case the events server or the meeting comes back.
          this.source = null;
          window.setTimeout(() => this.listen(), STREAM_RETRY_MS);
        }
        // Meanwhile (and while the browser reconnects by itself) the screen polls.
        if (!this.polling && this.nextPoll === null) this.poll();
        if (wasStreaming) this.emit();
      });
    }

    reopen() {
      this.source.close();
      this.transport = "poll";
      this.listen();
    }

    // Heartbeats are comments, which a page never sees: after a long silence, one poll
    // (a 304 if nothing changed) tells whether the stream has missed a change.
    checkSilence() {
      if (this.streaming() && !this.polling && performance.now() - this.heardAt > STREAM_SILENCE_MS) {
        this.heardAt = performance.now();
        this.poll();
      }
    }

    // Poll now rather than at the end of the interval (the screen has content newer than
    // the state it has, of `version` if known); a poll on its way is followed at once by
    // another. On a stream the newer state is on its way: one poll only if it is late.
    hurry(version) {
      if (this.streaming()) {
        this.awaited = Math.max(this.awaited, version ?? Infinity);
        if (this.graceTimer !== null) return;
        this.graceTimer = window.setTimeout(() => {
          this.graceTimer = null;
          const behind = !this.state || Number(this.state.version) < this.awaited;
          if (behind && this.streaming() && !this.polling) this.poll();
          this.awaited = -1;
        }, STREAM_GRACE_MS);
        return;
      }
      if (this.polling) {
        this.hurried = true;
        return;
      }
      window.clearTimeout(this.nextPoll);
      this.poll();
    }

    // Long enough for a slow link (four round trips), short enough that a hung request
    // does not hold the screen back for more than a second on a normal one; doubled after
    // each poll abandoned in a row, so that a link too slow for a second still gets answers.
    timeout() {
      const slow = this.roundTripMs === null ? 0 : 4 * this.roundTripMs;
      const patient = FIRST_TIMEOUT_MS * 2 ** this.timedOut;
      return Math.min(Math.max(patient, slow), LONGEST_TIMEOUT_MS);
    }

    measured(roundTripMs) {
      this.roundTripMs =
        this.roundTripMs === null ? roundTripMs : 0.8 * this.roundTripMs + 0.2 * roundTripMs;
    }

    async poll() {
      this.nextPoll = null;
      this.polling = true;
      const checking = this.streaming();
      const sentAt = performance.now();
      const abort = new AbortController();
      const timer = window.setTimeout(() => abort.abort(), this.timeout());
      let failed = false;
      try {
        const headers = this.etag ? { "If-None-Match": this.etag } : {};
        const response = await fetch(this.url, {
          headers: headers,
          cache: "no-store",
          signal: abort.signal,
        });
        if (response.status === 200) {
          const state = await response.json();
          const arrivedAt = performance.now();
          this.measured(arrivedAt - sentAt);
          this.offset.add(Date.parse(state.server_time), sentAt, arrivedAt);
          this.etag = response.headers.get("ETag");
          this.receive(state, checking ? "check" : "poll");
        } else if (response.status === 304) {
          this.measured(performance.now() - sentAt);
          if (!this.online) {
            this.online = true;
            this.emit();
          }
        } else {
          throw new Error("live.json answered " + response.status);
        }
        this.timedOut = 0;
      } catch (error) {
        // Offline, a server error, or no answer in time (aborted): keep counting locally.
        failed = true;
        if (error.name === "AbortError") this.timedOut += 1;
        if (this.online && !this.streaming()) {
          this.online = false;
          this.emit();
        }
      } finally {
        window.clearTimeout(timer);
        this.polling = false;
        // The stream opened meanwhile (or this was a stream's one late poll): no more polls.
        if (this.streaming()) {
          this.hurried = false;
        } else {
          // After a failure, a full interval before trying again: a busy server is not
          // asked again at once by every screen.
          const waited = performance.now() - sentAt;
          let pause = failed ? POLL_INTERVAL_MS : Math.max(POLL_INTERVAL_MS - waited, 0);
          if (this.hurried && !failed) pause = 0;
          this.hurried = false;
          this.nextPoll = window.setTimeout(() => this.poll(), pause);
        }
      }
    }

    // The server's clock now, as this screen estimates it (ms since the epoch).
    serverNow() {
      return performance.now() + this.offset.ms;
    }

    remaining() {
      const state = this.state;
      if (!state) return null;
      if (state.state !== "running") return state.remaining_seconds;
      return state.remaining_seconds - (this.serverNow() - this.serverTime) / 1000;
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

  // "{name} ({acronym})" with the fields of an object (or {value} with a plain value). A field
  // that is empty takes its brackets with it: a delegation has no acronym.
  function fill(template, values) {
    const fields = values !== null && typeof values === "object" ? values : { value: values };
    return (template || "")
      .replace(/\s*\(\{(\w+)\}\)/g, (whole, key) => (fields[key] == null || fields[key] === "" ? "" : whole))
      .replace(/\{(\w+)\}/g, (_, key) => (fields[key] == null ? "" : fields[key]));
  }

  function valueAt(state, path) {
    return path.split(".").reduce((value, key) => (value == null ? null : value[key]), state);
  }

  // What the colours say, in words, and a polite announcement when something changes that
  // matters (a new speaker, the warning, time up, pause): never every second.
  // Its elements are looked up at each call (see bindScreen).
  function narrator(root, feed) {
    let last = { state: null, phase: null, speaker: null };

    return function narrate(remaining) {
      const state = feed.state;
      if (!state) return;
      const texts = (root.querySelector("[data-live-texts]") || { dataset: {} }).dataset;
      const phaseText = root.querySelector("[data-live-phase-text]");
      const announcer = root.querySelector("[data-live-announce]");
      const phase = feed.phase();
      const clock = formatClock(remaining);
      const warning = formatClock(state.warning_seconds || 0);
      let shown = "";
      if (state.state === "paused") shown = texts.paused;
      else if (phase === "overtime") shown = fill(texts.overtime, { time: clock });
      else if (phase === "warning") shown = fill(texts.warning, { time: warning });
      if (phaseText && phaseText.textContent !== shown) phaseText.textContent = shown;

      // A new time on the floor (`turn`), whoever speaks: a panelist, a delegation, the Chair.
      const speaker = state.speaker ? (state.speaker.turn ?? state.speaker.id) : null;
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

  // The screen's elements are looked up at every render, never kept: htmx replaces parts
  // of a screen (the console's panels, clock and phase line included, on every action of
  // any console), and the new elements must count on at once, not keep the swapped value.
  function bindScreen(root) {
    const feed = new LiveFeed(root.dataset.liveUrl, root.dataset.eventsUrl);
    root.liveFeed = feed;
    const narrate = narrator(root, feed);

    // Content swapped in after an action carries the live version it was rendered at
    // (data-version), newer than the state the feed has until its next answer: until then
    // (asked for at once; 3 s at most) the rendered clock stands, not the older state's time.
    let awaited = null;
    function contentVersion() {
      let newest = -1;
      root.querySelectorAll("[data-version]").forEach((element) => {
        newest = Math.max(newest, Number(element.dataset.version));
      });
      return newest;
    }
    function behind() {
      if (!feed.state) return false;
      const version = contentVersion();
      if (Number(feed.state.version) >= version) {
        awaited = null;
        return false;
      }
      if (awaited === null || awaited.version !== version) {
        awaited = { version: version, since: performance.now() };
        feed.hurry(version);
      }
      return performance.now() - awaited.since < 3000;
    }

    function tick() {
      const remaining = feed.remaining();
      if (remaining === null || behind()) return;
      const text = formatClock(remaining);
      root.querySelectorAll("[data-live-clock]").forEach((clock) => {
        if (clock.textContent !== text) clock.textContent = text;
      });
      root.dataset.phase = feed.phase();
      narrate(remaining);
    }

    function render() {
      const state = feed.state;
      if (!state || behind()) return;
      root.querySelectorAll("[data-live-text]").forEach((element) => {
        // data-live-format: a sentence in the page's language, filled with the value's fields.
        const value = valueAt(state, element.dataset.liveText);
        const format = element.dataset.liveFormat;
        const shown = value == null ? "" : format ? fill(format, value) : String(value);
        if (element.textContent !== shown) element.textContent = shown;
        const holder = element.closest("[data-live-hide-empty]");
        if (holder) holder.hidden = value == null || value === "";
      });
      tick();
    }

    feed.onChange(() => {
      const state = feed.state;
      root.dataset.connection = feed.online ? "online" : "offline";
      root.dataset.transport = feed.transport;
      if (!state) return;
      root.dataset.state = state.state;
      root.dataset.version = state.version;
      const you = root.dataset.panelist;
      if (you) {
        const speaking = state.speaker && String(state.speaker.id) === you;
        const next = state.next_speaker && String(state.next_speaker.id) === you;
        root.dataset.you = speaking ? "speaking" : next ? "next" : "waiting";
      }
      render();
    });

    // New content in the screen (an htmx swap): filled in now, not at the next tick.
    document.addEventListener("htmx:afterSwap", (event) => {
      if (root.contains(event.target)) render();
    });
    window.setInterval(tick, 100);
    feed.start();
    return feed;
  }

  window.LiveClock = {
    LiveFeed: LiveFeed,
    ClockOffset: ClockOffset,
    bindScreen: bindScreen,
    formatClock: formatClock,
  };

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-live-url]").forEach(bindScreen);
  });
})();
