// Search-as-you-type for the role selects: a filter box above each <select data-role-picker>.
// Without JavaScript the plain select still works.
(function () {
  document.querySelectorAll("select[data-role-picker]").forEach(function (select) {
    var input = document.createElement("input");
    input.type = "search";
    input.className = "form-control form-control-sm mb-1";
    input.placeholder = "Type to filter roles…";
    input.setAttribute("aria-label", "Filter the roles of " + select.name.replace("_", " "));
    input.dataset.filterFor = select.id;
    select.parentNode.insertBefore(input, select);
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      var firstMatch = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var match = !option.value || option.text.toLowerCase().indexOf(q) !== -1;
        option.hidden = !match;
        if (match && option.value && !firstMatch) firstMatch = option;
      });
      if (q && firstMatch && select.selectedOptions[0] && select.selectedOptions[0].hidden) {
        select.value = firstMatch.value;
      }
    });
  });
})();
