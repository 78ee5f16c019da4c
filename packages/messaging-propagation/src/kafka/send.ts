// Producer side: one PRODUCER `send {topic}` span per call and topic (never one
// per message), its context injected into copies of that topic's messages; with
// `createSpansPerMessage`, a `create {topic}` span per message carries the
// message's own context and the send span links to them.
import { context, trace } from '@opentelemetry/api';
import type { Attributes, Context, Link, Span } from '@opentelemetry/api';
import { messagingAttributes } from '../attributes/common';
import { kafkaMessageAttributes } from '../attributes/kafka';
import { kafkaHeadersSetter } from '../carriers/kafka-headers';
import type { KafkaHeaders } from '../carriers/kafka-headers';
import { endOperation, failedWith, SUCCEEDED } from '../end-operation';
import type { OperationOutcome } from '../end-operation';
import { injectIntoCopy } from '../inject';
import { MessagingOperations } from '../operations';
import { runUserHook } from '../safe-execute';
import { ATTR_MESSAGING_DESTINATION_NAME, ATTR_MESSAGING_DESTINATION_PARTITION_ID } from '../semconv';
import { messagingSpanName } from '../span-name';
import { kafkaClientAttributes, MAX_SPAN_LINKS } from './telemetry';
import type { KafkaClientFacts, KafkaTelemetry } from './telemetry';

/** A message as a kafkajs-shaped producer takes it. */
export interface KafkaProducedMessage {
  key?: Buffer | string | null | undefined;
  value: Buffer | string | null;
  partition?: number | undefined;
  headers?: KafkaHeaders | undefined;
  [field: string]: unknown;
}

/** What a kafkajs-shaped send resolves with, per topic and partition. */
export interface KafkaRecordMetadata {
  topicName: string;
  partition: number;
  baseOffset?: string | undefined;
}

/** Messages of one topic in one send call. */
export interface KafkaTopicMessages {
  topic: string;
  messages: KafkaProducedMessage[];
}

interface SendSpan {
  span: Span;
  attributes: Attributes;
  count: number;
}

function keyAttributes(deps: KafkaTelemetry, message: KafkaProducedMessage): Attributes {
  return kafkaMessageAttributes(
    { key: message.key, tombstone: message.value === null },
    { captureKey: deps.config().captureMessageKey !== false },
  );
}

function withHeaders(message: KafkaProducedMessage, spanContext: Context): KafkaProducedMessage {
  return { ...message, headers: injectIntoCopy<KafkaHeaders>(spanContext, message.headers, kafkaHeadersSetter) };
}

/** One `create {topic}` span per message, ended at once; each message carries its own create context. */
function injectPerMessage(
  deps: KafkaTelemetry,
  client: KafkaClientFacts,
  parent: Context,
  topic: string,
  messages: KafkaProducedMessage[],
): { messages: KafkaProducedMessage[]; links: Link[] } {
  const links: Link[] = [];
  const injected = messages.map((message) => {
    const create = deps.tracer().startSpan(
      messagingSpanName(MessagingOperations.kafka.create, topic),
      {
        kind: MessagingOperations.kafka.create.spanKind,
        attributes: {
          ...messagingAttributes({
            operation: MessagingOperations.kafka.create,
            destination: topic,
            partitionId: message.partition,
            ...kafkaClientAttributes(client),
          }),
          ...keyAttributes(deps, message),
        },
      },
      parent,
    );
    create.end();
    if (links.length < MAX_SPAN_LINKS) links.push({ context: create.spanContext() });
    return withHeaders(message, trace.setSpan(parent, create));
  });
  return { messages: injected, links };
}

function startSend(
  deps: KafkaTelemetry,
  client: KafkaClientFacts,
  parent: Context,
  { topic, messages }: KafkaTopicMessages,
  spans: SendSpan[],
  inject = true,
): KafkaTopicMessages {
  const config = deps.config();
  const single = messages.length === 1 ? messages[0] : undefined;
  const attributes: Attributes = {
    ...messagingAttributes({
      operation: MessagingOperations.kafka.send,
      destination: topic,
      batchMessageCount: single ? undefined : messages.length,
      partitionId: single?.partition,
      ...kafkaClientAttributes(client),
    }),
    ...(single ? keyAttributes(deps, single) : {}),
  };
  const perMessage =
    inject && config.createSpansPerMessage ? injectPerMessage(deps, client, parent, topic, messages) : undefined;
  const span = deps
    .tracer()
    .startSpan(
      messagingSpanName(MessagingOperations.kafka.send, topic),
      { kind: MessagingOperations.kafka.send.spanKind, attributes, links: perMessage?.links },
      parent,
    );
  runUserHook(deps.diag, 'producerHook', config.producerHook, span, { topic, messageCount: messages.length });
  spans.push({ span, attributes, count: messages.length });
  if (perMessage) return { topic, messages: perMessage.messages };
  if (!inject) return { topic, messages };
  const spanContext = trace.setSpan(parent, span);
  return { topic, messages: messages.map((message) => withHeaders(message, spanContext)) };
}

