// The print view's "Print / save as PDF" button: <button data-print hidden>. It stays hidden
// without JavaScript, where the browser's own Print menu does the same.
(function () {
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
    button.hidden = false;
  });
})();
