import { MessagingOperations } from '../operations';
import { messagingAttributes } from './common';
import { deliveryAttributes } from './delivery';
import { kafkaKeyToString, kafkaMessageAttributes, MAX_KAFKA_KEY_ATTRIBUTE_LENGTH } from './kafka';
import {
  isServerNamedRabbitMqQueue,
  rabbitMqAttributes,
  rabbitMqConsumeDestination,
  rabbitMqPublishDestination,
} from './rabbitmq';
import { parseHostPort, serverFromUrl } from './server';
import { sqsAttributes, sqsQueueNameFromUrl } from './sqs';

describe('messagingAttributes', () => {
  it('always carries system, operation name and type', () => {
    expect(messagingAttributes({ operation: MessagingOperations.kafka.send })).toEqual({
      'messaging.system.name': 'kafka',
      'messaging.operation.name': 'send',
      'messaging.operation.type': 'send',
    });
  });

  it('adds what is known and leaves out what is not', () => {
    expect(
      messagingAttributes({
        operation: MessagingOperations.kafka.process,
        destination: 'orders',
        partitionId: 0,
        consumerGroup: 'billing',
        clientId: 'svc-1',
        batchMessageCount: 3,
        messageId: '',
        server: { address: 'broker-1', port: 9092 },
      }),
    ).toEqual({
      'messaging.system.name': 'kafka',
      'messaging.operation.name': 'process',
      'messaging.operation.type': 'process',
      'messaging.destination.name': 'orders',
      'messaging.destination.partition.id': '0',
      'messaging.consumer.group.name': 'billing',
      'messaging.client.id': 'svc-1',
      'messaging.batch.message_count': 3,
      'server.address': 'broker-1',
      'server.port': 9092,
    });
  });
});

describe('kafka attributes', () => {
  it('records a string key only when asked', () => {
    expect(kafkaMessageAttributes({ key: 'user-1', offset: '42' }, { captureKey: true })).toEqual({
      'kafka.message.key': 'user-1',
      'kafka.offset': 42,
    });
    expect(kafkaMessageAttributes({ key: 'user-1' }, { captureKey: false })).toEqual({});
  });

  it('records UTF-8 Buffer keys and leaves out binary or oversized ones', () => {
    expect(kafkaKeyToString(Buffer.from('k'))).toBe('k');
    expect(kafkaKeyToString(Buffer.from([0xff, 0x00]))).toBeUndefined();
    expect(kafkaKeyToString('x'.repeat(MAX_KAFKA_KEY_ATTRIBUTE_LENGTH + 1))).toBeUndefined();
    expect(kafkaKeyToString(null)).toBeUndefined();
    expect(kafkaKeyToString(12)).toBeUndefined();
  });

  it('records tombstones and ignores unparsable offsets', () => {
    expect(kafkaMessageAttributes({ tombstone: true, offset: 'abc' }, { captureKey: true })).toEqual({
      'kafka.message.tombstone': true,
    });
  });
});

describe('rabbitmq destination names (semconv rabbitmq.md)', () => {
  it.each([
    ['orders', 'created', 'orders:created'],
    ['', 'work', 'work'],
    ['logs', '', 'logs'],
    ['', '', 'amq.default'],
    [undefined, undefined, 'amq.default'],
  ])('publish to exchange %p with routing key %p → %p', (exchange, routingKey, expected) => {
    expect(rabbitMqPublishDestination(exchange, routingKey)).toBe(expected);
  });

  it.each([
    ['orders', 'created', 'billing', 'orders:created:billing'],
    ['', 'work', 'work', 'work'],
    ['logs', '', 'audit', 'logs:audit'],
    ['', '', '', 'amq.default'],
  ])('consume via %p / %p from %p → %p', (exchange, routingKey, queue, expected) => {
    expect(rabbitMqConsumeDestination(exchange, routingKey, queue)).toBe(expected);
  });

  it('knows server-named queues', () => {
    expect(isServerNamedRabbitMqQueue('amq.gen-JzTY20BRgKO-HjmUJj0wLg')).toBe(true);
    expect(isServerNamedRabbitMqQueue('orders')).toBe(false);
  });

  it('builds routing key and delivery tag attributes', () => {
    expect(rabbitMqAttributes({ routingKey: 'k', deliveryTag: 7 })).toEqual({
      'rabbitmq.destination.routing_key': 'k',
      'rabbitmq.message.delivery_tag': 7,
    });
  });
});

