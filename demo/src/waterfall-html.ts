// The same waterfall as a static HTML page with one SVG per trace, for a browser.
import { millis, notesOf } from './traces.ts';
import type { DrawnTrace } from './traces.ts';

const ROW = 22;
const LABEL = 330;
const SERVICE = 150;
const BARS = 560;
const NOTES = 320;
const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#9c755f', '#bab0ac'];

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function svgFor(trace: DrawnTrace, colors: Map<string, string>, spanLabels: Map<string, string>): string {
  const total = Number(trace.end - trace.start) || 1;
  const width = LABEL + SERVICE + BARS + NOTES;
  const height = (trace.rows.length + 1) * ROW;
  const rows = trace.rows.map((row, index) => {
    const { span } = row;
    const y = (index + 1) * ROW;
    const x = LABEL + SERVICE + (Number(span.startTimeUnixNano - trace.start) / total) * BARS;
    const w = Math.max(2, (Number(span.endTimeUnixNano - span.startTimeUnixNano) / total) * BARS);
    const notes = notesOf(span);
    const text = [
      `${millis(span.endTimeUnixNano - span.startTimeUnixNano).toFixed(1)} ms`,
      notes.queueTimeMs !== undefined ? `⏳ ${notes.queueTimeMs.toFixed(0)} ms in queue` : '',
      ...notes.links.map((link) => `⇢ ${spanLabels.get(link.spanId) ?? link.spanId.slice(0, 8)}`),
      notes.error !== undefined ? `✖ ${notes.error}` : '',
    ]
      .filter(Boolean)
      .join('  ');
    const fill = notes.error !== undefined ? '#e15759' : (colors.get(row.service) ?? '#888');
    return [
      `<text x="${4 + row.depth * 14}" y="${y + 15}">${escape(span.name)} <tspan class="kind">${span.kind.toLowerCase()}</tspan></text>`,
      `<text x="${LABEL}" y="${y + 15}" class="service">${escape(row.service)}</text>`,
      `<rect x="${x.toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="${ROW - 8}" rx="2" fill="${fill}"><title>${escape(`${span.name} · ${text}`)}</title></rect>`,
      `<text x="${LABEL + SERVICE + BARS + 8}" y="${y + 15}" class="notes">${escape(text)}</text>`,
    ].join('');
  });
  const axis = `<text x="${LABEL + SERVICE}" y="15" class="axis">0</text><text x="${LABEL + SERVICE + BARS}" y="15" class="axis" text-anchor="end">${millis(trace.end - trace.start).toFixed(1)} ms</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${axis}${rows.join('')}</svg>`;
}

export function renderTracesHtml(
  traces: Array<{ title: string; trace: DrawnTrace }>,
  spanLabels: Map<string, string>,
): string {
  const services = [...new Set(traces.flatMap(({ trace }) => trace.services))];
  const colors = new Map(services.map((service, index) => [service, PALETTE[index % PALETTE.length]!]));
  const sections = traces.map(
    ({ title, trace }) =>
      `<section><h2>${escape(title)}</h2><p class="meta">trace ${trace.traceId} · ${escape(trace.services.join(' → '))} · ${trace.rows.length} spans</p>${svgFor(trace, colors, spanLabels)}</section>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>otel-mq demo traces</title>
<style>
body { font: 13px system-ui, sans-serif; margin: 24px; color: #222; }
h2 { font-size: 15px; margin: 24px 0 2px; } .meta { color: #666; margin: 0 0 6px; }
svg text { font: 12px ui-monospace, monospace; } .kind, .service, .axis { fill: #777; } .notes { fill: #444; }
</style></head><body>
<h1>otel-mq demo: one connected trace per order, Kafka → RabbitMQ → SQS</h1>
${sections.join('\n')}
</body></html>
`;
}
