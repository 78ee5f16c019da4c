// Where the broker put each message of a send call, read from kafkajs' answer
// (RecordMetadata[]: one entry per topic and partition written, with the
// offset of the first record written there, `baseOffset`).
//
// kafkajs 2.x (src/producer/groupMessagesPerPartition.js) groups a topic's
// messages by partition keeping their order, and merges sendBatch entries of
// the same topic in call order (src/producer/messageProducer.js), so the n-th
// message of a topic that went to partition p has offset `baseOffset(p) + n`.
// What the answer cannot say is which partition the partitioner chose for a
// message without an explicit `partition` when several partitions were written:
// then the message keeps no partition, and no message of that topic gets an offset.
import type { KafkaMessage, RecordMetadata } from '../internal-types';

/** The partition and offset of one message; either may be unknown. */
export interface MessageAssignment {
  partition?: number | undefined;
  offset?: number | undefined;
}

/** The messages of one span, in send order, with their topic. */
export interface AssignedSpan {
  topic: string;
  messages: readonly KafkaMessage[];
}

function isRecordMetadata(entry: unknown): entry is RecordMetadata {
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof (entry as RecordMetadata).topicName === 'string' &&
    Number.isSafeInteger((entry as RecordMetadata).partition)
  );
}

function baseOffsetOf(record: RecordMetadata): number | undefined {
  const offset = Number(record.baseOffset);
  return record.baseOffset !== undefined && Number.isSafeInteger(offset) && offset >= 0 ? offset : undefined;
}

/**
 * For each span (in the order given), the assignment of each of its messages.
 * Spans of the same topic are taken as one sequence, in order, as kafkajs merges them.
 * Returns `undefined` when the answer says nothing usable (no RecordMetadata array: acks 0, a changed shape).
 */
export function assignMessages(spans: readonly AssignedSpan[], answer: unknown): MessageAssignment[][] | undefined {
  if (!Array.isArray(answer)) return undefined;
  const recordsByTopic = new Map<string, Map<number, RecordMetadata>>();
  for (const entry of answer as unknown[]) {
    if (!isRecordMetadata(entry)) continue;
    const records = recordsByTopic.get(entry.topicName) ?? new Map<number, RecordMetadata>();
    records.set(entry.partition, entry);
    recordsByTopic.set(entry.topicName, records);
  }

  // First the partitions, per topic; an offset only where every message of the topic has one.
  const assignments = spans.map(({ topic, messages }) => {
    const records = recordsByTopic.get(topic);
    const only = records?.size === 1 ? [...records.keys()][0] : undefined;
    return messages.map((message): MessageAssignment => {
      const explicit = message?.partition;
      if (only !== undefined) return { partition: only };
      return { partition: typeof explicit === 'number' && records?.has(explicit) ? explicit : undefined };
    });
  });
  const complete = new Map<string, boolean>();
  spans.forEach(({ topic }, index) => {
    const known = assignments[index]?.every((assignment) => assignment.partition !== undefined) ?? false;
    complete.set(topic, (complete.get(topic) ?? true) && known);
  });
  const nextIndex = new Map<string, number>();
  spans.forEach(({ topic }, index) => {
    if (!complete.get(topic)) return;
    const records = recordsByTopic.get(topic);
    for (const assignment of assignments[index] ?? []) {
      const key = `${assignment.partition}\u0000${topic}`;
      const position = nextIndex.get(key) ?? 0;
      nextIndex.set(key, position + 1);
      const record = assignment.partition === undefined ? undefined : records?.get(assignment.partition);
      const base = record ? baseOffsetOf(record) : undefined;
      if (base !== undefined && Number.isSafeInteger(base + position)) assignment.offset = base + position;
    }
  });
  return assignments;
}
