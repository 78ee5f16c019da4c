/**
 * Assertions over spans received by the OTLP receiver, phrased like the trace
 * a user sees in a tracing UI. Every failure message ends with a rendered span
 * tree of what was actually received.
 *
 * The two-span helpers (expectChildOf, expectLinkedTo, ...) accept an optional
 * trailing `context` (the full span list) for that tree; when it is omitted
 * they use the list the span was found in via findSpan/spansNamed, if any.
 */
import type { AttributeValue, Attributes, ReceivedSpan, SpanKindName } from './receiver.ts';

export type AttributeMatcher = AttributeValue | RegExp | ((value: AttributeValue | undefined) => boolean) | undefined;

/** `undefined` as a value means "attribute must be absent". */
export type AttributeExpectations = Record<string, AttributeMatcher>;

export interface SpanQuery {
  name: string | RegExp;
  kind?: SpanKindName;
  attributes?: AttributeExpectations;
}

export class TraceAssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TraceAssertionError';
  }
}

// Remembers which received list a span came from, so failures can render it.
const origins = new WeakMap<ReceivedSpan, readonly ReceivedSpan[]>();

function remember(spans: readonly ReceivedSpan[]): void {
  for (const s of spans) origins.set(s, spans);
}

function contextOf(
  explicit: readonly ReceivedSpan[] | undefined,
  ...involved: ReceivedSpan[]
): readonly ReceivedSpan[] {
  if (explicit) return explicit;
  for (const s of involved) {
    const o = origins.get(s);
    if (o) return o;
  }
  return involved;
}

function fail(message: string, context: readonly ReceivedSpan[]): never {
  throw new TraceAssertionError(`${message}\n\nReceived spans (${context.length}):\n${renderTree(context)}`);
}

// ---------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------

function formatValue(v: AttributeValue | undefined, max = 80): string {
  if (v === undefined) return '(absent)';
  const text = JSON.stringify(v) ?? 'undefined';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function formatMatcher(m: AttributeMatcher): string {
  if (m instanceof RegExp) return `matching ${m}`;
  if (typeof m === 'function') return `satisfying ${m.name || 'predicate'}`;
  return formatValue(m);
}

function shortId(id: string | undefined): string {
  return id ? id.slice(0, 8) : '-';
}

/** One-line description of a span, e.g. `"orders publish" [PRODUCER] #1a2b3c4d trace 9f8e7d6c` */
export function describeSpan(span: ReceivedSpan): string {
  const parent = span.parentSpanId ? ` parent #${shortId(span.parentSpanId)}` : ' (root)';
  return `${JSON.stringify(span.name)} [${span.kind}] #${shortId(span.spanId)} trace ${shortId(span.traceId)}${parent}`;
}

export interface RenderOptions {
  /** show attributes (default true) */
  attributes?: boolean;
  /** maximum attributes shown per span (default 12) */
  maxAttributes?: number;
}

/**
 * Renders spans as trees, one per trace, children ordered by start time:
 *
 *   trace 4bf92f35…
 *   └─ orders publish [PRODUCER] #00f067aa ERROR "boom" {messaging.system.name="rabbitmq"}
 *      ↪ link → "link-target" #5a1b… (trace 0af7…)
 *      └─ child op [INTERNAL] #b7ad6b71
 */
export function renderTree(spans: readonly ReceivedSpan[], options: RenderOptions = {}): string {
  if (spans.length === 0) return '  (no spans)';
  const showAttrs = options.attributes ?? true;
  const maxAttrs = options.maxAttributes ?? 12;
  const byId = new Map<string, ReceivedSpan>();
  for (const s of spans) byId.set(`${s.traceId}/${s.spanId}`, s);
  // SDK start times are only millisecond-precise; ties keep arrival order (sort is stable)
  const byStart = (a: ReceivedSpan, b: ReceivedSpan): number =>
    a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : 0;

  const children = new Map<ReceivedSpan, ReceivedSpan[]>();
  const traces = new Map<string, ReceivedSpan[]>(); // traceId -> roots
  for (const s of spans) {
    const parent = s.parentSpanId ? byId.get(`${s.traceId}/${s.parentSpanId}`) : undefined;
    if (parent && parent !== s) {
      const list = children.get(parent) ?? [];
      list.push(s);
      children.set(parent, list);
    } else {
      const roots = traces.get(s.traceId) ?? [];
      roots.push(s);
      traces.set(s.traceId, roots);
    }
  }
  const findName = (traceId: string, spanId: string): string => {
    const s = byId.get(`${traceId}/${spanId}`);
    return s ? `${JSON.stringify(s.name)} ` : '';
  };

  const label = (s: ReceivedSpan, isRoot: boolean): string => {
    let text = `${s.name} [${s.kind}] #${shortId(s.spanId)}`;
    if (isRoot && s.parentSpanId) text += ` (parent #${shortId(s.parentSpanId)} not received)`;
    if (s.status.code !== 'UNSET')
      text += ` ${s.status.code}${s.status.message ? ` ${JSON.stringify(s.status.message)}` : ''}`;
    if (s.endTimeUnixNano === 0n || s.endTimeUnixNano < s.startTimeUnixNano) text += ' (not ended)';
    if (showAttrs) {
      const entries = Object.entries(s.attributes);
      if (entries.length) {
        const shown = entries.slice(0, maxAttrs).map(([k, v]) => `${k}=${formatValue(v, 60)}`);
        if (entries.length > maxAttrs) shown.push(`…+${entries.length - maxAttrs}`);
        text += ` {${shown.join(', ')}}`;
      }
    }
    return text;
  };

  const lines: string[] = [];
  const visited = new Set<ReceivedSpan>();
  const walk = (s: ReceivedSpan, prefix: string, last: boolean, isRoot: boolean): void => {
    visited.add(s);
    lines.push(`${prefix}${last ? '└─ ' : '├─ '}${label(s, isRoot)}`);
    const inner = prefix + (last ? '   ' : '│  ');
    const kids = (children.get(s) ?? []).filter((k) => !visited.has(k)).sort(byStart);
    const extra: string[] = [];
    for (const l of s.links) {
      extra.push(`↪ link → ${findName(l.traceId, l.spanId)}#${shortId(l.spanId)} (trace ${shortId(l.traceId)})`);
    }
    if (s.events.length) extra.push(`• events: ${s.events.map((e) => JSON.stringify(e.name)).join(', ')}`);
    for (const e of extra) lines.push(`${inner}${kids.length ? '│  ' : '   '}${e}`);
    kids.forEach((k, i) => walk(k, inner, i === kids.length - 1, false));
  };

  const orderedTraces = [...traces.entries()].sort(([, a], [, b]) =>
    byStart(a.slice().sort(byStart)[0]!, b.slice().sort(byStart)[0]!),
  );
  for (const [traceId, roots] of orderedTraces) {
    lines.push(`  trace ${traceId}`);
    const sorted = roots.slice().sort(byStart);
    sorted.forEach((r, i) => walk(r, '  ', i === sorted.length - 1, true));
  }
  // anything unreachable (parent cycles) is listed flat
  for (const s of spans) if (!visited.has(s)) lines.push(`  ? ${label(s, true)} (cycle)`);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => deepEqual((a as Attributes)[k], (b as Attributes)[k]));
  }
  return false;
}

