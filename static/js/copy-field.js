// A "Copy" button for a read-only field: <button data-copy-target="field-id" data-copy-status="status-id" hidden>.
// The button stays hidden without JavaScript, where the field is still there to select and copy.
(function () {
  function copySelection() {
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!field) return;
    var label = button.textContent;
    var timer = null;

    function report(copied) {
      if (status) {
        status.textContent = copied
          ? "Copied. Paste it into your calendar app."
          : "Press Ctrl+C (⌘C on a Mac) to copy the selected address.";
      }
      button.textContent = copied ? "Copied" : label;
      clearTimeout(timer);
      timer = setTimeout(function () { button.textContent = label; }, 2500);
    }

    field.addEventListener("focus", function () { field.select(); });
    button.addEventListener("click", function () {
      field.focus();
      field.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(
          function () { report(true); },
          function () { report(copySelection()); }
        );
      } else {
        report(copySelection());
      }
    });
    button.hidden = false;
  });
})();
