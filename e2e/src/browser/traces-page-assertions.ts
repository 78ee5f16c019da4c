// What the demo's traces.html must give a reader, asserted on a measured page
// (traces-page.ts) against the traces it draws: every span row with its bar,
// every queue wait and every link within a trace drawn where it belongs, no
// text over other text, no text cut, no glyph the fonts lack, no sideways scroll.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { DrawnTrace } from '../../../demo/src/traces.ts';
import type { TracesPageReport } from './traces-page.ts';

/** A PNG's width and height, from its IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const png = readFileSync(file);
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', `${file} is not a PNG`);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export function expectReadableTracesPage(page: TracesPageReport, traces: DrawnTrace[], screenshot: string): void {
  const rows = traces.flatMap((trace) => trace.rows);
  const waits = rows.filter((row) => typeof row.span.attributes['otel_mq.message.queue_time_ms'] === 'number');
  const links = traces.flatMap((trace) => {
    const ids = new Set(trace.rows.map((row) => row.span.spanId));
    return trace.rows.flatMap((row) =>
      row.span.links.filter((link) => link.traceId === trace.traceId && ids.has(link.spanId)),
    );
  });
  assert.ok(waits.length > 0 && links.length > 0, 'the traces have queue waits and links to draw');

  assert.ok(page.textBoxes > rows.length, `text measured: ${page.textBoxes} boxes`);
  assert.deepEqual(page.overlaps, [], 'no two text boxes overlap');
  assert.deepEqual(page.missingGlyphs, [], 'every character has a glyph in the installed fonts');
  assert.deepEqual(page.cutTexts, [], 'no span name, kind, service, duration or note is cut');
  assert.ok(page.pageWidth <= page.viewportWidth, `no sideways scroll: page ${page.pageWidth} px wide`);
  assert.equal(page.rows, rows.length, 'one row per span');
  assert.deepEqual(page.rowsWithoutBar, [], 'every span row has a bar in its own row');
  assert.equal(page.waits.length, waits.length, 'one queue-wait segment per consumer span with a queue time');
  assert.deepEqual(
    page.waits.filter((wait) => !wait.ok),
    [],
    "each queue wait ends where its consumer's bar starts",
  );
  assert.equal(page.links.length, links.length, 'one arrow per span link within a trace');
  assert.deepEqual(
    page.links.filter((link) => !link.ok),
    [],
    "each arrow runs from the linked span's row to the linking span's row",
  );
  const { width, height } = pngSize(screenshot);
  assert.equal(width, page.viewportWidth, 'the screenshot is as wide as the window');
  assert.ok(height > rows.length * 20, `the screenshot holds the whole page (${height} px high)`);
}
