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
