// "7 of 19 selected" on the drafting page (goals, activities and certifications), kept right as boxes
// are ticked. The server renders the same text, so without JavaScript it is right on load and after a
// failed submit.
(function () {
  document.querySelectorAll("form[data-draft-goals]").forEach(function (form) {
    var count = form.querySelector("[data-draft-count]");
    var boxes = form.querySelectorAll('input[type="checkbox"]');
    if (!count) return;
    function update() {
      var ticked = Array.prototype.filter.call(boxes, function (box) { return box.checked; }).length;
      count.textContent = ticked + " of " + boxes.length + " selected";
    }
    form.addEventListener("change", update);
    update();
  });
})();
