// Chunked, resumable uploads of medical records; no build step, no dependencies.
(function () {
  "use strict";

  var RETRIES = 6;
  var FIRST_CHUNK = 64 * 1024;
  // The page's translations of these sentences (records/_card.html); English when absent.
  var MESSAGES = {};

  function t(key, english) {
    return MESSAGES[key] || english;
  }

  function sleep(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  // As the server words sizes (filesizeformat): one decimal, the page language's units.
  function humanSize(bytes) {
    if (bytes < 1024) { return t("size_bytes", "{size} B").replace("{size}", bytes); }
    var units = [["size_kb", "%s KB"], ["size_mb", "%s MB"], ["size_gb", "%s GB"]];
    var i = 0;
    bytes /= 1024;
    while (bytes >= 1024 && i < units.length - 1) { bytes /= 1024; i += 1; }
    var number = bytes.toLocaleString(document.documentElement.lang || undefined,
      { minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: false });
    return t(units[i][0], units[i][1]).replace("%s", number);
  }

  function Uploader(form) {
    this.form = form;
    this.list = form.parentNode.querySelector("[data-uploads]");
    this.input = form.querySelector("input[type=file]");
    this.token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    this.chunk = parseInt(form.dataset.chunkBytes, 10) || 4194304;
    this.queue = Promise.resolve();
    form.addEventListener("submit", this.onSubmit.bind(this));
  }

  Uploader.prototype.onSubmit = function (event) {
    event.preventDefault();
    var files = Array.prototype.slice.call(this.input.files || []);
    if (!files.length) {
      this.input.focus();
      return;
    }
    var self = this;
    files.forEach(function (file) {
      var row = self.addRow(file);
      self.queue = self.queue.then(function () { return self.upload(file, row); });
    });
    this.queue.then(function () { self.refreshPanel(); });
    this.form.reset();
  };

  Uploader.prototype.addRow = function (file) {
    var li = document.createElement("li");
    li.className = "upload";
    var name = document.createElement("span");
    name.className = "name";
    name.textContent = file.name + " (" + humanSize(file.size) + ")";
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", t("upload_of", "Upload of {name}").replace("{name}", file.name));
    var percent = document.createElement("span");
    percent.className = "percent";
    percent.textContent = "0%";
    var status = document.createElement("span");
    status.className = "status small";
    status.textContent = t("waiting", "Waiting…");
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "btn small secondary";
    cancel.textContent = t("cancel", "Cancel");
    li.append(name, bar, percent, status, cancel);
    this.list.appendChild(li);
    var row = { li: li, bar: bar, percent: percent, status: status, cancel: cancel, cancelled: false };
    cancel.addEventListener("click", function () {
      row.cancelled = true;
      if (row.xhr) { row.xhr.abort(); }
    });
    return row;
  };

  Uploader.prototype.show = function (row, sent, total) {
    var pct = total ? Math.floor((sent * 100) / total) : 100;
    row.bar.value = pct;
    row.percent.textContent = pct + "%";
  };

  Uploader.prototype.finish = function (row, text, kind) {
    row.status.textContent = text;
    row.li.classList.add(kind);
    row.cancel.remove();
  };

  Uploader.prototype.request = function (method, url, body, headers) {
    var self = this;
    return fetch(url, {
      method: method,
      body: body,
      credentials: "same-origin",
      headers: Object.assign({ "X-CSRFToken": self.token }, headers || {}),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        data.httpStatus = response.status;
        return data;
      });
    });
  };

  Uploader.prototype.uploadUrl = function (id) {
    return this.form.dataset.uploadUrl.replace("00000000-0000-0000-0000-000000000000", id);
  };

  Uploader.prototype.begin = async function (file, key) {
    var id = window.localStorage.getItem(key);
    if (id) {
      var known = await this.request("GET", this.uploadUrl(id));
      if (known.httpStatus === 200 && known.state === "receiving") { return known; }
      window.localStorage.removeItem(key);
    }
    var body = new URLSearchParams({ filename: file.name, size: String(file.size) });
    var started = await this.request("POST", this.form.dataset.startUrl, body);
    if (started.httpStatus === 201) { window.localStorage.setItem(key, started.id); }
    return started;
  };

  Uploader.prototype.sendChunk = function (row, url, file, start, end) {
    var self = this;
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      row.xhr = xhr;
      xhr.open("POST", url);
      xhr.setRequestHeader("X-CSRFToken", self.token);
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.setRequestHeader("Content-Range", "bytes " + start + "-" + (end - 1) + "/" + file.size);
      xhr.upload.onprogress = function (e) { self.show(row, start + e.loaded, file.size); };
      xhr.onload = function () {
        var data = {};
        try { data = JSON.parse(xhr.responseText); } catch (err) { data = {}; }
        data.httpStatus = xhr.status;
        resolve(data);
      };
      xhr.onerror = xhr.onabort = function () { resolve({ httpStatus: 0 }); };
      xhr.send(file.slice(start, end));
    });
  };

  Uploader.prototype.upload = async function (file, row) {
    var key = ["oncoroute-upload", this.form.dataset.case, file.name, file.size, file.lastModified].join(":");
    if (row.cancelled) { return this.finish(row, t("cancelled", "Cancelled."), "cancelled"); }
    row.status.textContent = t("uploading", "Uploading…");
    var upload = await this.begin(file, key);
    if (!upload.id) { return this.finish(row, upload.error || t("could_not_start", "The upload could not start."), "failed"); }
    var received = upload.received;
    var failures = 0;
    if (received) { row.status.textContent = t("continuing", "Continuing where it stopped…"); }
    this.show(row, received, file.size);
    while (received < file.size) {
      if (row.cancelled) {
        await this.request("DELETE", upload.urls.status);
        window.localStorage.removeItem(key);
        return this.finish(row, t("cancelled_nothing_kept", "Cancelled; nothing was kept."), "cancelled");
      }
      // A small first part, so that a file of a kind we do not take is refused at once.
      var end = Math.min(received + (received === 0 ? FIRST_CHUNK : this.chunk), file.size);
      var answer = await this.sendChunk(row, upload.urls.chunk, file, received, end);
      if (answer.httpStatus === 200 || answer.httpStatus === 409) {
        if (answer.httpStatus === 409 && answer.received === undefined) {
          return this.finish(row, answer.error || t("stopped", "The upload was stopped."), "failed");
        }
        received = answer.received;
        failures = 0;
      } else if (answer.httpStatus === 422) {
        return this.finish(row, answer.error, "failed");
      } else if (answer.httpStatus === 503 && answer.error) {
        // Our storage is full or away: what arrived is kept, the same file resumes later.
        return this.finish(row, answer.error, "failed");
      } else if (!row.cancelled) {
        failures += 1;
        if (failures > RETRIES) {
          return this.finish(row, t("connection_lost", "The connection was lost. Choose the same file again to continue."), "failed");
        }
        row.status.textContent = t("retrying", "Connection trouble, retrying…");
        await sleep(1000 * failures);
        var state = await this.request("GET", upload.urls.status).catch(function () { return {}; });
        if (state.received !== undefined) { received = state.received; }
      }
      this.show(row, received, file.size);
    }
    row.status.textContent = t("checking", "Checking the file…");
    row.cancel.disabled = true;
    var done = await this.request("POST", upload.urls.complete);
    if (done.httpStatus !== 503) { window.localStorage.removeItem(key); }
    if (done.httpStatus !== 200) {
      return this.finish(row, done.error || t("not_stored", "The file could not be stored."), "failed");
    }
    if (done.state === "processing") {
      row.status.textContent = done.message || t("unpacking", "Unpacking the disc…");
      done = await this.follow(row, done);
      if (done.state !== "done") {
        return this.finish(row, done.error || t("not_stored", "The file could not be stored."), "failed");
      }
    }
    this.finish(row, done.message || t("stored", "Stored."), "done");
    this.refreshPanel();
  };

  // A disc is unpacked and indexed by the server's worker: ask how far it got until it is done.
  Uploader.prototype.follow = async function (row, upload) {
    var state = upload;
    while (state.state === "processing" || state.httpStatus === 0) {
      await sleep(1000);
      state = await this.request("GET", upload.urls.status).catch(function () { return { httpStatus: 0, state: "processing" }; });
      if (state.state === "processing" && state.error) {
        row.status.textContent = state.error;
      } else if (state.index_total) {
        this.show(row, state.index_done, state.index_total);
        row.status.textContent = t("indexing", "Unpacking and indexing: {done} of {total} files…")
          .replace("{done}", Math.floor(state.index_done / 2)).replace("{total}", Math.floor(state.index_total / 2));
      }
    }
    return state;
  };

  Uploader.prototype.refreshPanel = function () {
    if (window.htmx) {
      window.htmx.ajax("GET", this.form.dataset.panelUrl, { target: "#records-panel", swap: "outerHTML" });
    }
  };

  function init() {
    var messages = document.getElementById("records-messages");
    if (messages) { MESSAGES = JSON.parse(messages.textContent); }
    document.querySelectorAll("form[data-records-upload]").forEach(function (form) {
      if (!form.dataset.ready) {
        form.dataset.ready = "1";
        new Uploader(form);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
