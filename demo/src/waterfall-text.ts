// The terminal rendering: each trace as a span tree beside a time bar, with
// kinds, durations, queue waits, links and errors marked.
import { millis, notesOf } from './traces.ts';
import type { DrawnTrace } from './traces.ts';

const BAR_WIDTH = 36;
const useColor = process.stdout.isTTY && !process.env['NO_COLOR'];
const paint = (code: number) => (text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);
const dim = paint(2);
const red = paint(31);
const yellow = paint(33);
const cyan = paint(36);
const bold = paint(1);

const KIND_LABEL: Record<string, string> = {
  PRODUCER: 'producer',
  CONSUMER: 'consumer',
  CLIENT: 'client',
  SERVER: 'server',
  INTERNAL: 'internal',
  UNSPECIFIED: '',
};

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

function bar(trace: DrawnTrace, start: bigint, end: bigint): string {
  const total = Number(trace.end - trace.start) || 1;
  const from = Math.min(BAR_WIDTH - 1, Math.floor((Number(start - trace.start) / total) * BAR_WIDTH));
  const to = Math.max(from + 1, Math.min(BAR_WIDTH, Math.ceil((Number(end - trace.start) / total) * BAR_WIDTH)));
  return `${' '.repeat(from)}${'█'.repeat(to - from)}${' '.repeat(BAR_WIDTH - to)}`;
}

export function renderTraceText(trace: DrawnTrace, title: string, spanLabels: Map<string, string>): string {
  const lines = [
    bold(`${title}  ${dim(`trace ${trace.traceId}`)}`),
    dim(`  ${trace.services.join(' → ')} · ${trace.rows.length} spans · ${formatMs(millis(trace.end - trace.start))}`),
  ];
  const labels = trace.rows.map((row) => `${'  '.repeat(row.depth)}${row.depth > 0 ? '└ ' : ''}${row.span.name}`);
  const labelWidth = Math.max(...labels.map((label) => label.length));
  const serviceWidth = Math.max(...trace.rows.map((row) => row.service.length));
  trace.rows.forEach((row, index) => {
    const { span } = row;
    const notes = notesOf(span);
    const marks: string[] = [];
    if (notes.queueTimeMs !== undefined) marks.push(yellow(`⏳ waited ${formatMs(notes.queueTimeMs)} in the queue`));
    if (notes.deliveryCount !== undefined && notes.deliveryCount > 1)
      marks.push(yellow(`delivery #${notes.deliveryCount}`));
    for (const link of notes.links) {
      marks.push(
        cyan(
          `⇢ link to ${link.sameTrace ? '' : `trace ${link.traceId.slice(0, 8)} `}${spanLabels.get(link.spanId) ?? link.spanId.slice(0, 8)}`,
        ),
      );
    }
    if (notes.error !== undefined) marks.push(red(`✖ ${notes.error}`));
    const duration = formatMs(millis(span.endTimeUnixNano - span.startTimeUnixNano));
    lines.push(
      `  ${(labels[index] ?? '').padEnd(labelWidth)}  ${dim(row.service.padEnd(serviceWidth))}  ${(KIND_LABEL[span.kind] ?? '').padEnd(8)} ▕${(notes.error ? red : cyan)(bar(trace, span.startTimeUnixNano, span.endTimeUnixNano))}▏ ${duration.padStart(9)}  ${marks.join('  ')}`.trimEnd(),
    );
  });
  return lines.join('\n');
}
