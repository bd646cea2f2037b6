// A courtesy only: the server acts once per attempt whatever the browser sends.
document.querySelectorAll("form").forEach(function (form) {
  form.addEventListener("submit", function () {
    form.querySelectorAll("[data-prevent-double]").forEach(function (button) {
      setTimeout(function () { button.disabled = true; }, 0);
    });
  });
});
