// A GTIN typed in a field marked data-gtin-lookup is looked up in the goods database through the
// public GS1 Digital Link resolver (/01/{gtin-14}, JSON): the product's name, or "not registered",
// is shown under the field. The server checks the GTIN again when the form is saved.
(function () {
  "use strict";

  function checkDigitOk(digits) {
    var sum = 0;
    for (var i = 0; i < digits.length - 1; i++) {
      var d = +digits[digits.length - 2 - i];
      sum += i % 2 === 0 ? d * 3 : d;
    }
    return (10 - (sum % 10)) % 10 === +digits[digits.length - 1];
  }

  function note(input) {
    var el = input.parentNode.querySelector("[data-gtin-note]");
    if (!el) {
      el = document.createElement("small");
      el.setAttribute("data-gtin-note", "");
      el.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", el);
    }
    return el;
  }

  function lookUp(input) {
    var digits = (input.value || "").replace(/[\s.-]/g, "");
    var out = note(input);
    if (!digits) {
      out.textContent = "";
      return;
    }
    if (!/^\d+$/.test(digits) || [8, 12, 13, 14].indexOf(digits.length) < 0 || !checkDigitOk(digits)) {
      out.textContent = input.getAttribute("data-gtin-invalid") || "";
      return;
    }
    var gtin14 = ("00000000000000" + digits).slice(-14);
    fetch("/01/" + gtin14, { headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.json();
      })
      .then(function (data) {
        if (data && data.product) {
          var p = data.product;
          out.textContent = "✓ " + p.name + (p.owner ? " — " + p.owner.name : "");
        } else {
          out.textContent = input.getAttribute("data-gtin-unknown") || "";
        }
      })
      .catch(function () {
        out.textContent = "";
      });
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input && input.hasAttribute && input.hasAttribute("data-gtin-lookup")) {
      lookUp(input);
    }
  });
})();
