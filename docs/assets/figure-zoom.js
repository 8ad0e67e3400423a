/* Figures open larger on click or tap (issue 16): the project's own few lines, no library.
 * Each figure image is a link to its SVG (sitegen/directives.py); without JavaScript the link opens the file. With
 * it, the figure's wide variant opens in a <dialog>, scaled to fit the screen but never beyond its own size, on the
 * page's own background (a dark-theme figure has light text on a transparent background); a phone reader pinches
 * and pans from there. Escape, the close button or a click outside closes.
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

  // The figure's own size, written on the <img> at build time from its SVG (sitegen/directives.py): WebKit's
  // naturalWidth of an SVG is its drawn width, not its own.
  function ownSize(img) {
    var w = +img.getAttribute("width"), h = +img.getAttribute("height");
    return w && h ? {w: w, h: h} : {w: img.naturalWidth || img.width, h: img.naturalHeight || img.height};
  }

  // The wide variant of the clicked figure in the same colour scheme (a phone shows the narrow one on the page).
  function wideOf(img) {
    var theme = (img.getAttribute("src") || "").split("#")[1] || "";
    var wide = img.closest(".snippet-figure") &&
               img.closest(".snippet-figure").querySelector('img.snippet-figure__wide[src$="#' + theme + '"]');
    return wide || img;
  }

  function open(img) {
    if (!dialog) make();
    img = wideOf(img);
    shown.alt = img.alt;
    shown.src = img.getAttribute("src");
    dialog.showModal();
    // Scaled to fit the screen, never larger than the figure's own size: the whole figure is seen at once, and a
    // phone reader pinches and pans from there.
    var box = dialog.querySelector(".figure-zoom__box"), cs = getComputedStyle(box);
    var padX = parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight);
    var padY = parseFloat(cs.paddingTop) + parseFloat(cs.paddingBottom);
    var size = ownSize(img);
    var scale = Math.min(1, (0.96 * window.innerWidth - padX - 2) / size.w,
                         (0.94 * window.innerHeight - padY - 2) / size.h);
    shown.style.width = Math.floor(size.w * scale) + "px";
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