function finishSend(
  deps: KafkaTelemetry,
  spans: SendSpan[],
  started: number,
  outcome: OperationOutcome,
  metadata?: unknown,
) {
  for (const { span, attributes, count } of spans) {
    if (!outcome.failed) {
      try {
        recordBrokerAssignment(span, attributes, count, metadata);
      } catch (telemetryError) {
        deps.diag.error(`otel-mq: ${deps.label} send telemetry failed`, telemetryError);
      }
    }
    endOperation(deps, `${deps.label} send`, { span, attributes, started }, outcome, {
      duration: 'client',
      sent: count,
    });
  }
}

/** A single-message send span records the partition and offset the broker gave its message. */
function recordBrokerAssignment(span: Span, attributes: Attributes, count: number, metadata: unknown): void {
  if (count !== 1 || !Array.isArray(metadata)) return;
  const topic = attributes[ATTR_MESSAGING_DESTINATION_NAME];
  const record = (metadata as KafkaRecordMetadata[]).find((entry) => entry?.topicName === topic);
  if (!record) return;
  span.setAttribute(ATTR_MESSAGING_DESTINATION_PARTITION_ID, String(record.partition));
  span.setAttributes(kafkaMessageAttributes({ offset: record.baseOffset }, { captureKey: false }));
}

/**
 * Traces one send call. `call` receives the copies with the context injected and
 * performs the real send; its result or error is passed through unchanged.
 */
export async function traceKafkaSend(
  deps: KafkaTelemetry,
  client: KafkaClientFacts,
  topics: KafkaTopicMessages[],
  call: (injected: KafkaTopicMessages[]) => Promise<KafkaRecordMetadata[]>,
): Promise<KafkaRecordMetadata[]> {
  const started = performance.now();
  const spans: SendSpan[] = [];
  let injected: KafkaTopicMessages[];
  try {
    const parent = context.active();
    injected = topics.map((entry) => startSend(deps, client, parent, entry, spans));
  } catch (error) {
    deps.diag.error(`otel-mq: ${deps.label} send instrumentation failed; sending uninstrumented`, error);
    for (const { span } of spans) span.end();
    return call(topics);
  }
  try {
    const metadata = await call(injected);
    finishSend(deps, spans, started, SUCCEEDED, metadata);
    return metadata;
  } catch (error) {
    finishSend(deps, spans, started, failedWith(error));
    throw error;
  }
}

/** One message's send span, started by `startKafkaSendSpan` and ended by `finishKafkaSendSpan`. */
export interface KafkaSendOperation {
  readonly span: Span;
  /** `performance.now()` at the start. */
  readonly started: number;
  /** @internal */
  readonly spans: SendSpan[];
}

/**
 * The `send {topic}` span of one message sent by a call that takes a single
 * message and reports its delivery later (Confluent's native `produce`): the
 * caller injects `span`'s context into its own carrier and ends it at the
 * delivery report (or at once) with `finishKafkaSendSpan`. Throws only on a bug; callers catch.
 */
export function startKafkaSendSpan(
  deps: KafkaTelemetry,
  client: KafkaClientFacts,
  parent: Context,
  topic: string,
  message: KafkaProducedMessage,
): KafkaSendOperation {
  const started = performance.now();
  const spans: SendSpan[] = [];
  startSend(deps, client, parent, { topic, messages: [message] }, spans, false);
  return { span: (spans[0] as SendSpan).span, started, spans };
}

/** Ends a span of `startKafkaSendSpan` with the broker's answer (`metadata`) or the failure; never throws. */
export function finishKafkaSendSpan(
  deps: KafkaTelemetry,
  operation: KafkaSendOperation,
  outcome: OperationOutcome,
  metadata?: KafkaRecordMetadata[],
): void {
  finishSend(deps, operation.spans, operation.started, outcome, metadata);
}
