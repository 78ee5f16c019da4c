import type { Span } from '@opentelemetry/api';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import type { ConsumerContextPolicy } from '@org/messaging-propagation';

import type { KafkaConsumerHookInfo, KafkaProducerHookInfo } from '@org/messaging-propagation/internal';

/** What a producer hook is told about the send it customises (the shared Kafka telemetry's type). */
export type ConfluentKafkaProducerHookInfo = KafkaProducerHookInfo;

/** What a consumer hook is told about the message being processed (the shared Kafka telemetry's type). */
export type ConfluentKafkaConsumerHookInfo = KafkaConsumerHookInfo;

/** Configuration of `ConfluentKafkaInstrumentation`. Every field is optional. */
export interface ConfluentKafkaInstrumentationConfig extends InstrumentationConfig {
  /**
   * How a process span relates to the producer's context: `'parent'` (child of the
   * send span, plus a link), `'link'` (new trace, link only), or a function deciding
   * per message (a throwing function means `'link'`).
   * @default 'parent'
   */
  consumerContextPolicy?: ConsumerContextPolicy;
  /**
   * Record `kafka.message.key`. Keys can be personal data: turn this off
   * where they are.
   * @default true
   */
  captureMessageKey?: boolean;
  /**
   * Also record a PRODUCER `create {topic}` span per message of a KafkaJS-API send,
   * each injected into its own message, with the send span linking to them (up to
   * 128). Off by default: a bulk send of 10,000 messages would make 10,000 spans.
   * @default false
   */
  createSpansPerMessage?: boolean;
  /**
   * Record `messaging.message.body.size`: the size in bytes of each message's
   * value (never the value itself) on create spans, single-message send spans
   * (KafkaJS API `send`, native `produce`) and process spans.
   * @default false
   */
  captureBodySize?: boolean;
  /**
   * Record commits the application asks for as CLIENT `commit {topic}` settle spans:
   * `consumer.commitOffsets` (KafkaJS API) and `KafkaConsumer#commit` /
   * `commitMessage` (native API). librdkafka's own automatic commits are not recorded.
   * @default false
   */
  commitSpans?: boolean;
  /** Called with each send span before it ends its setup; errors are logged and ignored. */
  producerHook?: (span: Span, info: ConfluentKafkaProducerHookInfo) => void;
  /** Called with each process span before the handler runs; errors are logged and ignored. */
  consumerHook?: (span: Span, info: ConfluentKafkaConsumerHookInfo) => void;
}
