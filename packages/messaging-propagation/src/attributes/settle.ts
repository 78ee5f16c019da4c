import type { Attributes } from '@opentelemetry/api';
import { ATTR_OTEL_MQ_SETTLE_MULTIPLE, ATTR_OTEL_MQ_SETTLE_REQUEUE } from '../semconv';

export interface SettleFacts {
  /** The settlement covers every unsettled message up to this one (or all of them). */
  multiple?: boolean | undefined;
  /** A negative settlement asks the broker to requeue; absent for positive ones. */
  requeue?: boolean | undefined;
}

/** otel-mq's own attributes of a settle (ack/nack/reject) operation; only booleans are recorded. */
export function settleAttributes(facts: SettleFacts): Attributes {
  const attributes: Attributes = {};
  if (typeof facts.multiple === 'boolean') attributes[ATTR_OTEL_MQ_SETTLE_MULTIPLE] = facts.multiple;
  if (typeof facts.requeue === 'boolean') attributes[ATTR_OTEL_MQ_SETTLE_REQUEUE] = facts.requeue;
  return attributes;
}
