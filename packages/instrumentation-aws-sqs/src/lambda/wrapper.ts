// The Lambda SQS handler wrapper: one CONSUMER span for the invocation's batch,
// linked to every record's producer, with faas/cloud attributes; per-record
// process spans through processSqsRecord; partial batch responses on request;
// spans flushed before the handler returns.
import { context, metrics, SpanKind, trace } from '@opentelemetry/api';
import type { Attributes, Context, Link, Span } from '@opentelemetry/api';
import {
  ATTR_OTEL_MQ_BATCH_FAILED_MESSAGE_COUNT,
  lambdaInvocationAttributes,
  messagingAttributes,
  messagingSpanName,
  MessagingOperations,
  recordSpanError,
  metricAttributes,
} from '@org/messaging-propagation';
import { SpanStatusCode } from '@opentelemetry/api';
import { activeDeps } from '../active';
import { MAX_LINKS, isObject, stringOrUndefined } from '../telemetry';
import type { SqsTelemetryDeps } from '../telemetry';
import { recordFacts, recordsOf, registerInvocation } from './records';
import type { Invocation } from './records';
import type { LambdaContext, SqsBatchResponse, SqsEvent, SqsHandler, SqsHandlerWrapperOptions } from './types';

let coldStart = true;

interface StartedInvocation {
  span: Span;
  spanContext: Context;
  attributes: Attributes;
  invocation: Invocation;
  recordCount: number;
}

function startInvocation(deps: SqsTelemetryDeps, event: SqsEvent, lambdaContext: LambdaContext): StartedInvocation {
  const records = recordsOf(event);
  if (records.length === 0) deps.diag.warn('otel-mq: wrapSqsHandler was invoked with an event that has no SQS records');
  const queues = new Set<string | undefined>();
  const links: Link[] = [];
  let region = stringOrUndefined(process.env['AWS_REGION']);
  for (const record of records) {
    const facts = recordFacts(record, deps.config().extractSnsEnvelope !== false);
    queues.add(facts.queueName);
    region ??= facts.region;
    const producer = trace.getSpanContext(facts.extracted.context);
    if (producer && links.length < MAX_LINKS) links.push({ context: producer });
  }
  const queueName = queues.size === 1 ? [...queues][0] : undefined;
  const lambda = isObject(lambdaContext) ? lambdaContext : {};
  const attributes: Attributes = {
    ...messagingAttributes({
      operation: MessagingOperations.sqs.process,
      destination: queueName,
      batchMessageCount: records.length,
    }),
    ...lambdaInvocationAttributes({
      invocationId: stringOrUndefined(lambda['awsRequestId']),
      functionName: stringOrUndefined(lambda['functionName']),
      functionVersion: stringOrUndefined(lambda['functionVersion']),
      functionArn: stringOrUndefined(lambda['invokedFunctionArn']),
      region,
      coldStart,
    }),
  };
  coldStart = false;
  const parent = context.active();
  const span = deps
    .tracer()
    .startSpan(
      messagingSpanName(MessagingOperations.sqs.process, queueName),
      { kind: SpanKind.CONSUMER, attributes, links },
      parent,
    );
  const invocation: Invocation = { failedMessageIds: new Set() };
  for (const record of records) registerInvocation(record, invocation);
  return { span, spanContext: trace.setSpan(parent, span), attributes, invocation, recordCount: records.length };
}

function endInvocation(deps: SqsTelemetryDeps, started: StartedInvocation, error: unknown): void {
  try {
    const failed = started.invocation.failedMessageIds.size;
    if (error !== undefined) recordSpanError(started.span, error);
    else if (failed > 0) {
      started.span.setAttribute(ATTR_OTEL_MQ_BATCH_FAILED_MESSAGE_COUNT, failed);
      started.span.setStatus({
        code: SpanStatusCode.ERROR,
        message: `${failed} of ${started.recordCount} records failed`,
      });
    }
    started.span.end();
    if (started.recordCount > 0) {
      deps.metrics().consumedMessages.add(started.recordCount, metricAttributes(started.attributes, error));
    }
  } catch (telemetryError) {
    deps.diag.error('otel-mq: Lambda SQS telemetry failed', telemetryError);
  }
}

