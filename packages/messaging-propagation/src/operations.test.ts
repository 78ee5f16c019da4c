import { SpanKind } from '@opentelemetry/api';
import { MessagingOperations, spanKindForOperationType } from './operations';
import { messagingSpanName } from './span-name';

describe('operations and span names', () => {
  it('maps operation types to span kinds per semconv', () => {
    expect(spanKindForOperationType('create')).toBe(SpanKind.PRODUCER);
    expect(spanKindForOperationType('send')).toBe(SpanKind.PRODUCER);
    expect(spanKindForOperationType('receive')).toBe(SpanKind.CLIENT);
    expect(spanKindForOperationType('process')).toBe(SpanKind.CONSUMER);
    expect(spanKindForOperationType('settle')).toBe(SpanKind.CLIENT);
  });

  it('gives every operation a kind consistent with its type', () => {
    for (const system of Object.values(MessagingOperations)) {
      for (const operation of Object.values(system)) {
        expect(operation.spanKind).toBe(spanKindForOperationType(operation.type));
        expect(Object.isFrozen(operation)).toBe(true);
      }
    }
  });

  it('names spans `{operation} {destination}`, or the operation alone', () => {
    expect(messagingSpanName(MessagingOperations.kafka.send, 'orders')).toBe('send orders');
    expect(messagingSpanName(MessagingOperations.rabbitmq.publish, 'orders:created')).toBe('publish orders:created');
    expect(messagingSpanName(MessagingOperations.sqs.receive)).toBe('receive');
    expect(messagingSpanName(MessagingOperations.rabbitmq.ack, '')).toBe('ack');
  });
});
