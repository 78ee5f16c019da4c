// What a delivered message tells about itself: destination, attributes, the
// producer's context. Also remembers, per message object, what later operations
// on it (processMessage, ack/nack/reject) need to connect to.
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { Attributes, Context, SpanContext } from '@opentelemetry/api';
import { amqpHeadersGetter, extractFromCarrier } from '@org/messaging-propagation';
import {
  deadLetterAttributes,
  deliveryAttributes,
  isServerNamedRabbitMqQueue,
  rabbitMqAttributes,
  rabbitMqConsumeDestination,
} from '@org/messaging-propagation/internal';
import type { AmqpChannel, Message } from '../internal-types';

/** Where a delivery came from, as named in spans. */
export interface DeliveryDestination {
  /** `messaging.destination.name` and the span name's destination: `{exchange}:{routing key}:{queue}`. */
  name: string;
  /** The queue has a server-generated name (`amq.gen-…`), kept out of the destination. */
  anonymous: boolean;
}

export function deliveryDestination(message: Message, queue: string | undefined): DeliveryDestination {
  const fields = message.fields ?? {};
  const anonymous = isServerNamedRabbitMqQueue(queue);
  return {
    name: rabbitMqConsumeDestination(fields.exchange, fields.routingKey, anonymous ? undefined : queue),
    anonymous,
  };
}

/** An AMQP timestamp is seconds since the epoch, but many producers put milliseconds there. */
function timestampMs(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return undefined;
  return value < 1e11 ? value * 1000 : value;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return undefined;
}

/** The `messaging.*` inputs every span about a delivered message shares. */
export function messageIdentity(message: Message): { messageId?: string; conversationId?: string } {
  const properties = message.properties ?? {};
  const identity: { messageId?: string; conversationId?: string } = {};
  const messageId = text(properties.messageId);
  if (messageId) identity.messageId = messageId;
  const conversationId = text(properties.correlationId);
  if (conversationId) identity.conversationId = conversationId;
  return identity;
}

/** RabbitMQ-specific, redelivery and dead-lettering attributes of a delivered message. */
export function deliveredMessageAttributes(message: Message): Attributes {
  const fields = message.fields ?? {};
  const headers = message.properties?.headers;
  // Quorum queues count previous deliveries in `x-delivery-count` (absent on the first).
  const previous = headers?.['x-delivery-count'];
  return {
    ...rabbitMqAttributes({ routingKey: fields.routingKey, deliveryTag: fields.deliveryTag }),
    ...deliveryAttributes({
      brokerTimestampMs: timestampMs(message.properties?.timestamp),
      redelivered: typeof fields.redelivered === 'boolean' ? fields.redelivered : undefined,
      deliveryCount: typeof previous === 'number' ? previous + 1 : undefined,
    }),
    ...deadLetterAttributes(headers),
  };
}

/** The producer's context (span context and baggage) carried in the message headers. Hostile headers give none. */
export function producerContext(message: Message): Context {
  return extractFromCarrier(message.properties?.headers, amqpHeadersGetter, ROOT_CONTEXT);
}

/** The producer's span context carried in the message headers, if any. */
export function producerSpanContext(message: Message): SpanContext | undefined {
  return trace.getSpanContext(producerContext(message));
}

/** What the plugin remembers about a message object it has seen delivered. */
export interface MessageMemory {
  queue: string | undefined;
  /** The channel the message arrived on, whose close ends a process span still open. */
  channel?: AmqpChannel | undefined;
  /** The producer's span context found in the headers, so later operations need not parse them again. */
  producer?: SpanContext | undefined;
  /** The `receive` span of a `channel.get`, for `processMessage` to link to. */
  receiveSpan?: SpanContext | undefined;
  /** The process span, for settle spans made outside it to link to. */
  processSpan?: SpanContext | undefined;
}

const memories = new WeakMap<object, MessageMemory>();

/** Adds `memory` (a fresh object of the caller's, kept as it is) to what is remembered of `message`. */
export function remember(message: Message, memory: MessageMemory): void {
  if (typeof message !== 'object' || message === null) return;
  const known = memories.get(message);
  if (known) Object.assign(known, memory);
  else memories.set(message, memory);
}

export function recall(message: unknown): MessageMemory | undefined {
  return typeof message === 'object' && message !== null ? memories.get(message) : undefined;
}

export function isMessage(value: unknown): value is Message {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Message).fields === 'object' &&
    (value as Message).fields !== null
  );
}
