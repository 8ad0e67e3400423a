"""What a reader's screen shows: widths, scroll boxes and math fonts, measured in Chromium (tests/test_layout.py).

``measure(tab)`` opens every ``<details>`` block, waits for fonts, and returns what overflows. Usable by hand::

    .venv/bin/python tests/layout.py site/ 390   # prints the measurements of every page at 390 px
"""

from __future__ import annotations

MEASURE_JS = """async () => {
  // Everything laid out: hooks/layout_cost.py lets the browser skip off-screen sections (content-visibility), which
  // saves the reader time but would leave estimated boxes for widths and for axe's colour checks.
  const full = document.createElement('style');
  full.textContent = '* { content-visibility: visible !important; }';
  document.head.append(full);
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  await document.fonts.ready;
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  window.dispatchEvent(new Event('resize'));              // assets/a11y.js re-marks scroll boxes after the opening
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const col = document.querySelector('.md-content__inner');
  const cs = getComputedStyle(col);
  const cr = col.getBoundingClientRect();
  const left = cr.left + parseFloat(cs.paddingLeft), right = cr.right - parseFloat(cs.paddingRight);
  const describe = el => {
    const d = el.closest('.math-display');
    if (d) return 'math: ' + (d.querySelector('math')?.getAttribute('alttext') || '').slice(0, 70);
    const t = el.closest('table') || el.querySelector('table');
    if (t) return 'table: ' + (t.querySelector('th')?.textContent || '').trim().slice(0, 40) + ' … ('
                  + t.querySelectorAll('thead th').length + ' columns)';
    return el.tagName.toLowerCase() + '.' + [...el.classList].join('.');
  };
  // Display formulas and tables wider than the text column (laptop: none allowed).
  const wide = [];
  for (const el of col.querySelectorAll('.math-display, .md-typeset__scrollwrap, .snippet-figure img')) {
    if (!el.getClientRects().length) continue;
    // Material lets a table's scroll wrapper reach 0.8rem past the column on each side (its padding): measure the
    // table itself, and whether the wrapper has to scroll.
    const target = el.classList.contains('md-typeset__scrollwrap') ? (el.querySelector('table') || el) : el;
    const r = target.getBoundingClientRect();
    const over = Math.max(el.scrollWidth - el.clientWidth, r.right - right, left - r.left);
    const contentWidth = Math.round(Math.max(r.width, el.scrollWidth));
    if (over > 0.5) wide.push({what: describe(el), over: Math.round(over), width: Math.round(contentWidth),
                               column: Math.round(right - left)});
  }
  // Every box that scrolls sideways: focusable, labelled, with the fade cue.
  const boxes = [];
  for (const el of document.querySelectorAll('.md-content *')) {
    if (el.scrollWidth <= el.clientWidth + 1) continue;
    const ox = getComputedStyle(el).overflowX;
    if (ox !== 'auto' && ox !== 'scroll') continue;
    boxes.push({what: describe(el), tabindex: el.tabIndex, label: el.getAttribute('aria-label') || '',
                role: el.getAttribute('role') || '', cue: el.classList.contains('scrollbox--right'),
                code: !!el.closest('pre')});
  }
  // Every table: how it is drawn (a card per row on a phone, hooks/phone.py), how far it, its scroll wrapper or the
  // content of any of its cells overflows sideways (a cell's content wider than the cell: a name that cannot break),
  // and, drawn as a table, its tallest row in lines of its text (a squeezed column makes tall rows).
  const tables = [];
  for (const t of col.querySelectorAll('table')) {
    if (!t.getClientRects().length) continue;
    const r = t.getBoundingClientRect(), wrap = t.closest('.md-typeset__scrollwrap');
    let over = Math.max(r.right - right, left - r.left, t.scrollWidth - t.clientWidth,
                        wrap ? wrap.scrollWidth - wrap.clientWidth : 0);
    let tallest = 0;
    for (const cell of t.querySelectorAll('td, th')) over = Math.max(over, cell.scrollWidth - cell.clientWidth);
    const cards = getComputedStyle(t).display === 'block';
    if (!cards) {
      for (const cell of t.querySelectorAll('td')) {
        const cs = getComputedStyle(cell);
        const inner = cell.getBoundingClientRect().height - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom);
        tallest = Math.max(tallest, inner / parseFloat(cs.lineHeight));
      }
    }
    tables.push({what: describe(t), cards, marked: t.hasAttribute('data-cards'), over: Math.round(over),
                 lines: Math.round(tallest * 10) / 10, roles: t.getAttribute('role') || ''});
  }
  // Inline code (not a listing) that wraps: a line may end only at a space or after an operator or punctuation
  // character (hooks/phone.py's <wbr>), never inside a name or a number. Each character's box (Range) says on which
  // line it is.
  const OPS = new Set('.,;:=+-*/%<>&|^~!(){}[]');
  const codeBreaks = [];
  let wrappedCode = 0;
  const range = document.createRange();
  for (const code of col.querySelectorAll('code')) {
    if (code.closest('pre') || code.getClientRects().length < 2) continue;
    wrappedCode++;
    let prev = '', prevTop = null, space = false, before = '';
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      for (let i = 0; i < n.data.length; i++) {
        const ch = n.data[i];
        if (ch.trim() === '') { space = true; before += ch; continue; }
        range.setStart(n, i); range.setEnd(n, i + 1);
        const box = range.getClientRects()[0];
        if (!box) continue;
        if (prevTop !== null && box.top > prevTop + box.height / 2 && !space && !OPS.has(prev))
          codeBreaks.push({code: code.textContent.slice(0, 60), at: before.slice(-20) + ' | ' + ch});
        prev = ch; prevTop = box.top; space = false; before += ch;
      }
    }
  }
  // Printed output (the output directive's blocks) wraps: nothing of it is past its right edge.
  const outputs = [...col.querySelectorAll('.snippet-output pre > code')].filter(c => c.getClientRects().length)
    .map(c => ({text: c.textContent.slice(0, 40), over: c.scrollWidth - c.clientWidth}));
  // Scripts smaller than their base, superscripts raised, subscripts lowered.
  const scripts = [];
  for (const el of document.querySelectorAll('msup, msub')) {
    const [base, s] = el.children;
    if (!base || !s || !el.getClientRects().length) continue;
    const fb = parseFloat(getComputedStyle(base).fontSize), fs = parseFloat(getComputedStyle(s).fontSize);
    const rb = base.getBoundingClientRect(), rs = s.getBoundingClientRect();
    const sup = el.tagName.toLowerCase() === 'msup';
    const placed = sup ? rs.top < rb.top + 0.25 * rb.height : rs.bottom > rb.bottom - 0.1 * rb.height;
    if (!(fs < fb) || !placed) scripts.push({what: describe(el) + ' :: ' + el.textContent.slice(0, 20),
                                           base: fb, script: fs, placed});
  }
  const math = document.querySelector('math');
  // x-heights, in px, of the first inline formula and of the text around it (canvas: the fonts as loaded).
  const xHeight = (family, px) => {
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = `100px ${family}`;
    return ctx.measureText('x').actualBoundingBoxAscent / 100 * px;
  };
  const inline = document.querySelector('.md-content p math:not([display="block"])');
  const around = inline && getComputedStyle(inline.closest('p'));
  return {
    xHeights: inline ? {math: xHeight('"DL Math"', parseFloat(getComputedStyle(inline).fontSize)),
                        text: xHeight(around.fontFamily, parseFloat(around.fontSize)),
                        what: inline.getAttribute('alttext')} : null,
    pageWidth: document.documentElement.scrollWidth, viewport: window.innerWidth,
    column: Math.round(right - left), wide, boxes, scripts, tables, codeBreaks, wrappedCode, outputs,
    mathCount: document.querySelectorAll('math').length,
    mathFamily: math ? getComputedStyle(math).fontFamily : '',
    mathFontLoaded: document.fonts.check('16px "DL Math"'),
    // A fingerprint of the layout: the width of every formula, table and paragraph (compare two machines).
    widths: [...document.querySelectorAll('.md-content math, .md-content table, .md-content p')]
              .map(e => Math.round(e.getBoundingClientRect().width * 10) / 10),
    height: document.documentElement.scrollHeight,
  };
}"""


