/* Offline copies of the pages a resident visited, in their language.
   Searches are never stored; nothing a resident types is kept. */
"use strict";

var CACHE = "guide-pages-v1";
var PAGE = /^\/(en|es|ht|kea|pt-br|zh-hans|zh-hant|vi|ar|ru|so|fr)\//;

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

function keep(request, response) {
  return response.clone().text().then(function (html) {
    var saved = new Response(html, {
      headers: {
        "Content-Type": response.headers.get("Content-Type") || "text/html",
        "X-Saved-At": new Date().toISOString()
      }
    });
    return caches.open(CACHE).then(function (cache) {
      return cache.put(request, saved);
    });
  });
}

function savedCopy(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request);
  }).then(function (hit) {
    if (!hit) {
      return null;
    }
    var savedAt = hit.headers.get("X-Saved-At") || "";
    return hit.text().then(function (html) {
      var when = savedAt.replace("T", " ").slice(0, 16) + " UTC";
      html = html
        .replace('<p class="notice offline-note" hidden>', '<p class="notice offline-note">')
        .replace('<span class="offline-date"></span>',
                 '<span class="offline-date"><time datetime="' + savedAt + '">' + when +
                 "</time></span>");
      return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
    });
  });
}

self.addEventListener("message", function (event) {
  var path = event.data && event.data.keep;
  if (typeof path === "string" && PAGE.test(path)) {
    var request = new Request(path, { credentials: "omit" });
    fetch(request).then(function (response) {
      if (response.ok) {
        return keep(request, response);
      }
    }).catch(function () {});
  }
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    if (!PAGE.test(url.pathname) || url.search) {
      return;  // admin pages and searches: never stored
    }
    event.respondWith(
      fetch(request).then(function (response) {
        if (response.ok) {
          event.waitUntil(keep(new Request(url.pathname), response));
        }
        return response;
      }).catch(function () {
        var language = url.pathname.split("/")[1];
        return savedCopy(new Request(url.pathname)).then(function (copy) {
          return copy || savedCopy(new Request("/" + language + "/"));
        }).then(function (copy) {
          return copy || Response.error();
        });
      })
    );
    return;
  }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(
      caches.open(CACHE).then(function (cache) {
        return cache.match(request).then(function (hit) {
          return hit || fetch(request).then(function (response) {
            if (response.ok) {
              cache.put(request, response.clone());
            }
            return response;
          });
        });
      })
    );
  }
});
