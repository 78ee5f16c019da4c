// The same waterfall as a static HTML page, for a browser: per trace, one grid
// row per span (name, kind, service, duration, notes: the browser lays the text
// out and cuts what does not fit, with the full text in a tooltip), and one SVG
// over the time column with the bars, each message's wait in its queue as a
// hatched segment before its consumer's bar, and span links as arrows. Only
// shapes and plain text: no emoji or symbol glyphs, which many fonts lack.
import { millis, notesOf, queueWaitStart } from './traces.ts';
import type { DrawnTrace, SpanNode } from './traces.ts';

const ROW = 24;
const BAR = 12;
const INDENT = 14;
/** Column widths in px: name, kind, service, duration, time bars, notes (fits a 1400 px window with a scroll bar). */
const COLUMNS = [408, 72, 128, 72, 380, 270] as const;
const TRACK_LEFT = COLUMNS[0] + COLUMNS[1] + COLUMNS[2] + COLUMNS[3];
const TRACK = COLUMNS[4];
const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#9c755f', '#bab0ac'];
const ERROR = '#e15759';

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

/** A text cell; `title` carries the full text, for when the column cuts it. */
function cell(className: string, text: string, style = ''): string {
  return `<div class="${className}" title="${escape(text)}"${style ? ` style="${style}"` : ''}>${escape(text)}</div>`;
}

function notesText(row: SpanNode, trace: DrawnTrace, spanLabels: Map<string, string>): string {
  const notes = notesOf(row.span);
  const inTrace = new Set(trace.rows.map((other) => other.span.spanId));
  return [
    notes.error !== undefined ? `error: ${notes.error}` : '',
    notes.queueTimeMs !== undefined ? `queued ${formatMs(notes.queueTimeMs)}` : '',
    notes.deliveryCount !== undefined && notes.deliveryCount > 1 ? `delivery ${notes.deliveryCount}` : '',
    ...notes.links
      .filter((link) => !inTrace.has(link.spanId))
      .map(
        (link) =>
          `link to ${spanLabels.get(link.spanId) ?? link.spanId.slice(0, 8)}${link.sameTrace ? '' : ` in trace ${link.traceId.slice(0, 8)}`}`,
      ),
  ]
    .filter(Boolean)
    .join(' · ');
}

function trackSvg(trace: DrawnTrace, colors: Map<string, string>, spanLabels: Map<string, string>): string {
  const total = Number(trace.end - trace.start) || 1;
  const x = (time: bigint) => (Number(time - trace.start) / total) * TRACK;
  const index = new Map(trace.rows.map((row, i) => [row.span.spanId, i]));
  const mid = (i: number) => i * ROW + ROW / 2;
  const shapes: string[] = [];
  const ticks = [0.25, 0.5, 0.75].map(
    (f) => `<line class="tick" x1="${f * TRACK}" x2="${f * TRACK}" y1="0" y2="${trace.rows.length * ROW}"/>`,
  );
  const waitStarts = new Map<string, number>();
  trace.rows.forEach((row, i) => {
    const { span } = row;
    const label = `${span.name} (${row.service})`;
    const waitFrom = queueWaitStart(row, trace);
    // At least 2 px wide, and inside the track even for a short span at the very end.
    const width = Math.max(2, x(span.endTimeUnixNano) - x(span.startTimeUnixNano));
    const start = Math.max(0, Math.min(x(span.startTimeUnixNano), TRACK - width));
    if (waitFrom !== undefined) {
      const from = Math.max(0, Math.min(x(waitFrom), start - 2));
      waitStarts.set(span.spanId, from);
      shapes.push(
        `<rect class="wait" data-span-id="${span.spanId}" x="${from.toFixed(1)}" y="${mid(i) - BAR / 2 + 2}" width="${(start - from).toFixed(1)}" height="${BAR - 4}"><title>${escape(`${label}: waiting in the queue`)}</title></rect>`,
      );
    }
    const notes = notesOf(span);
    const fill = notes.error !== undefined ? ERROR : (colors.get(row.service) ?? '#888');
    shapes.push(
      `<rect class="bar" data-span-id="${span.spanId}" x="${start.toFixed(1)}" y="${mid(i) - BAR / 2}" width="${width.toFixed(1)}" height="${BAR}" rx="2" fill="${fill}"><title>${escape(`${label}: ${formatMs(millis(span.endTimeUnixNano - span.startTimeUnixNano))}`)}</title></rect>`,
    );
  });
  // A link is drawn from the span it points at (a producer, for a message) to the span that has it.
  trace.rows.forEach((row, i) => {
    for (const link of row.span.links) {
      const from = index.get(link.spanId);
      if (link.traceId !== trace.traceId || from === undefined) continue;
      const target = trace.rows[from]!.span;
      const [x1, y1] = [x(target.endTimeUnixNano), mid(from) + (from < i ? BAR / 2 : -BAR / 2)];
      const [x2, y2] = [
        waitStarts.get(row.span.spanId) ?? x(row.span.startTimeUnixNano),
        mid(i) + (from < i ? -BAR / 2 : BAR / 2),
      ];
      const bend = (y1 + y2) / 2;
      shapes.push(
        `<path class="link" data-from="${link.spanId}" data-to="${row.span.spanId}" d="M${x1.toFixed(1)},${y1} C${x1.toFixed(1)},${bend} ${x2.toFixed(1)},${bend} ${x2.toFixed(1)},${y2}" marker-end="url(#arrow)"><title>${escape(`link: ${row.span.name} (${row.service}) → ${spanLabels.get(link.spanId) ?? link.spanId}`)}</title></path>`,
      );
    }
  });
  const height = trace.rows.length * ROW;
  return `<svg class="track" xmlns="http://www.w3.org/2000/svg" width="${TRACK}" height="${height}" viewBox="0 0 ${TRACK} ${height}" style="left:${TRACK_LEFT}px;top:${ROW}px">${ticks.join('')}${shapes.join('')}</svg>`;
}

