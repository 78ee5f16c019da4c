// Process spans whose handler has not settled yet. A handler that never settles
// would leave its span unended and unexported forever; when the process is about
// to end (the event loop ran dry, or a signal nobody else handles), the register
// entry ends them as errors first, so they are exported with the rest.
import type { Span } from '@opentelemetry/api';
import { recordSpanError } from './errors';

/** Shared through the global symbol registry: every copy of every plugin tracks into the same set. */
const OPEN_SPANS_KEY = Symbol.for('otel-mq.open-process-spans');
const globalSlot = globalThis as { [OPEN_SPANS_KEY]?: Set<Span> };
const openSpans = (globalSlot[OPEN_SPANS_KEY] ??= new Set<Span>());

/** The error an open span records when the process ends before its handler settled. */
export class HandlerUnsettledAtExitError extends Error {
  override readonly name = 'HandlerUnsettledAtExitError';
  constructor() {
    super('the process ended before the message handler settled');
  }
}

/** Remembers a process span until `untrackOpenSpan`: call it when the span starts. */
export function trackOpenSpan(span: Span): void {
  openSpans.add(span);
}

/** Forgets a span whose handler settled: call it when the span ends. */
export function untrackOpenSpan(span: Span): void {
  openSpans.delete(span);
}

/**
 * Ends every tracked span as an error of type `HandlerUnsettledAtExitError` and
 * forgets it; returns how many there were. Never throws.
 */
export function endOpenSpans(): number {
  let ended = 0;
  for (const span of [...openSpans]) {
    openSpans.delete(span);
    try {
      recordSpanError(span, new HandlerUnsettledAtExitError());
      span.end();
      ended++;
    } catch {
      // A span that cannot be ended is no reason to stop ending the others.
    }
  }
  return ended;
}