function attributeMismatches(actual: Attributes, expected: AttributeExpectations): string[] {
  const problems: string[] = [];
  for (const [key, matcher] of Object.entries(expected)) {
    const present = Object.prototype.hasOwnProperty.call(actual, key);
    const value = present ? actual[key] : undefined;
    let ok: boolean;
    if (matcher === undefined) ok = !present;
    else if (matcher instanceof RegExp) ok = typeof value === 'string' && matcher.test(value);
    else if (typeof matcher === 'function') ok = matcher(value);
    else ok = present && deepEqual(value, matcher);
    if (!ok) {
      if (matcher === undefined) problems.push(`${key}: expected absent, got ${formatValue(value)}`);
      else if (!present) problems.push(`${key}: missing (expected ${formatMatcher(matcher)})`);
      else problems.push(`${key}: expected ${formatMatcher(matcher)}, got ${formatValue(value)}`);
    }
  }
  return problems;
}

function nameMatches(span: ReceivedSpan, name: string | RegExp): boolean {
  return typeof name === 'string' ? span.name === name : name.test(span.name);
}

function queryMismatches(span: ReceivedSpan, q: SpanQuery): string[] {
  const problems: string[] = [];
  if (!nameMatches(span, q.name)) problems.push(`name ${JSON.stringify(span.name)}`);
  if (q.kind && span.kind !== q.kind) problems.push(`kind ${span.kind}, expected ${q.kind}`);
  if (q.attributes) problems.push(...attributeMismatches(span.attributes, q.attributes));
  return problems;
}

function describeQuery(q: SpanQuery): string {
  const parts = [typeof q.name === 'string' ? JSON.stringify(q.name) : String(q.name)];
  if (q.kind) parts.push(`[${q.kind}]`);
  if (q.attributes && Object.keys(q.attributes).length) {
    parts.push(
      `{${Object.entries(q.attributes)
        .map(([k, m]) => `${k}: ${m === undefined ? '(absent)' : formatMatcher(m)}`)
        .join(', ')}}`,
    );
  }
  return parts.join(' ');
}

function sortByStart(spans: ReceivedSpan[]): ReceivedSpan[] {
  return spans.sort((a, b) =>
    a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : 0,
  );
}

// ---------------------------------------------------------------------------
// Public helpers
// ---------------------------------------------------------------------------

