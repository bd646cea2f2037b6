// A double click sends a form once: a courtesy only, the server acts once per submission
// whatever the browser sends. Served as a file, not inline: the Content-Security-Policy runs no
// inline script. Marked forms (data-single-submit) disable every submit button; other forms
// disable the buttons marked data-once or data-prevent-double. The "search" button of the
// complaint form looks a subject up and may be pressed again.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (event.submitter && event.submitter.name === "search") { return; }
  var buttons = form.hasAttribute("data-single-submit")
    ? form.querySelectorAll("button[type=submit]")
    : form.querySelectorAll("[data-once], [data-prevent-double]");
  buttons.forEach(function (button) {
    // disabled after the browser has read the clicked button's name and value
    setTimeout(function () { button.disabled = true; }, 0);
  });
});
