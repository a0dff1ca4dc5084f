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
});
