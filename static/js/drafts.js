// Drafts: what is typed into a save's form is kept on this device as it is typed, so a reload,
// a crash or a flat battery loses nothing. Kept per user and per form address; removed once
// the save is stored (or handed to the outbox, which then holds it).
"use strict";

const drafts = (() => {
  const user = document.getElementById("outbox").dataset.user;
  const TOKEN = "submission_token";
  // Fields the server fills in (the one-time token, the CSRF token, a version) come fresh with
  // the page; only what the user chose or typed is a draft.
  const KEPT = "textarea, select, input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=file]):not([type=password])";

  // A save's form: posted, with the one-time token that makes sending it again safe.
  const isSave = (form) =>
    form instanceof HTMLFormElement && form.method === "post" && form.elements[TOKEN] !== undefined;

  const keyOf = (action) => `wpo-draft:${user}:${new URL(action, location.href).pathname}`;

  function typed(form) {
    const names = new Set([...form.querySelectorAll(KEPT)].map((field) => field.name));
    return [...new FormData(form)].filter(([name, value]) => names.has(name) && typeof value === "string");
  }

  function keep(form) {
    try {
      localStorage.setItem(keyOf(form.action), JSON.stringify(typed(form)));
    } catch {
      // storage full or refused: the text is still in the form, and the outbox says so on saving
    }
  }

  function fill(form, pairs) {
    const values = new Map();
    for (const [name, value] of pairs) values.set(name, [...(values.get(name) || []), value]);
    for (const field of form.querySelectorAll(KEPT)) {
      const given = values.get(field.name);
      if (!given) continue;
      if (field.type === "checkbox" || field.type === "radio") field.checked = given.includes(field.value);
      else if (field.multiple) for (const option of field.options) option.selected = given.includes(option.value);
      else field.value = given.shift() ?? field.value;
    }
    // the conversation form shows and hides parts on change: let it see the restored values
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function restore(root) {
    for (const form of root.querySelectorAll("form")) {
      if (!isSave(form)) continue;
      const saved = localStorage.getItem(keyOf(form.action));
      if (saved) fill(form, JSON.parse(saved));
    }
  }

  const forget = (action) => localStorage.removeItem(keyOf(action));

  // Debounced: a phone keyboard fires an input event per letter.
  const waiting = new WeakMap();
  document.addEventListener("input", (event) => {
    const form = event.target.form;
    if (!isSave(form)) return;
    clearTimeout(waiting.get(form));
    waiting.set(form, setTimeout(() => keep(form), 400));
  });
  document.addEventListener("change", (event) => {
    if (event.isTrusted && isSave(event.target.form)) keep(event.target.form);
  });

  // Stored: the server answered the save (a redirect to login is no answer; a refusal keeps it).
  document.addEventListener("htmx:beforeOnLoad", (event) => {
    const { requestConfig, xhr } = event.detail;
    const elt = requestConfig.elt;
    if (isSave(elt) && xhr.status >= 200 && xhr.status < 400 && !xhr.getResponseHeader("HX-Redirect")) {
      // a keystroke's timer still running would write the saved text back as a draft, and the
      // form that comes back would be filled with it
      clearTimeout(waiting.get(elt));
      forget(elt.action);
    }
  });

  // The page, and every part htmx brings in (a form that came back), gets its drafts.
  restore(document);
  document.addEventListener("htmx:load", (event) => {
    if (event.detail.elt !== document.body) restore(event.detail.elt);
  });

  return { isSave, keep, fill, forget, typed, keyOf };
})();
