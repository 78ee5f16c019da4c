// Per-message processing: `processSqsMessage(message, work)` runs the user's work
// for one received message in a CONSUMER `process {queue}` span, parented per the
// consumer context policy, with its own real timing.
import { context, trace } from '@opentelemetry/api';
import type { Attributes, Context, Span } from '@opentelemetry/api';
import {
  deliveryAttributes,
  HandlerUnsettledAtExitError,
  messagingAttributes,
  MessagingOperations,
  messagingSpanName,
  resolveConsumerContext,
  runUserHook,
} from '@org/messaging-propagation';
import { endOperation, failedWith, SUCCEEDED, trackOpenOperation } from '@org/messaging-propagation/internal';
import type { OperationOutcome } from '@org/messaging-propagation/internal';
import type { ExtractedContext } from '@org/messaging-propagation';
import { activeDeps } from './active';
import { readMessageState, rememberedMessage } from './message-state';
import { isObject, queueNameOf, queueSqsAttributes, stringOrUndefined } from './telemetry';
import type { SqsTelemetryDeps } from './telemetry';
import type { SqsMessage } from './types';

/** Options of `processSqsMessage`. */
export interface ProcessSqsMessageOptions {
  /** The queue the message came from, when it was not received through the instrumented client. */
  queueUrl?: string | undefined;
}

/** What a process span is built from, whatever shape (SDK message, Lambda record) the message had. */
export interface ProcessFacts {
  extracted: ExtractedContext;
  queueUrl: string | undefined;
  queueName: string | undefined;
  messageId: string | undefined;
  receiveCount: number | undefined;
  sentTimestamp: string | undefined;
  region: string | undefined;
  /** The consumer's own context: the parent under the `'link'` policy. */
  base: Context;
  extra?: Attributes | undefined;
}

/**
 * Runs `work` inside a CONSUMER `process {queue}` span and ends the span when it
 * settles, recording `messaging.process.duration`. `work`'s result or error is
 * passed on unchanged; if the telemetry fails, `work` runs uninstrumented.
 */
export function runProcessSpan<T>(deps: SqsTelemetryDeps, facts: ProcessFacts, work: () => T | Promise<T>): Promise<T> {
  let span: Span;
  let spanContext: Context;
  let attributes: Attributes;
  const started = performance.now();
  try {
    const config = deps.config();
    const { parentContext, links } = resolveConsumerContext(facts.extracted.context, {
      system: MessagingOperations.sqs.process.system,
      destination: facts.queueName,
      policy: config.consumerContextPolicy,
      base: facts.base,
      logger: deps.diag,
    });
    attributes = Object.assign(
      messagingAttributes({
        operation: MessagingOperations.sqs.process,
        destination: facts.queueName,
        messageId: facts.messageId,
      }),
      queueSqsAttributes(facts.queueUrl, { region: facts.region }),
      deliveryAttributes({
        brokerTimestampMs: facts.sentTimestamp,
        deliveryCount: facts.receiveCount,
        carrier: facts.extracted.carrier,
      }),
      facts.extra,
    );
    span = deps
      .tracer()
      .startSpan(
        messagingSpanName(MessagingOperations.sqs.process, facts.queueName),
        { kind: MessagingOperations.sqs.process.spanKind, attributes, links },
        parentContext,
      );
    runUserHook(deps.diag, 'consumerHook', config.consumerHook, span, {
      queueUrl: facts.queueUrl,
      messageId: facts.messageId,
    });
    spanContext = trace.setSpan(parentContext, span);
  } catch (error) {
    deps.diag.error('otel-mq: SQS process instrumentation failed; processing uninstrumented', error);
    return new Promise<T>((resolve) => resolve(work()));
  }

  let ended = false;
  let untrack: () => void = () => undefined;
  const finish = (outcome: OperationOutcome) => {
    if (ended) return;
    ended = true;
    untrack();
    endOperation(deps, 'SQS process', { span, attributes, started }, outcome, { duration: 'process' });
  };
  // Until `work` settles: ended at process exit if it never does.
  untrack = trackOpenOperation({ abandon: () => finish(failedWith(new HandlerUnsettledAtExitError())) });
  return context
    .with(spanContext, () => new Promise<T>((resolve) => resolve(work())))
    .then(
      (result) => {
        finish(SUCCEEDED);
        return result;
      },
      (error: unknown) => {
        finish(failedWith(error));
        throw error;
      },
    );
}

/**
 * Runs `work` for one message returned by `ReceiveMessage` in its own CONSUMER
 * `process {queue}` span: by default a child of the producer's send span (and
 * linked to it), with the message id, receive count and time spent in the queue.
 * Settle calls (`DeleteMessage`, …) made inside `work` are children of it.
 * `work`'s result or error comes back unchanged, as a promise.
 */
export function processSqsMessage<T>(
  message: SqsMessage,
  work: () => T | Promise<T>,
  options: ProcessSqsMessageOptions = {},
): Promise<T> {
  const deps = activeDeps();
  if (!deps) return new Promise<T>((resolve) => resolve(work()));
  let facts: ProcessFacts;
  try {
    if (!isObject(message)) throw new TypeError(`expected a message object, got ${typeof message}`);
    const state =
      rememberedMessage(message) ??
      readMessageState(message, options.queueUrl, deps.config().extractSnsEnvelope !== false);
    const queueUrl = state.queueUrl ?? stringOrUndefined(options.queueUrl);
    facts = {
      ...state,
      queueUrl,
      queueName: queueNameOf(queueUrl),
      base: context.active(),
    };
  } catch (error) {
    deps.diag.warn('otel-mq: processSqsMessage was given something that is not an SQS message', error);
    return new Promise<T>((resolve) => resolve(work()));
  }
  return runProcessSpan(deps, facts, work);
}
