// The ladder diagram narrows with the window down to the width its labels need, then scrolls
// sideways (set here: the page's Content-Security-Policy allows no style attributes).
document.querySelectorAll("svg.ladder-diagram[data-min-width]").forEach(function (svg) {
  svg.style.minWidth = svg.dataset.minWidth + "px";
  svg.style.maxWidth = svg.getAttribute("width") + "px";
});
