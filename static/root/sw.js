// The service worker: the trainer's recently opened pages (their home, their participants'
// pages and assignments) can be read offline. Network first, so online the page is always
// fresh; the cache only when the network fails. Only whole HTML pages that came back 200 for a
// logged-in user are kept: never a POST's answer, the login page, an export or a PDF. Logging
// out empties this cache (Clear-Site-Data, and static/js/offline.js).
"use strict";

const PAGES = "wpo-pages"; // also in static/js/offline.js
const KEPT = [/^\/trainer\/$/, /^\/trajectories\/\d+\/$/, /^\/progress\/\d+\/$/];

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

function worthKeeping(request, response) {
  const url = new URL(response.url || request.url);
  return (
    response.status === 200 &&
    url.origin === self.location.origin &&
    KEPT.some((page) => page.test(url.pathname)) &&
    !url.search &&
    (response.headers.get("Content-Type") || "").startsWith("text/html") &&
    !/no-store/.test(response.headers.get("Cache-Control") || "")
  );
}

// A page given from the cache says so: static/js/offline.js shows when it was made.
async function fromCache(request) {
  const url = new URL(request.url);
  // the app opened from the home screen asks for "/", which online leads to the trainer's home
  const key = url.pathname === "/" ? new URL("/trainer/", url).href : url.href;
  const kept = await (await caches.open(PAGES)).match(key, { ignoreVary: true });
  if (!kept) return Response.error();
  const html = (await kept.text()).replace("<html", "<html data-from-cache");
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  // a page opened whole, or one htmx loads whole for a boosted link (not a part of a page)
  const wholePage =
    request.mode === "navigate" ||
    (request.headers.get("HX-Boosted") === "true" && request.headers.get("HX-Request") === "true");
  if (request.method !== "GET" || !wholePage) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (worthKeeping(request, response)) {
          const copy = response.clone();
          event.waitUntil(caches.open(PAGES).then((cache) => cache.put(response.url, copy)));
        }
        return response;
      })
      .catch(() => (request.mode === "navigate" ? fromCache(request) : Response.error())),
  );
});
