// Keeps a document job's status page current without a reload: polls the JSON status endpoint
// until the job is done or failed. Without JavaScript the page offers a refresh link instead.
(function () {
  "use strict";
  var root = document.getElementById("job-status");
  if (!root || !window.fetch) return;
  var url = root.dataset.statusUrl;
  var delay = parseInt(root.dataset.pollMs, 10) || 1500;
  var finished = { done: true, failed: true };
  var lastAnnounced = null;

  function field(name) { return root.querySelector('[data-field="' + name + '"]'); }

  function show(data) {
    root.dataset.status = data.status;
    var announcement = data.status_label + ": " + data.message;
    // The live region is only rewritten when its words change, so it is not read out each poll.
    if (announcement !== lastAnnounced) {
      field("status_label").textContent = data.status_label;
      field("message").textContent = data.message;
      lastAnnounced = announcement;
    }
    var live = !finished[data.status];
    document.getElementById("job-progress-block").hidden = !live;
    document.getElementById("job-progress").value = data.progress;
    document.getElementById("job-progress").textContent = data.progress + "%";
    field("progress").textContent = data.progress;
    if (data.status === "done" && data.download_url) {
      document.getElementById("job-download").href = data.download_url;
      field("pages").textContent = data.page_count ? data.page_count + (data.page_count === 1 ? " page" : " pages") : "";
      document.getElementById("job-ready").hidden = false;
    }
    if (data.status === "failed") {
      field("error").textContent = data.error;
      document.getElementById("job-error").hidden = false;
    }
    return live;
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      })
      .then(function (data) { if (show(data)) window.setTimeout(poll, delay); })
      .catch(function () { window.setTimeout(poll, delay * 4); });  // offline for a moment: back off
  }

  if (!finished[root.dataset.status]) window.setTimeout(poll, delay);
})();
