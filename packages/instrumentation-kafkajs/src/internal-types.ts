// The parts of kafkajs 2.x this plugin touches, typed loosely: the plugin never
// imports kafkajs at run time, and must cope when a shape changes.
import type { KafkaHeaders } from '@org/messaging-propagation';
import type { KafkaClientFacts, KafkaConsumedMessage } from '@org/messaging-propagation/internal';

export type ConsumedMessage = KafkaConsumedMessage;
/** What the plugin knows about the client that made a producer or consumer. */
export type ClientFacts = KafkaClientFacts;

export interface KafkaMessage {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  partition?: number;
  headers?: KafkaHeaders;
  timestamp?: string;
}

export interface ProducerRecord {
  topic: string;
  messages: KafkaMessage[];
  [option: string]: unknown;
}

export interface ProducerBatch {
  topicMessages?: Array<{ topic: string; messages: KafkaMessage[] }>;
  [option: string]: unknown;
}

export interface RecordMetadata {
  topicName: string;
  partition: number;
  baseOffset?: string;
}

export type SendFunction = (record: ProducerRecord) => Promise<RecordMetadata[]>;
export type SendBatchFunction = (batch: ProducerBatch) => Promise<RecordMetadata[]>;

export interface Sender {
  send: SendFunction;
  sendBatch: SendBatchFunction;
}

export interface Producer extends Sender {
  transaction?: () => Promise<Sender & Record<string, unknown>>;
}

export interface EachMessagePayload {
  topic: string;
  partition: number;
  message: ConsumedMessage;
  [field: string]: unknown;
}

export interface EachBatchPayload {
  batch: { topic: string; partition: number; messages: ConsumedMessage[] };
  resolveOffset?: (offset: string) => void;
  [field: string]: unknown;
}

export interface ConsumerRunConfig {
  eachMessage?: (payload: EachMessagePayload) => Promise<void>;
  eachBatch?: (payload: EachBatchPayload) => Promise<void>;
  [option: string]: unknown;
}

export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  offset: string;
}

export interface Consumer {
  run: (config?: ConsumerRunConfig) => Promise<void>;
  commitOffsets?: (offsets: TopicPartitionOffset[]) => Promise<void>;
}

export interface KafkaConfig {
  clientId?: string;
  brokers?: string[] | (() => unknown);
}
