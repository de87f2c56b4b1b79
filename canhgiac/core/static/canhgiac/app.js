// Behaviour once written inline in templates, moved here so the Content-Security-Policy can
// forbid inline scripts (docs/security.md, "Headers").
(function () {
  "use strict";

  // <form data-confirm="Question?">: ask before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  // <button data-add-row="prefix">: add one row to a Django formset from its <template>.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (!button) return;
    var prefix = button.dataset.addRow;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var fieldset = document.getElementById(prefix + "-rows");
    var html = fieldset.querySelector("template").innerHTML.replace(/__prefix__/g, total.value);
    button.insertAdjacentHTML("beforebegin", html);
    total.value = parseInt(total.value, 10) + 1;
  });
})();
