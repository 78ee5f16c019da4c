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

interface CommitSpans {
  spans: Array<{ span: Span; attributes: Attributes }>;
  started: number;
}

function startCommitSpans(
  deps: KafkaTelemetry,
  client: KafkaClientFacts,
  offsets: readonly KafkaTopicPartitionOffset[],
): CommitSpans {
  const started = performance.now();
  const spans: CommitSpans['spans'] = [];
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
  return { spans, started };
}

function finishCommitSpans(deps: KafkaTelemetry, commit: CommitSpans, outcome: OperationOutcome): void {
  for (const { span, attributes } of commit.spans) {
    endOperation(deps, `${deps.label} commit`, { span, attributes, started: commit.started }, outcome, {
      duration: 'client',
    });
  }
}

/** Traces a commit call that returns a promise: the spans end when it settles. */
export async function traceKafkaCommit<T>(
  deps: KafkaTelemetry,
  client: KafkaClientFacts,
  offsets: readonly KafkaTopicPartitionOffset[],
  call: () => Promise<T>,
): Promise<T> {
  const commit = startCommitSpans(deps, client, offsets);
  try {
    const result = await call();
    finishCommitSpans(deps, commit, SUCCEEDED);
    return result;
  } catch (error) {
    finishCommitSpans(deps, commit, failedWith(error));
    throw error;
  }
}

/**
 * Traces a commit call that returns at once (Confluent's native `commit` and
 * `commitMessage`, which queue the commit in librdkafka): the spans end when it returns.
 */
export function traceKafkaCommitCall<T>(
  deps: KafkaTelemetry,
  client: KafkaClientFacts,
  offsets: readonly KafkaTopicPartitionOffset[],
  call: () => T,
): T {
  const commit = startCommitSpans(deps, client, offsets);
  try {
    const result = call();
    finishCommitSpans(deps, commit, SUCCEEDED);
    return result;
  } catch (error) {
    finishCommitSpans(deps, commit, failedWith(error));
    throw error;
  }
}
