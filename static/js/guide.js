/* Enhancements only: every page works without this file.
   - "Leave this site" replaces the page (keeping it out of the back button where
     the browser allows) and forgets the offline copies; Esc does the same.
   - A service worker keeps the pages a resident visits readable offline. */
(function () {
  "use strict";

  var exit = document.querySelector("a.quick-exit");

  function forgetOfflineCopies() {
    if (!("caches" in window)) {
      return Promise.resolve();
    }
    return caches.keys().then(function (keys) {
      return Promise.all(keys.map(function (key) { return caches.delete(key); }));
    });
  }

  function leave(event) {
    if (event) {
      event.preventDefault();
    }
    var target = exit.href;
    var gone = false;
    function go() {
      if (!gone) {
        gone = true;
        window.location.replace(target);
      }
    }
    forgetOfflineCopies().then(go, go);
    window.setTimeout(go, 300);
  }

  if (exit) {
    exit.addEventListener("click", leave);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        leave(event);
      }
    });
  }

  if ("serviceWorker" in navigator && window.isSecureContext) {
    var home = document.documentElement.getAttribute("data-home");
    navigator.serviceWorker.register("/sw.js").then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (home && registration.active) {
        // The home page holds the emergency number and the help lines.
        registration.active.postMessage({ keep: home });
      }
    }).catch(function () { /* offline copies are a bonus */ });
  }
}());
