// The Lambda SQS handler wrapper: one CONSUMER span for the invocation's batch,
// linked to every record's producer, with faas/cloud attributes; per-record
// process spans through processSqsRecord; partial batch responses on request
// (with or without telemetry); spans flushed, within a deadline, before the
// handler returns.
import { context, diag, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Attributes, Context, Link, Span } from '@opentelemetry/api';
import { ATTR_OTEL_MQ_BATCH_FAILED_MESSAGE_COUNT, MessagingOperations } from '@org/messaging-propagation';
import {
  failedWith,
  lambdaInvocationAttributes,
  messagingAttributes,
  RunningOperation,
  startMessagingSpan,
  SUCCEEDED,
} from '@org/messaging-propagation/internal';
import type { OperationOutcome } from '@org/messaging-propagation/internal';
import { activeDeps } from '../active';
import { MAX_LINKS, isObject, stringOrUndefined } from '../telemetry';
import type { SqsTelemetryDeps } from '../telemetry';
import { flushWithDeadline } from './flush';
import { contextWithInvocation, endBookkeeping, startBookkeeping } from './invocation';
import type { Invocation } from './invocation';
import { recordFacts, recordsOf } from './records';
import type {
  LambdaContext,
  SqsBatchResponse,
  SqsEvent,
  SqsHandler,
  SqsHandlerCallback,
  SqsHandlerWrapperOptions,
  SqsRecord,
} from './types';

let coldStart = true;

/**
 * The invocation's batch span: counts the records as consumed and, where some
 * records failed though the handler did not, ends as ERROR with their number.
 */
class InvocationOperation extends RunningOperation {
  constructor(
    deps: SqsTelemetryDeps,
    span: Span,
    parent: Context,
    attributes: Attributes,
    started: number,
    private readonly invocation: Invocation,
    private readonly recordCount: number,
  ) {
    // The invocation's duration is Lambda's own metric: only the records are counted here.
    super(deps, { what: 'Lambda SQS', metrics: { consumed: recordCount } }, span, parent, attributes, started);
  }

  protected override beforeEnd(outcome: OperationOutcome): void {
    const failed = this.invocation.failedMessageIds.size;
    if (!outcome.failed && failed > 0) {
      this.span.setAttribute(ATTR_OTEL_MQ_BATCH_FAILED_MESSAGE_COUNT, failed);
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: `${failed} of ${this.recordCount} records failed` });
    }
  }
}

function startInvocation(
  deps: SqsTelemetryDeps,
  records: readonly SqsRecord[],
  lambdaContext: unknown,
  invocation: Invocation,
): InvocationOperation {
  if (records.length === 0) deps.diag.warn('otel-mq: wrapSqsHandler was invoked with an event that has no SQS records');
  const queues = new Set<string | undefined>();
  const links: Link[] = [];
  let region = stringOrUndefined(process.env['AWS_REGION']);
  for (const record of records) {
    let facts: ReturnType<typeof recordFacts>;
    try {
      facts = recordFacts(record, deps.config().extractSnsEnvelope);
    } catch (error) {
      // A record that throws when read (a revoked Proxy) gives no link; the others still do.
      deps.diag.warn(
        'otel-mq: an SQS record of the Lambda event could not be read; it is left out of the links',
        error,
      );
      continue;
    }
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
  const span = startMessagingSpan(deps.tracer(), MessagingOperations.sqs.process, queueName, parent, attributes, links);
  // Tracked until the handler settles: ended at exit if it never does.
  return new InvocationOperation(deps, span, parent, attributes, performance.now(), invocation, records.length).track();
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

interface PreparedInvocation {
  invocation: Invocation;
  /** Undefined with the plugin disabled, or when its telemetry failed. */
  started: InvocationOperation | undefined;
  handlerContext: Context;
}

/** The bookkeeping always (partial batch responses must not depend on telemetry), the span when enabled. Never throws. */
function prepare(deps: SqsTelemetryDeps | undefined, event: unknown, lambdaContext: unknown): PreparedInvocation {
  let records: SqsRecord[] = [];
  try {
    records = recordsOf(event as SqsEvent);
  } catch (error) {
    (deps?.diag ?? diag).error('otel-mq: could not read the records of a Lambda SQS event', error);
  }
  const invocation = startBookkeeping(records);
  let started: InvocationOperation | undefined;
  if (deps) {
    try {
      started = startInvocation(deps, records, lambdaContext, invocation);
    } catch (error) {
      deps.diag.error('otel-mq: Lambda SQS instrumentation failed; running the handler without its span', error);
    }
  }
  const handlerContext = contextWithInvocation(started?.context ?? context.active(), invocation);
  return { invocation, started, handlerContext };
}

/**
 * Calls the handler once with the wrapper's own `this` and arguments. A
 * callback-style handler (three or more parameters, as the Node.js 22 runtime
 * still allows) is given a callback in place of the runtime's, and its answer
 * comes back through the wrapper's promise; as with the runtime, a promise it
 * returns counts too, whichever settles first.
 */
function callHandler<TEvent extends SqsEvent, TResult>(
  handler: SqsHandler<TEvent, TResult>,
  thisArg: unknown,
  args: unknown[],
): Promise<TResult> {
  if (handler.length < 3) {
    return Promise.resolve(Reflect.apply(handler, thisArg, args) as TResult | Promise<TResult>);
  }
  return new Promise<TResult>((resolve, reject) => {
    const callback: SqsHandlerCallback<TResult> = (error, result) => {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the handler's error, unchanged
      if (error !== undefined && error !== null) reject(error);
      else resolve(result as TResult);
    };
    const returned: unknown = Reflect.apply(handler, thisArg, [args[0], args[1], callback, ...args.slice(3)]);
    if (isPromiseLike(returned)) returned.then(resolve as (value: unknown) => void, reject);
  });
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/**
 * Wraps an SQS-triggered Lambda handler, async (`async (event, context) => …`)
 * or callback-style (`(event, context, callback) => …`). The handler is called
 * once with its own `this` and arguments, inside a CONSUMER span for the batch;
 * process each record with `processSqsRecord(record, work)` for a span per
 * record. Its result or error comes back unchanged, as a promise, except that
 * with `reportBatchItemFailures` the records whose processing failed are added
 * to `batchItemFailures` (with the plugin disabled too).
 */
export function wrapSqsHandler<TEvent extends SqsEvent, TResult>(
  handler: SqsHandler<TEvent, TResult>,
  options: SqsHandlerWrapperOptions = {},
): (event: TEvent, context: LambdaContext, ...rest: unknown[]) => Promise<TResult | SqsBatchResponse> {
  return async function wrappedSqsHandler(this: unknown, ...args: unknown[]) {
    const [event, lambdaContext] = args;
    const deps = activeDeps();
    const { invocation, started, handlerContext } = prepare(deps, event, lambdaContext);
    let result: TResult;
    try {
      result = await context.with(handlerContext, () => callHandler(handler, this, args));
    } catch (error) {
      started?.finish(failedWith(error));
      if (deps) await flushWithDeadline(deps.diag, options.flush, lambdaContext);
      throw error;
    } finally {
      endBookkeeping(invocation);
    }
    let response: TResult | SqsBatchResponse = result;
    try {
      if (options.reportBatchItemFailures) {
        response = withBatchItemFailures(result, invocation.failedMessageIds) as TResult | SqsBatchResponse;
      }
    } catch (error) {
      (deps?.diag ?? diag).error('otel-mq: could not build the partial batch response', error);
    }
    started?.finish(SUCCEEDED);
    if (deps) await flushWithDeadline(deps.diag, options.flush, lambdaContext);
    return response;
  };
}
