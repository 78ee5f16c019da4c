// Evaluated inside the demo's traces.html (demo/src/waterfall-html.ts) by
// traces-page.ts: measures what a reader sees and returns it as plain data.
// Its completion value is the report.
(() => {
  const describe = (node) => (node.textContent ?? '').trim().slice(0, 60);

  /** The part of a box its ancestors do not clip away (overflow hidden, SVG viewports are left alone). */
  const visible = (element, rect) => {
    let { left, top, right, bottom } = rect;
    for (let up = element; up && up !== document.documentElement; up = up.parentElement) {
      if (!(up instanceof HTMLElement)) continue;
      const style = getComputedStyle(up);
      if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
      const clip = up.getBoundingClientRect();
      if (style.overflowX !== 'visible') [left, right] = [Math.max(left, clip.left), Math.min(right, clip.right)];
      if (style.overflowY !== 'visible') [top, bottom] = [Math.max(top, clip.top), Math.min(bottom, clip.bottom)];
    }
    return right - left > 0.5 && bottom - top > 0.5 ? { left, top, right, bottom } : undefined;
  };

  // Every run of visible text, as drawn (tooltips in <title> are not drawn).
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || !node.textContent?.trim() || parent.closest('title, style, script')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) {
      const box = visible(parent, rect);
      if (box) texts.push({ node, text: describe(node), element: parent, box });
    }
  }
  const overlaps = [];
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      // One text run cut with an ellipsis reports two boxes: the text and the ellipsis.
      if (texts[i].node === texts[j].node) continue;
      const [a, b] = [texts[i].box, texts[j].box];
      const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (x > 0.5 && y > 0.5) overlaps.push([texts[i].text, texts[j].text]);
    }
  }

  // Characters that no installed font can draw come out as the same "missing glyph" box
  // as a code point no font has (U+10FFFD, private use).
  const pixels = (char, font) => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 48;
    const context = canvas.getContext('2d');
    context.font = font;
    context.textBaseline = 'top';
    context.fillText(char, 4, 4);
    return `${context.measureText(char).width}:${Array.from(context.getImageData(0, 0, 48, 48).data).join(',')}`;
  };
  const missingGlyphs = new Set();
  for (const { element } of texts) {
    const font = getComputedStyle(element).font;
    for (const char of new Set(element.textContent ?? '')) {
      if (char.codePointAt(0) <= 0x7e) continue;
      if (pixels(char, font) === pixels('\u{10FFFD}', font)) missingGlyphs.add(char);
    }
  }

  const rows = [...document.querySelectorAll('.row[data-span-id]')];
  const rowsWithoutBar = [];
  const rowOf = (section, spanId) => section.querySelector(`.row[data-span-id="${spanId}"]`);
  for (const row of rows) {
    const id = row.getAttribute('data-span-id');
    const bar = row.closest('section')?.querySelector(`rect.bar[data-span-id="${id}"]`);
    const lane = row.querySelector('.lane')?.getBoundingClientRect();
    const r = row.getBoundingClientRect();
    const b = bar?.getBoundingClientRect();
    const middle = b ? (b.top + b.bottom) / 2 : NaN;
    const inside =
      b &&
      lane &&
      b.width >= 1 &&
      b.height >= 1 &&
      middle > r.top &&
      middle < r.bottom &&
      b.left >= lane.left - 1 &&
      b.right <= lane.right + 1;
    if (!inside) rowsWithoutBar.push(`${describe(row.querySelector('.name'))} (${id})`);
  }

  // Queue waits: a visible segment that ends where its consumer's bar starts, in the same row.
  const waits = [...document.querySelectorAll('svg.track rect.wait')].map((wait) => {
    const id = wait.getAttribute('data-span-id');
    const section = wait.closest('section');
    const w = wait.getBoundingClientRect();
    const bar = section.querySelector(`rect.bar[data-span-id="${id}"]`)?.getBoundingClientRect();
    const row = rowOf(section, id)?.getBoundingClientRect();
    const middle = (w.top + w.bottom) / 2;
    const ok =
      bar && row && w.width >= 1 && Math.abs(w.right - bar.left) <= 1 && middle > row.top && middle < row.bottom;
    return { spanId: id, ok: Boolean(ok) };
  });

  // Links: arrows that start in the linked span's row and end in the row of the span that has the link.
  const links = [...document.querySelectorAll('svg.track path.link')].map((path) => {
    const section = path.closest('section');
    const [from, to] = [path.getAttribute('data-from'), path.getAttribute('data-to')];
    const matrix = path.getScreenCTM();
    const point = (at) =>
      new DOMPoint(path.getPointAtLength(at).x, path.getPointAtLength(at).y).matrixTransform(matrix);
    const [start, end] = [point(0), point(path.getTotalLength())];
    const within = (rect, y) => rect && y >= rect.top - 1 && y <= rect.bottom + 1;
    const ok =
      path.getTotalLength() > 1 &&
      within(rowOf(section, from)?.getBoundingClientRect(), start.y) &&
      within(rowOf(section, to)?.getBoundingClientRect(), end.y) &&
      getComputedStyle(path).stroke !== 'none' &&
      path.getAttribute('marker-end') !== null;
    return { from, to, ok };
  });

  // Chromium reports an ellipsis-cut cell's text as cut already (its boxes and scroll width),
  // so the text is measured again, uncut, in the cell's font.
  const isCut = (cell) => {
    const style = getComputedStyle(cell);
    const probe = document.createElement('span');
    probe.style.cssText = `position:absolute;visibility:hidden;white-space:pre;font:${style.font}`;
    probe.textContent = cell.textContent;
    document.body.append(probe);
    const width = probe.getBoundingClientRect().width;
    probe.remove();
    return width > cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  };
  const cells = [...document.querySelectorAll('.row[data-span-id] > div')];
  return {
    viewportWidth: window.innerWidth,
    pageWidth: document.documentElement.scrollWidth,
    textBoxes: texts.length,
    overlaps,
    missingGlyphs: [...missingGlyphs],
    rows: rows.length,
    rowsWithoutBar,
    cutTexts: cells.filter(isCut).map((cell) => ({ column: cell.className, text: describe(cell) })),
    waits,
    links,
  };
})();
