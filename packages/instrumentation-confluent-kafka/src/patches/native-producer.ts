// Wrappers for the native API's `Producer.prototype`: `produce` (which the
// HighLevelProducer's produce calls too) and `emit`, where delivery reports
// arrive. Each calls the original once with its own `this` and arguments.
import { whileEnabled } from '@org/messaging-propagation/internal';
import type { KafkaTelemetry } from '@org/messaging-propagation/internal';
import { settleDeliveryReport, traceNativeProduce } from '../telemetry/native-produce';
import { insideKafkaJsSend } from './kafkajs-sending';

type Produce = (
  this: object,
  topic: unknown,
  partition: unknown,
  value: unknown,
  key: unknown,
  timestamp: unknown,
  opaque: unknown,
  headers: unknown,
  ...rest: unknown[]
) => unknown;

/** Wrapper for `Producer.prototype.produce(topic, partition, value, key, timestamp, opaque, headers)`. */
export function patchProduce(deps: KafkaTelemetry) {
  return (original: Produce) =>
    whileEnabled(
      deps,
      original,
      function produce(this: object, topic, partition, value, key, timestamp, opaque, headers, ...rest) {
        // The KafkaJS API's send produces through here; its send span already covers the message.
        if (insideKafkaJsSend())
          return original.call(this, topic, partition, value, key, timestamp, opaque, headers, ...rest);
        return traceNativeProduce(
          deps,
          this,
          { topic, partition, value, key, opaque, headers },
          (handedOpaque, handedHeaders) =>
            original.call(this, topic, partition, value, key, timestamp, handedOpaque, handedHeaders, ...rest),
        );
      },
    );
}

type Emit = (this: object, event: string | symbol, ...args: unknown[]) => boolean;

/** Wrapper for `Producer.prototype.emit`: ends a produce span at its `delivery-report`, before any listener runs. */
export function patchProducerEmit(deps: KafkaTelemetry) {
  return (original: Emit) =>
    function emit(this: object, event: string | symbol, ...args: unknown[]): boolean {
      // Always, enabled or not: a report must get its caller's opaque back.
      if (event === 'delivery-report') settleDeliveryReport(deps, args[0], args[1]);
      return original.call(this, event, ...args);
    };
}
