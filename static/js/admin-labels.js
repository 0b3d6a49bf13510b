// Names for two controls the admin's libraries draw without one, so a screen
// reader can say what they are: django-modeltranslation's switch of every
// language tab at once, and the blank column headings of Django's tabular
// inlines (the first, where each saved part's name goes, and "Delete?" for
// someone who may not delete). The page works the same without it.
window.addEventListener("load", function () {
  "use strict";
  // jQuery runs ready handlers in the order they were added: added now, this
  // one runs after django-modeltranslation's, which draws the switch.
  window.django.jQuery(function () {
    // The words, in the admin's language, come from the page itself.
    var labels = document.getElementById("admin-labels");
    if (!labels) {
      return;
    }
    var switcher = document.getElementById("modeltranslation-main-switch");
    if (switcher && !switcher.hasAttribute("aria-label")) {
      switcher.setAttribute("aria-label", labels.dataset.languageSwitch);
    }
    document.querySelectorAll(".tabular thead th:empty").forEach(
      function (heading) {
        if (!heading.classList.contains("original")) {
          // The "Delete?" column of someone who may not delete: always empty.
          heading.setAttribute("role", "none");
          return;
        }
        var text = document.createElement("span");
        text.className = "visually-hidden";
        text.textContent = labels.dataset.savedPart;
        heading.appendChild(text);
      }
    );
  });
});
