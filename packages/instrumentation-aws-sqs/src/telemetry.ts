// Spans and metrics shared by every SQS operation, built from @org/messaging-propagation.
import { SpanStatusCode } from '@opentelemetry/api';
import type { Attributes, Context, Link, Span } from '@opentelemetry/api';
import {
  ATTR_AWS_SQS_QUEUE_URL,
  ATTR_ERROR_TYPE,
  ATTR_OTEL_MQ_BATCH_FAILED_MESSAGE_COUNT,
  errorType,
  OperationUnansweredAtExitError,
} from '@org/messaging-propagation';
import type { MessagingOperation } from '@org/messaging-propagation';
import {
  messagingAttributes,
  RunningOperation,
  sqsAttributes,
  startMessagingSpan,
} from '@org/messaging-propagation/internal';
import type { OperationKind, OperationOutcome, PluginTelemetry, SqsFacts } from '@org/messaging-propagation/internal';
import type { BatchResultErrorEntry } from './internal-types';
import { queueUrlFacts } from './queue-url';
import type { AwsSqsInstrumentationConfig } from './types';

/** What the telemetry needs from the instrumentation: read lazily, as the SDK may change them. */
export type SqsTelemetryDeps = PluginTelemetry<AwsSqsInstrumentationConfig & AwsSqsConfigDefaults>;

/** The defaults of the options the telemetry reads (the README's options table documents them). */
export interface AwsSqsConfigDefaults {
  batchEntryCreateSpans: boolean;
  requestTraceAttributes: boolean;
  extractSnsEnvelope: boolean;
  captureBodySize: boolean;
}
export const AWS_SQS_CONFIG_DEFAULTS: Readonly<AwsSqsConfigDefaults> = Object.freeze({
  batchEntryCreateSpans: false,
  requestTraceAttributes: true,
  extractSnsEnvelope: true,
  captureBodySize: false,
});

/** A span links to at most this many producers: links are kept in memory until the span ends. */
export const MAX_LINKS = 128;

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export interface OperationStart {
  operation: MessagingOperation;
  queueUrl: string | undefined;
  parent: Context;
  batchMessageCount?: number | undefined;
  /** The call's other SQS facts: the queue URL is `queueUrl`. */
  facts?: Omit<SqsFacts, 'queueUrl'> | undefined;
  links?: Link[] | undefined;
}

/** The queue's name (`messaging.destination.name`), from its URL; `undefined` for anything but a string. */
export function queueNameOf(queueUrl: unknown): string | undefined {
  return typeof queueUrl === 'string' ? queueUrlFacts(queueUrl).queueName : undefined;
}

/** `sqsAttributes` of a queue and other facts, the queue URL's part worked out once per URL. */
export function queueSqsAttributes(queueUrl: unknown, facts?: Omit<SqsFacts, 'queueUrl'>): Attributes {
  // Anything but a string goes through `sqsAttributes` as it always did (a truthy one makes it throw).
  if (typeof queueUrl !== 'string') return sqsAttributes({ ...facts, queueUrl: queueUrl as undefined });
  const attributes: Attributes = {};
  const { recordedUrl } = queueUrlFacts(queueUrl);
  if (recordedUrl) attributes[ATTR_AWS_SQS_QUEUE_URL] = recordedUrl;
  return facts ? Object.assign(attributes, sqsAttributes(facts)) : attributes;
}

/** The start attributes of a span about a queue: the messaging ones, then the SQS ones. */
export function operationAttributes(
  start: Omit<OperationStart, 'parent' | 'links'>,
  queueName: string | undefined,
): Attributes {
  const attributes = messagingAttributes({
    operation: start.operation,
    destination: queueName,
    batchMessageCount: start.batchMessageCount,
  });
  return Object.assign(attributes, queueSqsAttributes(start.queueUrl, start.facts));
}

/** Starts the span of one SQS call: `{operation} {queue}`, attributes from the shared builders. */
export function startOperationSpan(deps: SqsTelemetryDeps, start: OperationStart): SqsOperation {
  const queueName = queueNameOf(start.queueUrl);
  const attributes = operationAttributes(start, queueName);
  const span = startMessagingSpan(deps.tracer(), start.operation, queueName, start.parent, attributes, start.links);
  return new SqsOperation(deps, span, start.parent, attributes, performance.now()).track();
}

export interface OperationEnd {
  /** Whether the call threw or rejected, and with what. */
  outcome: OperationOutcome;
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

const SQS_CALL: OperationKind = Object.freeze({
  what: 'SQS',
  metrics: Object.freeze({ duration: 'client' }),
  exitError: () => new OperationUnansweredAtExitError(),
});

/**
 * A send, receive or settle call of the SQS or SNS client: `answered` ends it
 * with the AWS answer's request id and region and the messages it counts.
 * Tracked until then: ended at exit if the call never settles.
 */
export class SqsOperation extends RunningOperation {
  private answer: OperationEnd | undefined;

  constructor(deps: SqsTelemetryDeps, span: Span, parent: Context, attributes: Attributes, started: number) {
    super(deps, SQS_CALL, span, parent, attributes, started);
  }

  /** Ends the span and records its metrics. Idempotent; never throws. */
  answered(end: OperationEnd): void {
    if (this.hasEnded) return;
    this.answer = end;
    const outcome = end.batchFailure === undefined ? end.outcome : { ...end.outcome, partialFailure: end.batchFailure };
    this.finish(outcome, { duration: 'client', sent: end.sent, consumed: end.consumed });
  }

  protected override beforeEnd(): void {
    const end = this.answer;
    if (!end || !this.span.isRecording()) return;
    const requestId = end.requestId ?? (end.outcome.failed ? requestIdOf(end.outcome.error) : undefined);
    this.span.setAttributes(sqsAttributes({ requestId, region: end.region }));
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
