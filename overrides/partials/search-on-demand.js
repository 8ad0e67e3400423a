/* Search index on demand (our code; inlined into <head> by overrides/main.html, before Material's bundle runs).

   Material for MkDocs requests search/search_index.json as soon as any page loads over http(s) (over file:// it
   already waits until search is opened). Here that index is the biggest download of every page, and most readers
   never search. This holds that one request back until the reader reaches for search: the search box gets focus or
   a pointer, the search toggle changes (a click, or the "s", "f" and "/" shortcuts), or the address asks for search
   (?q= opens it, ?h= highlights a term from a result). Material's own code is untouched: its XMLHttpRequest is only
   sent later, and Material 9.8 sends a query typed meanwhile as soon as its worker is ready. Without XMLHttpRequest
   or with a different URL nothing changes. */
(function () {
  "use strict";
  var XHR = window.XMLHttpRequest;
  if (!XHR || !XHR.prototype) return;
  var open = XHR.prototype.open, send = XHR.prototype.send;
  var INDEX = /\/search\/search_index\.json(?:[?#]|$)/;
  var params = new URLSearchParams(location.search);
  var wanted = params.has("q") || params.has("h");
  var held = [];

  function want() {
    if (wanted) return;
    wanted = true;
    document.documentElement.setAttribute("data-search-index", "requested");
    held.splice(0).forEach(function (go) { go(); });
  }

  XHR.prototype.open = function (method, url) {
    this.__searchIndex = INDEX.test(String(url));
    return open.apply(this, arguments);
  };
  XHR.prototype.send = function () {
    var xhr = this, args = arguments;
    if (!xhr.__searchIndex || wanted) return send.apply(xhr, args);
    held.push(function () {
      try { send.apply(xhr, args); } catch (e) { /* aborted while held: nothing to send */ }
    });
  };

  function inSearch(target) {
    return target && target.closest && target.closest('[data-md-component="search"], label[for="__search"]');
  }
  document.addEventListener("change", function (e) { if (e.target && e.target.id === "__search") want(); }, true);
  document.addEventListener("focusin", function (e) { if (inSearch(e.target)) want(); }, true);
  document.addEventListener("pointerover", function (e) { if (inSearch(e.target)) want(); }, true);
  if (wanted) document.documentElement.setAttribute("data-search-index", "requested");
})();
