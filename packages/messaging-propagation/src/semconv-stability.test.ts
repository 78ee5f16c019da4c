import { messagingAttributes } from './attributes/common';
import { lambdaInvocationAttributes } from './attributes/faas';
import { kafkaMessageAttributes } from './attributes/kafka';
import { rabbitMqAttributes } from './attributes/rabbitmq';
import { metricAttributes } from './metrics';
import { MessagingOperations } from './operations';
import {
  messagingSemconvMode,
  parseSemconvStabilityOptIn,
  setMessagingSemconvMode,
  withLegacyNames,
} from './semconv-stability';

describe('OTEL_SEMCONV_STABILITY_OPT_IN', () => {
  it.each([
    [undefined, 'current'],
    ['', 'current'],
    ['messaging', 'current'],
    ['http/dup', 'current'],
    ['messaging/dup', 'dup'],
    ['http, Messaging/Dup ,database', 'dup'],
  ])('%j gives %s', (value, mode) => {
    expect(parseSemconvStabilityOptIn(value)).toBe(mode);
  });

  it('defaults to 1.45 names only', () => {
    expect(messagingSemconvMode()).toBe('current');
    const attributes = messagingAttributes({ operation: MessagingOperations.sqs.send, destination: 'q' });
    expect(attributes).toEqual({
      'messaging.system.name': 'aws.sqs',
      'messaging.operation.name': 'send',
      'messaging.operation.type': 'send',
      'messaging.destination.name': 'q',
    });
  });
});

describe('messaging/dup', () => {
  beforeEach(() => setMessagingSemconvMode('dup'));
  afterEach(() => setMessagingSemconvMode('current'));

  it('adds the 1.44 system name and value beside the 1.45 ones', () => {
    expect(messagingAttributes({ operation: MessagingOperations.sqs.receive })).toMatchObject({
      'messaging.system.name': 'aws.sqs',
      'messaging.system': 'aws_sqs',
    });
    expect(messagingAttributes({ operation: MessagingOperations.kafka.send })).toMatchObject({
      'messaging.system.name': 'kafka',
      'messaging.system': 'kafka',
    });
  });

  it('adds the 1.44 Kafka, RabbitMQ and FaaS names with the same values', () => {
    expect(kafkaMessageAttributes({ key: 'k', offset: '7', tombstone: true }, { captureKey: true })).toEqual({
      'kafka.message.key': 'k',
      'messaging.kafka.message.key': 'k',
      'kafka.offset': 7,
      'messaging.kafka.offset': 7,
      'kafka.message.tombstone': true,
      'messaging.kafka.message.tombstone': true,
    });
    expect(rabbitMqAttributes({ routingKey: 'rk', deliveryTag: 3 })).toEqual({
      'rabbitmq.destination.routing_key': 'rk',
      'messaging.rabbitmq.destination.routing_key': 'rk',
      'rabbitmq.message.delivery_tag': 3,
      'messaging.rabbitmq.message.delivery_tag': 3,
    });
    expect(lambdaInvocationAttributes({ invocationId: 'req-1' })).toMatchObject({
      'faas.invocation.id': 'req-1',
      'faas.invocation_id': 'req-1',
    });
  });

  it('carries both system names onto metrics', () => {
    const span = messagingAttributes({ operation: MessagingOperations.rabbitmq.publish, destination: 'x:y' });
    expect(metricAttributes(span)).toMatchObject({
      'messaging.system.name': 'rabbitmq',
      'messaging.system': 'rabbitmq',
    });
  });

  it('leaves names 1.45 did not rename alone', () => {
    expect(withLegacyNames({ 'messaging.destination.name': 'q', 'otel_mq.x': 1 })).toEqual({
      'messaging.destination.name': 'q',
      'otel_mq.x': 1,
    });
  });
});
