// Native `KafkaConsumer` messages, in flowing (`consume()` + 'data') and
// non-flowing (`consume(n, cb)`) mode: a CONSUMER `process {topic}` span per
// message, parented per the consumer context policy. There is no handler promise
// here: a message's span starts when the client hands it over ('data') and ends
// when the 'data' listeners and the consume callback that follows have returned
// (their synchronous work). `processKafkaMessage(message, work)` keeps it open
// around the application's own, asynchronous, work.
import { context } from '@opentelemetry/api';
import { kafkaHeaderListToMap } from '@org/messaging-propagation';
import { failedWith, runInOperation, startKafkaProcessSpan, SUCCEEDED } from '@org/messaging-propagation/internal';
import type {
  KafkaClientFacts,
  KafkaTelemetry,
  OperationOutcome,
  RunningOperation,
} from '@org/messaging-propagation/internal';
import { nativeClientFacts } from './native-client';

/** A message as the native consumer hands it over (1.x, lib/kafka-consumer.js). */
export interface NativeMessage {
  topic: string;
  partition: number;
  offset: number;
  key?: Buffer | string | null;
  value: Buffer | null;
  timestamp?: number;
  headers?: unknown;
}

interface OpenMessage {
  deps: KafkaTelemetry;
  client: KafkaClientFacts;
  process: RunningOperation;
  /** `processKafkaMessage` calls still running. */
  holds: number;
  /** The client is done handing the message over: the span ends with the last hold. */
  released: boolean;
  failure?: OperationOutcome;
}

/**
 * Keyed by the client's own message object, which we never modify. Shared through
 * the global symbol registry, so that the helper works with another copy of this package.
 */
const OPEN_KEY = Symbol.for('otel-mq.confluent-kafka.native-messages');
const slot = globalThis as { [OPEN_KEY]?: WeakMap<object, OpenMessage> };
const openMessages = (slot[OPEN_KEY] ??= new WeakMap<object, OpenMessage>());

function isNativeMessage(message: unknown): message is NativeMessage {
  const candidate = message as NativeMessage | null;
  return (
    !!candidate &&
    typeof candidate === 'object' &&
    typeof candidate.topic === 'string' &&
    typeof candidate.partition === 'number'
  );
}

function startProcess(deps: KafkaTelemetry, client: KafkaClientFacts, message: NativeMessage): RunningOperation {
  return startKafkaProcessSpan(deps, {
    client,
    topic: message.topic,
    partition: message.partition,
    message: {
      key: message.key,
      value: message.value,
      offset: String(message.offset),
      timestamp: typeof message.timestamp === 'number' && message.timestamp > 0 ? String(message.timestamp) : undefined,
      headers: kafkaHeaderListToMap(message.headers),
    },
  });
}

/** Starts the span of a message the consumer is handing over; undefined for anything that is not a message. */
export function openNativeMessage(deps: KafkaTelemetry, consumer: object, message: unknown): OpenMessage | undefined {
  if (!isNativeMessage(message) || openMessages.has(message)) return undefined;
  const client = nativeClientFacts(consumer);
  const process = startProcess(deps, client, message).track();
  const open: OpenMessage = { deps, client, process, holds: 0, released: false };
  openMessages.set(message, open);
  return open;
}

function finish(open: OpenMessage): void {
  open.process.finish(open.failure ?? SUCCEEDED);
}

/** The client is done with the message (its listeners or callback returned or threw); never throws. */
export function releaseNativeMessage(open: OpenMessage, outcome: OperationOutcome): void {
  if (open.released) return;
  open.released = true;
  if (outcome.failed) open.failure ??= outcome;
  if (open.holds === 0) finish(open);
}

/** The open span of `message`, if the consumer handed it over and it has not ended. */
export function openMessageOf(message: unknown): OpenMessage | undefined {
  const open = message && typeof message === 'object' ? openMessages.get(message) : undefined;
  return open && !open.process.hasEnded ? open : undefined;
}

/** Runs `call` in the message's span context. */
export function inMessageContext<T>(open: OpenMessage, call: () => T): T {
  return context.with(open.process.context, call);
}

/**
 * Runs `work` for a message a native `KafkaConsumer` delivered, inside that
 * message's CONSUMER `process {topic}` span, and keeps the span open until
 * `work` settles: spans made by `work` are its children, and an error it throws
 * or rejects with marks the span (and is passed on). Called after the span has
 * ended (from a later tick), it runs `work` in a new process span of its own
 * for the message. For a message no instrumented consumer delivered, it simply runs `work`.
 *
 * ```ts
 * consumer.on('data', (message) => {
 *   void processKafkaMessage(message, () => handle(message));
 * });
 * ```
 */
export function processKafkaMessage<T>(message: unknown, work: () => Promise<T> | T): Promise<T> {
  const known = message && typeof message === 'object' ? openMessages.get(message) : undefined;
  if (!known || !isNativeMessage(message)) return Promise.resolve().then(work);
  if (known.process.hasEnded) {
    let process: RunningOperation;
    try {
      process = startProcess(known.deps, known.client, message);
    } catch (error) {
      known.deps.diag.error('otel-mq: confluent-kafka process instrumentation failed; running uninstrumented', error);
      return Promise.resolve().then(work);
    }
    return runInOperation(process.track(), work);
  }
  known.holds++;
  const settle = (outcome: OperationOutcome) => {
    known.holds--;
    if (outcome.failed) known.failure ??= outcome;
    if (known.released && known.holds === 0) finish(known);
  };
  let pending: Promise<T>;
  try {
    pending = Promise.resolve(inMessageContext(known, work));
  } catch (error) {
    settle(failedWith(error));
    // The caller's own error, whatever it is, as `work` threw it.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    return Promise.reject(error);
  }
  return pending.then(
    (result) => {
      settle(SUCCEEDED);
      return result;
    },
    (error: unknown) => {
      settle(failedWith(error));
      throw error;
    },
  );
}
