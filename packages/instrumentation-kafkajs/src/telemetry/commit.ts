// Opt-in CLIENT `commit {topic}` settle spans for `consumer.commitOffsets`: one
// span per topic of the call, a child of the active context (the process span,
// when called from a handler).
import { context } from '@opentelemetry/api';
import type { Attributes, Span } from '@opentelemetry/api';
import { messagingAttributes, messagingSpanName, MessagingOperations } from '@org/messaging-propagation';
import { endOperation, failedWith, SUCCEEDED } from '@org/messaging-propagation/internal';
import type { OperationOutcome } from '@org/messaging-propagation/internal';
import type { ClientFacts, TopicPartitionOffset } from '../internal-types';
import { clientAttributes } from './deps';
import type { KafkaTelemetryDeps } from './deps';

export async function traceCommit<T>(
  deps: KafkaTelemetryDeps,
  client: ClientFacts,
  offsets: TopicPartitionOffset[],
  call: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  const spans: Array<{ span: Span; attributes: Attributes }> = [];
  try {
    const byTopic = new Map<string, TopicPartitionOffset[]>();
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
        ...clientAttributes(client),
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
    deps.diag.error('otel-mq: kafkajs commit instrumentation failed', error);
  }
  const finish = (outcome: OperationOutcome) => {
    for (const { span, attributes } of spans) {
      endOperation(deps, 'kafkajs commit', { span, attributes, started }, outcome, { duration: 'client' });
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
