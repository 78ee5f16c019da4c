// Where the broker put each message of a send call, read from a kafkajs-shaped client's answer (kafkajs, and Confluent's KafkaJS API, which answers the same way)
// (KafkaRecordMetadata[]: one entry per topic and partition written, with the
// offset of the first record written there, `baseOffset`).
//
// kafkajs 2.x (src/producer/groupMessagesPerPartition.js) groups a topic's
// messages by partition keeping their order, and merges sendBatch entries of
// the same topic in call order (src/producer/messageProducer.js), so the n-th
// message of a topic that went to partition p has offset `baseOffset(p) + n`.
// What the answer cannot say is which partition the partitioner chose for a
// message without an explicit `partition` when several partitions were written:
// then the message keeps no partition, and no message of that topic gets an offset.
import type { KafkaProducedMessage, KafkaRecordMetadata } from './send';

/** The partition and offset of one message; either may be unknown. */
export interface MessageAssignment {
  partition?: number | undefined;
  offset?: number | undefined;
}

/** The messages of one span, in send order, with their topic. */
export interface AssignedSpan {
  topic: string;
  messages: readonly KafkaProducedMessage[];
}

/** Where one span's messages went. */
export interface SpanAssignment {
  /** The partition every message of the span went to, when that is one known partition. */
  partition?: number | undefined;
  /** Each message's assignment, for the spans that asked for it. */
  messages?: MessageAssignment[] | undefined;
}

type RecordsByPartition = Map<number, KafkaRecordMetadata>;

function isKafkaRecordMetadata(entry: unknown): entry is KafkaRecordMetadata {
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof (entry as KafkaRecordMetadata).topicName === 'string' &&
    Number.isSafeInteger((entry as KafkaRecordMetadata).partition)
  );
}

function baseOffsetOf(record: KafkaRecordMetadata | undefined): number | undefined {
  if (record?.baseOffset === undefined) return undefined;
  const offset = Number(record.baseOffset);
  return Number.isSafeInteger(offset) && offset >= 0 ? offset : undefined;
}

/** The one partition the answer names for the topic, if it names exactly one. */
function onlyPartition(records: RecordsByPartition | undefined): number | undefined {
  if (records?.size !== 1) return undefined;
  for (const partition of records.keys()) return partition;
  return undefined;
}

/** The message's explicit partition, when the answer confirms something was written there. */
function explicitPartition(message: KafkaProducedMessage | undefined, records: RecordsByPartition | undefined) {
  const partition = message?.partition;
  return typeof partition === 'number' && records?.has(partition) ? partition : undefined;
}

/**
 * Where each span's messages went. Spans of the same topic are taken as one
 * sequence, in order, as kafkajs merges them; `perMessage[i]` asks for span i's
 * per-message assignments (the others only get their common partition, which
 * costs no allocation per message). `undefined` when the answer says nothing
 * usable (no KafkaRecordMetadata array: acks 0, a changed shape).
 */
export function assignMessages(
  spans: readonly AssignedSpan[],
  answer: unknown,
  perMessage: readonly boolean[],
): SpanAssignment[] | undefined {
  if (!Array.isArray(answer)) return undefined;
  const recordsByTopic = new Map<string, RecordsByPartition>();
  for (const entry of answer as unknown[]) {
    if (!isKafkaRecordMetadata(entry)) continue;
    let records = recordsByTopic.get(entry.topicName);
    if (!records) recordsByTopic.set(entry.topicName, (records = new Map<number, KafkaRecordMetadata>()));
    records.set(entry.partition, entry);
  }
  // Offsets only for topics where every message's partition is known.
  const complete = new Map<string, boolean>();
  for (const { topic, messages } of spans) {
    if (complete.get(topic) === false) continue;
    const records = recordsByTopic.get(topic);
    const known =
      onlyPartition(records) !== undefined ||
      messages.every((message) => explicitPartition(message, records) !== undefined);
    complete.set(topic, records !== undefined && known);
  }
  // Per topic, how many of its messages each partition has had so far.
  const positions = new Map<string, Map<number, number>>();
  return spans.map(({ topic, messages }, index): SpanAssignment => {
    const records = recordsByTopic.get(topic);
    let counted = positions.get(topic);
    if (!counted && complete.get(topic)) positions.set(topic, (counted = new Map<number, number>()));
    const only = onlyPartition(records);
    if (only !== undefined && !perMessage[index]) {
      counted?.set(only, (counted.get(only) ?? 0) + messages.length);
      return { partition: only };
    }
    const assigned: MessageAssignment[] | undefined = perMessage[index] ? [] : undefined;
    let common: number | undefined;
    let mixed = messages.length === 0;
    for (const message of messages) {
      const partition = only ?? explicitPartition(message, records);
      if (partition === undefined || (common !== undefined && common !== partition)) mixed = true;
      else common = partition;
      let offset: number | undefined;
      if (counted && partition !== undefined) {
        const position = counted.get(partition) ?? 0;
        counted.set(partition, position + 1);
        const base = assigned ? baseOffsetOf(records?.get(partition)) : undefined;
        if (base !== undefined && Number.isSafeInteger(base + position)) offset = base + position;
      }
      assigned?.push(offset === undefined ? { partition } : { partition, offset });
    }
    return { partition: mixed ? undefined : common, messages: assigned };
  });
}

/**
 * `assignMessages` for a send of one message to one topic (the common single
 * send), without its maps: the answer's only record for the topic, or the
 * record of the message's explicit partition. `undefined` when neither says
 * where it went.
 */
export function assignOneMessage(
  topic: string,
  message: KafkaProducedMessage | undefined,
  answer: unknown,
): MessageAssignment | undefined {
  if (!Array.isArray(answer)) return undefined;
  let only: KafkaRecordMetadata | undefined;
  let explicit: KafkaRecordMetadata | undefined;
  const partitions = new Set<number>();
  for (const entry of answer as unknown[]) {
    if (!isKafkaRecordMetadata(entry) || entry.topicName !== topic) continue;
    // Later entries of a partition win, as in `assignMessages`.
    partitions.add(entry.partition);
    only = entry;
    if (entry.partition === message?.partition) explicit = entry;
  }
  const record = partitions.size === 1 ? only : explicit;
  if (!record) return undefined;
  const offset = baseOffsetOf(record);
  return offset === undefined ? { partition: record.partition } : { partition: record.partition, offset };
}
