import type { MessagingOperation } from './operations';

/**
 * The one span-name function of otel-mq: `{messaging.operation.name} {destination}`.
 *
 * Pass no destination when it is unknown or high-cardinality (temporary or
 * anonymous queues, per-request reply queues); the name is then the operation
 * name alone, as semconv asks.
 */
export function messagingSpanName(operation: Pick<MessagingOperation, 'name'>, destination?: string): string {
  return destination ? `${operation.name} ${destination}` : operation.name;
}
