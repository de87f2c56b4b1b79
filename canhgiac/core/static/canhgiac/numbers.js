/* Vietnamese numbers as the user types (canhgiac.core.forms.VNNumberInput): "25000000" shows as
   "25.000.000"; a comma is the decimal mark. A point the user typed that does not group three
   digits ("1.5") is left as typed and flagged: the server refuses it as ambiguous. Fields with
   data-cg-warn-below show a non-blocking warning under the box. No inline script (CSP). */
(function () {
  "use strict";
  var SEP = /[.\s\u00a0\u202f]/g;
  var GROUPED = /^\d{1,3}([.\s\u00a0\u202f]\d{3})+$/;

  function group(digits) {
    digits = digits.replace(/^0+(?=\d)/, "");
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  // The value shown for `text`, or null to leave it as typed. `last` is what this script showed
  // before: points it put there may be moved, points the user typed or pasted may not.
  function regroup(text, last) {
    var neg = /^[-−]/.test(text) ? "-" : "";
    var body = neg ? text.slice(1) : text;
    var parts = body.split(",");
    if (parts.length > 2) return null;
    var whole = parts[0];
    var bare = whole.replace(SEP, "");
    if (!/^\d*$/.test(bare)) return null;
    var skeleton = function (t) { return (t || "").split(",")[0].replace(/[\d\-−]/g, ""); };
    if (whole !== bare && !GROUPED.test(whole) && skeleton(text) !== skeleton(last)) return null;
    return neg + group(bare) + (parts.length === 2 ? "," + parts[1].replace(/\D/g, "") : "");
  }

  function parse(text) {
    var t = text.trim();
    if (!t) return null;
    var parts = t.split(",");
    var whole = parts[0].replace(/^[-−]/, "");
    if (whole !== whole.replace(SEP, "") && !GROUPED.test(whole)) return NaN;
    return parseFloat(whole.replace(SEP, "") + "." + (parts[1] || "0"));
  }

  function note(input, kind) {
    var id = input.id + "-cg-" + kind;
    var el = document.getElementById(id);
    if (!el) {
      el = document.createElement("small");
      el.id = id;
      el.className = "cg-number-note";
      el.setAttribute("data-cg-note", kind);
      el.setAttribute("role", "status");
      input.insertAdjacentElement("afterend", el);
      var described = (input.getAttribute("aria-describedby") || "").split(" ");
      if (described.indexOf(id) < 0) {
        described.push(id);
        input.setAttribute("aria-describedby", described.join(" ").trim());
      }
    }
    return el;
  }

  function check(input) {
    var value = parse(input.value);
    var ambiguous = note(input, "ambiguous");
    ambiguous.textContent = Number.isNaN(value) ? input.getAttribute("data-cg-ambiguous") : "";
    var floor = parseFloat(input.getAttribute("data-cg-warn-below") || "0");
    if (floor) {
      var warn = note(input, "warn");
      warn.textContent = value > 0 && value < floor ? input.getAttribute("data-cg-warn") : "";
    }
  }

  function digitsRight(text, caret) {
    return text.slice(caret).replace(/[^\d,]/g, "").length;
  }

  function caretFor(text, right) {
    var count = 0;
    for (var i = text.length; i > 0; i--) {
      if (count === right) return i;
      if (/[\d,]/.test(text[i - 1])) count++;
    }
    return count === right ? 0 : text.length;
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-cg-number]")) return;
    var shown = regroup(input.value, input.dataset.cgShown);
    if (shown !== null && shown !== input.value) {
      var right = digitsRight(input.value, input.selectionStart || input.value.length);
      input.value = shown;
      var at = caretFor(shown, right);
      try { input.setSelectionRange(at, at); } catch (e) { /* not focused */ }
    }
    input.dataset.cgShown = input.value;
    check(input);
  });

  document.addEventListener("focusout", function (event) {
    var input = event.target;
    if (!input.matches) return;
    if (input.matches("[data-cg-date]")) {
      var m = /^(\d{2})(\d{2})(\d{4})$/.exec(input.value.trim());
      if (m) input.value = m[1] + "/" + m[2] + "/" + m[3];
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-cg-number]").forEach(function (input) {
      if (input.value) check(input);
    });
  });
})();
