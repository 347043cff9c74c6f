// Speaking order: drag a speaker to a new place; the Up/Down buttons (htmx) are the
// keyboard alternative. After a move, focus returns to the moved speaker's button.
(function () {
  "use strict";
  let dragged = null;

  document.addEventListener("dragstart", function (event) {
    const item = event.target.closest && event.target.closest(".speaking-order > li[draggable]");
    if (!item) return;
    dragged = item;
    item.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.dataset.panelist);
  });

  document.addEventListener("dragover", function (event) {
    if (!dragged) return;
    const list = dragged.parentElement;
    const over = event.target.closest && event.target.closest(".speaking-order > li");
    if (!over || over.parentElement !== list || over === dragged) return;
    event.preventDefault();
    const box = over.getBoundingClientRect();
    const after = event.clientY > box.top + box.height / 2;
    list.insertBefore(dragged, after ? over.nextSibling : over);
  });

  document.addEventListener("drop", function (event) {
    if (dragged) event.preventDefault();
  });

  document.addEventListener("dragend", function () {
    if (!dragged) return;
    const list = dragged.parentElement;
    dragged.classList.remove("dragging");
    dragged = null;
    const order = Array.from(list.querySelectorAll("li[data-panelist]"), (li) => li.dataset.panelist);
    htmx.ajax("POST", list.dataset.setUrl, {
      target: list.dataset.target,
      swap: "outerHTML",
      values: { order: order.join(",") },
    });
  });

  document.addEventListener("htmx:afterSwap", function () {
    const moved = document.querySelector(".speaking-order li[data-moved]");
    if (!moved) return;
    const same = moved.querySelector('button[data-direction="' + moved.dataset.moved + '"]');
    const other = moved.querySelector("button[data-direction]:not([disabled])");
    (same && !same.disabled ? same : other).focus();
  });
})();
