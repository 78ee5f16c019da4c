import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_MESSAGING_RABBITMQ_DESTINATION_ROUTING_KEY,
  ATTR_MESSAGING_RABBITMQ_MESSAGE_DELIVERY_TAG,
} from '../semconv';

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
  const parts = [exchange, routingKey].filter(nonEmpty);
  return parts.length > 0 ? parts.join(':') : RABBITMQ_DEFAULT_EXCHANGE_NAME;
}

/**
 * `messaging.destination.name` of a delivery: `{exchange}:{routing key}:{queue}`,
 * leaving out empty parts (the default exchange) and the queue when it equals the
 * routing key; `amq.default` when nothing is left.
 */
export function rabbitMqConsumeDestination(exchange: unknown, routingKey: unknown, queue: unknown): string {
  const parts = [exchange, routingKey].filter(nonEmpty);
  if (nonEmpty(queue) && queue !== routingKey) parts.push(queue);
  return parts.length > 0 ? parts.join(':') : RABBITMQ_DEFAULT_EXCHANGE_NAME;
}

/** Server-named queues (`amq.gen-…`) are anonymous and high-cardinality: keep them out of span names. */
export function isServerNamedRabbitMqQueue(queue: unknown): boolean {
  return typeof queue === 'string' && queue.startsWith('amq.gen-');
}

export interface RabbitMqMessageFacts {
  routingKey?: string | undefined;
  deliveryTag?: number | undefined;
}

/** `messaging.rabbitmq.*` attributes. */
export function rabbitMqAttributes(facts: RabbitMqMessageFacts): Attributes {
  const attributes: Attributes = {};
  if (nonEmpty(facts.routingKey)) attributes[ATTR_MESSAGING_RABBITMQ_DESTINATION_ROUTING_KEY] = facts.routingKey;
  if (typeof facts.deliveryTag === 'number')
    attributes[ATTR_MESSAGING_RABBITMQ_MESSAGE_DELIVERY_TAG] = facts.deliveryTag;
  return attributes;
}