describe('server addresses', () => {
  it('parses Kafka broker strings', () => {
    expect(parseHostPort('broker-1:9092')).toEqual({ address: 'broker-1', port: 9092 });
    expect(parseHostPort('[::1]:9093')).toEqual({ address: '::1', port: 9093 });
    expect(parseHostPort('broker')).toEqual({ address: 'broker' });
    expect(parseHostPort('broker:99999')).toEqual({ address: 'broker', port: undefined });
    expect(parseHostPort('')).toBeUndefined();
    expect(parseHostPort(5)).toBeUndefined();
  });

  it('never lets URL credentials through', () => {
    const server = serverFromUrl('amqp://admin:s3cret@rabbit.internal:5673/vhost?heartbeat=5', 5672);
    expect(server).toEqual({ address: 'rabbit.internal', port: 5673 });
    expect(JSON.stringify(server)).not.toContain('s3cret');
    expect(serverFromUrl('amqps://user:pw@[::1]/', 5671)).toEqual({ address: '::1', port: 5671 });
    expect(serverFromUrl('not a url')).toBeUndefined();
  });
});

describe('sqs attributes', () => {
  it('takes the queue name from the URL', () => {
    expect(sqsQueueNameFromUrl('https://sqs.eu-west-1.amazonaws.com/123456789012/orders.fifo')).toBe('orders.fifo');
    expect(sqsQueueNameFromUrl('http://127.0.0.1:4566/000000000000/jobs/')).toBe('jobs');
    expect(sqsQueueNameFromUrl(undefined)).toBeUndefined();
  });

  it('parseHostPort drops a scheme and credentials from a broker string', () => {
    expect(parseHostPort('sasl://user:s3cret@kafka-1:9092')).toEqual({ address: 'kafka-1', port: 9092 });
    expect(parseHostPort('user:s3cret@kafka-1:9092')).toEqual({ address: 'kafka-1', port: 9092 });
    expect(parseHostPort('[::1]:9092')).toEqual({ address: '::1', port: 9092 });
  });

  it('kafkaKeyToString treats a key that throws when inspected as no key', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(kafkaKeyToString(proxy)).toBeUndefined();
  });

  it('never records credentials from the queue URL', () => {
    for (const url of [
      'http://AKIAEXAMPLE:s3cret@localstack:4566/000000000000/jobs',
      'https://user@sqs.eu-west-1.amazonaws.com/123456789012/jobs',
      'http://a:b@c:d@127.0.0.1:4566/000000000000/jobs',
    ]) {
      const recorded = String(sqsAttributes({ queueUrl: url })['aws.sqs.queue.url']);
      expect(recorded).not.toMatch(/s3cret|AKIAEXAMPLE|user@|a:b|@/);
      expect(recorded).toMatch(/^https?:\/\/[^/]+\/\d+\/jobs$/);
    }
  });

  it('builds url, request id and region', () => {
    expect(sqsAttributes({ queueUrl: 'u', requestId: 'r', region: 'eu-west-1' })).toEqual({
      'aws.sqs.queue.url': 'u',
      'aws.request_id': 'r',
      'cloud.region': 'eu-west-1',
    });
  });
});

describe('deliveryAttributes', () => {
  it('records queue time, delivery count, redelivery and carrier', () => {
    expect(
      deliveryAttributes({
        brokerTimestampMs: '1000',
        processingStartMs: 1250,
        deliveryCount: 2,
        redelivered: true,
        carrier: 'aws-trace-header',
      }),
    ).toEqual({
      'otel_mq.message.queue_time_ms': 250,
      'otel_mq.message.delivery_count': 2,
      'otel_mq.message.redelivered': true,
      'otel_mq.context.carrier': 'aws-trace-header',
    });
  });

  it('records no queue time for timestamps in the future or unparsable ones', () => {
    expect(deliveryAttributes({ brokerTimestampMs: 2000, processingStartMs: 1000 })).toEqual({});
    expect(deliveryAttributes({ brokerTimestampMs: 'soon' })).toEqual({});
    expect(deliveryAttributes({ carrier: 'none', deliveryCount: 0 })).toEqual({});
  });
});
