// Opt-in CLIENT `commit {topic}` settle spans for a consumer's commit calls: one
// span per topic of the call, a child of the active context (the process span,
// when called from a handler).
import { context } from '@opentelemetry/api';
import { messagingAttributes } from '../attributes/common';
import { failedWith, SUCCEEDED } from '../end-operation';
import type { OperationOutcome } from '../end-operation';
import { MessagingOperations } from '../operations';
import { OperationUnansweredAtExitError } from '../open-spans';
import { RunningOperation } from '../running-operation';
import type { OperationKind } from '../running-operation';
import { startMessagingSpan } from '../start-span';
import { kafkaClientAttributes, perPluginLabel } from './telemetry';
import type { KafkaClientFacts, KafkaTelemetry } from './telemetry';

/** One entry of a commit call: kafkajs and Confluent's KafkaJS API give offsets as strings. */
export interface KafkaTopicPartitionOffset {
  topic: string;
  partition: number;
  offset?: string | number | undefined;
}

/** The end of a plugin's commit spans. */
const commitKind = perPluginLabel((label): OperationKind =>
  Object.freeze({
    what: `${label} commit`,
    metrics: Object.freeze({ duration: 'client' }),
    exitError: () => new OperationUnansweredAtExitError(),
  }),
);

/** One span per topic of the call; none when the instrumentation failed (logged). */
function startCommitSpans(
  deps: KafkaTelemetry,
  client: KafkaClientFacts,
  offsets: readonly KafkaTopicPartitionOffset[],
): RunningOperation[] {
  const started = performance.now();
  const operations: RunningOperation[] = [];
  try {
    const byTopic = new Map<string, KafkaTopicPartitionOffset[]>();
    for (const entry of offsets) {
      if (typeof entry?.topic !== 'string') continue;
      byTopic.set(entry.topic, [...(byTopic.get(entry.topic) ?? []), entry]);
    }
    const parent = context.active();
    const kind = commitKind(deps.label);
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
      const span = startMessagingSpan(deps.tracer(), MessagingOperations.kafka.commit, topic, parent, attributes);
      // Tracked until the commit settles: ended at exit if it never does.
      operations.push(new RunningOperation(deps, kind, span, parent, attributes, started).track());
    }
  } catch (error) {
    deps.diag.error(`otel-mq: ${deps.label} commit instrumentation failed`, error);
  }
  return operations;
}

function finishCommitSpans(operations: readonly RunningOperation[], outcome: OperationOutcome): void {
  for (const operation of operations) operation.finish(outcome);
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
    finishCommitSpans(commit, SUCCEEDED);
    return result;
  } catch (error) {
    finishCommitSpans(commit, failedWith(error));
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
    finishCommitSpans(commit, SUCCEEDED);
    return result;
  } catch (error) {
    finishCommitSpans(commit, failedWith(error));
    throw error;
  }
}
