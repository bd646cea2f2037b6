// The "processing" page asks every two seconds (for up to five minutes) whether the processor's
// confirmation has arrived, and reloads once it has; the server then shows where things stand.
(function () {
  var box = document.querySelector("[data-processing]");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var tries = 0;
  function ask() {
    tries += 1;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (body) {
        if (body.decided) { window.location.reload(); }
        else if (tries < 150) { setTimeout(ask, 2000); }
      })
      .catch(function () { if (tries < 150) { setTimeout(ask, 5000); } });
  }
  setTimeout(ask, 1500);
})();
