/* The palette, set while the page is still almost empty (our code; inlined by overrides/main.html right after the
   header, which holds Material's palette form).

   Material's bundle runs after the whole page has been parsed. It then sets "data-md-color-switching" on the body
   (its rule "[data-md-color-switching] *" matches every element) and the palette's attributes, and shows the
   toggle's label. In Chromium each change restyles the whole document after the page is complete: on a page with
   a few thousand MathML nodes that is much of what a phone's main thread does while the page loads. Made here,
   before the content exists, the same changes cost nothing; Material's own writes later find the values already
   there and restyle nothing (it still removes "data-md-color-switching" once, as always).

   The palette is chosen exactly as Material's bundle chooses it: the reader's stored choice, else the first palette
   whose media query matches. A reader whose system is dark therefore gets the dark palette in the first paint, not
   after the bundle has loaded. */
(function () {
  "use strict";
  var form = document.querySelector("[data-md-component=palette]");
  if (!form || !window.matchMedia) return;
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input"));
  if (!inputs.length) return;
  var stored = typeof __md_get === "function" ? __md_get("__palette") : null;
  var index = stored && typeof stored.index === "number" ? stored.index : inputs.findIndex(function (input) {
    return matchMedia(input.getAttribute("data-md-color-media")).matches;
  });
  index = Math.max(0, Math.min(index, inputs.length - 1));
  var chosen = inputs[index], body = document.body;
  ["media", "scheme", "primary", "accent"].forEach(function (key) {
    var value = chosen.getAttribute("data-md-color-" + key);
    if (value !== null) body.setAttribute("data-md-color-" + key, value);
  });
  inputs.forEach(function (input, i) {
    var label = input.nextElementSibling;
    if (label instanceof HTMLElement) label.hidden = i !== index;
  });
  body.setAttribute("data-md-color-switching", "");
})();
