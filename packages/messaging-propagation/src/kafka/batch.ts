// eachBatch: one CONSUMER span for the batch, linked to its messages' producers,
// plus a process span per message with its own timing: either around the work a
// user wraps with `traceKafkaBatchMessage`, or, for messages the user marks done
// with `resolveOffset`, from the previous mark to that call.
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { Link } from '@opentelemetry/api';
import { messagingAttributes } from '../attributes/common';
import { kafkaHeadersGetter } from '../carriers/kafka-headers';
import { SUCCEEDED } from '../end-operation';
import { extractFromCarrier } from '../extract';
import { MessagingOperations } from '../operations';
import { startMessagingSpan } from '../start-span';
import { startKafkaProcessSpan } from './process';
import { runInOperation, RunningOperation } from '../running-operation';
import { kafkaClientAttributes, MAX_SPAN_LINKS } from './telemetry';
import type { KafkaClientFacts, KafkaConsumedMessage, KafkaTelemetry } from './telemetry';

export interface KafkaBatch {
  topic: string;
  partition: number;
  messages: KafkaConsumedMessage[];
}

/** What a batch being processed needs to give its messages their own spans. */
interface BatchState {
  deps: KafkaTelemetry;
  client: KafkaClientFacts;
  batch: KafkaBatch;
  batchLink: Link;
  /** Offsets whose process span exists (wrapped by the helper or ended at resolveOffset). */
  traced: Set<string>;
  /** `performance.now()` of the last per-message mark: the start of the next message's work. */
  lastMark: number;
}

/**
 * Keyed by the client's own batch object, which we never modify. Shared through the
 * global symbol registry so that the helper works even when the application
 * imports another copy of this package than the one the register entry loaded
 * (the key's name dates from when only the kafkajs plugin had batches).
 */
const BATCHES_KEY = Symbol.for('otel-mq.kafkajs.active-batches');
const globalSlot = globalThis as { [BATCHES_KEY]?: WeakMap<object, BatchState> };
const activeBatches = (globalSlot[BATCHES_KEY] ??= new WeakMap<object, BatchState>());

/**
 * Runs an eachBatch handler inside one CONSUMER `process {topic}` span for the
 * batch, linked to each message's producer context (up to MAX_SPAN_LINKS), and
 * returns the `resolveOffset` to hand the user: the original, called exactly as
 * before, which also ends the resolved message's own process span.
 */
export function traceKafkaBatch<T>(
  deps: KafkaTelemetry,
  client: KafkaClientFacts,
  batch: KafkaBatch,
  resolveOffset: ((offset: string) => void) | undefined,
  handler: (resolveOffset: ((offset: string) => void) | undefined) => Promise<T>,
): Promise<T> {
  let process: RunningOperation;
  let state: BatchState;
  try {
    const { topic, partition, messages } = batch;
    const links: Link[] = [];
    for (const message of messages) {
      if (links.length >= MAX_SPAN_LINKS) break;
      const producer = trace.getSpanContext(extractFromCarrier(message.headers, kafkaHeadersGetter));
      if (producer) links.push({ context: producer });
    }
    const attributes = messagingAttributes({
      operation: MessagingOperations.kafka.process,
      destination: topic,
      partitionId: partition,
      consumerGroup: client.groupId,
      batchMessageCount: messages.length,
      ...kafkaClientAttributes(client),
    });
    const started = performance.now();
    // The batch's start is the first message's start: one clock reading for both.
    const span = startMessagingSpan(
      deps.tracer(),
      MessagingOperations.kafka.process,
      topic,
      ROOT_CONTEXT,
      attributes,
      links,
      started,
    );
    // The batch span counts the batch's messages; their own spans record the durations.
    const kind = { what: `${deps.label} batch`, metrics: { consumed: messages.length }, endAtReading: true };
    process = new RunningOperation(deps, kind, span, ROOT_CONTEXT, attributes, started).track();
    state = {
      deps,
      client,
      batch,
      batchLink: { context: span.spanContext() },
      traced: new Set(),
      lastMark: started,
    };
    activeBatches.set(batch, state);
  } catch (error) {
    deps.diag.error(`otel-mq: ${deps.label} batch instrumentation failed; processing uninstrumented`, error);
    return handler(resolveOffset);
  }
  const tracedResolveOffset =
    typeof resolveOffset === 'function'
      ? (offset: string) => {
          markResolved(state, offset);
          resolveOffset(offset);
        }
      : resolveOffset;
  return runInOperation(process, () => handler(tracedResolveOffset)).finally(() => activeBatches.delete(batch));
}

/** Ends the resolved message's span: it covers the time since the previous mark. */
function markResolved(state: BatchState, offset: unknown): void {
  try {
    const key = String(offset);
    const now = performance.now();
    const start = state.lastMark;
    state.lastMark = now;
    if (state.traced.has(key)) return;
    const message = state.batch.messages.find((candidate) => candidate.offset === key);
    if (!message) return;
    state.traced.add(key);
    const process = startKafkaProcessSpan(
      state.deps,
      { client: state.client, topic: state.batch.topic, partition: state.batch.partition, message },
      { startedAt: start, extraLinks: [state.batchLink], inBatch: true },
    );
    process.finish(SUCCEEDED);
  } catch (error) {
    state.deps.diag.error(`otel-mq: ${state.deps.label} per-message span failed`, error);
  }
}

/**
 * Runs `work` for one message of an eachBatch batch inside that message's own
 * CONSUMER `process {topic}` span (parented per the consumer context policy and
 * linked to the batch span), so spans made by `work` are its children. Returns
 * what `work` returns, as a promise; its error is passed on unchanged.
 * Outside an instrumented eachBatch it simply runs `work`.
 *
 * ```ts
 * await consumer.run({
 *   eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
 *     for (const message of batch.messages) {
 *       await traceKafkaBatchMessage(batch, message, () => handle(message));
 *       resolveOffset(message.offset);
 *       await heartbeat();
 *     }
 *   },
 * });
 * ```
 */
export function traceKafkaBatchMessage<T>(
  batch: object,
  message: KafkaConsumedMessage,
  work: () => Promise<T> | T,
): Promise<T> {
  const state = batch && typeof batch === 'object' ? activeBatches.get(batch) : undefined;
  if (!state) return Promise.resolve().then(work);
  let process: RunningOperation;
  try {
    const { topic, partition } = state.batch;
    process = startKafkaProcessSpan(
      state.deps,
      { client: state.client, topic, partition, message },
      { extraLinks: [state.batchLink], inBatch: true },
    ).track();
    state.traced.add(String(message.offset));
  } catch (error) {
    state.deps.diag.error(`otel-mq: ${state.deps.label} per-message span failed; running uninstrumented`, error);
    return Promise.resolve().then(work);
  }
  return runInOperation(process, work).finally(() => {
    state.lastMark = performance.now();
  });
}
