import type { Span } from '@opentelemetry/api';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import type { ConsumerContextPolicy } from '@org/messaging-propagation';

/** What a publish hook is told about the message being published. */
export interface AmqplibPublishHookInfo {
  exchange: string;
  routingKey: string;
  /** The message body; read it only if you must, never record it. */
  content: unknown;
  /** The caller's options, as given (read-only: the plugin publishes a copy). */
  options: unknown;
  /** Published on a ConfirmChannel with a callback: the span ends when the broker confirms. */
  confirm: boolean;
}

/** What a confirm hook is told when the broker answers a ConfirmChannel publish made with a callback. */
export interface AmqplibConfirmHookInfo {
  exchange: string;
  routingKey: string;
  /** `true` on ack; `false` on nack, or when the channel closed first. */
  confirmed: boolean;
  /** What amqplib gave the publish callback: `null` on ack, an error otherwise. */
  error: unknown;
}

/** What a consume hook is told about the delivery being processed. */
export interface AmqplibConsumeHookInfo {
  /** The queue the consumer reads, or `undefined` for a message from `channel.get` handed to `processMessage`. */
  queue: string | undefined;
  /** The delivered message (read-only). */
  message: unknown;
}

/** What a settle hook is told about an ack, nack or reject. */
export interface AmqplibSettleHookInfo {
  operation: 'ack' | 'nack' | 'reject';
  /** The message settled; `undefined` for `ackAll` / `nackAll`. */
  message: unknown;
  multiple: boolean;
  requeue: boolean | undefined;
}

/** Configuration of `AmqplibInstrumentation`. Every field is optional. */
export interface AmqplibInstrumentationConfig extends InstrumentationConfig {
  /**
   * How a process span relates to the producer's context: `'parent'` (child of the
   * publish span, plus a link), `'link'` (new trace, link only), or a function deciding
   * per message (a throwing function means `'link'`).
   * @default 'parent'
   */
  consumerContextPolicy?: ConsumerContextPolicy;
  /**
   * Record `messaging.message.body.size` (the content length in bytes) on publish,
   * process and receive spans.
   * @default false
   */
  captureBodySize?: boolean;
  /**
   * Record settle spans (`ack`, `nack`, `reject`, `ackAll`, `nackAll`) and their
   * `messaging.client.operation.duration`. amqplib sends these frames without
   * waiting for an answer, so such a span times a socket write; off by default,
   * as it doubles the spans per consumed message.
   * @default false
   */
  recordSettleSpans?: boolean;
  /** Called with each publish span after it starts; errors are logged and ignored. */
  publishHook?: (span: Span, info: AmqplibPublishHookInfo) => void;
  /**
   * Called with the span of a ConfirmChannel publish made with a callback when the
   * broker answers, before the span ends; errors are logged and ignored.
   */
  publishConfirmHook?: (span: Span, info: AmqplibConfirmHookInfo) => void;
  /** Called with each process span before the consumer callback runs; errors are logged and ignored. */
  consumeHook?: (span: Span, info: AmqplibConsumeHookInfo) => void;
  /** Called with each settle span before it ends; errors are logged and ignored. */
  settleHook?: (span: Span, info: AmqplibSettleHookInfo) => void;
}
