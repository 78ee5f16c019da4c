// Wraps the objects kafkajs' `kafka.consumer()` returns: `run` hands kafkajs
// wrapped eachMessage/eachBatch handlers, in a copy of the user's run config.
import type { ClientFacts, Consumer, ConsumerRunConfig, EachBatchPayload, EachMessagePayload } from '../internal-types';
import { traceBatch, traceProcess } from '../telemetry';
import type { KafkaTelemetryDeps } from '../telemetry';
import { clientFacts } from './client';

function wrapRunConfig(deps: KafkaTelemetryDeps, client: ClientFacts, config: ConsumerRunConfig): ConsumerRunConfig {
  const wrapped: ConsumerRunConfig = { ...config };
  const { eachMessage, eachBatch } = config;
  if (typeof eachMessage === 'function') {
    wrapped.eachMessage = (payload: EachMessagePayload) =>
      traceProcess(deps, client, payload.topic, payload.partition, payload.message, () => eachMessage(payload));
  }
  if (typeof eachBatch === 'function') {
    wrapped.eachBatch = (payload: EachBatchPayload) =>
      traceBatch(deps, client, payload.batch.topic, payload.batch.partition, payload.batch.messages, () =>
        eachBatch(payload),
      );
  }
  return wrapped;
}

/** Wrapper for `Kafka.prototype.consumer`. */
export function patchConsumerFactory(deps: KafkaTelemetryDeps) {
  return (original: (...args: unknown[]) => Consumer) =>
    function consumer(this: object, ...args: unknown[]): Consumer {
      const created = original.apply(this, args);
      try {
        const options = args[0] as { groupId?: unknown } | undefined;
        const client: ClientFacts = {
          ...clientFacts(this),
          groupId: typeof options?.groupId === 'string' ? options.groupId : undefined,
        };
        const run = created.run;
        if (typeof run === 'function') {
          created.run = function (this: unknown, config?: ConsumerRunConfig) {
            let handed = config;
            try {
              if (config && typeof config === 'object') handed = wrapRunConfig(deps, client, config);
            } catch (error) {
              deps.diag.error('otel-mq: could not instrument kafkajs consumer.run', error);
            }
            return run.call(this, handed);
          };
        }
      } catch (error) {
        deps.diag.error('otel-mq: could not instrument a kafkajs consumer', error);
      }
      return created;
    };
}
