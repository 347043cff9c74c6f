// The admin's language tabs (django-modeltranslation's, made with jQuery UI) as assistive
// technologies need them: each tab is one focusable element, and the switch that turns every
// text to one language has a name, given by the page in its language (data-switch-label).
(function () {
  "use strict";
  const $ = window.django.jQuery;
  const switchLabel = document.currentScript.dataset.switchLabel;

  // jQuery UI leaves a link inside each tab: out of the Tab order, yet focusable, so a second
  // control inside the first. Its address (the panel's id) is kept aside once read, and a
  // tab without one is known to show a panel of the page, never one to load.
  $.widget("ui.tabs", $.ui.tabs, {
    _processTabs: function () {
      this.element.find(".ui-tabs-anchor[data-href]").each(function () {
        this.setAttribute("href", this.dataset.href);
      });
      this._super();
      this.anchors.each(function () {
        this.dataset.href = this.getAttribute("href");
        this.removeAttribute("href");
      });
    },
    _isLocal: function (anchor) {
      return !anchor.hasAttribute("href") || this._super(anchor);
    },
  });

  // After modeltranslation's own ready handler, which adds the switch.
  $(function () {
    $("#modeltranslation-main-switch").attr("aria-label", switchLabel);
  });
})();
