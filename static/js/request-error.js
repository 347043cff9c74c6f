// A request refused as malformed (400: a field missing, a body that is not a form) says why
// in the page's #request-error area: the server retargets its answer there (HX-Retarget), and
// this lets htmx swap it, which it does not do for error statuses by default. Nothing changed
// on the server; the message asks to reload the page.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    const xhr = event.detail.xhr;
    if (xhr.status === 400 && xhr.getResponseHeader("HX-Retarget") === "#request-error") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
