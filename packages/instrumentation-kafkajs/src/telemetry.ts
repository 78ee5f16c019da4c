// Spans and metrics for kafkajs operations, built from @org/messaging-propagation.
import { context, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import type { Attributes, Context, DiagLogger, Link, Span, Tracer } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  deliveryAttributes,
  errorType,
  extractFromCarrier,
  injectIntoCopy,
  kafkaHeadersGetter,
  kafkaHeadersSetter,
  kafkaMessageAttributes,
  messagingAttributes,
  messagingSpanName,
  MessagingOperations,
  metricAttributes,
  parseHostPort,
  recordSpanError,
  resolveConsumerContext,
  runUserHook,
} from '@org/messaging-propagation';
import type { KafkaHeaders, MessagingMetrics } from '@org/messaging-propagation';
import type { ClientFacts, ConsumedMessage, KafkaMessage, RecordMetadata } from './internal-types';
import type { KafkaJsInstrumentationConfig } from './types';

/** What the telemetry needs from the instrumentation: read lazily, as the SDK may change them. */
export interface KafkaTelemetryDeps {
  tracer(): Tracer;
  metrics(): MessagingMetrics;
  config(): KafkaJsInstrumentationConfig;
  diag: DiagLogger;
}

/** A batch span links to at most this many producers: links are kept in memory until the span ends. */
export const MAX_BATCH_LINKS = 128;

function clientAttributes(client: ClientFacts) {
  return { clientId: client.clientId, server: parseHostPort(client.brokers[0]) };
}

function seconds(startMs: number): number {
  return (performance.now() - startMs) / 1000;
}

/** Messages of one topic in one send call. */
export interface TopicMessages {
  topic: string;
  messages: KafkaMessage[];
}

/**
 * One PRODUCER span per topic of a send call (never one per message), its context
 * injected into copies of that topic's messages. `call` receives the copies and
 * performs the real send; its result or error is passed through unchanged.
 */
export async function traceSend(
  deps: KafkaTelemetryDeps,
  client: ClientFacts,
  topics: TopicMessages[],
  call: (injected: TopicMessages[]) => Promise<RecordMetadata[]>,
): Promise<RecordMetadata[]> {
  const config = deps.config();
  const started = performance.now();
  const spans: Array<{ span: Span; attributes: Attributes; count: number }> = [];
  let injected: TopicMessages[];
  try {
    const parent = context.active();
    injected = topics.map(({ topic, messages }) => {
      const single = messages.length === 1 ? messages[0] : undefined;
      const attributes: Attributes = {
        ...messagingAttributes({
          operation: MessagingOperations.kafka.send,
          destination: topic,
          batchMessageCount: messages.length === 1 ? undefined : messages.length,
          partitionId: single?.partition,
          ...clientAttributes(client),
        }),
        ...(single
          ? kafkaMessageAttributes(
              { key: single.key, tombstone: single.value === null },
              { captureKey: config.captureMessageKey !== false },
            )
          : {}),
      };
      const span = deps
        .tracer()
        .startSpan(
          messagingSpanName(MessagingOperations.kafka.send, topic),
          { kind: SpanKind.PRODUCER, attributes },
          parent,
        );
      runUserHook(deps.diag, 'producerHook', config.producerHook, span, { topic, messageCount: messages.length });
      spans.push({ span, attributes, count: messages.length });
      const spanContext = trace.setSpan(parent, span);
      return {
        topic,
        messages: messages.map((message) => ({
          ...message,
          headers: injectIntoCopy<KafkaHeaders>(spanContext, message.headers, kafkaHeadersSetter),
        })),
      };
    });
  } catch (error) {
    deps.diag.error('otel-mq: kafkajs send instrumentation failed; sending uninstrumented', error);
    for (const { span } of spans) span.end();
    return call(topics);
  }

  const finish = (error?: unknown, metadata?: RecordMetadata[]) => {
    try {
      for (const { span, attributes, count } of spans) {
        if (error !== undefined) recordSpanError(span, error);
        else if (count === 1) {
          const topic = attributes[ATTR_MESSAGING_DESTINATION_NAME];
          const record = metadata?.find((entry) => entry.topicName === topic);
          if (record) {
            span.setAttribute(ATTR_MESSAGING_DESTINATION_PARTITION_ID, String(record.partition));
            span.setAttributes(kafkaMessageAttributes({ offset: record.baseOffset }, { captureKey: false }));
          }
        }
        span.end();
        const metricAttrs = operationMetricAttributes(attributes, error);
        const metrics = deps.metrics();
        metrics.clientOperationDuration.record(seconds(started), metricAttrs);
        metrics.sentMessages.add(count, metricAttrs);
      }
    } catch (telemetryError) {
      deps.diag.error('otel-mq: kafkajs send telemetry failed', telemetryError);
    }
  };

  try {
    const metadata = await call(injected);
    finish(undefined, metadata);
    return metadata;
  } catch (error) {
    finish(error);
    throw error;
  }
}

