/* Backprop explorer: the homework's graph F = tanh(w0·x0 + w1·x1), staged as F = (e^{2x} − 1)/(e^{2x} + 1).
 *
 * The reader changes w0, x0, w1, x1; the script recomputes the forward pass and the chain rule node by node, in
 * the same order and the same float64 operations as snippets/backprop/_graph.py (`manual`), and redraws an inline
 * SVG of the graph and a small plot of tanh and tanh'. The project's own code: no library, no request anywhere.
 *
 * Page markup (one block per page, labels come from STRINGS by data-lang):
 *   <div class="bp-explorer" data-lang="uk" data-reference="[…JSON from snippets/backprop/graph.py…]"></div>
 * The reference (computed by the build) gives the starting point (its first saturated entry, the homework's).
 * Every displayed number carries its full-precision value in data-value and its name in data-key
 * ("fwd.<value>" or "grad.<value>", "grad.u_via_n"/"grad.u_via_d" for the two branch shares of u).
 */
(function () {
  "use strict";

  var SVGNS = "http://www.w3.org/2000/svg";
  var MINUS = "\u2212";
  var INPUTS = ["w0", "x0", "w1", "x1"];
  var SUB = { w0: "w\u2080", x0: "x\u2080", w1: "w\u2081", x1: "x\u2081" };
  var SUPERSCRIPT = { "0": "\u2070", "1": "\u00b9", "2": "\u00b2", "3": "\u00b3", "4": "\u2074", "5": "\u2075",
    "6": "\u2076", "7": "\u2077", "8": "\u2078", "9": "\u2079", "-": "\u207b" };

  var STRINGS = {
    uk: {
      title: "Обчислювальний граф F = tanh(w\u2080x\u2080 + w\u2081x\u2081) вузол за вузлом",
      inputs: "Входи графа",
      names: { w0: "вага w\u2080", x0: "вхід x\u2080", w1: "вага w\u2081", x1: "вхід x\u2081" },
      slider: "повзунок",
      reset: "Повернути точку з домашнього завдання",
      legendFwd: "над ребром: значення прямого проходу",
      legendGrad: "під ребром, [курсивом у квадратних дужках]: градієнт \u2202F/\u2202(значення)",
      legendFork: "\u2022 розгалуження: градієнти двох гілок додаються",
      plotTitle: "функція tanh(x) і її похідна tanh\u2032(x) = 1 \u2212 tanh\u00b2(x); позначка \u2014 поточне x",
      plotTanh: "tanh(x)",
      plotDeriv: "tanh\u2032(x)",
      saturation: "насичення",
      offscale: "поза шкалою",
      saturated: "Насичення: |x| > 3, tanh\u2032(x) = {g} \u2014 градієнти майже згасають.",
      healthy: "Без насичення: |x| \u2264 3, tanh\u2032(x) = {g}.",
      invalid: "Не число: «{text}» у полі «{name}». Пишіть, наприклад, 0,5 або \u22122; граф показує останні допустимі значення.",
      overflow: "exp(2x) виходить за межі float64 (переповнення, |x| \u2273 355): у такій формі F і градієнти не обчислити; tanh(x) тут дорівнює \u00b11.",
      announce: "x = {x}, F = {F}; \u2202F/\u2202w\u2080 = {w0}, \u2202F/\u2202x\u2080 = {x0}, \u2202F/\u2202w\u2081 = {w1}, \u2202F/\u2202x\u2081 = {x1}."
    },
    en: {
      title: "The computational graph F = tanh(w\u2080x\u2080 + w\u2081x\u2081), node by node",
      inputs: "Inputs of the graph",
      names: { w0: "weight w\u2080", x0: "input x\u2080", w1: "weight w\u2081", x1: "input x\u2081" },
      slider: "slider",
      reset: "Back to the homework's point",
      legendFwd: "above an edge: forward value",
      legendGrad: "below an edge, [bracketed, italic]: gradient \u2202F/\u2202(value)",
      legendFork: "\u2022 fork: the gradients of the two branches add up",
      plotTitle: "tanh(x) and its derivative tanh\u2032(x) = 1 \u2212 tanh\u00b2(x); the mark is the current x",
      plotTanh: "tanh(x)",
      plotDeriv: "tanh\u2032(x)",
      saturation: "saturation",
      offscale: "off the scale",
      saturated: "Saturated: |x| > 3, tanh\u2032(x) = {g}: the gradients all but vanish.",
      healthy: "Not saturated: |x| \u2264 3, tanh\u2032(x) = {g}.",
      invalid: "Not a number: \u201c{text}\u201d in the field {name}. Type e.g. 0.5 or \u22122; the graph keeps the last valid values.",
      overflow: "exp(2x) overflows float64 (|x| \u2273 355): written this way F and the gradients cannot be computed; tanh(x) is \u00b11 here.",
      announce: "x = {x}, F = {F}; \u2202F/\u2202w\u2080 = {w0}, \u2202F/\u2202x\u2080 = {x0}, \u2202F/\u2202w\u2081 = {w1}, \u2202F/\u2202x\u2081 = {x1}."
    }
  };

  /* ---- the graph, exactly as _graph.manual computes it ------------------------------------------------------ */
  function compute(p) {
    var w0 = p.w0, x0 = p.x0, w1 = p.w1, x1 = p.x1;
    var a = w0 * x0, b = w1 * x1, x = a + b, c = 2.0 * x, u = Math.exp(c), n = u - 1.0, d = u + 1.0, F = n / d;
    var gF = 1.0;
    var gn = gF * (1.0 / d);
    var gd = gF * (-n / (d * d));
    var viaN = gn * 1.0, viaD = gd * 1.0;
    var gu = viaN + viaD; // u feeds two branches: their gradients add
    var gc = gu * u, gx = gc * 2.0, ga = gx * 1.0, gb = gx * 1.0;
    return {
      fwd: { w0: w0, x0: x0, w1: w1, x1: x1, a: a, b: b, x: x, c: c, u: u, n: n, d: d, F: F },
      grad: { F: gF, n: gn, d: gd, u: gu, c: gc, x: gx, a: ga, b: gb,
        w0: ga * x0, x0: ga * w0, w1: gb * x1, x1: gb * w1, u_via_n: viaN, u_via_d: viaD }
    };
  }

  /* ---- numbers as the site writes them: 4 significant digits, decimal comma in Ukrainian, U+2212, ×10ⁿ ------- */
  function strip(s) { return s.indexOf(".") < 0 ? s : s.replace(/0+$/, "").replace(/\.$/, ""); }

  function formatG(v, digits) { // Python's format(v, ".{digits}g")
    if (v === 0) return "0";
    var e = Number(v.toExponential(digits - 1).split("e")[1]);
    if (e < -4 || e >= digits) {
      var parts = v.toExponential(digits - 1).split("e");
      return strip(parts[0]) + "e" + parts[1];
    }
    return strip(v.toFixed(Math.max(0, digits - 1 - e)));
  }

  function show(v, lang, short) { // graph.py's show(): never print 0.9999999979 as a misleading "1"
    if (!isFinite(v)) return isNaN(v) ? "\u2014" : (v < 0 ? MINUS : "") + "\u221e";
    var s = formatG(v, 4), approx = "";
    if (Number(s) !== v && Math.abs(v) < 10 && Math.round(v) !== 0 && Math.abs(v - Math.round(v)) < 5e-4) {
      // On the graph's edges (short): "≈1" as the static figure writes it; elsewhere ten digits.
      if (short) approx = "\u2248"; else s = formatG(v, 10);
    }
    var m = /^(-?)([0-9.]+)(?:e([-+]\d+))?$/.exec(s);
    var out = approx + (m[1] ? MINUS : "") + (lang === "uk" ? m[2].replace(".", ",") : m[2]);
    if (m[3] !== undefined && Number(m[3]) !== 0) {
      out += "\u00d710" + String(Number(m[3])).replace(/[-0-9]/g, function (ch) { return SUPERSCRIPT[ch]; });
    }
    return out;
  }

  /* ---- what a reader types: 0,5 or 0.5, −2 (U+2212) or -2; anything else is refused, never guessed --------- */
  var NUMBER = /^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$/;
  function parseInput(text) {
    var s = String(text).trim().replace(/\u2212/g, "-");
    return NUMBER.test(s) ? Number(s.replace(",", ".")) : NaN;
  }

  function formatInput(v, lang) { // a point as the page writes numbers: 4,75 and −2 in Ukrainian, 4.75 and −2 in English
    var s = String(v).replace(/-/g, MINUS);
    return lang === "uk" ? s.replace(".", ",") : s;
  }

  function template(s, values) { return s.replace(/\{(\w+)\}/g, function (_, k) { return values[k]; }); }

  function el(name, attrs, parent, text) {
    var node = document.createElementNS(SVGNS, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  function html(name, attrs, parent, text) {
    var node = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  /* ---- layout of the graph: the static figure's graph (snippets/backprop/graph.py) cut into three rows -------
   * Row 1: the inputs, the two products and their sum x; row 2: 2x and exp; row 3: the fork, numerator and
   * denominator, F. An edge that ends a row runs back along the gap under it to the start of the next row, and its
   * labels sit on that gap. Drawn at its natural size (1 unit = 52 px of the viewBox, 437 px wide), the graph keeps
   * its text at 11 CSS px or more in a phone's column and beside the inputs on a laptop: nothing scrolls sideways.
   * Coordinates: [u, v], u to the right, v downwards. */
  var POS = { w0: [0.0, 0.55], x0: [0.0, 1.75], w1: [0.0, 3.95], x1: [0.0, 5.15], a: [2.9, 1.15], b: [2.9, 4.55],
    x: [5.6, 2.85], c: [0.9, 7.35], u: [4.0, 7.35], fork: [-0.3, 9.75], n: [2.4, 9.75], d: [2.4, 12.15],
    F: [5.0, 10.95], out: [7.0, 10.95] };
  var GAP1 = 6.15, GAP2 = 8.55, LEFT = -0.5, RIGHT = 6.9;
  var RADIUS = 0.38;
  var NODE_TEXT = { a: "\u00b7", b: "\u00b7", x: "+", c: "\u00d72", u: "exp", n: "\u22121", d: "+1", F: "\u00f7" };
  // [from, to, forward value carried, gradient shown, points between the two ends, index of the segment labelled]
  var EDGES = [["w0", "a", "w0", "w0", [[2.1, 0.55]], 0], ["x0", "a", "x0", "x0", [[2.1, 1.75]], 0],
    ["w1", "b", "w1", "w1", [[2.1, 3.95]], 0], ["x1", "b", "x1", "x1", [[2.1, 5.15]], 0],
    ["a", "x", "a", "a", [[5.6, 1.15]], 0], ["b", "x", "b", "b", [[5.6, 4.55]], 0],
    ["x", "c", "x", "x", [[RIGHT, 2.85], [RIGHT, GAP1], [LEFT, GAP1], [LEFT, 7.35]], 2],
    ["c", "u", "c", "c", [], 0],
    ["u", "fork", "u", "u", [[RIGHT, 7.35], [RIGHT, GAP2], [-0.3, GAP2]], 2],
    ["fork", "n", "u", "u_via_n", [], 0], ["fork", "d", "u", "u_via_d", [[-0.3, 12.15]], 1],
    ["n", "F", "n", "n", [[5.0, 9.75]], 0], ["d", "F", "d", "d", [[5.0, 12.15]], 0], ["F", "out", "F", "F", [], 0]];
  var SCALE = 52, X0 = -0.8, X1 = 7.6, Y1 = 12.85;
  function px(p) { return [((p[0] - X0) * SCALE).toFixed(1), (p[1] * SCALE).toFixed(1)]; }

  function start(name, toward) { // where an edge leaves a node: its circle's rim, or just after an input's name
    var p = POS[name];
    if (SUB[name]) return [p[0] + 0.3, p[1]];
    if (!NODE_TEXT[name]) return p;
    return rim(p, toward);
  }

  function rim(p, toward) {
    var dx = toward[0] - p[0], dy = toward[1] - p[1], r = RADIUS / Math.hypot(dx, dy);
    return [p[0] + r * dx, p[1] + r * dy];
  }

  function drawGraph(svg, S) {
    var labels = [];
    EDGES.forEach(function (e) {
      var src = e[0], dst = e[1], via = e[4];
      var first = via.length ? via[0] : POS[dst], last = via.length ? via[via.length - 1] : POS[src];
      var tip = NODE_TEXT[dst] ? rim(POS[dst], last) : POS[dst];
      var path = [start(src, first)].concat(via, [tip]);
      var pts = path.map(function (q) { return px(q).join(","); }).join(" ");
      el("polyline", { points: pts, "class": "bp-edge", "marker-end": dst === "fork" ? "" : "url(#bp-arrow-" + S.id + ")" }, svg);
      var from = path[e[5]], to = path[e[5] + 1], mid = px([(from[0] + to[0]) / 2, from[1]]);
      // An input's edge starts right after its name: its labels start there too and grow towards the node, so a
      // long gradient (ten digits and a power of ten) never runs back over the name.
      var input = /^[wx][01]$/.test(src), anchor = input ? "start" : "middle";
      var lx = input ? Number(px(from)[0]) + 4 : mid[0];
      labels.push(el("text", { x: lx, y: Number(mid[1]) - 6, "class": "bp-fwd", "data-key": "fwd." + e[2],
        "text-anchor": anchor }, svg));
      labels.push(el("text", { x: lx, y: Number(mid[1]) + 20, "class": "bp-grad", "data-key": "grad." + e[3],
        "text-anchor": anchor }, svg));
    });
    Object.keys(NODE_TEXT).forEach(function (name) {
      var c = px(POS[name]);
      el("circle", { cx: c[0], cy: c[1], r: RADIUS * SCALE, "class": "bp-node" }, svg);
      el("text", { x: c[0], y: c[1], "class": "bp-node-text" + (NODE_TEXT[name] === "\u00b7" ? " bp-dot" : ""),
        "text-anchor": "middle", "dominant-baseline": "central" }, svg, NODE_TEXT[name]);
    });
    Object.keys(SUB).forEach(function (name) {
      var c = px(POS[name]);
      el("text", { x: c[0], y: c[1], "class": "bp-var", "text-anchor": "end", "dominant-baseline": "central" }, svg, SUB[name]);
    });
    var f = px(POS.fork);
    el("circle", { cx: f[0], cy: f[1], r: 4, "class": "bp-fork" }, svg);
    var o = px(POS.out);
    el("text", { x: Number(o[0]) + 5, y: o[1], "class": "bp-var", "dominant-baseline": "central" }, svg, "F");
    return labels;
  }

  function legend(parent, S) { // under the graph, as text that wraps with the column
    var list = html("ul", { "class": "bp-explorer__legend" }, parent);
    html("li", { "class": "bp-fwd-html" }, list, S.t.legendFwd);
    html("li", { "class": "bp-grad-html" }, list, S.t.legendGrad);
    html("li", {}, list, S.t.legendFork);
  }

  /* ---- tanh and tanh' with the current x marked ---------------------------------------------------------- */
  var PW = 420, PH = 220, PAD = 34, XMAX = 6;
  function pxPlot(x, y) { return [PAD + (x + XMAX) / (2 * XMAX) * (PW - 2 * PAD), PH / 2 - y * (PH / 2 - 22)]; }

  function drawPlot(svg, S) {
    var lo = pxPlot(-XMAX, 1), left = pxPlot(-3, 0), right = pxPlot(3, 0), hi = pxPlot(XMAX, -1);
    el("rect", { x: lo[0], y: lo[1], width: left[0] - lo[0], height: hi[1] - lo[1], "class": "bp-sat" }, svg);
    el("rect", { x: right[0], y: lo[1], width: hi[0] - right[0], height: hi[1] - lo[1], "class": "bp-sat" }, svg);
    el("text", { x: (lo[0] + left[0]) / 2, y: lo[1] - 6, "class": "bp-small", "text-anchor": "middle" }, svg, S.t.saturation);
    el("text", { x: (right[0] + hi[0]) / 2, y: lo[1] - 6, "class": "bp-small", "text-anchor": "middle" }, svg, S.t.saturation);
    var zl = pxPlot(-XMAX, 0), zr = pxPlot(XMAX, 0), zt = pxPlot(0, 1), zb = pxPlot(0, -1);
    el("line", { x1: zl[0], y1: zl[1], x2: zr[0], y2: zr[1], "class": "bp-axis" }, svg);
    el("line", { x1: zt[0], y1: zt[1], x2: zb[0], y2: zb[1], "class": "bp-axis" }, svg);
    [-6, -3, 0, 3, 6].forEach(function (t) { // the end ticks anchored inwards, clear of the y labels
      var q = pxPlot(t, -1);
      el("text", { x: q[0], y: q[1] + 16, "class": "bp-small", "text-anchor": t === -6 ? "start" : t === 6 ? "end" : "middle" },
        svg, show(t, S.lang));
    });
    [-1, 1].forEach(function (t) {
      var q = pxPlot(-XMAX, t);
      el("text", { x: q[0] - 5, y: q[1], "class": "bp-small", "text-anchor": "end", "dominant-baseline": "central" }, svg, show(t, S.lang));
    });
    var tanhPts = [], derivPts = [];
    for (var i = 0; i <= 240; i++) {
      var x = -XMAX + i * (2 * XMAX) / 240, t = Math.tanh(x);
      tanhPts.push(pxPlot(x, t).map(function (v) { return v.toFixed(1); }).join(","));
      derivPts.push(pxPlot(x, 1 - t * t).map(function (v) { return v.toFixed(1); }).join(","));
    }
    el("polyline", { points: tanhPts.join(" "), "class": "bp-curve-tanh" }, svg);
    el("polyline", { points: derivPts.join(" "), "class": "bp-curve-deriv" }, svg);
    var k1 = pxPlot(-5.8, 0.72), k2 = pxPlot(-5.8, 0.5);
    el("line", { x1: k1[0], y1: k1[1], x2: k1[0] + 22, y2: k1[1], "class": "bp-curve-tanh" }, svg);
    el("text", { x: k1[0] + 27, y: k1[1], "class": "bp-small", "dominant-baseline": "central" }, svg, S.t.plotTanh);
    el("line", { x1: k2[0], y1: k2[1], x2: k2[0] + 22, y2: k2[1], "class": "bp-curve-deriv" }, svg);
    el("text", { x: k2[0] + 27, y: k2[1], "class": "bp-small", "dominant-baseline": "central" }, svg, S.t.plotDeriv);
    var g = el("g", { "class": "bp-marker" }, svg);
    return {
      group: g,
      line: el("line", { y1: lo[1], y2: hi[1], "class": "bp-mark-line" }, g),
      tanh: el("circle", { r: 4.5, "class": "bp-mark-tanh" }, g),
      deriv: el("rect", { width: 8, height: 8, "class": "bp-mark-deriv" }, g),
      // Below the tick labels (y + 16) with room for a wide font's ascent and descent: never on top of them.
      label: el("text", { y: hi[1] + 36, "class": "bp-small bp-mark-label", "text-anchor": "middle" }, g)
    };
  }

  function placeMarker(m, x, S) {
    var clamped = Math.max(-XMAX, Math.min(XMAX, x)), t = Math.tanh(clamped);
    var top = pxPlot(clamped, t), bot = pxPlot(clamped, 1 - t * t);
    m.group.setAttribute("data-x", String(x));
    m.group.setAttribute("data-offscale", clamped !== x ? "true" : "false");
    m.line.setAttribute("x1", top[0].toFixed(1));
    m.line.setAttribute("x2", top[0].toFixed(1));
    m.tanh.setAttribute("cx", top[0].toFixed(1));
    m.tanh.setAttribute("cy", top[1].toFixed(1));
    m.deriv.setAttribute("x", (bot[0] - 4).toFixed(1));
    m.deriv.setAttribute("y", (bot[1] - 4).toFixed(1));
    var arrow = clamped === x ? "" : (x < 0 ? "\u25c0 " : "");
    var after = clamped === x ? "" : (x > 0 ? " \u25b6" : "");
    // Off the scale the label starts at the plot's edge it points past, so it is never clipped.
    m.label.setAttribute("text-anchor", clamped === x ? "middle" : (x < 0 ? "start" : "end"));
    m.label.setAttribute("x", (clamped === x ? Math.max(PAD + 40, Math.min(PW - PAD - 40, top[0])) :
      (x < 0 ? PAD - 20 : PW - PAD + 20)).toFixed(1));
    m.label.textContent = arrow + "x = " + show(x, S.lang) + (clamped === x ? "" : " (" + S.t.offscale + ")") + after;
  }

  /* ---- one explorer -------------------------------------------------------------------------------------- */
  function init(root, index) {
    var lang = root.getAttribute("data-lang") || document.documentElement.lang || "en";
    lang = STRINGS[lang] ? lang : "en";
    var reference = JSON.parse(root.getAttribute("data-reference") || "[]");
    var startAt = reference.filter(function (r) { return r.saturated; })[0] || reference[0];
    if (!startAt) return;
    var S = { id: String(index), lang: lang, t: STRINGS[lang] };
    root.textContent = "";
    root.classList.add("bp-explorer--ready");

    var form = html("fieldset", { "class": "bp-explorer__inputs" }, root);
    html("legend", {}, form, S.t.inputs);
    var fields = {}, sliders = {};
    INPUTS.forEach(function (k) {
      var row = html("div", { "class": "bp-explorer__row" }, form);
      var id = "bp-" + index + "-" + k;
      html("label", { "for": id, id: id + "-label" }, row, S.t.names[k]);
      sliders[k] = html("input", { type: "range", min: "-5", max: "5", step: "0.25", id: id + "-slider",
        "aria-label": S.t.names[k] + ", " + S.t.slider, "data-var": k }, row);
      fields[k] = html("input", { type: "text", id: id, "data-var": k, inputmode: "decimal", autocomplete: "off",
        spellcheck: "false", "class": "bp-explorer__field", "aria-describedby": "bp-" + index + "-error" }, row);
    });
    var error = html("p", { "class": "bp-explorer__error", id: "bp-" + index + "-error", hidden: "" }, form);
    var reset = html("button", { type: "button", "class": "bp-explorer__reset" }, form, S.t.reset);

    var figure = html("div", { "class": "bp-explorer__graph" }, root);
    var svg = el("svg", { viewBox: "0 0 " + ((X1 - X0) * SCALE).toFixed(1) + " " + (Y1 * SCALE).toFixed(1),
      role: "group", "aria-label": S.t.title, "class": "bp-graph-svg" }, figure);
    var defs = el("defs", {}, svg);
    var marker = el("marker", { id: "bp-arrow-" + S.id, viewBox: "0 0 10 10", refX: "10", refY: "5",
      markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" }, defs);
    el("path", { d: "M 0 0 L 10 5 L 0 10 z", "class": "bp-arrowhead" }, marker);
    var labels = drawGraph(svg, S);
    legend(figure, S);

    var side = html("div", { "class": "bp-explorer__plot" }, root);
    var plot = el("svg", { viewBox: "0 0 " + PW + " " + (PH + 42), role: "img", "aria-label": S.t.plotTitle,
      "class": "bp-plot-svg" }, side);
    var mark = drawPlot(plot, S);
    var readout = html("p", { "class": "bp-explorer__readout" }, side);
    html("span", { "class": "bp-fwd-html" }, readout, "tanh(x) = ");
    labels.push(html("span", { "class": "bp-fwd-html", "data-key": "fwd.F" }, readout));
    readout.appendChild(document.createTextNode(", "));
    html("span", { "class": "bp-grad-html" }, readout, "tanh\u2032(x) = \u2202F/\u2202x = ");
    labels.push(html("span", { "class": "bp-grad-html", "data-key": "grad.x" }, readout));
    var verdict = html("p", { "class": "bp-explorer__verdict", "data-saturated": "false" }, side);
    var live = html("p", { "class": "bp-explorer__live", role: "status", "aria-live": "polite", "aria-atomic": "true" }, root);

    var current = {};
    var timer = null;

    function update(announce) {
      var bad = null;
      INPUTS.forEach(function (k) {
        var v = parseInput(fields[k].value);
        if (isFinite(v)) { current[k] = v; fields[k].removeAttribute("aria-invalid"); }
        else { fields[k].setAttribute("aria-invalid", "true"); bad = bad || k; }
      });
      var invalid = bad ? template(S.t.invalid, { name: S.t.names[bad], text: fields[bad].value }) : "";
      error.textContent = invalid;
      if (bad) error.removeAttribute("hidden"); else error.setAttribute("hidden", "");
      var r = compute(current);
      labels.forEach(function (node) {
        var key = node.getAttribute("data-key").split("."), v = r[key[0]][key[1]];
        var text = show(v, lang, node.namespaceURI === SVGNS);
        node.setAttribute("data-value", String(v));
        node.textContent = key[0] === "grad" && node.namespaceURI === SVGNS ? "[" + text + "]" : text;
      });
      placeMarker(mark, r.fwd.x, S);
      var sat = Math.abs(r.fwd.x) > 3;
      verdict.setAttribute("data-saturated", sat ? "true" : "false");
      verdict.textContent = !isFinite(r.fwd.F) ? S.t.overflow :
        template(sat ? S.t.saturated : S.t.healthy, { g: show(r.grad.x, lang) });
      root.setAttribute("data-x", String(r.fwd.x));
      if (!announce) return;
      clearTimeout(timer);
      var message = bad ? invalid : template(S.t.announce, {
        x: show(r.fwd.x, lang), F: show(r.fwd.F, lang), w0: show(r.grad.w0, lang), x0: show(r.grad.x0, lang),
        w1: show(r.grad.w1, lang), x1: show(r.grad.x1, lang) }) + " " + verdict.textContent;
      // Announce once the reader pauses, not at every keystroke.
      timer = setTimeout(function () { live.textContent = message; }, 350);
    }

    function setAll(point) {
      INPUTS.forEach(function (k) { fields[k].value = formatInput(point[k], lang); sliders[k].value = String(point[k]); });
    }

    INPUTS.forEach(function (k) {
      fields[k].addEventListener("keydown", function (e) { // arrows step the value by 1, as a number field would
        if (e.key !== "ArrowUp" && e.key !== "ArrowDown") return;
        var v = parseInput(fields[k].value);
        if (!isFinite(v)) return;
        e.preventDefault();
        fields[k].value = formatInput(v + (e.key === "ArrowUp" ? 1 : -1), lang);
        sliders[k].value = String(parseInput(fields[k].value));
        update(true);
      });
      fields[k].addEventListener("input", function () {
        var v = parseInput(fields[k].value);
        if (isFinite(v)) sliders[k].value = String(v);
        update(true);
      });
      sliders[k].addEventListener("input", function () { fields[k].value = formatInput(Number(sliders[k].value), lang); update(true); });
    });
    reset.addEventListener("click", function () { setAll(startAt.inputs); update(true); });
    setAll(startAt.inputs);
    update(false);
  }

  function boot() {
    var roots = document.querySelectorAll(".bp-explorer[data-reference]");
    for (var i = 0; i < roots.length; i++) init(roots[i], i);
  }
  // Started once the page is idle (or after 1 s at the latest), not inside the task that starts the page: the
  // explorer sits far down the page, and its first drawing (~20 ms on a laptop, several times that on a phone) made
  // Material's start-up a longer task for every reader of the page (Lighthouse's total blocking time, issue 19).
  function later() { (window.requestIdleCallback || function (f) { setTimeout(f, 1); })(boot, {timeout: 1000}); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", later);
  else later();
})();
