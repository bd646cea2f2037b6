/* Accessibility repairs of markup Django's admin writes itself (found by axe, tests/e2e/
   test_accessibility_crawl.py):
   - the inputs of tabular inlines and of list-editable changelist rows have no <label>: their
     name is their column's header (axe: label, select-name, label-title-only);
   - the filter_horizontal widget puts aria-label on a bare <span> (axe: aria-prohibited-attr);
   - an inline group that scrolls sideways and holds nothing focusable cannot be scrolled from
     the keyboard (axe: scrollable-region-focusable). */
(function () {
  "use strict";

  var FIELDS = "input:not([type=hidden]), select, textarea";

  function columnName(cell) {
    var table = cell.closest("table");
    var head = table && table.tHead;
    if (!head || !head.rows.length) return "";
    var header = head.rows[head.rows.length - 1].cells[cell.cellIndex];
    if (!header) return "";
    var text = header.querySelector(".text") || header;
    return text.textContent.replace(/\s+/g, " ").trim();
  }

  function nameTableFields() {
    document.querySelectorAll("#result_list td, .inline-group .tabular td").forEach(function (cell) {
      cell.querySelectorAll(FIELDS).forEach(function (field) {
        if ((field.labels && field.labels.length) || field.hasAttribute("aria-label") ||
            field.hasAttribute("aria-labelledby")) return;
        var name = columnName(cell);
        if (name) field.setAttribute("aria-label", name);
      });
    });
  }

  function fixTooltips() {
    document.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (span) {
      span.setAttribute("role", "img");
    });
  }

  function focusableScrollers() {
    document.querySelectorAll(".inline-group").forEach(function (group) {
      if (group.hasAttribute("tabindex") || group.querySelector("a[href], button, " + FIELDS)) return;
      var heading = group.querySelector(".inline-heading");
      group.setAttribute("tabindex", "0");
      group.setAttribute("role", "region");
      if (heading && heading.id) group.setAttribute("aria-labelledby", heading.id);
    });
  }

  nameTableFields();
  focusableScrollers();
  // The filter_horizontal widget is built on window load by SelectFilter2.js, which registered
  // its listener before this deferred script ran: this one runs after it.
  window.addEventListener("load", fixTooltips);
})();
