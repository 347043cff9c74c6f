// Text the audience must read whole (the display's question): each [data-fit-text] element
// gets the largest font size, up to the one its stylesheet gives, at which its text fits its
// box (its max-height and width, or less when the rest of the screen leaves less) without
// being cut. Run again when its text changes (live-clock.js fills it from live.json), when
// the window is resized, when its box changes (a message appears above it) and when the
// fonts have loaded.
(function () {
  "use strict";

  const SMALLEST_PX = 6; // never below this, whatever the text (the question's limit keeps far above)

  function fits(element) {
    return element.scrollHeight <= element.clientHeight && element.scrollWidth <= element.clientWidth;
  }

  function fit(element) {
    element.style.removeProperty("font-size"); // the stylesheet's size, the largest allowed
    if (element.clientHeight === 0 || fits(element)) return; // hidden, or fits as it is
    let low = SMALLEST_PX;
    let high = parseFloat(window.getComputedStyle(element).fontSize);
    // The largest size that fits, to a tenth of a pixel.
    while (high - low > 0.1) {
      const middle = (low + high) / 2;
      element.style.fontSize = middle + "px";
      if (fits(element)) low = middle;
      else high = middle;
    }
    element.style.fontSize = low + "px";
  }

  function fitAll() {
    document.querySelectorAll("[data-fit-text]").forEach(fit);
  }

  window.FitText = { fit: fit, fitAll: fitAll };

  document.addEventListener("DOMContentLoaded", function () {
    const observer = new MutationObserver(function (changes) {
      const changed = new Set();
      changes.forEach((change) => {
        const element = change.target.nodeType === Node.ELEMENT_NODE ? change.target : change.target.parentElement;
        const fitted = element && element.closest("[data-fit-text]");
        if (fitted) changed.add(fitted);
      });
      changed.forEach(fit);
    });
    document.querySelectorAll("[data-fit-text]").forEach(function (element) {
      observer.observe(element, { childList: true, characterData: true, subtree: true });
    });
    // Once per frame at most, outside the resize observer's delivery (fitting changes the
    // box it observes: at most one more round, with the same result).
    let pending = null;
    function later() {
      window.cancelAnimationFrame(pending);
      pending = window.requestAnimationFrame(fitAll);
    }
    window.addEventListener("resize", later);
    if (window.ResizeObserver) {
      const boxes = new ResizeObserver(later);
      document.querySelectorAll("[data-fit-text]").forEach((element) => boxes.observe(element));
    }
    if (document.fonts) document.fonts.ready.then(fitAll);
    fitAll();
  });
})();
