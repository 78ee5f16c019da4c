// Spans and metrics shared by every SQS operation, built from @org/messaging-propagation.
import { SpanStatusCode } from '@opentelemetry/api';
import type { Attributes, Context, DiagLogger, Link, Span, Tracer } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_OTEL_MQ_BATCH_FAILED_MESSAGE_COUNT,
  errorType,
  messagingAttributes,
  messagingSpanName,
  metricAttributes,
  recordSpanError,
  sqsAttributes,
  sqsQueueNameFromUrl,
  secondsSince,
} from '@org/messaging-propagation';
import type { MessagingMetrics, MessagingOperation, SqsFacts } from '@org/messaging-propagation';
import type { BatchResultErrorEntry } from './internal-types';
import type { AwsSqsInstrumentationConfig } from './types';

/** What the telemetry needs from the instrumentation: read lazily, as the SDK may change them. */
export interface SqsTelemetryDeps {
  tracer(): Tracer;
  metrics(): MessagingMetrics;
  config(): AwsSqsInstrumentationConfig;
  diag: DiagLogger;
}

/** A span links to at most this many producers: links are kept in memory until the span ends. */
export const MAX_LINKS = 128;

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `metricAttributes` for an outcome: something that rejected with `undefined` failed all the same. */
export function outcomeMetricAttributes(spanAttributes: Attributes, failed: boolean, error: unknown): Attributes {
  const attributes = metricAttributes(spanAttributes);
  if (failed) attributes[ATTR_ERROR_TYPE] = errorType(error);
  return attributes;
}

/** A started send, receive or settle call: its span and what its metrics need. */
export interface OperationSpan {
  span: Span;
  attributes: Attributes;
  started: number;
}

export interface OperationStart {
  operation: MessagingOperation;
  queueUrl: string | undefined;
  parent: Context;
  batchMessageCount?: number | undefined;
  facts?: SqsFacts | undefined;
  links?: Link[] | undefined;
}

/** Starts the span of one SQS call: `{operation} {queue}`, attributes from the shared builders. */
export function startOperationSpan(deps: SqsTelemetryDeps, start: OperationStart): OperationSpan {
  const queueName = sqsQueueNameFromUrl(start.queueUrl);
  const attributes: Attributes = {
    ...messagingAttributes({
      operation: start.operation,
      destination: queueName,
      batchMessageCount: start.batchMessageCount,
    }),
    ...sqsAttributes({ ...start.facts, queueUrl: start.queueUrl }),
  };
  const span = deps
    .tracer()
    .startSpan(
      messagingSpanName(start.operation, queueName),
      { kind: start.operation.spanKind, attributes, links: start.links },
      start.parent,
    );
  return { span, attributes, started: performance.now() };
}

export interface OperationEnd {
  /** What the call threw or rejected with. */
  error?: unknown;
  /** A batch call's refused entries, as returned by `recordBatchFailures`: for the metrics' `error.type`. */
  batchFailure?: unknown;
  requestId?: string | undefined;
  region?: string | undefined;
  /** Messages counted by `messaging.client.sent.messages`. */
  sent?: number | undefined;
  /** Messages counted by `messaging.client.consumed.messages`. */
  consumed?: number | undefined;
}

/** The request id of a failed SDK call: AWS SDK v3 errors carry their response's `$metadata`. */
function requestIdOf(error: unknown): string | undefined {
  const metadata = isObject(error) ? error['$metadata'] : undefined;
  return isObject(metadata) ? stringOrUndefined(metadata['requestId']) : undefined;
}

/** Ends an operation span and records its metrics. Never throws. */
export function endOperationSpan(deps: SqsTelemetryDeps, operation: OperationSpan, end: OperationEnd): void {
  try {
    const { span, attributes } = operation;
    const requestId = end.requestId ?? requestIdOf(end.error);
    span.setAttributes(sqsAttributes({ requestId, region: end.region }));
    if (end.error !== undefined) recordSpanError(span, end.error);
    span.end();
    const metricAttrs = metricAttributes(attributes, end.error ?? end.batchFailure);
    const metrics = deps.metrics();
    metrics.clientOperationDuration.record(secondsSince(operation.started), metricAttrs);
    if (end.sent) metrics.sentMessages.add(end.sent, metricAttrs);
    if (end.consumed) metrics.consumedMessages.add(end.consumed, metricAttrs);
  } catch (telemetryError) {
    deps.diag.error('otel-mq: SQS telemetry failed', telemetryError);
  }
}

/**
 * SQS batch calls succeed as a whole and answer per entry: refused entries mark
 * the span as failed (ERROR status, `error.type` from the first refusal's code,
 * and the number of refused entries). Returns the error-like value for metrics.
 */
export function recordBatchFailures(span: Span, failed: BatchResultErrorEntry[] | undefined, total: number): unknown {
  if (!Array.isArray(failed) || failed.length === 0) return undefined;
  const code = stringOrUndefined(failed[0]?.Code);
  const failure = { name: code };
  span.setAttribute(ATTR_OTEL_MQ_BATCH_FAILED_MESSAGE_COUNT, failed.length);
  span.setAttribute(ATTR_ERROR_TYPE, errorType(failure));
  span.setStatus({ code: SpanStatusCode.ERROR, message: `${failed.length} of ${total} entries failed` });
  return failure;
}
