// Finsam: small progressive enhancements. No inline scripts (CSP).
document.addEventListener("DOMContentLoaded", function () {
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
