// Groups received spans into traces and trees, the shape both renderings draw.
import type { ReceivedSpan } from '../../e2e/src/otlp/receiver.ts';

export interface SpanNode {
  span: ReceivedSpan;
  service: string;
  children: SpanNode[];
  depth: number;
}

export interface DrawnTrace {
  traceId: string;
  roots: SpanNode[];
  /** Every node, depth first, in the order they are drawn. */
  rows: SpanNode[];
  start: bigint;
  end: bigint;
  services: string[];
}

export function serviceOf(span: ReceivedSpan): string {
  const name = span.resource['service.name'];
  return typeof name === 'string' ? name : 'unknown';
}

function byStart(a: SpanNode, b: SpanNode): number {
  return a.span.startTimeUnixNano < b.span.startTimeUnixNano ? -1 : 1;
}

/** Traces in the order they started, each as a tree (spans whose parent was not received are roots). */
export function buildTraces(spans: readonly ReceivedSpan[]): DrawnTrace[] {
  const byTrace = new Map<string, ReceivedSpan[]>();
  for (const span of spans) byTrace.set(span.traceId, [...(byTrace.get(span.traceId) ?? []), span]);
  const traces: DrawnTrace[] = [];
  for (const [traceId, members] of byTrace) {
    const nodes = new Map<string, SpanNode>(
      members.map((span) => [span.spanId, { span, service: serviceOf(span), children: [], depth: 0 }]),
    );
    const roots: SpanNode[] = [];
    for (const node of nodes.values()) {
      const parent = node.span.parentSpanId ? nodes.get(node.span.parentSpanId) : undefined;
      if (parent) parent.children.push(node);
      else roots.push(node);
    }
    const rows: SpanNode[] = [];
    const visit = (node: SpanNode, depth: number) => {
      node.depth = depth;
      rows.push(node);
      node.children.sort(byStart).forEach((child) => visit(child, depth + 1));
    };
    roots.sort(byStart).forEach((root) => visit(root, 0));
    const start = members.reduce(
      (min, span) => (span.startTimeUnixNano < min ? span.startTimeUnixNano : min),
      members[0]!.startTimeUnixNano,
    );
    const end = members.reduce((max, span) => (span.endTimeUnixNano > max ? span.endTimeUnixNano : max), 0n);
    const services = [...new Set(rows.map((row) => row.service))];
    traces.push({ traceId, roots, rows, start, end, services });
  }
  return traces.sort((a, b) => (a.start < b.start ? -1 : 1));
}

export function millis(nanos: bigint): number {
  return Number(nanos) / 1e6;
}

/** What a reader should notice about a span: time waited in a queue, links, errors. */
export interface SpanNotes {
  queueTimeMs?: number;
  /** Links to spans that are not its parent (another trace, or a batch). */
  links: Array<{ traceId: string; spanId: string; sameTrace: boolean }>;
  error?: string;
  deliveryCount?: number;
}

export function notesOf(span: ReceivedSpan): SpanNotes {
  const notes: SpanNotes = { links: [] };
  const waited = span.attributes['otel_mq.message.queue_time_ms'];
  if (typeof waited === 'number') notes.queueTimeMs = waited;
  const count = span.attributes['otel_mq.message.delivery_count'];
  if (typeof count === 'number') notes.deliveryCount = count;
  for (const link of span.links) {
    if (link.spanId === span.parentSpanId && link.traceId === span.traceId) continue;
    notes.links.push({ traceId: link.traceId, spanId: link.spanId, sameTrace: link.traceId === span.traceId });
  }
  if (span.status.code === 'ERROR') {
    const type = span.attributes['error.type'];
    notes.error = typeof type === 'string' ? type : (span.status.message ?? 'error');
  }
  return notes;
}

/**
 * When the message a consumer span handles was put on the queue: its queue time
 * back from the span's start, never before the producer span it links to (or
 * its parent, when that is the producer) nor before the trace.
 */
export function queueWaitStart(node: SpanNode, trace: DrawnTrace): bigint | undefined {
  const waited = node.span.attributes['otel_mq.message.queue_time_ms'];
  if (typeof waited !== 'number' || waited < 0) return undefined;
  let from = node.span.startTimeUnixNano - BigInt(Math.round(waited * 1e6));
  const producerIds = new Set([node.span.parentSpanId, ...node.span.links.map((link) => link.spanId)]);
  const producer = trace.rows.find((row) => row.span.kind === 'PRODUCER' && producerIds.has(row.span.spanId));
  if (producer && from < producer.span.startTimeUnixNano) from = producer.span.startTimeUnixNano;
  if (from < trace.start) from = trace.start;
  return from < node.span.startTimeUnixNano ? from : node.span.startTimeUnixNano;
}
