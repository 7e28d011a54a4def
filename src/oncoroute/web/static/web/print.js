// Print buttons: a data attribute instead of an inline onclick, which the CSP forbids.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