# -- what counts as a problem in MEASURE_JS's record (tests/test_layout.py for every page, tests/test_topic.py for one
# topic's pages); each returns the problems found, empty when there are none.
def wider_than_the_column(m) -> list:
    """Display formulas and tables wider than the text column (none allowed on a laptop)."""
    return m["wide"]


def wider_than_the_screen(m) -> int | bool:
    """The page's width when it scrolls sideways (never on a phone)."""
    return m["pageWidth"] > m["viewport"] and m["pageWidth"]


def formulas_wider_than_the_column(m) -> list:
    """Display formulas that do not fit (on a phone a table may scroll in its box, a formula must be split)."""
    return [x for x in m["wide"] if x["what"].startswith("math")]


def unlabelled_scroll_boxes(m) -> list:
    """Boxes that scroll sideways but are not focusable, labelled and marked at their cut edge."""
    return [b for b in m["boxes"] if b["tabindex"] < 0 or not b["label"] or not b["role"] or not b["cue"]]


def platform_fonts(tab, selector: str = "math mi, math mn, math mo", limit: int = 12) -> set[str]:
    """The font families Chromium actually drew the first ``limit`` math tokens with (DevTools protocol)."""
    cdp = tab.context.new_cdp_session(tab)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        ids = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})["nodeIds"][:limit]
        fams = set()
        for node in ids:
            for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
                fams.add(f["familyName"])
        return fams
    finally:
        cdp.detach()


if __name__ == "__main__":  # pragma: no cover - a tool for authors
    import json
    import os
    import sys
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).parent))
    from browser import SiteServer, site_pages, site_prefix

    site, width = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1280
    conf = Path(os.environ.get("LAYOUT_FONTS_CONF") or Path(__file__).with_name("fonts") / "fonts.conf")
    with SiteServer(site, site_prefix(site)) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", env=dict(os.environ, FONTCONFIG_FILE=str(conf)),
                                     args=["--headless", "--no-sandbox", "--disable-gpu"])
        tab = browser.new_page(viewport={"width": width, "height": 844 if width < 600 else 800})
        for p in site_pages(site):
            if "notebooks/" in p.rel:
                continue
            tab.goto(server.url(p.rel), wait_until="load")  # MEASURE_JS awaits the fonts
            m = tab.evaluate(MEASURE_JS)
            if os.environ.get("LAYOUT_FINGERPRINT"):
                print(p.rel or "/", width, m["height"], json.dumps(m["widths"]))
                continue
            print(p.rel or "/", json.dumps({k: m[k] for k in ("pageWidth", "column", "wide", "scripts")}, ensure_ascii=False))
            for b in m["boxes"]:
                if not b["code"]:
                    print("   box", b)
        browser.close()