/** All spans with this name (exact string or RegExp), earliest start first. */
export function spansNamed(spans: readonly ReceivedSpan[], name: string | RegExp): ReceivedSpan[] {
  remember(spans);
  return sortByStart(spans.filter((s) => nameMatches(s, name)));
}

/**
 * The earliest-starting span matching name, and optionally kind and a subset
 * of attributes (values compared deeply; RegExp / predicate / `undefined` =
 * absent are also accepted). Throws, explaining near misses, when none match.
 */
export function findSpan(spans: readonly ReceivedSpan[], query: SpanQuery): ReceivedSpan {
  remember(spans);
  const matches = sortByStart(spans.filter((s) => queryMismatches(s, query).length === 0));
  if (matches.length > 0) return matches[0]!;
  const sameName = spans.filter((s) => nameMatches(s, query.name));
  let message = `findSpan: no span matches ${describeQuery(query)}`;
  if (sameName.length) {
    message += `\nSpans with that name, and why they do not match:`;
    for (const s of sameName.slice(0, 10)) {
      message += `\n  - ${describeSpan(s)}: ${queryMismatches(s, query).join('; ')}`;
    }
    if (sameName.length > 10) message += `\n  … and ${sameName.length - 10} more`;
  }
  fail(message, spans);
}

export function expectSameTrace(a: ReceivedSpan, b: ReceivedSpan, context?: readonly ReceivedSpan[]): void {
  if (a.traceId !== b.traceId) {
    fail(
      `expectSameTrace: spans are in different traces\n  a: ${describeSpan(a)} (trace ${a.traceId})\n  b: ${describeSpan(b)} (trace ${b.traceId})`,
      contextOf(context, a, b),
    );
  }
}

export function expectChildOf(child: ReceivedSpan, parent: ReceivedSpan, context?: readonly ReceivedSpan[]): void {
  if (child.traceId !== parent.traceId || child.parentSpanId !== parent.spanId) {
    const why =
      child.traceId !== parent.traceId
        ? 'they are in different traces'
        : child.parentSpanId
          ? `its parent is #${shortId(child.parentSpanId)}, not #${shortId(parent.spanId)}`
          : 'it is a root span';
    fail(
      `expectChildOf: ${JSON.stringify(child.name)} is not a child of ${JSON.stringify(parent.name)}: ${why}\n` +
        `  child:  ${describeSpan(child)}\n  parent: ${describeSpan(parent)}`,
      contextOf(context, child, parent),
    );
  }
}

/** Asserts `span` has a link to `target`; returns that link (e.g. to check its attributes). */
export function expectLinkedTo(
  span: ReceivedSpan,
  target: ReceivedSpan,
  context?: readonly ReceivedSpan[],
): ReceivedSpan['links'][number] {
  const link = span.links.find((l) => l.traceId === target.traceId && l.spanId === target.spanId);
  if (!link) {
    const has = span.links.length
      ? span.links.map((l) => `#${shortId(l.spanId)} (trace ${shortId(l.traceId)})`).join(', ')
      : 'no links';
    fail(
      `expectLinkedTo: ${JSON.stringify(span.name)} has no link to ${JSON.stringify(target.name)}\n` +
        `  span:   ${describeSpan(span)}; links: ${has}\n  target: ${describeSpan(target)}`,
      contextOf(context, span, target),
    );
  }
  return link;
}

export function expectKind(span: ReceivedSpan, kind: SpanKindName, context?: readonly ReceivedSpan[]): void {
  if (span.kind !== kind) {
    fail(`expectKind: ${describeSpan(span)} has kind ${span.kind}, expected ${kind}`, contextOf(context, span));
  }
}

export function expectAttributes(
  span: ReceivedSpan,
  subset: AttributeExpectations,
  context?: readonly ReceivedSpan[],
): void {
  const problems = attributeMismatches(span.attributes, subset);
  if (problems.length) {
    fail(
      `expectAttributes: ${describeSpan(span)}\n  ${problems.join('\n  ')}\n  actual attributes: ${formatValue(span.attributes, 2000)}`,
      contextOf(context, span),
    );
  }
}

/** end >= start > 0 */
export function expectEnded(span: ReceivedSpan, context?: readonly ReceivedSpan[]): void {
  if (!(span.startTimeUnixNano > 0n && span.endTimeUnixNano >= span.startTimeUnixNano)) {
    fail(
      `expectEnded: ${describeSpan(span)} has start=${span.startTimeUnixNano} end=${span.endTimeUnixNano} (want end >= start > 0)`,
      contextOf(context, span),
    );
  }
}

/** { name: count }, keys in order of first appearance. */
export function countByName(spans: readonly ReceivedSpan[]): Record<string, number> {
  remember(spans);
  const out: Record<string, number> = {};
  for (const s of spans) out[s.name] = (out[s.name] ?? 0) + 1;
  return out;
}
