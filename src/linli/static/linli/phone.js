// Phone helpers for every page: a compact menu on narrow screens, stacked tables that keep
// their column names (data-label from the header), and a question before grave actions
// (forms with data-confirm; htmx forms use hx-confirm).
(function () {
  "use strict";
  var toggle = document.querySelector(".menu-toggle");
  var menu = document.getElementById("main-menu");
  if (toggle && menu) {
    var narrow = window.matchMedia("(max-width: 480px)");
    var apply = function () {
      toggle.hidden = !narrow.matches;
      menu.classList.toggle("collapsed", narrow.matches && toggle.getAttribute("aria-expanded") !== "true");
    };
    toggle.addEventListener("click", function () {
      toggle.setAttribute("aria-expanded", toggle.getAttribute("aria-expanded") === "true" ? "false" : "true");
      apply();
    });
    narrow.addEventListener("change", apply);
    apply();
  }
  function label(root) {
    root.querySelectorAll("table.stack").forEach(function (table) {
      var names = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        Array.prototype.forEach.call(tr.children, function (td, i) {
          if (!td.hasAttribute("data-label") && names[i]) { td.setAttribute("data-label", names[i]); }
        });
      });
    });
  }
  label(document);
  document.addEventListener("htmx:afterSwap", function (event) { label(event.target.closest("table") || document); });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
