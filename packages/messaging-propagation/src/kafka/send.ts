// Producer side: one PRODUCER `send {topic}` span per call and topic (never one
// per message), its context injected into copies of that topic's messages; with
// `createSpansPerMessage`, a `create {topic}` span per message carries the
// message's own context and the send span links to them. Once the broker has
// answered, recording spans get where it put the messages: per message (create
// spans, a single-message send span) the partition and offset, and a send span
// whose messages all went to one partition that partition (semconv sets
// per-message attributes only on spans of one message).
import { context, trace } from '@opentelemetry/api';
import type { Attributes, Context, Link, Span } from '@opentelemetry/api';
import { setMessageBodySize } from '../attributes/body-size';
import { messagingAttributes } from '../attributes/common';
import { kafkaMessageAttributes } from '../attributes/kafka';
import { kafkaHeadersSetter } from '../carriers/kafka-headers';
import type { KafkaHeaders } from '../carriers/kafka-headers';
import { failedWith, SUCCEEDED } from '../end-operation';
import type { OperationMetrics, OperationOutcome, OperationTelemetry } from '../end-operation';
import { injectIntoCopy } from '../inject';
import { MessagingOperations } from '../operations';
import { OperationUnansweredAtExitError } from '../open-spans';
import { RunningOperation } from '../running-operation';
import type { OperationKind } from '../running-operation';
import { runUserHook } from '../safe-execute';
import { ATTR_MESSAGING_DESTINATION_PARTITION_ID } from '../semconv';
import { startMessagingSpan } from '../start-span';
import { assignMessages, assignOneMessage } from './broker-assignment';
import type { MessageAssignment } from './broker-assignment';
import { kafkaClientAttributes, MAX_SPAN_LINKS, perPluginLabel } from './telemetry';
import type { KafkaClientFacts, KafkaTelemetry } from './telemetry';

/** A message as a kafkajs-shaped producer takes it. */
export interface KafkaProducedMessage {
  key?: Buffer | string | null | undefined;
  value: Buffer | string | null;
  partition?: number | undefined;
  headers?: KafkaHeaders | undefined;
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

/**
 * A create span that records: ended at its creation time, but only once the
 * broker has answered, so that it carries its message's partition and offset.
 */
interface PendingCreate {
  span: Span;
  /** `performance.now()` when the message was created. */
  endTime: number;
}

/** The end of a plugin's send spans; the message count is the span's own. */
const sendKind = perPluginLabel((label): OperationKind =>
  Object.freeze({
    what: `${label} send`,
    metrics: Object.freeze({ duration: 'client' }),
    // A send still unanswered when the process ends (native produce: a report never polled for).
    exitError: () => new OperationUnansweredAtExitError(),
  }),
);

const SENT_ONE: OperationMetrics = Object.freeze({ duration: 'client', sent: 1 });

/** One topic's `send {topic}` span of a send call: ends its create spans with it. */
class SendOperation extends RunningOperation {
  constructor(
    telemetry: OperationTelemetry,
    kind: OperationKind,
    span: Span,
    parent: Context,
    attributes: Attributes,
    started: number,
    readonly topic: string,
    /** The caller's messages, in order. */
    readonly messages: KafkaProducedMessage[],
    /** Per message, with `createSpansPerMessage`: its recording create span, if any. */
    readonly creates: Array<PendingCreate | undefined> | undefined,
  ) {
    super(telemetry, kind, span, parent, attributes, started);
  }

  /** Ends it, counting its messages as sent. */
  sent(outcome: OperationOutcome): void {
    const count = this.messages.length;
    this.finish(outcome, count === 1 ? SENT_ONE : { duration: 'client', sent: count });
  }

