// Wraps the objects kafkajs' `kafka.consumer()` returns: `run` hands kafkajs
// wrapped eachMessage/eachBatch handlers, in a copy of the user's run config;
// with `commitSpans`, `commitOffsets` is traced as settle spans.
import { kafkaRunConfigWithTelemetry, traceKafkaCommit, whileEnabled } from '@org/messaging-propagation/internal';
import type { ClientFacts, Consumer, ConsumerRunConfig, TopicPartitionOffset } from '../internal-types';
import type { KafkaTelemetryDeps } from '../telemetry/deps';
import { clientFacts } from './client';

function wrapRun(deps: KafkaTelemetryDeps, client: ClientFacts, created: Consumer): void {
  const run = created.run;
  if (typeof run !== 'function') return;
  created.run = whileEnabled(deps, run, function (this: unknown, config?: ConsumerRunConfig) {
    let handed = config;
    try {
      if (config && typeof config === 'object') handed = kafkaRunConfigWithTelemetry(deps, client, config);
    } catch (error) {
      deps.diag.error('otel-mq: could not instrument kafkajs consumer.run', error);
    }
    return run.call(this, handed);
  });
}

function wrapCommitOffsets(deps: KafkaTelemetryDeps, client: ClientFacts, created: Consumer): void {
  const commitOffsets = created.commitOffsets;
  if (typeof commitOffsets !== 'function') return;
  created.commitOffsets = whileEnabled(deps, commitOffsets, function (this: unknown, offsets: TopicPartitionOffset[]) {
    if (!deps.config().commitSpans || !Array.isArray(offsets)) return commitOffsets.call(this, offsets);
    return traceKafkaCommit(deps, client, offsets, () => commitOffsets.call(this, offsets));
  });
}

/** Wrapper for `Kafka.prototype.consumer`. */
export function patchConsumerFactory(deps: KafkaTelemetryDeps) {
  return (original: (this: object, ...args: unknown[]) => Consumer) =>
    whileEnabled(deps, original, function consumer(this: object, ...args: unknown[]): Consumer {
      const created = original.apply(this, args);
      try {
        const options = args[0] as { groupId?: unknown } | undefined;
        const client: ClientFacts = {
          ...clientFacts(this),
          groupId: typeof options?.groupId === 'string' ? options.groupId : undefined,
        };
        wrapRun(deps, client, created);
        wrapCommitOffsets(deps, client, created);
      } catch (error) {
        deps.diag.error('otel-mq: could not instrument a kafkajs consumer', error);
      }
      return created;
    });
}
