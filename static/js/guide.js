/* Enhancements only: every page works without this file.
   - "Leave this site" replaces the page (keeping it out of the back button where
     the browser allows) and forgets the offline copies; Esc does the same, unless
     the reader is typing in a field.
   - The share sheet and the Copy button of a service page, where the browser
     has them.
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

  // Esc leaves too, but never while typing: in a search box Esc clears it.
  function typing(element) {
    return element && (element.isContentEditable ||
      /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName));
  }

  if (exit) {
    exit.addEventListener("click", leave);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !typing(event.target)) {
        leave(event);
      }
    });
  }

  // The phone's own share sheet, where the browser has one.
  var sheet = document.querySelector(".share-sheet");
  if (sheet && navigator.share) {
    var button = sheet.querySelector("button");
    sheet.hidden = false;
    button.addEventListener("click", function () {
      navigator.share({ title: button.dataset.title, url: button.dataset.url })
        .catch(function () { /* the reader closed the sheet */ });
    });
  }

  // A Copy button beside the address, where the browser can copy.
  var copy = document.querySelector(".copy-button");
  var address = document.getElementById("page-address");
  if (copy && address && navigator.clipboard && window.isSecureContext) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(address.value).then(function () {
        copy.textContent = copy.dataset.copied;
      }, function () {
        address.select();
      });
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
