// Per-message processing: `processSqsMessage(message, work)` runs the user's work
// for one received message in a CONSUMER `process {queue}` span, parented per the
// consumer context policy, with its own real timing.
import { context, trace } from '@opentelemetry/api';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { Attributes, Context, Link, Span } from '@opentelemetry/api';
import {
  ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
  MessagingOperations,
  resolveConsumerContext,
} from '@org/messaging-propagation';
import type { ExtractedContext } from '@org/messaging-propagation';
import {
  ConstantAttributes,
  deliveryAttributes,
  messageIdentityAttributes,
  messagingAttributes,
  runInOperation,
  runInOperationAsReturned,
  RunningOperation,
  runUserHook,
  setMessageBodySize,
  startMessagingSpan,
} from '@org/messaging-propagation/internal';
import type { OperationKind } from '@org/messaging-propagation/internal';
import { activeDeps } from './active';
import { readMessageState, rememberedMessage } from './message-state';
import { rememberSettleParent } from './settle-parents';
import { isObject, MAX_LINKS, queueNameOf, queueSqsAttributes, stringOrUndefined } from './telemetry';
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
  /** The message's body: its size is recorded with `captureBodySize`. */
  body?: unknown;
  /** Batch spans: a link per message, beside any the policy gives. */
  links?: Link[] | undefined;
  /**
   * Receipt handles settled after the span ends (sqs-consumer deletes once the
   * handler returned): their settle spans are parented on this span.
   */
  settledLater?: readonly unknown[] | undefined;
}

/** The end of a process span: its duration; the receive counted the messages. */
const PROCESS: OperationKind = Object.freeze({ what: 'SQS process', metrics: Object.freeze({ duration: 'process' }) });

const processAttributes = new ConstantAttributes();
/** The owner of the process attribute sets: there is no client object here, only queues. */
const QUEUES = {};

/** The attributes every process span of one queue starts with: built once per queue URL and region. */
function constantProcessAttributes(facts: ProcessFacts): Attributes {
  const cacheable = typeof facts.queueUrl === 'string';
  const key = cacheable ? `${facts.region ?? ''} ${facts.queueUrl}` : '';
  const known = cacheable ? processAttributes.get(QUEUES, key) : undefined;
  if (known) return known;
  const attributes = Object.assign(
    messagingAttributes({ operation: MessagingOperations.sqs.process, destination: facts.queueName }),
    queueSqsAttributes(facts.queueUrl, { region: facts.region }),
  );
  return cacheable ? processAttributes.remember(QUEUES, key, attributes) : attributes;
}

/** Starts a CONSUMER `process {queue}` span; `undefined` (logged) when the telemetry itself failed. */
function startProcessSpan(deps: SqsTelemetryDeps, facts: ProcessFacts): RunningOperation | undefined {
  let span: Span;
  let parent: Context;
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
    attributes = constantProcessAttributes(facts);
    span = startMessagingSpan(
      deps.tracer(),
      MessagingOperations.sqs.process,
      facts.queueName,
      parentContext,
      // What a sampler may read; the per-message attributes follow only if the span records.
      attributes,
      facts.links ? [...links, ...facts.links] : links,
    );
    if (span.isRecording()) {
      span.setAttributes(
        Object.assign(
          messageIdentityAttributes({ messageId: facts.messageId }),
          deliveryAttributes({
            brokerTimestampMs: facts.sentTimestamp,
            deliveryCount: facts.receiveCount,
            carrier: facts.extracted.carrier,
          }),
          facts.extra,
        ),
      );
    }
    if (config.captureBodySize) setMessageBodySize(span, facts.body);
    if (config.consumerHook) {
      runUserHook(deps.diag, 'consumerHook', config.consumerHook, span, {
        queueUrl: facts.queueUrl,
        messageId: facts.messageId,
      });
    }
    parent = parentContext;
    if (facts.settledLater?.length) {
      const spanContext = trace.setSpan(parentContext, span);
      for (const receipt of facts.settledLater) rememberSettleParent(receipt, spanContext);
    }
  } catch (error) {
    deps.diag.error('otel-mq: SQS process instrumentation failed; processing uninstrumented', error);
    return undefined;
  }

  // Until `work` settles: ended at process exit if it never does.
  return new RunningOperation(deps, PROCESS, span, parent, attributes, started).track();
}

/**
 * Runs `work` inside a CONSUMER `process {queue}` span and ends the span when it
 * settles, recording `messaging.process.duration`. `work`'s result or error is
 * passed on unchanged, as a promise; if the telemetry fails, `work` runs uninstrumented.
 */
