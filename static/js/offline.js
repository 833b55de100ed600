// Reading offline, and leaving nothing behind: the service worker (/sw.js) keeps the trainer's
// recently opened pages; a page it gives from its cache says so. Logging out empties the
// device, after a warning when saves are still waiting in the outbox. Without service workers
// (or IndexedDB) everything still works online, as before.
"use strict";

(() => {
  const words = () => document.getElementById("outbox").dataset;
  const user = words().user;
  const PAGES = "wpo-pages"; // the service worker's cache, also in static/root/sw.js

  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(() => {});

  // Another user on this phone (a login ran out without logging out): the pages kept for the
  // one before are not theirs to read.
  if (localStorage.getItem("wpo-user") !== user && "caches" in window) caches.delete(PAGES);
  try {
    localStorage.setItem("wpo-user", user);
  } catch {}

  // The service worker marks a page it gave from its cache; the time is the server's, written
  // into the page when it was made (the phone's clock may be wrong).
  function markOffline() {
    if (!document.documentElement.hasAttribute("data-from-cache") || document.getElementById("offline-note")) return;
    const note = document.createElement("p");
    note.id = "offline-note";
    note.className = "notice";
    note.setAttribute("role", "status");
    note.textContent = words().offline.replace("{time}", words().renderedAt);
    document.getElementById("main").prepend(note);
  }
  markOffline();

  async function emptyDevice() {
    await outbox.clear().catch(() => {});
    for (const key of Object.keys(localStorage)) if (key.startsWith("wpo-")) localStorage.removeItem(key);
    if ("caches" in window) await caches.delete(PAGES);
  }

  // The server's answer to logging out empties the device too (Clear-Site-Data); this does it
  // on browsers that ignore that header, and warns first.
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.classList.contains("logout") || form.dataset.emptied) return;
    event.preventDefault();
    const n = await outbox.count().catch(() => 0);
    if (n && !confirm(n === 1 ? words().logoutOne : words().logoutMany.replace("{n}", n))) return;
    await emptyDevice();
    form.dataset.emptied = "true";
    form.submit();
  });
})();
