// Wraps the consumers `kafka.consumer()` returns (KafkaJS API): `run` hands the
// client wrapped eachMessage/eachBatch handlers, in a copy of the user's run
// config; with `commitSpans`, `commitOffsets` is traced as settle spans.
import { kafkaRunConfigWithTelemetry, traceKafkaCommit, whileEnabled } from '@org/messaging-propagation/internal';
import type {
  KafkaClientFacts,
  KafkaRunConfig,
  KafkaTelemetry,
  KafkaTopicPartitionOffset,
} from '@org/messaging-propagation/internal';
import type { KafkaJsConsumer } from '../internal-types';
import { kafkaJsClientFacts } from './kafkajs-client';
import { markKafkaJsInternalConsumer } from './native-consumer';

function wrapRun(deps: KafkaTelemetry, client: KafkaClientFacts, created: KafkaJsConsumer): void {
  const run = created.run;
  if (typeof run !== 'function') return;
  created.run = whileEnabled(deps, run, function (this: KafkaJsConsumer, config?: KafkaRunConfig) {
    let handed = config;
    try {
      // Its messages reach the handlers below: the native consumer it runs on is not traced again.
      markKafkaJsInternalConsumer(this);
      if (config && typeof config === 'object') handed = kafkaRunConfigWithTelemetry(deps, client, config);
    } catch (error) {
      deps.diag.error('otel-mq: could not instrument confluent-kafka consumer.run', error);
    }
    return run.call(this, handed);
  });
}

function wrapCommitOffsets(deps: KafkaTelemetry, client: KafkaClientFacts, created: KafkaJsConsumer): void {
  const commitOffsets = created.commitOffsets;
  if (typeof commitOffsets !== 'function') return;
  created.commitOffsets = whileEnabled(deps, commitOffsets, function (this: unknown, ...args: unknown[]) {
    const offsets = args[0];
    // No argument (or null) commits everything the consumer has stored: nothing to name a span after.
    if (!deps.config().commitSpans || !Array.isArray(offsets)) return commitOffsets.apply(this, args as never);
    return traceKafkaCommit(deps, client, offsets as KafkaTopicPartitionOffset[], () =>
      commitOffsets.apply(this, args as never),
    );
  });
}

/** Wrapper for `KafkaJS.Kafka.prototype.consumer`. */
export function patchConsumerFactory(deps: KafkaTelemetry) {
  return (original: (this: object, ...args: unknown[]) => KafkaJsConsumer) =>
    whileEnabled(deps, original, function consumer(this: object, ...args: unknown[]): KafkaJsConsumer {
      const created = original.apply(this, args);
      try {
        const client = kafkaJsClientFacts(this, args[0]);
        wrapRun(deps, client, created);
        wrapCommitOffsets(deps, client, created);
      } catch (error) {
        deps.diag.error('otel-mq: could not instrument a confluent-kafka consumer', error);
      }
      return created;
    });
}
