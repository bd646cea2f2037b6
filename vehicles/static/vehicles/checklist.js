// Progressive enhancement of the inspection checklist: each item is posted on its own as soon as
// it is answered, so a lost connection loses nothing already saved. Without JavaScript the whole
// form posts with "Save answers" or "Complete inspection" and the server does the same work.
(function () {
  var form = document.querySelector("form.checklist");
  if (!form || !window.fetch || !window.FormData) return;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var waiting = new Set();
  var answered = document.querySelector("[data-answered]");

  function itemData(fieldset) {
    var data = new FormData();
    fieldset.querySelectorAll("input").forEach(function (input) {
      if (input.type === "radio") {
        if (input.checked) data.append(input.name, input.value);
      } else if (input.type === "file") {
        if (input.files.length) data.append(input.name, input.files[0]);
      } else {
        data.append(input.name, input.value);
      }
    });
    return data;
  }

  function say(fieldset, state, text) {
    fieldset.dataset.state = state;
    fieldset.querySelector("[data-status]").textContent = text;
  }

  function save(fieldset) {
    if (!fieldset.querySelector("input[type=radio]:checked")) {
      say(fieldset, "unanswered", "Choose Pass, Fail or N/A to save this item.");
      return;
    }
    say(fieldset, "saving", "Saving…");
    fetch(fieldset.dataset.url, {
      method: "POST",
      body: itemData(fieldset),
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      })
      .then(function (reply) {
        waiting.delete(fieldset);
        if (reply.ok && reply.body.saved) {
          say(fieldset, "saved", "Saved");
          fieldset.classList.remove("checklist-item--error");
          var file = fieldset.querySelector("input[type=file]");
          if (file) file.value = "";
          if (answered) answered.textContent = reply.body.answered;
        } else {
          var errors = reply.body.errors || {};
          say(fieldset, "error", "Not saved: " + Object.values(errors).join(" "));
        }
      })
      .catch(function () {
        waiting.add(fieldset);
        say(fieldset, "offline", "Not saved yet: no connection. It is sent again when the connection is back.");
      });
  }

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset[data-url]");
    if (fieldset) save(fieldset);
  });
  window.addEventListener("online", function () {
    Array.from(waiting).forEach(save);
  });
})();