/** Metric attributes of a finished operation: the span's low-cardinality ones plus `error.type`. */
function operationMetricAttributes(attributes: Attributes, error: unknown): Attributes {
  const picked = metricAttributes(attributes);
  if (error !== undefined) picked[ATTR_ERROR_TYPE] = errorType(error);
  return picked;
}

/** A started process span and what its end needs. */
interface ProcessSpan {
  span: Span;
  spanContext: Context;
  attributes: Attributes;
  started: number;
  messageCount: number;
}

/**
 * Runs the handler in the span's context and ends the span when the handler's
 * promise settles, recording the process metrics. The handler's result or error
 * is passed on unchanged.
 */
function runInProcessSpan<T>(deps: KafkaTelemetryDeps, process: ProcessSpan, handler: () => Promise<T>): Promise<T> {
  const finish = (error?: unknown) => {
    try {
      if (error !== undefined) recordSpanError(process.span, error);
      process.span.end();
      const metricAttrs = operationMetricAttributes(process.attributes, error);
      const metrics = deps.metrics();
      metrics.processDuration.record(seconds(process.started), metricAttrs);
      metrics.consumedMessages.add(process.messageCount, metricAttrs);
    } catch (telemetryError) {
      deps.diag.error('otel-mq: kafkajs process telemetry failed', telemetryError);
    }
  };
  return context.with(process.spanContext, handler).then(
    (result) => {
      finish();
      return result;
    },
    (error: unknown) => {
      finish(error);
      throw error;
    },
  );
}

/**
 * Runs `handler` for one consumed message inside a CONSUMER `process {topic}` span
 * whose parent follows the consumer context policy. The handler's result or
 * error reaches kafkajs unchanged.
 */
export function traceProcess<T>(
  deps: KafkaTelemetryDeps,
  client: ClientFacts,
  topic: string,
  partition: number,
  message: ConsumedMessage,
  handler: () => Promise<T>,
): Promise<T> {
  let span: Span;
  let spanContext: Context;
  let attributes: Attributes;
  const started = performance.now();
  try {
    const config = deps.config();
    const { parentContext, links } = resolveConsumerContext(extractFromCarrier(message.headers, kafkaHeadersGetter), {
      system: 'kafka',
      destination: topic,
      policy: config.consumerContextPolicy,
      base: ROOT_CONTEXT,
      logger: deps.diag,
    });
    attributes = {
      ...messagingAttributes({
        operation: MessagingOperations.kafka.process,
        destination: topic,
        partitionId: partition,
        consumerGroup: client.groupId,
        ...clientAttributes(client),
      }),
      ...kafkaMessageAttributes(
        { key: message.key, offset: message.offset, tombstone: message.value === null },
        { captureKey: config.captureMessageKey !== false },
      ),
      ...deliveryAttributes({ brokerTimestampMs: message.timestamp }),
    };
    span = deps
      .tracer()
      .startSpan(
        messagingSpanName(MessagingOperations.kafka.process, topic),
        { kind: SpanKind.CONSUMER, attributes, links },
        parentContext,
      );
    runUserHook(deps.diag, 'consumerHook', config.consumerHook, span, { topic, partition, offset: message.offset });
    spanContext = trace.setSpan(parentContext, span);
  } catch (error) {
    deps.diag.error('otel-mq: kafkajs process instrumentation failed; processing uninstrumented', error);
    return handler();
  }

  return runInProcessSpan(deps, { span, spanContext, attributes, started, messageCount: 1 }, handler);
}

/**
 * Runs an eachBatch handler inside one CONSUMER `process {topic}` span for the
 * batch, linked to each message's producer context (up to MAX_BATCH_LINKS).
 */
export function traceBatch<T>(
  deps: KafkaTelemetryDeps,
  client: ClientFacts,
  topic: string,
  partition: number,
  messages: ConsumedMessage[],
  handler: () => Promise<T>,
): Promise<T> {
  let span: Span;
  const started = performance.now();
  let attributes: Attributes;
  try {
    const links: Link[] = [];
    for (const message of messages) {
      if (links.length >= MAX_BATCH_LINKS) break;
      const producer = trace.getSpanContext(extractFromCarrier(message.headers, kafkaHeadersGetter));
      if (producer) links.push({ context: producer });
    }
    attributes = messagingAttributes({
      operation: MessagingOperations.kafka.process,
      destination: topic,
      partitionId: partition,
      consumerGroup: client.groupId,
      batchMessageCount: messages.length,
      ...clientAttributes(client),
    });
    span = deps
      .tracer()
      .startSpan(
        messagingSpanName(MessagingOperations.kafka.process, topic),
        { kind: SpanKind.CONSUMER, attributes, links },
        ROOT_CONTEXT,
      );
  } catch (error) {
    deps.diag.error('otel-mq: kafkajs batch instrumentation failed; processing uninstrumented', error);
    return handler();
  }
  const spanContext = trace.setSpan(ROOT_CONTEXT, span);
  return runInProcessSpan(deps, { span, spanContext, attributes, started, messageCount: messages.length }, handler);
}