  protected override beforeEnd(): void {
    endCreates(this.creates);
  }
}

function keyAttributes(deps: KafkaTelemetry, message: KafkaProducedMessage): Attributes {
  return kafkaMessageAttributes(
    { key: message.key, tombstone: message.value === null },
    { captureKey: deps.config().captureMessageKey },
  );
}

function withHeaders(message: KafkaProducedMessage, spanContext: Context): KafkaProducedMessage {
  return { ...message, headers: injectIntoCopy<KafkaHeaders>(spanContext, message.headers, kafkaHeadersSetter) };
}

/**
 * One `create {topic}` span per message, timed at its creation; each message
 * carries its own create context. Recording ones end after the broker's answer.
 */
function injectPerMessage(
  deps: KafkaTelemetry,
  client: KafkaClientFacts,
  parent: Context,
  topic: string,
  messages: KafkaProducedMessage[],
): { messages: KafkaProducedMessage[]; links: Link[]; creates: Array<PendingCreate | undefined> } {
  const links: Link[] = [];
  const creates: Array<PendingCreate | undefined> = [];
  const captureBodySize = deps.config().captureBodySize;
  const injectOne = (message: KafkaProducedMessage) => {
    const create = startMessagingSpan(deps.tracer(), MessagingOperations.kafka.create, topic, parent, {
      ...messagingAttributes({
        operation: MessagingOperations.kafka.create,
        destination: topic,
        partitionId: message.partition,
        ...kafkaClientAttributes(client),
      }),
      ...keyAttributes(deps, message),
    });
    if (create.isRecording()) {
      if (captureBodySize) setMessageBodySize(create, message.value);
      creates.push({ span: create, endTime: performance.now() });
    } else {
      create.end();
      creates.push(undefined);
    }
    if (links.length < MAX_SPAN_LINKS) links.push({ context: create.spanContext() });
    return withHeaders(message, trace.setSpan(parent, create));
  };
  try {
    return { messages: messages.map(injectOne), links, creates };
  } catch (error) {
    endCreates(creates);
    throw error;
  }
}

function startSend(
  deps: KafkaTelemetry,
  client: KafkaClientFacts,
  parent: Context,
  started: number,
  { topic, messages }: KafkaTopicMessages,
  operations: SendOperation[],
  inject = true,
  track = true,
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
  const span = startMessagingSpan(
    deps.tracer(),
    MessagingOperations.kafka.send,
    topic,
    parent,
    attributes,
    perMessage?.links,
  );
  if (single && config.captureBodySize) setMessageBodySize(span, single.value);
  if (config.producerHook) {
    runUserHook(deps.diag, 'producerHook', config.producerHook, span, { topic, messageCount: messages.length });
  }
  const operation = new SendOperation(
    deps,
    sendKind(deps.label),
    span,
    parent,
    attributes,
    started,
    topic,
    messages,
    perMessage?.creates,
  );
  // Tracked until the broker answers: ended at exit if it never does.
  operations.push(track ? operation.track() : operation);
  if (perMessage) return { topic, messages: perMessage.messages };
  if (!inject) return { topic, messages };
  const spanContext = operation.context;
  return { topic, messages: messages.map((message) => withHeaders(message, spanContext)) };
}

function finishSend(deps: KafkaTelemetry, operations: SendOperation[], outcome: OperationOutcome, answer?: unknown) {
  if (!outcome.failed) {
    try {
      recordBrokerAssignment(operations, answer);
    } catch (telemetryError) {
      deps.diag.error(`otel-mq: ${deps.label} send telemetry failed`, telemetryError);
    }
  }
  for (const operation of operations) operation.sent(outcome);
}

function endCreates(creates: Array<PendingCreate | undefined> | undefined): void {
  for (const create of creates ?? []) create?.span.end(create.endTime);
}

/** Sets on each recording span where the broker put its messages (see the top of this file). */
function recordBrokerAssignment(spans: SendOperation[], answer: unknown): void {
  const single = spans.length === 1 ? spans[0] : undefined;
  if (single?.messages.length === 1) {
    recordSingleAssignment(single, answer);
    return;
  }
  // Per-message assignments for the spans of one message, and the create spans.
  const perMessage = spans.map(
    ({ span, messages, creates }) => (messages.length === 1 && span.isRecording()) || (creates?.some(Boolean) ?? false),
  );
  if (!perMessage.includes(true) && !spans.some(({ span }) => span.isRecording())) return;
  const assignments = assignMessages(spans, answer, perMessage);
  if (!assignments) return;
  spans.forEach(({ span, creates }, index) => {
    const { partition, messages = [] } = assignments[index] ?? {};
    if (span.isRecording()) {
      if (partition !== undefined) span.setAttribute(ATTR_MESSAGING_DESTINATION_PARTITION_ID, String(partition));
      if (messages.length === 1) setOffset(span, messages[0]);
    }
    creates?.forEach((create, position) => {
      const assignment = messages[position];
      if (!create || assignment?.partition === undefined) return;
      create.span.setAttribute(ATTR_MESSAGING_DESTINATION_PARTITION_ID, String(assignment.partition));
      setOffset(create.span, assignment);
    });
  });
}

/** One message to one topic: its partition and offset on the send span and its create span. */
function recordSingleAssignment({ span, topic, messages, creates }: SendOperation, answer: unknown): void {
  const create = creates?.[0];
  const recording = span.isRecording();
  if (!recording && !create) return;
  const assignment = assignOneMessage(topic, messages[0], answer);
  if (assignment?.partition === undefined) return;
  for (const assigned of [recording ? span : undefined, create?.span]) {
    if (!assigned) continue;
    assigned.setAttribute(ATTR_MESSAGING_DESTINATION_PARTITION_ID, String(assignment.partition));
    setOffset(assigned, assignment);
  }
}

function setOffset(span: Span, assignment: MessageAssignment | undefined): void {
  if (assignment?.offset !== undefined) {
    span.setAttributes(kafkaMessageAttributes({ offset: assignment.offset }, { captureKey: false }));
  }
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
  const operations: SendOperation[] = [];
  let injected: KafkaTopicMessages[];
  try {
    const parent = context.active();
    injected = topics.map((entry) => startSend(deps, client, parent, started, entry, operations));
  } catch (error) {
    deps.diag.error(`otel-mq: ${deps.label} send instrumentation failed; sending uninstrumented`, error);
    for (const operation of operations) operation.discard();
    for (const { span, creates } of operations) {
      endCreates(creates);
      span.end();
    }
    return call(topics);
  }
  try {
    const metadata = await call(injected);
    finishSend(deps, operations, SUCCEEDED, metadata);
    return metadata;
  } catch (error) {
    finishSend(deps, operations, failedWith(error));
    throw error;
  }
}

/** One message's send span, started by `startKafkaSendSpan` and ended by `finishKafkaSendSpan`. */
export interface KafkaSendOperation {
  readonly span: Span;
  /** The context the message carries: the span's. */
  readonly context: Context;
  /** @internal */
  readonly operations: SendOperation[];
}

/**
 * The `send {topic}` span of one message sent by a call that takes a single
 * message and may report its delivery later (Confluent's native `produce`): the
 * caller injects `context` into its own carrier and ends it at the delivery
 * report (`awaitsReport`: tracked until then, ended at exit if it never comes)
 * or at once, with `finishKafkaSendSpan`. Throws only on a bug; callers catch.
 */
export function startKafkaSendSpan(
  deps: KafkaTelemetry,
  client: KafkaClientFacts,
  parent: Context,
  topic: string,
  message: KafkaProducedMessage,
  awaitsReport: boolean,
): KafkaSendOperation {
  const operations: SendOperation[] = [];
  const messages = { topic, messages: [message] };
  startSend(deps, client, parent, performance.now(), messages, operations, false, awaitsReport);
  const operation = operations[0] as SendOperation;
  return { span: operation.span, context: operation.context, operations };
}

/** Ends a span of `startKafkaSendSpan` with the broker's answer (`metadata`) or the failure; never throws. */
export function finishKafkaSendSpan(
  deps: KafkaTelemetry,
  operation: KafkaSendOperation,
  outcome: OperationOutcome,
  metadata?: KafkaRecordMetadata[],
): void {
  finishSend(deps, operation.operations, outcome, metadata);
}
