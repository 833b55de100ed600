// The outbox: a save that cannot reach the server (no network, a time-out, a gateway that is
// down) waits on this device, in IndexedDB, and is sent when the network is back or the app
// opens. Each save carries its one-time token (wpo/idempotency.py), so sending it again is
// safe: a save that did arrive the first time is answered with its first answer, not stored
// twice. Only the server's clock is used for what is stored; nothing here reads the phone's.
"use strict";

const outbox = (() => {
  const GATEWAY = [502, 503, 504]; // the server itself was not reached: try again later
  const status = () => document.getElementById("outbox");
  const words = () => status().dataset;
  const user = status().dataset.user;
  const path = (url) => new URL(url, location.href).pathname;
  let loginNeeded = false;

  // IndexedDB, in the few calls used here. Any failure (private mode, quota full) rejects.
  let opened;
  function db() {
    opened ??= new Promise((resolve, reject) => {
      const request = indexedDB.open("wpo", 1);
      request.onupgradeneeded = () =>
        request.result.createObjectStore("outbox", { keyPath: "id", autoIncrement: true });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return opened;
  }
  async function store(mode, work) {
    const transaction = (await db()).transaction("outbox", mode);
    const request = work(transaction.objectStore("outbox"));
    return new Promise((resolve, reject) => {
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = transaction.onabort = () => reject(transaction.error);
    });
  }
  // This user's entries, oldest first (the keys count up). Another user's stay untouched: sent
  // under this login they would be stored in this user's name.
  const mine = async () => (await store("readonly", (s) => s.getAll())).filter((e) => e.user === user);
  // Entries still to send; the others are a refusal or a notice for the trainer to read.
  const unsent = (entries) => entries.filter((e) => !e.refused && !e.notice);
  const put = (entry) => store("readwrite", (s) => s.put(entry));
  const drop = (id) => store("readwrite", (s) => s.delete(id));

  function freshToken() {
    const bytes = crypto.getRandomValues(new Uint8Array(24));
    return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // The CSRF token in force now (a new login changes it), never the one the entry was made with.
  function csrfToken() {
    const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
    if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
    return JSON.parse(document.body.dataset.hxHeaders || "{}")["X-CSRFToken"] || "";
  }

  // A line of words at the form, replacing the one said before.
  function say(form, text, error = false) {
    form.querySelector(":scope > .outbox-message")?.remove();
    const line = document.createElement("p");
    line.className = error ? "outbox-message message message-error" : "outbox-message notice";
    line.setAttribute("role", "alert");
    line.textContent = text;
    form.prepend(line);
  }

  async function queue(form, formData) {
    const fields = [...formData].filter(([name, v]) => name !== "csrfmiddlewaretoken" && typeof v === "string");
    const entry = { user, action: path(form.action), page: location.pathname + location.search, fields };
    try {
      await put(entry);
    } catch {
      say(form, words().unsaved, true); // the text stays in the form, and in its draft
      return;
    }
    // The form is free for the next save, with a token of its own: the same token would make
    // the next save look like a repeat of this one.
    form.reset();
    form.elements.submission_token.value = freshToken();
    drafts.forget(form.action);
    say(form, words().queued);
    show();
  }

  // What the server said in its refusal: the error summary and the messages beside fields.
  function reasonsIn(html) {
    const page = new DOMParser().parseFromString(html, "text/html");
    const found = page.querySelectorAll("[data-error-summary] p:not(:first-child), .field-error");
    return [...found].map((element) => {
      const label = element.id && page.querySelector(`label[for="${element.id.replace(/_error$/, "")}"]`);
      return (label ? `${label.textContent.trim()}: ` : "") + element.textContent.trim();
    });
  }

  // One entry sent; false when sending should stop for now (still offline, login needed).
  async function send(entry) {
    const body = new URLSearchParams(entry.fields);
    body.set("csrfmiddlewaretoken", csrfToken());
    let response;
    try {
      response = await fetch(entry.action, {
        method: "POST",
        body,
        credentials: "same-origin",
        // the answer the form would get (its part of the page); a login that ran out is
        // answered with HX-Redirect (wpo.middleware.HtmxLoginMiddleware)
        headers: { "HX-Request": "true", "HX-Current-URL": new URL(entry.page, location.href).href },
      });
    } catch {
      return false;
    }
    if (GATEWAY.includes(response.status) || response.status === 429) return false;
    const redirect = response.headers.get("HX-Redirect") || (response.redirected ? response.url : "");
    if (redirect && path(redirect).startsWith(path(words().loginUrl))) {
      loginNeeded = true;
      return false;
    }
    if (response.ok) {
      // Stored; what the server adds for the trainer to read (a plan moved meanwhile, say)
      // stays on the device until read, since the trainer did not see this answer come.
      const notice = new DOMParser()
        .parseFromString(await response.text(), "text/html")
        .querySelector("[data-notice]");
      await (notice ? put({ ...entry, notice: notice.textContent.trim() }) : drop(entry.id));
      return true;
    }
    const reasons = reasonsIn(await response.text());
    await put({ ...entry, refused: reasons.length ? reasons : [words().noReason] });
    return true;
  }

  let sending = false;
  async function sendAll() {
    if (sending) return;
    sending = true;
    loginNeeded = false;
    // Two tabs share this outbox: one sends at a time (a save sent twice would still be stored
    // once, thanks to its token, but there is no need).
    const run = async () => {
      for (const entry of unsent(await mine())) {
        if (!(await send(entry))) break;
      }
    };
    try {
      await (navigator.locks ? navigator.locks.request("wpo-outbox", run) : run());
    } catch {
      // IndexedDB unavailable: nothing was queued on this device either
    } finally {
      sending = false;
      show();
    }
  }

  // The header line on every page, and each refused save where the trainer will see it.
  async function show() {
    let entries;
    try {
      entries = await mine();
    } catch {
      return;
    }
    const line = status();
    const n = entries.filter((entry) => !entry.notice).length;
    line.hidden = n === 0;
    line.replaceChildren(n === 1 ? words().one : words().many.replace("{n}", n));
    if (n && loginNeeded) {
      const login = document.createElement("a");
      login.href = `${words().loginUrl}?next=${encodeURIComponent(location.pathname)}`;
      login.textContent = words().login;
      line.append(" ", login);
    }
    document.getElementById("outbox-refused")?.remove();
    const inForms = new Set();
    const elsewhere = entries.filter((entry) => {
      if (!entry.refused || inForms.has(entry.action)) return Boolean(entry.refused);
      const form = [...document.forms].find((f) => drafts.isSave(f) && path(f.action) === entry.action);
      if (form) backInItsForm(form, entry);
      inForms.add(entry.action);
      return !form;
    });
    const box = refusals(elsewhere);
    box.append(...entries.filter((entry) => entry.notice).map(noticeOf));
    if (box.childElementCount) document.getElementById("main").prepend(box);
  }

  // A refused save whose form is on this page goes back into it, with the refusal, to correct
  // and send again. Filled once: from then on its draft holds the corrections. It stays in the
  // outbox, counted, until that form is saved (or it is thrown away).
  function backInItsForm(form, entry) {
    form.closest("details")?.setAttribute("open", "");
    say(form, [words().refusedHere, ...entry.refused].join(" "), true);
    if (entry.back) return;
    drafts.fill(form, entry.fields);
    drafts.keep(form);
    put({ ...entry, back: true });
    const message = form.querySelector(":scope > .outbox-message");
    message.tabIndex = -1;
    message.focus();
  }

  // Elsewhere (or when the form is gone: the trajectory was closed meanwhile), the refusal with
  // the text as typed, a way to its page, and throwing it away only when asked for.
  function refusals(entries) {
    const box = document.createElement("div");
    box.id = "outbox-refused";
    for (const entry of entries) {
      const notice = document.createElement("section");
      notice.className = "notice outbox-refusal";
      notice.setAttribute("aria-label", words().refused);
      const said = document.createElement("p");
      said.textContent = [words().refused, ...entry.refused].join(" ");
      const text = document.createElement("blockquote");
      text.textContent = entry.fields.filter(([name]) => !/^(submission_token|version)$/.test(name)).map(([, v]) => v).filter(Boolean).join("\n");
      notice.append(said, text);
      if (path(entry.page) !== location.pathname) {
        const open = document.createElement("a");
        open.className = "button";
        open.href = entry.page;
        open.textContent = words().open;
        notice.append(open, " ");
      }
      const discard = document.createElement("button");
      discard.type = "button";
      discard.className = "button button-quiet";
      discard.textContent = words().discard;
      discard.addEventListener("click", () => confirm(words().discardAsk) && drop(entry.id).then(show));
      notice.append(discard);
      box.append(notice);
    }
    return box;
  }

  // A save sent later and stored, with what the server said about it, until the trainer has
  // read it.
  function noticeOf(entry) {
    const notice = document.createElement("section");
    notice.className = "notice outbox-notice";
    notice.setAttribute("aria-label", words().sentLater);
    const said = document.createElement("p");
    said.textContent = `${words().sentLater} ${entry.notice}`;
    const read = document.createElement("button");
    read.type = "button";
    read.className = "button button-quiet";
    read.textContent = words().read;
    read.addEventListener("click", () => drop(entry.id).then(show));
    notice.append(said, read);
    return notice;
  }

  // htmx could not reach the server: the save goes into the outbox. A page asked for while
  // offline is loaded whole, so the service worker can give it from its cache. (The element
  // that made the request is requestConfig.elt; some events fire on the swap's target.)
  function unreached(event) {
    const { elt, verb, path: url, boosted, formData } = event.detail.requestConfig;
    if (verb === "get" && boosted) location.assign(url);
    else if (verb === "post" && drafts.isSave(elt)) queue(elt, formData);
  }
  document.addEventListener("htmx:sendError", unreached);
  document.addEventListener("htmx:timeout", unreached);
  document.addEventListener("htmx:beforeSwap", (event) => {
    if (GATEWAY.includes(event.detail.xhr.status) && drafts.isSave(event.detail.requestConfig.elt)) {
      event.detail.shouldSwap = false; // not the gateway's error page over the form
      event.detail.isError = false;
      unreached(event);
    }
  });
  // The corrected form was saved: the refused save it came from is done.
  document.addEventListener("htmx:beforeOnLoad", async (event) => {
    const { requestConfig, xhr } = event.detail;
    if (!drafts.isSave(requestConfig.elt) || xhr.status >= 400 || xhr.getResponseHeader("HX-Redirect")) return;
    const action = path(requestConfig.elt.action);
    try {
      for (const entry of await mine()) if (entry.refused && entry.action === action) await drop(entry.id);
    } catch {
      return; // no outbox on this device
    }
    show();
  });
  // A boosted page replaces the header line and the refusals: show them again.
  document.addEventListener("htmx:afterSettle", (event) => {
    if (event.detail.boosted) show();
  });

  window.addEventListener("online", sendAll);
  sendAll();

  return {
    count: async () => (await mine()).filter((entry) => !entry.notice).length,
    clear: () => store("readwrite", (s) => s.clear()),
  };
})();
