/* The portal's own script (no inline scripts: the Content-Security-Policy forbids them). */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  /* Phones: the Menu button folds the navigation in and out. */
  function navToggle() {
    var button = document.querySelector(".nav-toggle");
    var nav = document.getElementById("sidenav");
    if (!button || !nav) { return; }
    button.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  /* Incentive rule forms: show the parameter fields of the chosen kind only. */
  function ruleKinds() {
    var kind = document.getElementById("id_kind");
    if (!kind) { return; }
    function show() {
      document.querySelectorAll("[data-kinds]").forEach(function (el) {
        var kinds = el.getAttribute("data-kinds");
        el.hidden = !!kinds && kinds.split(" ").indexOf(kind.value) < 0;
      });
    }
    kind.addEventListener("change", show);
    show();
  }

  /* <form data-confirm="question">: ask before submitting. */
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  }, true);

  /* <form data-backward-stages="a b" data-confirm-backward="question">: ask before a move back. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var stages = form.getAttribute && form.getAttribute("data-backward-stages");
    if (!stages || !form.elements.to) { return; }
    if (stages.split(" ").indexOf(form.elements.to.value) >= 0
        && !window.confirm(form.getAttribute("data-confirm-backward"))) {
      event.preventDefault();
    }
  }, true);

  /* <select data-autosubmit>: submit its form when it changes (the language switcher). */
  document.addEventListener("change", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-autosubmit") && event.target.form) {
      event.target.form.submit();
    }
  });

  /* A box that scrolls sideways (a wide table on a phone) can be reached and scrolled by keyboard. */
  function focusableScrollers() {
    document.querySelectorAll(".card, .board").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1 && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", ruleKinds);
  document.addEventListener("DOMContentLoaded", focusableScrollers);
  window.addEventListener("resize", focusableScrollers);
  document.addEventListener("DOMContentLoaded", navToggle);
})();
