// The demo's traces.html in a real browser (Debian's headless Chromium) at
// 1400 px: drawn from the spans of a real demo run (fixtures/demo-spans.json,
// written by `run-demo.ts --spans` and kept to the order traces), screenshot in
// demo/out/, every check made on the page's DOM as laid out.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { FAILING_ORDER, ORDERS } from '../../demo/src/orders.ts';
import { ordersReport } from '../../demo/src/orders-report.ts';
import { readSpansFile } from '../../demo/src/spans-file.ts';
import { renderTracesHtml } from '../../demo/src/waterfall-html.ts';
import { inspectTracesPage } from '../src/browser/traces-page.ts';
import { expectReadableTracesPage } from '../src/browser/traces-page-assertions.ts';

const OUT = join(import.meta.dirname, '..', '..', 'demo', 'out');

it('traces.html at 1400 px: a bar per span, queue waits and links drawn, no text over text, no missing glyph', async () => {
  const spans = readSpansFile(join(import.meta.dirname, '..', 'fixtures', 'demo-spans.json'));
  const { check, drawn, spanLabels } = ordersReport(spans, ORDERS, FAILING_ORDER);
  assert.equal(check.ok, true, check.lines.join('\n'));
  assert.equal(drawn.length, ORDERS.length);
  mkdirSync(OUT, { recursive: true });
  const [html, screenshot] = [join(OUT, 'page-test-fixture.html'), join(OUT, 'page-test-fixture.png')];
  writeFileSync(html, renderTracesHtml(drawn, spanLabels));
  const page = await inspectTracesPage(html, screenshot, 1400);
  expectReadableTracesPage(
    page,
    drawn.map(({ trace }) => trace),
    screenshot,
  );
});
