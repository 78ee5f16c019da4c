// Opens the demo's traces.html in headless Chromium at a reader's window width,
// takes a screenshot, and measures the page with traces-page-probe.js.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPage } from './chromium.ts';

export interface TracesPageReport {
  viewportWidth: number;
  /** The page's scroll width: wider than the window means a horizontal scroll bar. */
  pageWidth: number;
  textBoxes: number;
  /** Pairs of visible text runs whose boxes overlap. */
  overlaps: Array<[string, string]>;
  /** Characters drawn as the "missing glyph" box: no installed font has them. */
  missingGlyphs: string[];
  rows: number;
  /** Span rows with no bar of their own inside their row's time column. */
  rowsWithoutBar: string[];
  /** Cells of span rows too narrow for their text (the full text is then only in the tooltip), by column. */
  cutTexts: Array<{ column: string; text: string }>;
  waits: Array<{ spanId: string; ok: boolean }>;
  links: Array<{ from: string; to: string; ok: boolean }>;
}

const PROBE = readFileSync(join(import.meta.dirname, 'traces-page-probe.js'), 'utf8');

export async function inspectTracesPage(
  htmlFile: string,
  screenshotFile: string,
  width = 1400,
): Promise<TracesPageReport> {
  const page = await openPage(htmlFile, { width });
  try {
    await page.screenshot(screenshotFile);
    return await page.evaluate<TracesPageReport>(PROBE);
  } finally {
    await page.close();
  }
}