function traceSection(
  title: string,
  trace: DrawnTrace,
  colors: Map<string, string>,
  spanLabels: Map<string, string>,
): string {
  const total = millis(trace.end - trace.start);
  const axis = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (f) => `<span class="tick-label" style="left:${f * 100}%">${escape(f === 0 ? '0' : formatMs(total * f))}</span>`,
    )
    .join('');
  const head = `<div class="row head">${cell('name', 'span')}${cell('kind', 'kind')}${cell('service', 'service')}${cell('duration', 'duration')}<div class="axis">${axis}</div>${cell('notes', 'notes')}</div>`;
  const rows = trace.rows.map((row) => {
    const { span } = row;
    const duration = formatMs(millis(span.endTimeUnixNano - span.startTimeUnixNano));
    return `<div class="row${notesOf(span).error !== undefined ? ' error' : ''}" data-span-id="${span.spanId}">${cell('name', span.name, `padding-left:${4 + row.depth * INDENT}px`)}${cell('kind', span.kind.toLowerCase())}${cell('service', row.service)}${cell('duration', duration)}<div class="lane"></div>${cell('notes', notesText(row, trace, spanLabels))}</div>`;
  });
  const meta = `trace ${trace.traceId} · ${trace.services.join(' → ')} · ${trace.rows.length} spans · ${formatMs(total)}`;
  return `<section><h2>${escape(title)}</h2><p class="meta">${escape(meta)}</p><div class="waterfall">${head}${rows.join('')}${trackSvg(trace, colors, spanLabels)}</div></section>`;
}

const LEGEND = `<p class="legend">
<svg width="22" height="12" aria-hidden="true"><rect x="1" y="1" width="20" height="10" rx="2" fill="${PALETTE[0]}"/></svg><span>a span (colour: its service)</span>
<svg width="22" height="12" aria-hidden="true"><rect class="wait" x="1" y="3" width="20" height="6"/></svg><span>a message waiting in its queue</span>
<svg width="30" height="12" aria-hidden="true"><path class="link" d="M2,6 H22" marker-end="url(#arrow)"/></svg><span>a span link (producer to consumer)</span>
<svg width="22" height="12" aria-hidden="true"><rect x="1" y="1" width="20" height="10" rx="2" fill="${ERROR}"/></svg><span>an error</span>
</p>`;

/** Shared by every SVG on the page: the arrowhead and the hatching of queue waits. */
const DEFS = `<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>
<marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" fill="#555"/></marker>
<pattern id="hatch" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="5" height="5" fill="#fdf1d6"/><line x1="0" y1="0" x2="0" y2="5" stroke="#d79b00" stroke-width="2"/></pattern>
</defs></svg>`;

export function renderTracesHtml(
  traces: Array<{ title: string; trace: DrawnTrace }>,
  spanLabels: Map<string, string>,
): string {
  const services = [...new Set(traces.flatMap(({ trace }) => trace.services))];
  const colors = new Map(services.map((service, index) => [service, PALETTE[index % PALETTE.length]!]));
  const sections = traces.map(({ title, trace }) => traceSection(title, trace, colors, spanLabels));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>otel-mq demo traces</title>
<style>
body { font: 13px system-ui, sans-serif; margin: 24px; color: #222; }
h1 { font-size: 18px; } h2 { font-size: 15px; margin: 28px 0 2px; } .meta { color: #666; margin: 0 0 6px; }
.legend { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 8px; color: #444; }
.legend span { margin-right: 14px; }
.waterfall { position: relative; width: ${COLUMNS.reduce((a, b) => a + b, 0)}px; }
.row { display: grid; grid-template-columns: ${COLUMNS.map((width) => `${width}px`).join(' ')}; height: ${ROW}px; align-items: center; }
.row:nth-child(odd) { background: #f6f7f9; } .row.head { background: none; color: #777; font-size: 12px; }
.row > div { overflow: hidden; white-space: nowrap; text-overflow: ellipsis; padding-right: 8px; box-sizing: border-box; }
.name { font: 12px ui-monospace, monospace; } .kind, .service { color: #777; font-size: 12px; } .duration { text-align: right; font-variant-numeric: tabular-nums; }
.notes { color: #444; padding-left: 8px; font-size: 12px; } .row.error .notes { color: #b3261e; }
.row > .axis { position: relative; height: 100%; overflow: visible; padding: 0; }
.tick-label { position: absolute; top: 4px; transform: translateX(-50%); white-space: nowrap; }
.tick-label:first-child { transform: none; } .tick-label:last-child { transform: translateX(-100%); }
svg.track { position: absolute; overflow: visible; }
.tick { stroke: #e3e5e8; }
rect.wait { fill: url(#hatch); stroke: #d79b00; stroke-width: 0.5; }
path.link { fill: none; stroke: #555; stroke-width: 1.2; }
</style></head><body>
${DEFS}
<h1>otel-mq demo: one connected trace per order, Kafka → RabbitMQ → SNS → SQS</h1>
${LEGEND}
${sections.join('\n')}
</body></html>
`;
}
