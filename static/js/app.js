// The few behaviours the server cannot give: kept out of the markup, so a strict
// Content-Security-Policy (no inline scripts) holds.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
