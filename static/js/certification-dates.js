// The certification form (plans/forms_records.py PlanCertificationForm) shows the dates its status
// needs: each date field names the statuses it is for in data-for-status. A field that does not
// apply is hidden and disabled, so it sends nothing (the server clears it); a field with an error
// stays in view. Without JavaScript every date shows, its help text saying which status it is for.
(function () {
  var fields = document.querySelectorAll("input[data-for-status]");
  if (!fields.length) return;
  var form = fields[0].form;

  function update() {
    var checked = form.querySelector("input[name=status]:checked");
    fields.forEach(function (field) {
      var applies = !checked || field.dataset.forStatus.split(" ").indexOf(checked.value) !== -1;
      var show = applies || field.classList.contains("is-invalid");
      var wrapper = document.getElementById("div_" + field.id) || field.parentNode;
      wrapper.hidden = !show;
      field.disabled = !show;
    });
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "status") update();
  });
  update();
})();