/** The handler's result with the failed records added to `batchItemFailures` (a copy; the result itself if none failed). */
export function withBatchItemFailures(result: unknown, failedMessageIds: ReadonlySet<string>): unknown {
  if (failedMessageIds.size === 0) return result;
  const own = isObject(result) && Array.isArray(result['batchItemFailures']) ? result['batchItemFailures'] : [];
  const listed = new Set(own.map((failure: unknown) => (isObject(failure) ? failure['itemIdentifier'] : undefined)));
  const added = [...failedMessageIds].filter((id) => !listed.has(id)).map((itemIdentifier) => ({ itemIdentifier }));
  if (result !== undefined && result !== null && !isObject(result)) return result;
  const response: SqsBatchResponse = {
    batchItemFailures: [...(own as SqsBatchResponse['batchItemFailures']), ...added],
  };
  return isObject(result) ? { ...result, ...response } : response;
}

interface Flushable {
  forceFlush?: () => Promise<unknown>;
  getDelegate?: () => unknown;
}

async function flushGlobalProviders(): Promise<void> {
  const providers: unknown[] = [trace.getTracerProvider(), metrics.getMeterProvider()];
  await Promise.all(
    providers.map(async (provider) => {
      const candidate = provider as Flushable | undefined;
      const target = (typeof candidate?.getDelegate === 'function' ? candidate.getDelegate() : candidate) as Flushable;
      if (typeof target?.forceFlush === 'function') await target.forceFlush();
    }),
  );
}

async function flush(deps: SqsTelemetryDeps, option: SqsHandlerWrapperOptions['flush']): Promise<void> {
  if (option === false) return;
  try {
    await (typeof option === 'function' ? option() : flushGlobalProviders());
  } catch (error) {
    deps.diag.warn('otel-mq: flushing telemetry before the Lambda handler returned failed', error);
  }
}

/**
 * Wraps an SQS-triggered Lambda handler (`async (event, context) => …`). The
 * handler is called once with its own `this` and arguments, inside a CONSUMER
 * span for the batch; process each record with `processSqsRecord(record, work)`
 * for a span per record. Its result or error comes back unchanged, except that
 * with `reportBatchItemFailures` the records whose processing failed are added
 * to `batchItemFailures`.
 */
export function wrapSqsHandler<TEvent extends SqsEvent, TResult>(
  handler: SqsHandler<TEvent, TResult>,
  options: SqsHandlerWrapperOptions = {},
): (event: TEvent, context: LambdaContext) => Promise<TResult | SqsBatchResponse> {
  return async function wrappedSqsHandler(this: unknown, event: TEvent, lambdaContext: LambdaContext) {
    const deps = activeDeps();
    if (!deps) return handler.call(this, event, lambdaContext);
    let started: StartedInvocation | undefined;
    try {
      started = startInvocation(deps, event, lambdaContext);
    } catch (error) {
      deps.diag.error('otel-mq: Lambda SQS instrumentation failed; running the handler uninstrumented', error);
    }
    if (!started) return handler.call(this, event, lambdaContext);
    const invocation = started;
    let result: TResult;
    try {
      result = await context.with(invocation.spanContext, () => handler.call(this, event, lambdaContext));
    } catch (error) {
      endInvocation(deps, invocation, error);
      await flush(deps, options.flush);
      throw error;
    }
    let response: TResult | SqsBatchResponse = result;
    try {
      if (options.reportBatchItemFailures) {
        response = withBatchItemFailures(result, invocation.invocation.failedMessageIds) as TResult | SqsBatchResponse;
      }
    } catch (error) {
      deps.diag.error('otel-mq: could not build the partial batch response', error);
    }
    endInvocation(deps, invocation, undefined);
    await flush(deps, options.flush);
    return response;
  };
}
