// Opt-in CLIENT `commit {topic}` settle spans for a consumer's commit calls: one
// span per topic of the call, a child of the active context (the process span,
// when called from a handler).
import { context } from '@opentelemetry/api';
import type { Attributes, Span } from '@opentelemetry/api';
import { messagingAttributes } from '../attributes/common';
import { endOperation, failedWith, SUCCEEDED } from '../end-operation';
import type { OperationOutcome } from '../end-operation';
import { MessagingOperations } from '../operations';
import { messagingSpanName } from '../span-name';
import { kafkaClientAttributes } from './telemetry';
import type { KafkaClientFacts, KafkaTelemetry } from './telemetry';

/** One entry of a commit call: kafkajs and Confluent's KafkaJS API give offsets as strings. */
export interface KafkaTopicPartitionOffset {
  topic: string;
  partition: number;
  offset?: string | number | undefined;
}

export async function traceKafkaCommit<T>(
  deps: KafkaTelemetry,
  client: KafkaClientFacts,
  offsets: readonly KafkaTopicPartitionOffset[],
  call: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  const spans: Array<{ span: Span; attributes: Attributes }> = [];
  try {
    const byTopic = new Map<string, KafkaTopicPartitionOffset[]>();
    for (const entry of offsets) {
      if (typeof entry?.topic !== 'string') continue;
      byTopic.set(entry.topic, [...(byTopic.get(entry.topic) ?? []), entry]);
    }
    for (const [topic, entries] of byTopic) {
      const single = entries.length === 1 ? entries[0] : undefined;
      const attributes = messagingAttributes({
        operation: MessagingOperations.kafka.commit,
        destination: topic,
        partitionId: single?.partition,
        consumerGroup: client.groupId,
        batchMessageCount: single ? undefined : entries.length,
        ...kafkaClientAttributes(client),
      });
      const span = deps
        .tracer()
        .startSpan(
          messagingSpanName(MessagingOperations.kafka.commit, topic),
          { kind: MessagingOperations.kafka.commit.spanKind, attributes },
          context.active(),
        );
      spans.push({ span, attributes });
    }
  } catch (error) {
    deps.diag.error(`otel-mq: ${deps.label} commit instrumentation failed`, error);
  }
  const finish = (outcome: OperationOutcome) => {
    for (const { span, attributes } of spans) {
      endOperation(deps, `${deps.label} commit`, { span, attributes, started }, outcome, { duration: 'client' });
    }
  };
  try {
    const result = await call();
    finish(SUCCEEDED);
    return result;
  } catch (error) {
    finish(failedWith(error));
    throw error;
  }
}
