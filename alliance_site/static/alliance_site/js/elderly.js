/* Elderly-friendly mode (长者模式): larger text and controls, higher contrast.
   Loaded in <head> without defer, so the class is on <html> before the first paint; the choice
   is kept in this browser only, so every visitor gets the same HTML (one page-cache entry). */
(function () {
  "use strict";
  var KEY = "elderly-mode";
  var root = document.documentElement;
  // The switch is in the HTML hidden (it needs this script); the stylesheet shows it from the
  // first paint once this attribute is set, so the header does not move when it appears.
  root.setAttribute("data-elderly-switch", "");
  try {
    if (window.localStorage.getItem(KEY) === "1") {
      root.classList.add("elderly");
    }
  } catch (error) {
    /* storage blocked: the mode simply is not remembered */
  }
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("elderly-toggle");
    if (!button) {
      return;
    }
    button.hidden = false;
    button.setAttribute("aria-pressed", String(root.classList.contains("elderly")));
    button.addEventListener("click", function () {
      var on = root.classList.toggle("elderly");
      button.setAttribute("aria-pressed", String(on));
      try {
        window.localStorage.setItem(KEY, on ? "1" : "0");
      } catch (error) {
        /* not remembered */
      }
    });
  });
})();
