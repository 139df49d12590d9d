// First visit to the reminder settings: preselect the browser's time zone in
// <select data-browser-timezone> when the list has it. Without JavaScript the default stays.
(function () {
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone) return;
  document.querySelectorAll("select[data-browser-timezone]").forEach(function (select) {
    var listed = Array.prototype.some.call(select.options, function (option) {
      return option.value === zone;
    });
    if (!listed || select.value === zone) return;
    select.value = zone;
    var note = document.getElementById("browser-timezone-note");
    if (note) note.hidden = false;
  });
})();
