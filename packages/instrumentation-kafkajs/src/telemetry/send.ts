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
import {
  ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  injectIntoCopy,
  kafkaHeadersSetter,
  kafkaMessageAttributes,
  messagingAttributes,
  messagingSpanName,
  MessagingOperations,
  runUserHook,
  setMessageBodySize,
} from '@org/messaging-propagation';
import { endOperation, failedWith, SUCCEEDED } from '@org/messaging-propagation/internal';
import type { OperationOutcome } from '@org/messaging-propagation/internal';
import type { KafkaHeaders } from '@org/messaging-propagation';
import type { ClientFacts, KafkaMessage, RecordMetadata } from '../internal-types';
import { assignMessages } from './broker-assignment';
import type { MessageAssignment } from './broker-assignment';
import { clientAttributes, MAX_SPAN_LINKS } from './deps';
import type { KafkaTelemetryDeps } from './deps';

/** Messages of one topic in one send call. */
export interface TopicMessages {
  topic: string;
  messages: KafkaMessage[];
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

interface SendSpan {
  span: Span;
  attributes: Attributes;
  topic: string;
  /** The caller's messages, in order. */
  messages: KafkaMessage[];
  /** Per message, with `createSpansPerMessage`: its recording create span, if any. */
  creates?: Array<PendingCreate | undefined>;
}

function keyAttributes(deps: KafkaTelemetryDeps, message: KafkaMessage): Attributes {
  return kafkaMessageAttributes(
    { key: message.key, tombstone: message.value === null },
    { captureKey: deps.config().captureMessageKey !== false },
  );
}

function withHeaders(message: KafkaMessage, spanContext: Context): KafkaMessage {
  return { ...message, headers: injectIntoCopy<KafkaHeaders>(spanContext, message.headers, kafkaHeadersSetter) };
}

/**
 * One `create {topic}` span per message, timed at its creation; each message
 * carries its own create context. Recording ones end after the broker's answer.
 */
function injectPerMessage(
  deps: KafkaTelemetryDeps,
  client: ClientFacts,
  parent: Context,
  topic: string,
  messages: KafkaMessage[],
): { messages: KafkaMessage[]; links: Link[]; creates: Array<PendingCreate | undefined> } {
  const links: Link[] = [];
  const creates: Array<PendingCreate | undefined> = [];
  const captureBodySize = deps.config().captureBodySize === true;
  const injectOne = (message: KafkaMessage) => {
    const create = deps.tracer().startSpan(
      messagingSpanName(MessagingOperations.kafka.create, topic),
      {
        kind: MessagingOperations.kafka.create.spanKind,
        attributes: {
          ...messagingAttributes({
            operation: MessagingOperations.kafka.create,
            destination: topic,
            partitionId: message.partition,
            ...clientAttributes(client),
          }),
          ...keyAttributes(deps, message),
        },
      },
      parent,
    );
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
  deps: KafkaTelemetryDeps,
  client: ClientFacts,
  parent: Context,
  { topic, messages }: TopicMessages,
  spans: SendSpan[],
): TopicMessages {
  const config = deps.config();
  const single = messages.length === 1 ? messages[0] : undefined;
  const attributes: Attributes = {
    ...messagingAttributes({
      operation: MessagingOperations.kafka.send,
      destination: topic,
      batchMessageCount: single ? undefined : messages.length,
      partitionId: single?.partition,
      ...clientAttributes(client),
    }),
    ...(single ? keyAttributes(deps, single) : {}),
  };
  const perMessage = config.createSpansPerMessage ? injectPerMessage(deps, client, parent, topic, messages) : undefined;
  const span = deps
    .tracer()
    .startSpan(
      messagingSpanName(MessagingOperations.kafka.send, topic),
      { kind: MessagingOperations.kafka.send.spanKind, attributes, links: perMessage?.links },
      parent,
    );
  if (single && config.captureBodySize === true) setMessageBodySize(span, single.value);
  runUserHook(deps.diag, 'producerHook', config.producerHook, span, { topic, messageCount: messages.length });
  spans.push({ span, attributes, topic, messages, creates: perMessage?.creates });
  if (perMessage) return { topic, messages: perMessage.messages };
  const spanContext = trace.setSpan(parent, span);
  return { topic, messages: messages.map((message) => withHeaders(message, spanContext)) };
}

function finishSend(
  deps: KafkaTelemetryDeps,
  spans: SendSpan[],
  started: number,
  outcome: OperationOutcome,
  answer?: unknown,
) {
  if (!outcome.failed) {
    try {
      recordBrokerAssignment(spans, answer);
    } catch (telemetryError) {
      deps.diag.error('otel-mq: kafkajs send telemetry failed', telemetryError);
    }
  }
  for (const { span, attributes, messages, creates } of spans) {
    endCreates(creates);
    endOperation(deps, 'kafkajs send', { span, attributes, started }, outcome, {
      duration: 'client',
      sent: messages.length,
    });
  }
}

function endCreates(creates: Array<PendingCreate | undefined> | undefined): void {
  for (const create of creates ?? []) create?.span.end(create.endTime);
}

/** Sets on each recording span where the broker put its messages (see the top of this file). */
function recordBrokerAssignment(spans: SendSpan[], answer: unknown): void {
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

function setOffset(span: Span, assignment: MessageAssignment | undefined): void {
  if (assignment?.offset !== undefined) {
    span.setAttributes(kafkaMessageAttributes({ offset: assignment.offset }, { captureKey: false }));
  }
}

/**
 * Traces one send call. `call` receives the copies with the context injected and
 * performs the real send; its result or error is passed through unchanged.
 */
export async function traceSend(
  deps: KafkaTelemetryDeps,
  client: ClientFacts,
  topics: TopicMessages[],
  call: (injected: TopicMessages[]) => Promise<RecordMetadata[]>,
): Promise<RecordMetadata[]> {
  const started = performance.now();
  const spans: SendSpan[] = [];
  let injected: TopicMessages[];
  try {
    const parent = context.active();
    injected = topics.map((entry) => startSend(deps, client, parent, entry, spans));
  } catch (error) {
    deps.diag.error('otel-mq: kafkajs send instrumentation failed; sending uninstrumented', error);
    for (const { span, creates } of spans) {
      endCreates(creates);
      span.end();
    }
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
