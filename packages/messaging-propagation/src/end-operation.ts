// The one way every plugin ends an operation span: record the failure, end the
// span, record its duration and count its messages, and never throw. A failure
// is an explicit flag, never the truthiness of what was thrown: a handler or a
// client call may reject with `undefined` (or `null`), and that is a failure too.
import type { Attributes, DiagLogger, Span } from '@opentelemetry/api';
import { errorType, recordSpanError } from './errors';
import { metricAttributes, secondsSince, successMetricAttributes } from './metrics';
import type { MessagingMetrics } from './metrics';
import { ATTR_ERROR_TYPE } from './semconv';

/** What the operation's end needs from its plugin: every plugin's telemetry deps have these. */
export interface OperationTelemetry {
  metrics(): MessagingMetrics;
  diag: DiagLogger;
}

/** A started operation: its span and what its metrics are built from. */
export interface StartedOperation {
  span: Span;
  /** The span's start attributes: the metrics take their low-cardinality ones. */
  attributes: Attributes;
  /** `performance.now()` when the operation started. */
  started: number;
}

/** How an operation ended. */
export interface OperationOutcome {
  /** The operation threw or rejected, whatever with (`undefined` included). */
  failed: boolean;
  /** What it threw or rejected with; read only when `failed`. */
  error?: unknown;
  /**
   * A failure that is not the call's own (refused batch entries): gives the
   * metrics their `error.type` while the span's status was set by the caller.
   */
  partialFailure?: unknown;
  /** A `performance.now()` reading to end the span at; the SDK's own clock reads one otherwise. */
  endTime?: number | undefined;
}

/** Which metrics the operation records. */
export interface OperationMetrics {
  /** `client`: `messaging.client.operation.duration`; `process`: `messaging.process.duration`; none: no duration. */
  duration?: 'client' | 'process' | undefined;
  /** Messages counted by `messaging.client.sent.messages` or `messaging.client.consumed.messages`. */
  sent?: number | undefined;
  consumed?: number | undefined;
}

/**
 * Ends `operation`'s span and records its metrics with the shared low-cardinality
 * attributes (plus `error.type` on failure). Never throws: a telemetry failure is
 * logged through `telemetry.diag` as `otel-mq: {what} telemetry failed`.
 */
export function endOperation(
  telemetry: OperationTelemetry,
  what: string,
  operation: StartedOperation,
  outcome: OperationOutcome,
  recorded: OperationMetrics,
): void {
  try {
    const { span } = operation;
    if (outcome.failed) recordSpanError(span, outcome.error);
    span.end(outcome.endTime);
    if (recorded.duration === undefined && !recorded.sent && !recorded.consumed) return;
    const metrics = telemetry.metrics();
    if (metrics.noop) return;
    let attributes: Attributes;
    if (outcome.failed || outcome.partialFailure !== undefined) {
      attributes = metricAttributes(operation.attributes);
      attributes[ATTR_ERROR_TYPE] = errorType(outcome.failed ? outcome.error : outcome.partialFailure);
    } else {
      attributes = successMetricAttributes(operation.attributes);
    }
    if (recorded.duration !== undefined) {
      const histogram = recorded.duration === 'process' ? metrics.processDuration : metrics.clientOperationDuration;
      histogram.record(secondsSince(operation.started), attributes);
    }
    if (recorded.sent) metrics.sentMessages.add(recorded.sent, attributes);
    if (recorded.consumed) metrics.consumedMessages.add(recorded.consumed, attributes);
  } catch (telemetryError) {
    telemetry.diag.error(`otel-mq: ${what} telemetry failed`, telemetryError);
  }
}

/** A successful outcome, shared: most operations succeed. */
export const SUCCEEDED: OperationOutcome = Object.freeze({ failed: false });

/** The outcome of an operation that threw or rejected with `error`. */
export function failedWith(error: unknown): OperationOutcome {
  return { failed: true, error };
}
