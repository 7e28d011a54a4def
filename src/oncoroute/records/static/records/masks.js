// Boxes drawn with the mouse (or a finger) over page or image pictures; kept as fractions of
// each picture's size in the form's hidden input, for the server to black out.
(function () {
  "use strict";
  document.querySelectorAll("[data-masks]").forEach(function (form) {
    var input = form.querySelector("[data-masks-input]");
    var count = form.querySelector("[data-masks-count]");
    var boxes = [];
    try { boxes = JSON.parse(input.value || "[]") || []; } catch (e) { boxes = []; }
    var round = function (v) { return Math.round(Math.min(Math.max(v, 0), 1) * 10000) / 10000; };

    function render() {
      form.querySelectorAll(".mask-box").forEach(function (el) { el.remove(); });
      boxes.forEach(function (box) {
        var figure = form.querySelector('.mask-page[data-page="' + box.page + '"]');
        if (!figure) { return; }
        figure.appendChild(boxElement(box));
      });
      input.value = JSON.stringify(boxes);
      if (count) { count.textContent = (count.dataset.label || "Boxes drawn: {n}").replace("{n}", boxes.length); }
    }

    function boxElement(box) {
      var el = document.createElement("div");
      el.className = "mask-box";
      el.style.left = box.x0 * 100 + "%";
      el.style.top = box.y0 * 100 + "%";
      el.style.width = (box.x1 - box.x0) * 100 + "%";
      el.style.height = (box.y1 - box.y0) * 100 + "%";
      return el;
    }

    form.querySelectorAll(".mask-page").forEach(function (figure) {
      var img = figure.querySelector("img");
      var start = null, ghost = null;
      // The whole picture within the window, so that no text is left below the fold unseen.
      function fit() {
        if (!img.naturalHeight) { return; }
        var tallest = window.innerHeight * 0.8;
        img.style.width = Math.min(900, tallest * img.naturalWidth / img.naturalHeight) + "px";
      }
      if (img.complete) { fit(); } else { img.addEventListener("load", fit); }
      window.addEventListener("resize", fit);
      function at(event) {
        var r = img.getBoundingClientRect();
        return { x: (event.clientX - r.left) / r.width, y: (event.clientY - r.top) / r.height };
      }
      img.addEventListener("pointerdown", function (event) {
        // A finger scrolls the page unless drawing was switched on ([data-masks-draw]).
        if (event.pointerType === "touch" && !form.classList.contains("drawing")) { return; }
        event.preventDefault();
        img.setPointerCapture(event.pointerId);
        start = at(event);
        ghost = boxElement({ x0: start.x, y0: start.y, x1: start.x, y1: start.y });
        figure.appendChild(ghost);
      });
      img.addEventListener("pointermove", function (event) {
        if (!start) { return; }
        var p = at(event);
        var b = { x0: Math.min(start.x, p.x), y0: Math.min(start.y, p.y), x1: Math.max(start.x, p.x), y1: Math.max(start.y, p.y) };
        ghost.replaceWith(ghost = boxElement(b));
      });
      img.addEventListener("pointerup", function (event) {
        if (!start) { return; }
        var p = at(event);
        var box = {
          page: Number(figure.dataset.page),
          x0: round(Math.min(start.x, p.x)), y0: round(Math.min(start.y, p.y)),
          x1: round(Math.max(start.x, p.x)), y1: round(Math.max(start.y, p.y))
        };
        start = null;
        ghost.remove();
        if (box.x1 - box.x0 > 0.002 && box.y1 - box.y0 > 0.002) { boxes.push(box); }
        render();
      });
    });
    var draw = form.querySelector("[data-masks-draw]");
    if (draw) {
      draw.addEventListener("click", function () {
        var on = form.classList.toggle("drawing");
        draw.setAttribute("aria-pressed", on ? "true" : "false");
      });
    }
    var undo = form.querySelector("[data-masks-undo]");
    if (undo) { undo.addEventListener("click", function () { boxes.pop(); render(); }); }
    render();
  });
})();
