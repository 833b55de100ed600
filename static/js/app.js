// The few behaviours the server cannot give: kept out of the markup, so a strict
// Content-Security-Policy (no inline scripts) holds.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});

// A link or form boosted by htmx that answers with an error page (403, 404, 500) shows that
// page, as a normal click would; a part of a page is never replaced by a whole error page.
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.boosted && event.detail.xhr.status >= 400) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// A save the server refused (422) comes back with its error summary: bring it into view and
// move focus to it, so the trainer on a phone sees, and a screen reader reads, what to fix.
document.addEventListener("htmx:afterSettle", (event) => {
  if (event.detail.xhr && event.detail.xhr.status === 422) {
    const summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus({ preventScroll: true });
      summary.scrollIntoView({ block: "start" });
    }
  }
});
