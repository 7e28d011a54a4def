// The image viewer: two panes, each scrolling one series slice by slice (wheel, arrow keys,
// slider), windowed by preset or by dragging. Frames are PNGs drawn by the server.
(function () {
  "use strict";
  var root = document.querySelector("[data-viewer]");
  if (!root) { return; }
  var series = JSON.parse(document.getElementById("viewer-series").textContent);
  var presets = JSON.parse(document.getElementById("viewer-presets").textContent);
  var template = root.dataset.frameUrl;
  var panes = [];
  var active = null;

  function frameUrl(seriesId, index, w) {
    var url = template.replace(/\/series\/0\/frames\/0\.png$/, "/series/" + seriesId + "/frames/" + index + ".png");
    return w ? url + "?c=" + Math.round(w.centre) + "&w=" + Math.max(1, Math.round(w.width)) : url;
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
    this.select.addEventListener("change", function () { self.choose(); });
    this.preset.addEventListener("change", function () {
      var p = presets[self.preset.value];
      self.window = p ? { centre: p.centre, width: p.width } : (self.series.window && Object.assign({}, self.series.window));
      self.show();
    });
    this.slider.addEventListener("input", function () { self.go(Number(self.slider.value)); });
    el.addEventListener("focus", function () { active = self; });
    el.addEventListener("pointerdown", function () { active = self; });
    el.querySelector("[data-stage]").addEventListener("wheel", function (event) {
      event.preventDefault();
      active = self;
      self.go(self.index + (event.deltaY > 0 ? 1 : -1));
    }, { passive: false });
    this.drag();
  }

  Pane.prototype.choose = function () {
    this.series = series[Number(this.select.value)];
    this.window = this.series.window ? Object.assign({}, this.series.window) : null;
    this.preset.value = "";
    var n = this.series.slices.length;
    this.slider.max = String(Math.max(n - 1, 0));
    this.slider.disabled = n < 2;
    var reasons = this.series.not_shown || [];
    this.why.textContent = reasons.length ? this.series.skipped + " image(s) not shown: " + reasons.join(" ") : "";
    this.index = Math.floor(n / 2);
    this.show();
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
      this.where.textContent = "No slice of this series can be shown.";
      return;
    }
    var s = this.series.slices[this.index];
    this.slider.value = String(this.index);
    this.img.src = frameUrl(this.series.id, this.index, this.series.colour ? null : this.window);
    var text = "Slice " + (this.index + 1) + " / " + n;
    if (s.p !== null && s.p !== undefined) { text += " · position " + s.p.toFixed(1) + " mm"; }
    if (s.n !== null && s.n !== undefined) { text += " · image " + s.n; }
    if (this.window && !this.series.colour) {
      text += " · W " + Math.round(this.window.width) + " / L " + Math.round(this.window.centre);
    }
    this.where.textContent = text;
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
  active = panes[0];
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "select" || tag === "input" || tag === "textarea" || !active) { return; }
    var moves = { ArrowDown: 1, ArrowRight: 1, PageDown: 10, ArrowUp: -1, ArrowLeft: -1, PageUp: -10 };
    if (event.key in moves) {
      event.preventDefault();
      active.go(active.index + moves[event.key]);
    } else if (event.key === "Home") {
      active.go(0);
    } else if (event.key === "End") {
      active.go(active.series.slices.length - 1);
    }
  });
})();
