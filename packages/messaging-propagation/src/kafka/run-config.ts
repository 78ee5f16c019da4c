// The handlers a kafkajs-shaped `consumer.run(config)` is given (kafkajs, and
// Confluent's KafkaJS-compatible API): eachMessage and eachBatch, wrapped in a
// copy of the user's config so that each message gets its process span.
import { whileEnabled } from '../plugin-telemetry';
import { traceKafkaBatch } from './batch';
import type { KafkaBatch } from './batch';
import { traceKafkaProcess } from './process';
import type { KafkaClientFacts, KafkaConsumedMessage, KafkaTelemetry } from './telemetry';

export interface KafkaEachMessagePayload {
  topic: string;
  partition: number;
  message: KafkaConsumedMessage;
  [field: string]: unknown;
}

export interface KafkaEachBatchPayload {
  batch: KafkaBatch;
  resolveOffset?: ((offset: string) => void) | undefined;
  [field: string]: unknown;
}

export interface KafkaRunConfig {
  eachMessage?: ((payload: KafkaEachMessagePayload) => Promise<void>) | undefined;
  eachBatch?: ((payload: KafkaEachBatchPayload) => Promise<void>) | undefined;
  [option: string]: unknown;
}

/**
 * A copy of `config` whose eachMessage/eachBatch run in process spans. Every
 * other option, and every field of the payloads the client hands over, is the
 * client's own; only `resolveOffset` is a pass-through that also ends that
 * message's span.
 */
export function kafkaRunConfigWithTelemetry<C extends KafkaRunConfig>(
  deps: KafkaTelemetry,
  client: KafkaClientFacts,
  config: C,
): C {
  const wrapped: C = { ...config };
  const { eachMessage, eachBatch } = config;
  // The client keeps calling these for as long as the consumer runs, after disable() too.
  if (typeof eachMessage === 'function') {
    wrapped.eachMessage = whileEnabled(deps, eachMessage, (payload: KafkaEachMessagePayload) =>
      traceKafkaProcess(
        deps,
        { client, topic: payload.topic, partition: payload.partition, message: payload.message },
        () => eachMessage(payload),
      ),
    );
  }
  if (typeof eachBatch === 'function') {
    wrapped.eachBatch = whileEnabled(deps, eachBatch, (payload: KafkaEachBatchPayload) =>
      traceKafkaBatch(deps, client, payload.batch, payload.resolveOffset, (resolveOffset) =>
        eachBatch(resolveOffset === payload.resolveOffset ? payload : { ...payload, resolveOffset }),
      ),
    );
  }
  return wrapped;
}
