import type { Span } from '@opentelemetry/api';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import type { ConsumerContextPolicy, SqsMessageAttributes } from '@org/messaging-propagation';

/** A message as `ReceiveMessage` returns it (the SDK's `Message`); only these fields are read. */
export interface SqsMessage {
  MessageId?: string | undefined;
  Body?: string | undefined;
  ReceiptHandle?: string | undefined;
  Attributes?: Partial<Record<string, string>> | undefined;
  MessageAttributes?: SqsMessageAttributes | undefined;
}

/** What a producer hook is told about the send it customises. */
export interface SqsProducerHookInfo {
  /** `SendMessage`, `SendMessageBatch`, or (SNS) `Publish`, `PublishBatch` */
  commandName: string;
  /** SQS sends: the queue; `undefined` for SNS publishes. */
  queueUrl: string | undefined;
  /** SNS publishes: the topic's ARN, when the publish names a topic. */
  topicArn?: string | undefined;
  messageCount: number;
}

/** What a consumer hook is told about the message being processed. */
export interface SqsConsumerHookInfo {
  queueUrl: string | undefined;
  messageId: string | undefined;
}

/** Configuration of `AwsSqsInstrumentation`. Every field is optional. */
export interface AwsSqsInstrumentationConfig extends InstrumentationConfig {
  /**
   * How a process span relates to the producer's context: `'parent'` (child of the
   * send span, plus a link), `'link'` (the consumer's own context, link only), or a
   * function deciding per message (a throwing function means `'link'`).
   * @default 'parent'
   */
  consumerContextPolicy?: ConsumerContextPolicy;
  /**
   * SendMessageBatch: also record one PRODUCER `create {queue}` span per entry; each
   * entry then carries its own create span's context and the send span links to them.
   * @default false
   */
  batchEntryCreateSpans?: boolean;
  /**
   * ReceiveMessage: ask SQS for the propagation message attributes and the
   * `AWSTraceHeader`, `ApproximateReceiveCount` and `SentTimestamp` system attributes
   * (whatever the caller did not ask for is removed again from the response). Turn
   * off to send the caller's request exactly as written; messages then connect only
   * when the caller asks for those attributes itself.
   * @default true
   */
  requestTraceAttributes?: boolean;
  /**
   * Look for the producer's context inside an SNS notification envelope (SNS→SQS
   * with raw message delivery off) when the SQS message itself carries none. Only
   * bodies that look like an envelope are parsed.
   * @default true
   */
  extractSnsEnvelope?: boolean;
  /**
   * Record `messaging.message.body.size`: the size in bytes (UTF-8) of each
   * message's body, never the body itself, on single-message send and SNS
   * publish spans, batch-entry create spans, process spans, and the links of
   * receive spans.
   * @default false
   */
  captureBodySize?: boolean;
  /** Called with each send span once its attributes are set; errors are logged and ignored. */
  producerHook?: (span: Span, info: SqsProducerHookInfo) => void;
  /** Called with each process span before the user's work runs; errors are logged and ignored. */
  consumerHook?: (span: Span, info: SqsConsumerHookInfo) => void;
}
