import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_OTEL_MQ_RABBITMQ_DEATH_COUNT,
  ATTR_OTEL_MQ_RABBITMQ_DEATH_FIRST_QUEUE,
  ATTR_OTEL_MQ_RABBITMQ_DEATH_FIRST_REASON,
  ATTR_RABBITMQ_DESTINATION_ROUTING_KEY,
  ATTR_RABBITMQ_MESSAGE_DELIVERY_TAG,
} from '../semconv';
import { withLegacyNames } from '../semconv-stability';

/** What semconv names the default (nameless) exchange when nothing else names the destination. */
export const RABBITMQ_DEFAULT_EXCHANGE_NAME = 'amq.default';

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/**
 * `messaging.destination.name` of a publish (semconv rabbitmq.md): `{exchange}:{routing key}`
 * when both are non-empty, else whichever is, else `amq.default`.
 */
export function rabbitMqPublishDestination(exchange: unknown, routingKey: unknown): string {
  return joinNonEmpty(joinNonEmpty(undefined, exchange), routingKey) ?? RABBITMQ_DEFAULT_EXCHANGE_NAME;
}

/**
 * `messaging.destination.name` of a delivery: `{exchange}:{routing key}:{queue}`,
 * leaving out empty parts (the default exchange) and the queue when it equals the
 * routing key; `amq.default` when nothing is left.
 */
export function rabbitMqConsumeDestination(exchange: unknown, routingKey: unknown, queue: unknown): string {
  const name = joinNonEmpty(joinNonEmpty(undefined, exchange), routingKey);
  return joinNonEmpty(name, queue !== routingKey ? queue : undefined) ?? RABBITMQ_DEFAULT_EXCHANGE_NAME;
}

/** `{joined}:{part}`, leaving out an empty part (or an empty `joined`): no array per message on the hot path. */
function joinNonEmpty(joined: string | undefined, part: unknown): string | undefined {
  if (!nonEmpty(part)) return joined;
  return joined === undefined ? part : `${joined}:${part}`;
}

/** Server-named queues (`amq.gen-…`) are anonymous and high-cardinality: keep them out of span names. */
export function isServerNamedRabbitMqQueue(queue: unknown): boolean {
  return typeof queue === 'string' && queue.startsWith('amq.gen-');
}

export interface RabbitMqMessageFacts {
  routingKey?: string | undefined;
  deliveryTag?: number | undefined;
}

/** `rabbitmq.*` attributes. */
export function rabbitMqAttributes(facts: RabbitMqMessageFacts): Attributes {
  const attributes: Attributes = {};
  if (nonEmpty(facts.routingKey)) attributes[ATTR_RABBITMQ_DESTINATION_ROUTING_KEY] = facts.routingKey;
  if (typeof facts.deliveryTag === 'number') attributes[ATTR_RABBITMQ_MESSAGE_DELIVERY_TAG] = facts.deliveryTag;
  return withLegacyNames(attributes);
}

/** At most this many `x-death` entries are read: the header comes from the network and can be any size. */
export const MAX_X_DEATH_ENTRIES = 64;
/** Longer queue names or reasons are cut to this many characters (RabbitMQ's own limit is 255 bytes). */
const MAX_DEATH_TEXT_LENGTH = 255;

function headerText(value: unknown): string | undefined {
  const text = Buffer.isBuffer(value) ? value.toString('utf8') : value;
  return typeof text === 'string' && text.length > 0 ? text.slice(0, MAX_DEATH_TEXT_LENGTH) : undefined;
}

function ownField(table: unknown, key: string): unknown {
  return typeof table === 'object' && table !== null && Object.prototype.hasOwnProperty.call(table, key)
    ? (table as Record<string, unknown>)[key]
    : undefined;
}

/**
 * Dead-lettering facts of a RabbitMQ delivery, from the headers the broker adds
 * when it dead-letters a message (`x-death`, `x-first-death-queue`,
 * `x-first-death-reason`): how often it died in total, and where and why first.
 * Headers that are missing or malformed give no attribute, never an error.
 */
export function deadLetterAttributes(headers: unknown): Attributes {
  const attributes: Attributes = {};
  try {
    readDeadLetterFacts(headers, attributes);
  } catch {
    // Headers that throw when read (a Proxy, a getter): keep what was read before.
  }
  return attributes;
}

function readDeadLetterFacts(headers: unknown, attributes: Attributes): void {
  const deaths = ownField(headers, 'x-death');
  if (Array.isArray(deaths)) {
    let total = 0;
    for (const entry of deaths.slice(0, MAX_X_DEATH_ENTRIES)) {
      const count = ownField(entry, 'count');
      if (typeof count === 'number' && Number.isSafeInteger(count) && count > 0) total += count;
    }
    if (total > 0 && Number.isSafeInteger(total)) attributes[ATTR_OTEL_MQ_RABBITMQ_DEATH_COUNT] = total;
  }
  const firstQueue = headerText(ownField(headers, 'x-first-death-queue'));
  if (firstQueue) attributes[ATTR_OTEL_MQ_RABBITMQ_DEATH_FIRST_QUEUE] = firstQueue;
  const firstReason = headerText(ownField(headers, 'x-first-death-reason'));
  if (firstReason) attributes[ATTR_OTEL_MQ_RABBITMQ_DEATH_FIRST_REASON] = firstReason;
}
