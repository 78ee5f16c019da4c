import type { ConfluentKafkaInstrumentationConfig } from '@org/instrumentation-confluent-kafka';
import type { KafkaJsInstrumentationConfig } from '@org/instrumentation-kafkajs';
import type { ConsumerContextMode } from '@org/messaging-propagation';

export type { ConsumerContextMode };

/** Options for one plugin in `getMessagingInstrumentations`. */
export interface MessagingPluginConfig {
  /** Turn the plugin off. @default true */
  enabled?: boolean;
  /** How consumers relate to the producer's context: see `@org/messaging-propagation`. @default 'parent' */
  consumerContextPolicy?: ConsumerContextMode;
}

/** Options for `getMessagingInstrumentations`, one entry per plugin. Every field is optional. */
export interface MessagingInstrumentationsConfig {
  /** Also takes every `KafkaJsInstrumentationConfig` option (`captureMessageKey`, hooks, …). */
  kafkajs?: MessagingPluginConfig & Omit<KafkaJsInstrumentationConfig, 'enabled' | 'consumerContextPolicy'>;
  amqplib?: MessagingPluginConfig;
  'aws-sqs'?: MessagingPluginConfig;
  /** Also takes every `ConfluentKafkaInstrumentationConfig` option (`captureMessageKey`, hooks, …). */
  'confluent-kafka'?: MessagingPluginConfig &
    Omit<ConfluentKafkaInstrumentationConfig, 'enabled' | 'consumerContextPolicy'>;
}
