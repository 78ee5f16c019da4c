// Wrappers for the native API's `KafkaConsumer.prototype`: `emit` (where 'data'
// events hand messages over), `consume` (whose callback follows them), and, with
// `commitSpans`, `commit` / `commitMessage`. Each calls the original once with its
// own `this` and arguments. Native consumers that the KafkaJS API runs its own
// consumers on are left alone: their messages reach eachMessage/eachBatch, traced there.
import { failedWith, SUCCEEDED, traceKafkaCommitCall, whileEnabled } from '@org/messaging-propagation/internal';
import type { KafkaTelemetry, KafkaTopicPartitionOffset } from '@org/messaging-propagation/internal';
import { nativeClientFacts } from '../telemetry/native-client';
import { inMessageContext, openMessageOf, openNativeMessage, releaseNativeMessage } from '../telemetry/native-consume';

const kafkaJsInternalConsumers = new WeakSet<object>();

/** Marks the native consumer under a KafkaJS-API consumer (`_getInternalClient()`, 1.x), once it is connected. */
export function markKafkaJsInternalConsumer(kafkaJsConsumer: object): void {
  const internal = (kafkaJsConsumer as { _getInternalClient?: () => unknown })._getInternalClient?.();
  if (internal && typeof internal === 'object') kafkaJsInternalConsumers.add(internal);
}

export function isKafkaJsInternalConsumer(consumer: object): boolean {
  return kafkaJsInternalConsumers.has(consumer);
}

/** Consumers whose `consume` callback is ours: their messages' spans end after it. */
const withTracedCallback = new WeakSet<object>();

type Emit = (this: object, event: string | symbol, ...args: unknown[]) => boolean;

/** Wrapper for `KafkaConsumer.prototype.emit`: each 'data' message's listeners run in its process span. */
export function patchConsumerEmit(deps: KafkaTelemetry) {
  return (original: Emit) =>
    whileEnabled(deps, original, function emit(this: object, event: string | symbol, ...args: unknown[]): boolean {
      if (event !== 'data' || isKafkaJsInternalConsumer(this)) return original.call(this, event, ...args);
      let open: ReturnType<typeof openNativeMessage>;
      try {
        open = openNativeMessage(deps, this, args[0]);
      } catch (error) {
        deps.diag.error('otel-mq: confluent-kafka process instrumentation failed; processing uninstrumented', error);
      }
      if (!open) return original.call(this, event, ...args);
      let delivered: boolean;
      try {
        delivered = inMessageContext(open, () => original.call(this, event, ...args));
      } catch (error) {
        releaseNativeMessage(open, failedWith(error));
        throw error;
      }
      // The consume callback follows in the same tick; without ours, the span ends here.
      if (!withTracedCallback.has(this)) releaseNativeMessage(open, SUCCEEDED);
      return delivered;
    });
}

type ConsumeCallback = (this: unknown, error: unknown, payload?: unknown) => unknown;
type Consume = (this: object, ...args: unknown[]) => unknown;

/** The callback of `consume`: it runs in the message's span (flowing mode, or a batch of one) and ends them after. */
function tracedCallback(callback: ConsumeCallback | undefined): ConsumeCallback {
  return function (this: unknown, error: unknown, payload?: unknown): unknown {
    const messages = Array.isArray(payload) ? (payload as unknown[]) : [payload];
    const open = messages.map(openMessageOf).filter((entry) => entry !== undefined && !entry.released);
    const call = () => callback?.call(this, error, payload);
    let result: unknown;
    try {
      result = open.length === 1 && open[0] ? inMessageContext(open[0], call) : call();
    } catch (thrown) {
      for (const entry of open) if (entry) releaseNativeMessage(entry, failedWith(thrown));
      throw thrown;
    }
    for (const entry of open) if (entry) releaseNativeMessage(entry, SUCCEEDED);
    return result;
  };
}

/** Wrapper for `KafkaConsumer.prototype.consume(number?, cb?)`, in both of its modes. */
export function patchConsume(deps: KafkaTelemetry) {
  return (original: Consume) =>
    whileEnabled(deps, original, function consume(this: object, ...args: unknown[]): unknown {
      if (isKafkaJsInternalConsumer(this)) return original.apply(this, args);
      let handed = args;
      try {
        const [number, cb] = args;
        // consume(cb): flowing, the callback in the first place (lib/kafka-consumer.js, 1.x).
        if (typeof number === 'function' && cb === undefined) handed = [tracedCallback(number as ConsumeCallback)];
        else if (cb === undefined || typeof cb === 'function')
          handed = [number, tracedCallback(cb as ConsumeCallback | undefined), ...args.slice(2)];
        if (handed !== args) withTracedCallback.add(this);
      } catch (error) {
        deps.diag.error('otel-mq: could not instrument a confluent-kafka consume call', error);
        handed = args;
      }
      return original.apply(this, handed);
    });
}

type Commit = (this: object, ...args: unknown[]) => unknown;

function commitOffsetsOf(argument: unknown, message: boolean): KafkaTopicPartitionOffset[] | undefined {
  const entries = Array.isArray(argument) ? (argument as unknown[]) : [argument];
  const offsets = entries.filter(
    (entry): entry is KafkaTopicPartitionOffset =>
      !!entry && typeof (entry as KafkaTopicPartitionOffset).topic === 'string',
  );
  if (offsets.length === 0) return undefined;
  // commitMessage(message) commits the message's offset + 1.
  return message
    ? offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset: Number(offset) + 1 }))
    : offsets;
}

/** Wrapper for `KafkaConsumer.prototype.commit` / `commitMessage`, with `commitSpans`. */
export function patchCommit(deps: KafkaTelemetry, message: boolean) {
  return (original: Commit) =>
    whileEnabled(deps, original, function commit(this: object, ...args: unknown[]): unknown {
      let offsets: KafkaTopicPartitionOffset[] | undefined;
      try {
        // commit() or commit(null) commits everything read so far: nothing to name a span after.
        offsets = deps.config().commitSpans ? commitOffsetsOf(args[0], message) : undefined;
      } catch (error) {
        deps.diag.error('otel-mq: could not instrument a confluent-kafka commit', error);
      }
      if (!offsets) return original.apply(this, args);
      return traceKafkaCommitCall(deps, nativeClientFacts(this), offsets, () => original.apply(this, args));
    });
}
