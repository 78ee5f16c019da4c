// The parts of @confluentinc/kafka-javascript 1.x this plugin touches, typed
// loosely: the plugin never imports the client at run time, and must cope when
// a shape changes.
import type {
  KafkaRecordMetadata,
  KafkaRunConfig,
  KafkaTopicMessages,
  KafkaTopicPartitionOffset,
} from '@org/messaging-propagation/internal';

/** A client config: librdkafka properties (`bootstrap.servers`, …) and/or a `kafkaJS` block. */
export interface ConfluentClientConfig {
  kafkaJS?: { brokers?: unknown; clientId?: unknown; groupId?: unknown } | undefined;
  [property: string]: unknown;
}

export interface KafkaJsProducerRecord extends KafkaTopicMessages {
  [option: string]: unknown;
}

export interface KafkaJsProducerBatch {
  topicMessages?: KafkaTopicMessages[] | null | undefined;
  [option: string]: unknown;
}

export interface KafkaJsProducer {
  send: (record: KafkaJsProducerRecord) => Promise<KafkaRecordMetadata[]>;
  sendBatch: (batch: KafkaJsProducerBatch) => Promise<KafkaRecordMetadata[]>;
  transaction?: () => Promise<KafkaJsProducer>;
}

export interface KafkaJsConsumer {
  run: (config?: KafkaRunConfig) => Promise<void>;
  commitOffsets?: (offsets?: KafkaTopicPartitionOffset[] | null) => Promise<void>;
}

export type KafkaClass = (new (config?: ConfluentClientConfig) => object) & { prototype: Record<string, unknown> };

/** A native-API class (`Producer`, `KafkaConsumer`): only its prototype is touched. */
export interface NativeClass {
  prototype: Record<string, unknown>;
}

export interface ConfluentKafkaModule {
  KafkaJS?: { Kafka?: KafkaClass } | undefined;
  Producer?: NativeClass | undefined;
  KafkaConsumer?: NativeClass | undefined;
  /** The native API, also under this name. */
  RdKafka?: { Producer?: NativeClass; KafkaConsumer?: NativeClass } | undefined;
  /** Under ESM (import-in-the-middle) the CommonJS exports object. */
  default?: ConfluentKafkaModule | undefined;
}
