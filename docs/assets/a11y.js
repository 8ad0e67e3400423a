// Keyboard access to wide tables (WCAG 2.1.1; axe-core rule "scrollable-region-focusable"): Material wraps every
// table in a horizontally scrollable div when the page loads; one that actually scrolls gets a tab stop so it can be
// scrolled with the arrow keys. Runs after every page load, instant navigation included.
document$.subscribe(function () {
  document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
    if (wrap.scrollWidth > wrap.clientWidth && !wrap.hasAttribute("tabindex")) wrap.tabIndex = 0;
  });
});
