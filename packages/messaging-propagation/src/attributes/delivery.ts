import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_OTEL_MQ_CONTEXT_CARRIER,
  ATTR_OTEL_MQ_MESSAGE_DELIVERY_COUNT,
  ATTR_OTEL_MQ_MESSAGE_QUEUE_TIME_MS,
  ATTR_OTEL_MQ_MESSAGE_REDELIVERED,
} from '../semconv';
import type { ContextCarrierKind } from '../sqs-context';

export interface DeliveryFacts {
  /** The broker's timestamp of the message, in ms since the epoch (Kafka record timestamp, SQS SentTimestamp, AMQP timestamp). */
  brokerTimestampMs?: number | string | undefined;
  /** When processing started, ms since the epoch; @default Date.now() */
  processingStartMs?: number | undefined;
  deliveryCount?: number | undefined;
  redelivered?: boolean | undefined;
  carrier?: ContextCarrierKind | undefined;
}

/**
 * otel-mq's own attributes about how a message reached its consumer: time spent
 * waiting in the broker, delivery count, redelivery, and which carrier brought
 * the context. A timestamp that is missing, unparsable or in the future (clock
 * skew) records no queue time rather than a wrong one.
 */
export function deliveryAttributes(facts: DeliveryFacts): Attributes {
  const attributes: Attributes = {};
  const timestamp = Number(facts.brokerTimestampMs);
  if (
    facts.brokerTimestampMs !== undefined &&
    facts.brokerTimestampMs !== '' &&
    Number.isFinite(timestamp) &&
    timestamp > 0
  ) {
    const waited = (facts.processingStartMs ?? Date.now()) - timestamp;
    if (waited >= 0) attributes[ATTR_OTEL_MQ_MESSAGE_QUEUE_TIME_MS] = waited;
  }
  if (facts.deliveryCount !== undefined && Number.isSafeInteger(facts.deliveryCount) && facts.deliveryCount > 0) {
    attributes[ATTR_OTEL_MQ_MESSAGE_DELIVERY_COUNT] = facts.deliveryCount;
  }
  if (facts.redelivered !== undefined) attributes[ATTR_OTEL_MQ_MESSAGE_REDELIVERED] = facts.redelivered;
  if (facts.carrier !== undefined && facts.carrier !== 'none') attributes[ATTR_OTEL_MQ_CONTEXT_CARRIER] = facts.carrier;
  return attributes;
}
