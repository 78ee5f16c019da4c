import { readEnvConfig } from './env';

describe('readEnvConfig', () => {
  it('enables every plugin with default options when nothing is set', () => {
    expect(readEnvConfig({})).toEqual({
      instrumentations: {
        kafkajs: { enabled: true },
        amqplib: { enabled: true },
        'aws-sqs': { enabled: true },
        'confluent-kafka': { enabled: true },
      },
      autoInstrumentations: false,
      warnings: [],
    });
  });

  it('OTEL_NODE_ENABLED_INSTRUMENTATIONS keeps only the plugins it names, by short or package name', () => {
    const config = readEnvConfig({
      OTEL_NODE_ENABLED_INSTRUMENTATIONS: ' http, KafkaJS ,@org/instrumentation-aws-sqs',
    });
    expect(config.instrumentations.kafkajs?.enabled).toBe(true);
    expect(config.instrumentations['aws-sqs']?.enabled).toBe(true);
    expect(config.instrumentations.amqplib?.enabled).toBe(false);
  });

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS wins over the enabled list', () => {
    const config = readEnvConfig({
      OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'kafkajs,amqplib',
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'amqplib',
    });
    expect(config.instrumentations.kafkajs?.enabled).toBe(true);
    expect(config.instrumentations.amqplib?.enabled).toBe(false);
    expect(config.instrumentations['aws-sqs']?.enabled).toBe(false);
  });

  it('an empty enabled list means all', () => {
    expect(readEnvConfig({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: ' , ' }).instrumentations.amqplib?.enabled).toBe(true);
  });

  it('reads the consumer context policy globally and per plugin', () => {
    const config = readEnvConfig({ OTEL_MQ_CONSUMER_CONTEXT: 'link', OTEL_MQ_AWS_SQS_CONSUMER_CONTEXT: 'Parent' });
    expect(config.instrumentations.kafkajs?.consumerContextPolicy).toBe('link');
    expect(config.instrumentations['aws-sqs']?.consumerContextPolicy).toBe('parent');
  });

  it('reads boolean plugin options from OTEL_MQ_<PLUGIN>_<OPTION>', () => {
    const config = readEnvConfig({
      OTEL_MQ_KAFKAJS_CAPTURE_MESSAGE_KEY: 'false',
      OTEL_MQ_KAFKAJS_CREATE_SPANS_PER_MESSAGE: '1',
      OTEL_MQ_KAFKAJS_COMMIT_SPANS: 'maybe',
      OTEL_MQ_AWS_SQS_CAPTURE_BODY_SIZE: 'true',
    });
    expect(config.instrumentations.kafkajs).toEqual({
      enabled: true,
      captureMessageKey: false,
      createSpansPerMessage: true,
    });
    expect(config.instrumentations['aws-sqs']).toEqual({ enabled: true, captureBodySize: true });
    expect(config.warnings).toEqual(['OTEL_MQ_KAFKAJS_COMMIT_SPANS=maybe is not true or false; ignored']);
  });

  it('reads the confluent-kafka flags, captureBodySize included', () => {
    const config = readEnvConfig({
      OTEL_MQ_CONFLUENT_KAFKA_CAPTURE_BODY_SIZE: 'true',
      OTEL_MQ_CONFLUENT_KAFKA_COMMIT_SPANS: 'false',
    });
    expect(config.instrumentations['confluent-kafka']).toEqual({
      enabled: true,
      captureBodySize: true,
      commitSpans: false,
    });
    expect(config.warnings).toEqual([]);
  });

  it('warns about values it cannot use and ignores them', () => {
    const config = readEnvConfig({
      OTEL_MQ_KAFKAJS_CONSUMER_CONTEXT: 'trust-me',
      OTEL_MQ_AUTO_INSTRUMENTATIONS: 'yes',
    });
    expect(config.instrumentations.kafkajs).toEqual({ enabled: true });
    expect(config.autoInstrumentations).toBe(false);
    expect(config.warnings).toEqual([
      "OTEL_MQ_KAFKAJS_CONSUMER_CONTEXT=trust-me is not 'parent' or 'link'; ignored",
      'OTEL_MQ_AUTO_INSTRUMENTATIONS=yes is not true or false; ignored',
    ]);
  });

  it.each([
    ['true', true],
    ['1', true],
    ['TRUE', true],
    ['false', false],
    ['0', false],
    ['', false],
  ])('OTEL_MQ_AUTO_INSTRUMENTATIONS=%p → %p', (value, expected) => {
    expect(readEnvConfig({ OTEL_MQ_AUTO_INSTRUMENTATIONS: value }).autoInstrumentations).toBe(expected);
  });
});
