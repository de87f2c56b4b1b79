// A form shown again with errors: move focus to the first field at fault (named by the error
// summary's first link), else to the summary itself, so a phone user does not hunt 2,000 px down.
(function () {
  function focusFirstError() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) { return; }
    var link = summary.querySelector("a[href^='#']");
    var target = link && document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (target) {
      var details = target.closest("details");
      if (details) { details.open = true; }
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: "center" });
    } else {
      summary.focus();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusFirstError);
  } else {
    focusFirstError();
  }
})();
