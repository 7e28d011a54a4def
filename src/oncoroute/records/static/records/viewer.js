// The image viewer: two panes, each scrolling one series slice by slice (wheel, keys, slider),
// windowed by preset or by dragging. Frames are PNGs drawn by the server.
//
// The keys move the pane last used — clicked, wheeled, dragged on, or focused — which is marked
// ("is-active"). A slider's own key handling is replaced by the viewer's, so that a key moves
// the same way whichever part of the pane has the focus; dragging a slider is left as it is.
(function () {
  "use strict";
  var root = document.querySelector("[data-viewer]");
  if (!root) { return; }
  var series = JSON.parse(document.getElementById("viewer-series").textContent);
  var presets = JSON.parse(document.getElementById("viewer-presets").textContent);
  var messagesNode = document.getElementById("viewer-messages");
  // The page's translations of these sentences (viewer_page_context); English when absent.
  var MESSAGES = messagesNode ? JSON.parse(messagesNode.textContent) : {};
  var template = root.dataset.frameUrl;
  var language = document.documentElement.lang || undefined;
  var panes = [];
  var active = null;
  // One slice, ten, or the ends; the same for every part of a pane.
  var MOVES = { ArrowDown: 1, ArrowRight: 1, PageDown: 10, ArrowUp: -1, ArrowLeft: -1, PageUp: -10 };

  function t(key, english, values) {
    var text = MESSAGES[key] || english;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(values[name]));
    });
    return text;
  }

  function number(value, digits) {
    return value.toLocaleString(language, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false });
  }

  function frameUrl(seriesId, index, w) {
    var url = template.replace(/\/series\/0\/frames\/0\.png$/, "/series/" + seriesId + "/frames/" + index + ".png");
    return w ? url + "?c=" + Math.round(w.centre) + "&w=" + Math.max(1, Math.round(w.width)) : url;
  }

  function activate(pane) {
    if (active === pane) { return; }
    active = pane;
    panes.forEach(function (p) { p.el.classList.toggle("is-active", p === pane); });
  }

  function Pane(el, start) {
    var self = this;
    this.el = el;
    this.img = el.querySelector("[data-frame]");
    this.slider = el.querySelector("[data-slider]");
    this.where = el.querySelector("[data-where]");
    this.why = el.querySelector("[data-why]");
    this.select = el.querySelector("[data-series]");
    this.preset = el.querySelector("[data-preset]");
    this.select.value = String(Math.min(start, series.length - 1));
    this.choose();
    this.select.addEventListener("change", function () { activate(self); self.choose(); });
    this.preset.addEventListener("change", function () {
      activate(self);
      var p = presets[self.preset.value];
      self.window = p ? { centre: p.centre, width: p.width } : (self.series.window && Object.assign({}, self.series.window));
      self.show();
    });
    this.slider.addEventListener("input", function () { activate(self); self.go(Number(self.slider.value)); });
    // Focus anywhere in the pane (the pane itself, a list, the slider) makes it the one the keys move.
    el.addEventListener("focusin", function () { activate(self); });
    el.addEventListener("pointerdown", function (event) {
      activate(self);
      // A click on the picture takes the focus from wherever it was (the other pane's slider).
      if (!event.target.closest("select, input, label")) { self.el.focus({ preventScroll: true }); }
    });
    el.querySelector("[data-stage]").addEventListener("wheel", function (event) {
      event.preventDefault();
      self.claimFocus();
      self.go(self.index + (event.deltaY > 0 ? 1 : -1));
    }, { passive: false });
    this.drag();
  }

  // Used without a click (the wheel): the keys follow, and the focus too when it was in the
  // other pane, so that nothing there still answers them.
  Pane.prototype.claimFocus = function () {
    activate(this);
    var focused = document.activeElement;
    if (focused && root.contains(focused) && !this.el.contains(focused)) {
      this.el.focus({ preventScroll: true });
    }
  };

  Pane.prototype.choose = function () {
    this.series = series[Number(this.select.value)];
    this.window = this.series.window ? Object.assign({}, this.series.window) : null;
    this.preset.value = "";
    var n = this.series.slices.length;
    this.slider.max = String(Math.max(n - 1, 0));
    this.slider.disabled = n < 2;
    this.slider.hidden = this.img.hidden = !n;
    this.el.classList.toggle("is-empty", !n);
    this.why.textContent = this.reasons(n).join(" ");
    this.index = Math.floor(n / 2);
    this.show();
  };

  // Why images of the series are not shown, in plain words, from what the page was given.
  Pane.prototype.reasons = function (n) {
    var s = this.series, out = [];
    if (s.held) {
      out.push(t("held", "Images held back until a coordinator checks them for text in the pixels: {count}.", { count: s.held }));
    }
    if (s.masking) {
      out.push(t("masking", "Images being masked after review, shown once that is done: {count}.", { count: s.masking }));
    }
    if (s.withheld) {
      out.push(t("withheld", "Images a coordinator kept out of the shared copy: {count}.", { count: s.withheld }));
    }
    if (s.skipped) {
      out.push(t("skipped", "Images that cannot be shown here: {count}.", { count: s.skipped }));
      out = out.concat(s.not_shown || []);
    }
    if (!n && !out.length) {
      out.push(s.no_pixels
        ? t("no_pixels", "This series holds no image, only other objects (a report, for example).")
        : t("unknown", "Nothing is wrong with the viewer: the de-identified copy holds no image of this series."));
    }
    return out;
  };

  Pane.prototype.go = function (index) {
    var n = this.series.slices.length;
    if (!n) { return; }
    this.index = Math.max(0, Math.min(n - 1, index));
    this.show();
  };

  Pane.prototype.show = function () {
    var n = this.series.slices.length;
    if (!n) {
      this.img.removeAttribute("src");
      delete this.img.dataset.index;
      this.where.textContent = t("none_shown", "No slice of this series can be shown.");
      return;
    }
    var s = this.series.slices[this.index];
    this.slider.value = String(this.index);
    this.img.src = frameUrl(this.series.id, this.index, this.series.colour ? null : this.window);
    var parts = [t("slice", "Slice {index} / {count}", { index: this.index + 1, count: n })];
    if (s.p !== null && s.p !== undefined) { parts.push(t("position", "position {mm} mm", { mm: number(s.p, 1) })); }
    if (s.n !== null && s.n !== undefined) { parts.push(t("image", "image {number}", { number: s.n })); }
    if (this.window && !this.series.colour) {
      parts.push(t("window", "W {width} / L {level}", { width: Math.round(this.window.width), level: Math.round(this.window.centre) }));
    }
    this.where.textContent = parts.join(" · ");
    this.img.dataset.index = String(this.index);
    // The neighbours, so that scrolling does not wait.
    [this.index - 1, this.index + 1].forEach(function (i) {
      if (i >= 0 && i < n) { new Image().src = frameUrl(this.series.id, i, this.series.colour ? null : this.window); }
    }, this);
  };

  Pane.prototype.drag = function () {
    var self = this, start = null, timer = null;
    this.img.addEventListener("pointerdown", function (event) {
      if (!self.window || self.series.colour) { return; }
      event.preventDefault();
      self.img.setPointerCapture(event.pointerId);
      start = { x: event.clientX, y: event.clientY, w: Object.assign({}, self.window) };
    });
    this.img.addEventListener("pointermove", function (event) {
      if (!start) { return; }
      var step = Math.max(1, start.w.width / 256);
      self.window = {
        centre: start.w.centre - (event.clientY - start.y) * step,
        width: Math.max(1, start.w.width + (event.clientX - start.x) * step)
      };
      self.preset.value = "custom";
      if (!timer) { timer = setTimeout(function () { timer = null; self.show(); }, 120); }
    });
    function end() { if (start) { start = null; self.show(); } }
    this.img.addEventListener("pointerup", end);
    this.img.addEventListener("pointercancel", end);
  };

  root.querySelectorAll("[data-pane]").forEach(function (el, i) { panes.push(new Pane(el, i)); });
  activate(panes[0]);
  document.addEventListener("keydown", function (event) {
    if (!active || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = event.target;
    // Keys typed elsewhere on the page (its links, its forms) keep their own meaning.
    if (target !== document.body && target !== document.documentElement && !root.contains(target)) { return; }
    var tag = (target.tagName || "").toLowerCase();
    // A list keeps its keys; a slider's are the viewer's (its own run the other way up and down).
    if (tag === "select" || tag === "textarea" || (tag === "input" && target.type !== "range")) { return; }
    var n = active.series.slices.length;
    if (event.key in MOVES) {
      active.go(active.index + MOVES[event.key]);
    } else if (event.key === "Home") {
      active.go(0);
    } else if (event.key === "End") {
      active.go(n - 1);
    } else {
      return;
    }
    event.preventDefault();
  });
})();
