// Finsam: small progressive enhancements. No inline scripts (CSP).
document.addEventListener("DOMContentLoaded", function () {
  // A table that scrolls sideways on a narrow screen is a region the
  // keyboard can reach and scroll, named by its caption (WCAG 2.1.1); one
  // that fits (or has become cards) is not an extra stop for the Tab key.
  var regions = document.querySelectorAll(".table-responsive");
  function scrollableRegions() {
    regions.forEach(function (region) {
      if (region.scrollWidth > region.clientWidth + 1) {
        var caption = region.querySelector("caption");
        region.setAttribute("tabindex", "0");
        region.setAttribute("role", "region");
        region.setAttribute("aria-label", caption ? caption.textContent.trim() : "Tabell");
      } else {
        region.removeAttribute("tabindex");
        region.removeAttribute("role");
        region.removeAttribute("aria-label");
      }
    });
  }
  scrollableRegions();
  window.addEventListener("resize", scrollableRegions);
  // Escape closes the main menu opened on a narrow screen, and focus goes
  // back to the button that opened it.
  var menu = document.getElementById("main-menu");
  var toggler = document.querySelector("[data-bs-target='#main-menu']");
  if (menu && toggler && window.bootstrap) {
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !menu.classList.contains("show")) { return; }
      window.bootstrap.Collapse.getOrCreateInstance(menu, { toggle: false }).hide();
      toggler.focus();
    });
  }
  // Confirm destructive actions marked with data-confirm.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
      }
    });
  });
  // After a refused submission the error summary takes focus, so that the
  // keyboard and the screen reader start at the list of what to correct;
  // each of its links moves focus to its field (WCAG 3.3.1).
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!field) { return; }
      event.preventDefault();
      field.focus();
      var label = document.querySelector("label[for='" + field.id + "']") || field;
      label.scrollIntoView({ block: "center" });
    });
  }
  // A form that takes more than a second to answer says that it is working,
  // and is not sent twice meanwhile. A download leaves the page standing, so
  // the form is free again after a while.
  var status = document.querySelector(".busy-status");
  document.querySelectorAll("form[method=post]:not([hx-post])").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) { return; }
      if (form.dataset.sending) { event.preventDefault(); return; }
      form.dataset.sending = "1";
      form.setAttribute("aria-busy", "true");
      var shown = window.setTimeout(function () {
        if (status) { status.textContent = form.dataset.busy || status.dataset.sending; }
      }, 1000);
      window.setTimeout(function () {
        window.clearTimeout(shown);
        delete form.dataset.sending;
        form.removeAttribute("aria-busy");
        if (status) { status.textContent = ""; }
      }, 15000);
    });
  });
  // A page shown again from the back button is not still sending.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-sending]").forEach(function (form) {
      delete form.dataset.sending;
      form.removeAttribute("aria-busy");
    });
    if (status) { status.textContent = ""; }
  });
  // A download that takes a moment (data-busy) says so while it is made,
  // in the page's status line, so no one waits without knowing why.
  document.querySelectorAll("a[data-busy]").forEach(function (link) {
    link.addEventListener("click", function () {
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
