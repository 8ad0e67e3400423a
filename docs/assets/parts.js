// The parts of a page the browser skips while they are far off screen (content-visibility: auto, hooks/layout_cost.py):
// a topic page loads drawing only what is near the screen, and until drawn a part is as tall as an upper bound of its
// height, so the page starts taller than it is. Two things here keep that from reaching the reader (issue 26):
//
// 1. Once the page is idle after loading, the skipped parts are drawn for good, one small batch per idle moment
//    (.cv-drawn, site.css), top to bottom: within a second or two the page has its real height, so the scrollbar no
//    longer changes length as the reader scrolls, and no part changes size during scrolling (in Firefox such a change
//    inside a frame made Material's ResizeObserver report "ResizeObserver loop completed with undelivered
//    notifications" at every jump). A part below the screen moves nothing on screen when drawn; one above it (the
//    reader scrolled past it fast) keeps what is on screen in place.
// 2. Section links land on their heading in every engine. Chromium keeps a link's target in place while the parts
//    above it are drawn and shrink (scroll anchoring); Firefox only partly, WebKit not at all (a heading landed
//    600–4,500 px off). So before the browser jumps to a #target — a click on a same-page link (the table of
//    contents), a page loaded with a #hash, the back button — every skipped part above the target is drawn, and for a
//    few seconds the target is put back at the top whenever something above it still moves (the math font arriving):
//    until the reader scrolls (by wheel, touch, keys or the scrollbar) or a script scrolls.
(function () {
  "use strict";
  var SETTLE_MS = 4000;

  function target(hash) {
    if (!hash || hash.length < 2) return null;
    try { return document.getElementById(decodeURIComponent(hash.slice(1))); } catch (e) { return null; }
  }

  // A part drawn for good (site.css: .cv-drawn) tells the page's other scripts, which cannot count on the browser's
  // contentvisibilityautostatechange event: Firefox 153 does not fire it (a11y.js marks the scroll boxes inside).
  function draw(part) {
    part.classList.add("cv-drawn");
    part.dispatchEvent(new CustomEvent("partdrawn", {bubbles: true}));
  }

  // Every part still skipped that comes before the target or holds it: drawn from now on.
  function drawAbove(el) {
    var parts = document.querySelectorAll(".cv-box:not(.cv-drawn)");
    for (var i = 0; i < parts.length; i++) {
      var p = parts[i];
      if (!(p.contains(el) || p.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)) break;
      draw(p);
    }
  }

  var settling = 0, readerMoved = false;
  ["wheel", "touchstart", "keydown", "pointerdown"].forEach(function (type) {
    window.addEventListener(type, function () { readerMoved = true; }, {capture: true, passive: true});
  });

  // The target back at the top (its scroll-margin, Material's :target rule) whenever it has moved, until the reader
  // moves or SETTLE_MS have passed.
  function settle(el) {
    var run = ++settling, until = performance.now() + SETTLE_MS, want = null, lastY = 0;
    readerMoved = false;
    function step() {
      if (run !== settling || readerMoved) return;
      var top = el.getBoundingClientRect().top, y = window.scrollY;
      // Scrolled by someone else (a scrollbar drag, a script): the target moved by exactly the scroll. Content
      // moving above it leaves the scroll alone (or, where the browser anchors, the target in place).
      if (want !== null && Math.abs(y - lastY) > 1 && Math.abs(top - want + (y - lastY)) < 2) return;
      if (want === null || Math.abs(top - want) > 1) {
        el.scrollIntoView({block: "start"});
        want = el.getBoundingClientRect().top;
      }
      lastY = window.scrollY;
      if (performance.now() < until) setTimeout(step, 100);
    }
    step();
  }

  function go(hash) {
    var el = target(hash);
    if (!el) return;
    drawAbove(el);
    settle(el);
  }

  // A click on a same-page link: the parts above its target are drawn before the browser jumps (capture phase, so
  // before the jump), and the landing is kept once the hash has changed.
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest('a[href^="#"]');
    if (!a || e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
    var el = target(a.getAttribute("href"));
    if (!el) return;
    drawAbove(el);
    setTimeout(function () { settle(el); }, 0);
  }, true);
  window.addEventListener("hashchange", function () { go(location.hash); });

  // 1. Every part still skipped, drawn when the page is idle: a batch per idle moment, at most BATCH_MS of work each
  // (a part's style and layout happen right away, when its height is read), so no task grows long. WebKit has no
  // requestIdleCallback: short timeouts there.
  var BATCH_MS = 8;
  var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 40); };
  function drawSome() {
    var parts = document.querySelectorAll(".cv-box:not(.cv-drawn)");
    var start = performance.now();
    for (var i = 0; i < parts.length && (i === 0 || performance.now() - start < BATCH_MS); i++) {
      // A part above the screen (the reader scrolled or jumped past it before it was drawn) changes the position of
      // what is on screen: the scroll moves by its change in height, less what the browser's own scroll anchoring
      // already moved it (Chromium and Firefox anchor, WebKit does not).
      var box = parts[i].getBoundingClientRect(), y = window.scrollY;
      draw(parts[i]);
      var grew = parts[i].getBoundingClientRect().height - box.height;
      if (box.bottom <= 0 && Math.abs(grew - (window.scrollY - y)) > 0.5) window.scrollBy(0, grew - (window.scrollY - y));
    }
    if (i < parts.length) idle(drawSome);
  }
  function whenLoaded() { idle(drawSome); }
  if (document.readyState === "complete") whenLoaded();
  else window.addEventListener("load", whenLoaded);
  if (location.hash) {
    go(location.hash);
    window.addEventListener("load", function () { go(location.hash); });
  }
})();
