/* Figures open larger on click or tap (issue 16): the project's own few lines, no library.
 * Each figure image is a link to its SVG (sitegen/directives.py); without JavaScript the link opens the file. With
 * it, the SVG opens in a <dialog> at 1.5× its drawn size on the page's own background (a dark-theme figure has
 * light text on a transparent background), scrollable both ways; Escape, the close button or a click outside closes.
 */
(function () {
  "use strict";
  var CLOSE = { uk: "Закрити", en: "Close" };
  var HINT = { uk: "Збільшити рисунок", en: "Enlarge the figure" };
  var dialog = null, shown = null;

  function lang() { return (document.documentElement.lang || "en").slice(0, 2) === "uk" ? "uk" : "en"; }

  function make() {
    dialog = document.createElement("dialog");
    dialog.className = "figure-zoom";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "figure-zoom__close";
    close.textContent = "\u00d7";
    close.setAttribute("aria-label", CLOSE[lang()]);
    close.addEventListener("click", function () { dialog.close(); });
    var box = document.createElement("div");
    box.className = "figure-zoom__box";
    shown = document.createElement("img");
    box.appendChild(shown);
    dialog.appendChild(close);
    dialog.appendChild(box);
    dialog.addEventListener("click", function (e) { if (e.target === dialog) dialog.close(); });
    document.body.appendChild(dialog);
  }

  function open(img) {
    if (!dialog) make();
    shown.alt = img.alt;
    shown.src = img.currentSrc || img.src;
    var w = img.naturalWidth || img.getBoundingClientRect().width;
    shown.style.width = Math.round(w * 1.5) + "px";
    dialog.showModal();
    dialog.querySelector(".figure-zoom__close").focus();
  }

  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest(".snippet-figure a");
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    var img = a.querySelector("img");
    if (!img) return;
    e.preventDefault();
    open(img);
  });

  function label() {
    var links = document.querySelectorAll(".snippet-figure a");
    for (var i = 0; i < links.length; i++) {
      if (!links[i].title) links[i].title = HINT[lang()];
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", label);
  else label();
})();