export function runProcessSpan<T>(deps: SqsTelemetryDeps, facts: ProcessFacts, work: () => T | Promise<T>): Promise<T> {
  const started = startProcessSpan(deps, facts);
  if (!started) return new Promise<T>((resolve) => resolve(work()));
  return runInOperation(started, work);
}

/**
 * `runProcessSpan` for a caller that must get back exactly what `work` returns:
 * a value (the span ends at once), a promise (it ends when that settles, and the
 * caller gets a promise settling the same way), or a throw (rethrown). Used
 * where the library calling the handler may be synchronous (Powertools'
 * BatchProcessorSync).
 */
export function runProcessSpanAsReturned<T>(deps: SqsTelemetryDeps, facts: ProcessFacts, work: () => T): T {
  const started = startProcessSpan(deps, facts);
  if (!started) return work();
  return runInOperationAsReturned(started, work, 'as-returned');
}

/** The facts of one received message, from what its receive remembered or from the message itself. */
function messageFacts(
  deps: SqsTelemetryDeps,
  message: SqsMessage,
  queueUrlOption: unknown,
  base: Context,
): ProcessFacts {
  if (!isObject(message)) throw new TypeError(`expected a message object, got ${typeof message}`);
  const state =
    rememberedMessage(message) ??
    readMessageState(message, stringOrUndefined(queueUrlOption), deps.config().extractSnsEnvelope);
  const queueUrl = state.queueUrl ?? stringOrUndefined(queueUrlOption);
  return { ...state, queueUrl, queueName: queueNameOf(queueUrl), base, body: message.Body };
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
  return processReceived(message, work, options.queueUrl, false);
}

/**
 * `processSqsMessage` for a library that settles the message itself after `work`
 * (sqs-consumer): the settle call made later by receipt handle is parented on the span.
 */
export function processSqsMessageSettledLater<T>(
  message: SqsMessage,
  work: () => T | Promise<T>,
  queueUrl: unknown,
): Promise<T> {
  return processReceived(message, work, queueUrl, true);
}

function processReceived<T>(
  message: SqsMessage,
  work: () => T | Promise<T>,
  queueUrl: unknown,
  settledLater: boolean,
): Promise<T> {
  const deps = activeDeps();
  if (!deps) return new Promise<T>((resolve) => resolve(work()));
  let facts: ProcessFacts;
  try {
    facts = messageFacts(deps, message, queueUrl, context.active());
    if (settledLater) facts.settledLater = [message.ReceiptHandle];
  } catch (error) {
    deps.diag.warn('otel-mq: processSqsMessage was given something that is not an SQS message', error);
    return new Promise<T>((resolve) => resolve(work()));
  }
  return runProcessSpan(deps, facts, work);
}

/**
 * Runs `work` for a batch of received messages handled together (sqs-consumer's
 * `handleMessageBatch`) in one CONSUMER `process {queue}` span in the consumer's
 * own context, linked to each message's producer, with the batch's message count.
 * Settle calls made later for these messages are parented on it.
 */
export function processSqsBatchSettledLater<T>(
  messages: readonly SqsMessage[],
  work: () => T | Promise<T>,
  queueUrl: unknown,
): Promise<T> {
  const deps = activeDeps();
  if (!deps) return new Promise<T>((resolve) => resolve(work()));
  let facts: ProcessFacts;
  try {
    if (!Array.isArray(messages)) throw new TypeError(`expected an array of messages, got ${typeof messages}`);
    const base = context.active();
    const each = messages.map((message: SqsMessage) => messageFacts(deps, message, queueUrl, base));
    const links: Link[] = [];
    for (const { extracted } of each) {
      const producer = trace.getSpanContext(extracted.context);
      if (producer && links.length < MAX_LINKS) links.push({ context: producer });
    }
    const first = each[0];
    facts = {
      extracted: { context: ROOT_CONTEXT, carrier: 'none' },
      queueUrl: first?.queueUrl,
      queueName: first?.queueName,
      messageId: undefined,
      receiveCount: undefined,
      sentTimestamp: undefined,
      region: first?.region,
      base,
      links,
      extra: { [ATTR_MESSAGING_BATCH_MESSAGE_COUNT]: messages.length },
      settledLater: messages.map((message) => (isObject(message) ? message.ReceiptHandle : undefined)),
    };
  } catch (error) {
    deps.diag.warn('otel-mq: an SQS message batch could not be read; processing it uninstrumented', error);
    return new Promise<T>((resolve) => resolve(work()));
  }
  return runProcessSpan(deps, facts, work);
}
