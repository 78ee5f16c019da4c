// Records of a Lambda SQS event: their facts (context, queue, receive count) and
// `processSqsRecord`, the per-record API of the wrapper.
import { context, diag, ROOT_CONTEXT } from '@opentelemetry/api';
import { extractLambdaSqsRecordContext, extractSnsEnvelopeContext } from '@org/messaging-propagation';
import { activeDeps } from '../active';
import { receiveCount } from '../message-state';
import { runProcessSpan, runProcessSpanAsReturned } from '../process';
import type { ProcessFacts } from '../process';
import { isObject, stringOrUndefined } from '../telemetry';
import type { SqsTelemetryDeps } from '../telemetry';
import { invocationOf, recordOutcome } from './invocation';
import type { SqsEvent, SqsRecord } from './types';
import { APPROXIMATE_RECEIVE_COUNT, SENT_TIMESTAMP } from '../sqs-attribute-names';

/**
 * The event's readable records; none when the event is not an SQS event. A
 * record that throws when looked at (a revoked Proxy) is left out with a
 * warning: it can give no context, no id and no link, and the others still can.
 */
export function recordsOf(event: SqsEvent): SqsRecord[] {
  const records = isObject(event) ? event['Records'] : undefined;
  if (!Array.isArray(records)) return [];
  return records.filter((record): record is SqsRecord => {
    try {
      if (!isObject(record)) return false;
      // A Proxy whose getters throw is as unreadable as a revoked one: reading its id tells.
      Reflect.get(record, 'messageId');
      return true;
    } catch (error) {
      diag.warn('otel-mq: a record of the Lambda SQS event could not be read; it is left out of the telemetry', error);
      return false;
    }
  });
}

/** `arn:aws:sqs:us-east-1:123456789012:orders` → `orders` */
export function queueNameFromArn(arn: unknown): string | undefined {
  if (typeof arn !== 'string' || !arn.startsWith('arn:')) return undefined;
  const parts = arn.split(':');
  return parts.length >= 6 ? stringOrUndefined(parts[parts.length - 1]) : undefined;
}

/** The record's `attributes` as a plain copy; none when it is not an object or throws when read. */
function readableAttributes(attributes: unknown): Record<string, unknown> {
  try {
    return isObject(attributes) ? { ...attributes } : {};
  } catch {
    return {};
  }
}

export function recordFacts(record: SqsRecord, extractSnsEnvelope: boolean): Omit<ProcessFacts, 'base'> {
  let extracted = extractLambdaSqsRecordContext(record, ROOT_CONTEXT);
  if (extracted.carrier === 'none' && extractSnsEnvelope) {
    const fromEnvelope = extractSnsEnvelopeContext(record.body, ROOT_CONTEXT);
    if (fromEnvelope.carrier !== 'none') extracted = fromEnvelope;
  }
  const attributes = readableAttributes(record.attributes);
  return {
    extracted,
    queueUrl: undefined,
    queueName: queueNameFromArn(record.eventSourceARN),
    messageId: stringOrUndefined(record.messageId),
    receiveCount: receiveCount(attributes[APPROXIMATE_RECEIVE_COUNT]),
    sentTimestamp: stringOrUndefined(attributes[SENT_TIMESTAMP]),
    region: stringOrUndefined(record.awsRegion),
    body: record.body,
  };
}

/**
 * Runs `work` for one record of a Lambda SQS event in its own CONSUMER
 * `process {queue}` span, parented per the consumer context policy (by default
 * the record's producer). Inside a `wrapSqsHandler` handler with
 * `reportBatchItemFailures`, a record (or a copy of it) whose last `work` failed
 * is reported in `batchItemFailures`, whether or not the plugin is enabled.
 * `work`'s result or error comes back unchanged: catch it to go on with the
 * other records.
 */
export function processSqsRecord<T>(record: SqsRecord, work: () => T | Promise<T>): Promise<T> {
  const settled = outcomeRecorder(record);
  return processWithTelemetry(record, work).then(
    (result) => {
      settled(false);
      return result;
    },
    (error: unknown) => {
      settled(true);
      throw error;
    },
  );
}

/** Records the outcome in the record's invocation, if it has one; never throws. */
function outcomeRecorder(record: SqsRecord): (failed: boolean) => void {
  try {
    const messageId = isObject(record) ? stringOrUndefined(record.messageId) : undefined;
    const invocation = invocationOf(record, messageId);
    if (invocation && messageId !== undefined) return (failed) => recordOutcome(invocation, messageId, failed);
  } catch (error) {
    (activeDeps()?.diag ?? diag).warn(
      'otel-mq: could not tell which Lambda invocation an SQS record belongs to',
      error,
    );
  }
  return () => undefined;
}

function processWithTelemetry<T>(record: SqsRecord, work: () => T | Promise<T>): Promise<T> {
  const deps = activeDeps();
  const facts = deps && processFactsOf(deps, record);
  if (!deps || !facts) return new Promise<T>((resolve) => resolve(work()));
  return runProcessSpan(deps, facts, work);
}

function processFactsOf(deps: SqsTelemetryDeps, record: SqsRecord): ProcessFacts | undefined {
  try {
    if (!isObject(record)) throw new TypeError('not an SQS record');
    return { ...recordFacts(record, deps.config().extractSnsEnvelope), base: context.active() };
  } catch (error) {
    deps.diag.warn('otel-mq: processSqsRecord was given something that is not an SQS event record', error);
    return undefined;
  }
}

/**
 * Runs a batch library's record handler (Powertools) for one Lambda SQS record
 * in its process span, returning exactly what the handler returns (a value, a
 * promise, or a throw), so the library's own success and failure accounting,
 * and the batch response it builds, are what they would be without us.
 */
export function processRecordAsReturned<T>(record: SqsRecord, work: () => T): T {
  const deps = activeDeps();
  const facts = deps && processFactsOf(deps, record);
  if (!deps || !facts) return work();
  return runProcessSpanAsReturned(deps, facts, work);
}
