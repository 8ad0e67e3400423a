// Boxes that scroll sideways (WCAG 2.1.1, axe-core rule "scrollable-region-focusable"): a display formula, a table
// (Material wraps each in a scrollable div), a code listing or the explorer's graph that is wider than the column gets a tab stop so
// it can be scrolled with the arrow keys, a label in the page's language, and classes that fade its cut edges
// (site.css), updated as it scrolls and when the window is resized. Runs after every page load.
(function () {
  var LABELS = {
    uk: {math: "Формула не вміщується за шириною: гортайте вбік", table: "Таблиця не вміщується за шириною: гортайте вбік",
         code: "Код не вміщується за шириною: гортайте вбік", other: "Вміст не вміщується за шириною: гортайте вбік"},
    en: {math: "Formula wider than the column: scroll sideways", table: "Table wider than the column: scroll sideways",
         code: "Code wider than the column: scroll sideways", other: "Content wider than the column: scroll sideways"}
  };
  var SELECTOR = ".math-display, .md-typeset__scrollwrap, .md-content pre > code, .bp-explorer__graph, " +
                 ".jupyter-wrapper .jp-OutputArea-output, [data-scrollbox]";

  function edges(box) {
    var max = box.scrollWidth - box.clientWidth;
    box.classList.toggle("scrollbox--left", max > 1 && box.scrollLeft > 1);
    box.classList.toggle("scrollbox--right", max > 1 && box.scrollLeft < max - 1);
  }

  function update(box) {
    var scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.classList.contains("scrollbox")) {
      var labels = LABELS[document.documentElement.lang] || LABELS.en;
      var kind = box.classList.contains("math-display") ? "math"
               : box.classList.contains("md-typeset__scrollwrap") ? "table"
               : box.tagName === "CODE" ? "code" : "other";
      box.classList.add("scrollbox");
      if (!box.hasAttribute("tabindex")) { box.tabIndex = 0; box.dataset.scrollboxTab = ""; }
      if (!box.hasAttribute("role")) { box.setAttribute("role", "region"); box.dataset.scrollboxRole = ""; }
      if (!box.hasAttribute("aria-label")) { box.setAttribute("aria-label", labels[kind]); box.dataset.scrollboxLabel = ""; }
      if (!box.dataset.scrollboxWatched) {
        box.dataset.scrollboxWatched = "1";
        box.addEventListener("scroll", function () { edges(box); }, {passive: true});
      }
    } else if (!scrolls && box.classList.contains("scrollbox")) {
      box.classList.remove("scrollbox", "scrollbox--left", "scrollbox--right");
      if ("scrollboxTab" in box.dataset) { box.removeAttribute("tabindex"); delete box.dataset.scrollboxTab; }
      if ("scrollboxRole" in box.dataset) { box.removeAttribute("role"); delete box.dataset.scrollboxRole; }
      if ("scrollboxLabel" in box.dataset) { box.removeAttribute("aria-label"); delete box.dataset.scrollboxLabel; }
    }
    edges(box);
  }

  function all() { document.querySelectorAll(SELECTOR).forEach(update); }
  var pending = 0;
  window.addEventListener("resize", function () { cancelAnimationFrame(pending); pending = requestAnimationFrame(all); });
  // Opening a collapsed block (<details>) lays out what it holds for the first time.
  document.addEventListener("toggle", function (e) {
    if (e.target.open) e.target.querySelectorAll(SELECTOR).forEach(update);
  }, true);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(all);  // widths change when the math font arrives
  document$.subscribe(all);
})();
