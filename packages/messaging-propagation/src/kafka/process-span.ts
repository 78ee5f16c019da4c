// A started Kafka process span, how it runs a handler in its context, and how
// it ends: exactly once, on every path, tracked as open until then.
import { context } from '@opentelemetry/api';
import type { Attributes, Context, Span } from '@opentelemetry/api';
import { endOperation, failedWith, SUCCEEDED } from '../end-operation';
import type { OperationOutcome } from '../end-operation';
import { HandlerUnsettledAtExitError, trackOpenOperation } from '../open-spans';
import type { KafkaTelemetry } from './telemetry';

/** A started process span and what its end needs. */
export interface ProcessSpan {
  span: Span;
  spanContext: Context;
  attributes: Attributes;
  /** `performance.now()` when processing started. */
  started: number;
  messageCount: number;
  /** Record `messaging.process.duration` (per-message spans) or not (batch spans). */
  recordDuration: boolean;
  /** Set once the span has ended: it ends exactly once. */
  ended?: boolean;
  /** Stops tracking the span as open: set while its handler runs. */
  untrack?: () => void;
}

/** Ends a process span and records its metrics; never throws. */
export function finishProcessSpan(deps: KafkaTelemetry, process: ProcessSpan, outcome: OperationOutcome): void {
  if (process.ended) return;
  process.ended = true;
  process.untrack?.();
  // A `performance.now()` reading, like the start: the SDK maps both onto the wall
  // clock with one offset, so a span started at a past reading still contains its
  // children (ending without a time would read `Date.now()`, another clock).
  endOperation(
    deps,
    `${deps.label} process`,
    process,
    { ...outcome, endTime: performance.now() },
    { duration: process.recordDuration ? 'process' : undefined, consumed: process.messageCount },
  );
}

/** Tracks the span as open until it ends: ended at process exit if it never does. */
export function trackProcessSpan(deps: KafkaTelemetry, process: ProcessSpan): void {
  process.untrack = trackOpenOperation({
    abandon: () => finishProcessSpan(deps, process, failedWith(new HandlerUnsettledAtExitError())),
  });
}

/**
 * Runs the handler in the span's context and ends the span when the handler's
 * promise settles (or it throws). The handler's result or error is passed on unchanged.
 */
export function runInProcessSpan<T>(
  deps: KafkaTelemetry,
  process: ProcessSpan,
  handler: () => Promise<T> | T,
): Promise<T> {
  let pending: Promise<T>;
  trackProcessSpan(deps, process);
  try {
    pending = Promise.resolve(context.with(process.spanContext, handler));
  } catch (error) {
    finishProcessSpan(deps, process, failedWith(error));
    throw error;
  }
  return pending.then(
    (result) => {
      finishProcessSpan(deps, process, SUCCEEDED);
      return result;
    },
    (error: unknown) => {
      finishProcessSpan(deps, process, failedWith(error));
      throw error;
    },
  );
}
