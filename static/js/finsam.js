// Finsam: small progressive enhancements. No inline scripts (CSP).
document.addEventListener("DOMContentLoaded", function () {
  // A table that scrolls sideways on a narrow screen is a region the
  // keyboard can reach and scroll, named by its caption (WCAG 2.1.1).
  document.querySelectorAll(".table-responsive").forEach(function (region) {
    if (region.hasAttribute("tabindex")) { return; }
    var caption = region.querySelector("caption");
    region.setAttribute("tabindex", "0");
    region.setAttribute("role", "region");
    region.setAttribute("aria-label", caption ? caption.textContent.trim() : "Tabell");
  });
  // Confirm destructive actions marked with data-confirm.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
      }
    });
  });
  // A download that takes a moment (data-busy) says so while it is made,
  // in the page's status line, so no one waits without knowing why.
  document.querySelectorAll("a[data-busy]").forEach(function (link) {
    link.addEventListener("click", function () {
      var status = document.querySelector(".busy-status");
      if (!status) { return; }
      status.textContent = link.dataset.busy;
      link.setAttribute("aria-disabled", "true");
      window.setTimeout(function () {
        status.textContent = "";
        link.removeAttribute("aria-disabled");
      }, 6000);
    });
  });
});

// After htmx replaces a participation's row (a status saved, or refused),
// focus goes back to that row's status form instead of falling to <body>.
document.addEventListener("htmx:load", function (event) {
  var row = event.detail.elt;
  if (!row || !row.matches || !row.matches("tr[id^='deltagande-']")) { return; }
  if (!row.querySelector("[role=status], [role=alert]")) { return; }
  var field = row.querySelector("form.status-quick select, form.status-quick input[type=date]");
  if (field) { field.focus(); }
});
