// The plan form's offer "Rename to “Become a …”" follows the target role select: it names the role
// picked, and steps aside while the title already matches it or the person types a title of their
// own (the server ignores the offer then too). Without JavaScript the server's label stands.
(function () {
  var box = document.querySelector("input[name=rename_title][data-suggested-titles]");
  if (!box) return;
  var form = box.form;
  var titles = JSON.parse(box.dataset.suggestedTitles);
  var titleNow = box.dataset.titleNow;
  var row = box.closest("[id^=div_id_]") || box.parentNode;
  var label = box.labels && box.labels[0];
  function update() {
    var suggested = titles[form.elements.target_role.value];
    var ownTitle = form.elements.title && form.elements.title.value !== titleNow;
    row.hidden = !suggested || suggested === titleNow || ownTitle;
    if (suggested && label) label.textContent = "Rename to “" + suggested + "”";
  }
  // "input" too: the role picker's filter box changes the select without a change event.
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();

// A new plan's title follows the target role select ("Become a Senior Product Manager") until the
// person types in it; the hidden suggested_title tells the server what was suggested, so a title
// left as it was follows the target there too (which is all that happens without JavaScript).
(function () {
  var title = document.querySelector("input[name=title][data-suggested-titles]");
  if (!title || !title.form.elements.suggested_title) return;
  var form = title.form;
  var suggested = form.elements.suggested_title;
  var titles = JSON.parse(title.dataset.suggestedTitles);
  var typed = title.value !== "" && title.value !== suggested.value;
  title.addEventListener("input", function () {
    typed = true;
  });
  function follow(event) {
    if (typed || event.target === title) return;
    var next = titles[form.elements.target_role.value];
    if (!next || next === title.value) return;
    title.value = suggested.value = next;
  }
  // "input" too: the role picker's filter box changes the select without a change event.
  form.addEventListener("input", follow);
  form.addEventListener("change", follow);
})();
