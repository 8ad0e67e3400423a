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
                 ".jupyter-wrapper .jp-OutputArea-output, .jupyter-wrapper .jp-OutputArea-output pre, [data-scrollbox]";

  // Measure every box first, then write: a write between two reads would make the browser lay the page out again
  // for the next read. A box the browser is not drawing — inside a closed <details>, or in a part of the page it
  // skips while far off screen (hooks/layout_cost.py) — is not measured: reading its size would make the browser lay
  // it out for nothing. It is marked when the block opens or the part nears the screen (the listeners below).
  function measure(box) {
    var max = box.scrollWidth - box.clientWidth;
    return {scrolls: max > 1, max: max, left: box.scrollLeft};
  }

  function edges(box, m) {
    box.classList.toggle("scrollbox--left", m.max > 1 && m.left > 1);
    box.classList.toggle("scrollbox--right", m.max > 1 && m.left < m.max - 1);
  }

  function mark(box, m) {
    if (m.scrolls && !box.classList.contains("scrollbox")) {
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
        box.addEventListener("scroll", function () { edges(box, measure(box)); }, {passive: true});
      }
    } else if (!m.scrolls && box.classList.contains("scrollbox")) {
      box.classList.remove("scrollbox", "scrollbox--left", "scrollbox--right");
      if ("scrollboxTab" in box.dataset) { box.removeAttribute("tabindex"); delete box.dataset.scrollboxTab; }
      if ("scrollboxRole" in box.dataset) { box.removeAttribute("role"); delete box.dataset.scrollboxRole; }
      if ("scrollboxLabel" in box.dataset) { box.removeAttribute("aria-label"); delete box.dataset.scrollboxLabel; }
    }
    edges(box, m);
  }

  // A listing in a part the browser is skipping is judged by its longest line instead (a line of monospace text is
  // its number of characters wide), generously: within CODE_SLACK px of not fitting counts as scrolling, so that a
  // listing that scrolls always has its tab stop (a keyboard reader can reach and scroll it; axe checks this at
  // load); it is measured exactly when its part is drawn.
  // Nothing inside a skipped part is read (that would make the browser style the whole part): a character of code
  // is taken as 0.6 of the code's size (a monospace advance), which is 0.85 of the part's.
  var CODE_SLACK = 160;
  function guess(code) {
    var part = code.closest(".cv-box");
    var charWidth = 0.6 * 0.85 * parseFloat(getComputedStyle(part).fontSize);
    var longest = code.textContent.split("\n").reduce(function (n, line) { return Math.max(n, line.length); }, 0);
    return {scrolls: longest * charWidth > part.clientWidth - CODE_SLACK, max: 0, left: 0};
  }

  function update(boxes) {
    var drawn = [], skipped = [];
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.closest("details:not([open])")) return;
      if (!box.checkVisibility || box.checkVisibility({contentVisibilityAuto: true})) drawn.push(box);
      else if (box.tagName === "CODE" && box.closest(".cv-box")) skipped.push(box);
    });
    var sizes = drawn.map(measure), guesses = skipped.map(guess);
    drawn.forEach(function (box, i) { mark(box, sizes[i]); });
    skipped.forEach(function (box, i) { mark(box, guesses[i]); });
  }

  // Tables drawn as cards on a phone (hooks/phone.py marks them: data-cards; site.css): a table whose parts are
  // displayed as blocks loses its semantics in some browsers' accessibility trees, so each part is given its role
  // (a screen reader then announces each cell's column header). Here, not in the HTML, which forbids a role on a
  // table's rows and cells (the Nu checker rejects it); roles equal to the implicit ones change nothing on a laptop.
  var PARTS = [[":scope > thead, :scope > tbody", "rowgroup"], [":scope > * > tr", "row"],
               [":scope > * > tr > th", "columnheader"], [":scope > * > tr > td", "cell"]];
  function tableRoles() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-cards]:not([role])"), function (table) {
      table.setAttribute("role", "table");
      PARTS.forEach(function (part) {
        Array.prototype.forEach.call(table.querySelectorAll(part[0]), function (el) { el.setAttribute("role", part[1]); });
      });
    });
  }

  function all() { tableRoles(); update(document.querySelectorAll(SELECTOR)); }
  var pending = 0;
  window.addEventListener("resize", function () { cancelAnimationFrame(pending); pending = requestAnimationFrame(all); });
  // Opening a collapsed block (<details>) lays out what it holds for the first time.
  document.addEventListener("toggle", function (e) {
    if (e.target.open) update(e.target.querySelectorAll(SELECTOR));
  }, true);
  document.addEventListener("contentvisibilityautostatechange", function (e) {
    if (!e.skipped) update(e.target.querySelectorAll(SELECTOR));
  }, true);
  // A part assets/parts.js has drawn for good (Firefox fires no contentvisibilityautostatechange).
  document.addEventListener("partdrawn", function (e) { update(e.target.querySelectorAll(SELECTOR)); });
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(all);  // widths change when the math font arrives
  document$.subscribe(all);
})();
