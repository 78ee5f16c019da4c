// Semantic conventions 1.45 in real processes, on every broker: by default only
// the 1.45 names; with OTEL_SEMCONV_STABILITY_OPT_IN=messaging/dup the 1.44 names
// too, with the same values, for dashboards in migration.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brokersFromEnv, KAFKA_TOPICS } from '../src/environment.ts';
import { runFixtureOk } from '../src/fixture.ts';
import { startOtlpReceiver } from '../src/otlp/receiver.ts';
import type { OtlpReceiver, ReceivedSpan } from '../src/otlp/receiver.ts';
import { expectAttributes, findSpan } from '../src/otlp/trace-assertions.ts';

const brokers = brokersFromEnv();
const LEGACY_NAMES = [
  'messaging.system',
  'messaging.kafka.message.key',
  'messaging.kafka.offset',
  'messaging.kafka.message.tombstone',
  'messaging.rabbitmq.destination.routing_key',
  'messaging.rabbitmq.message.delivery_tag',
];

const cases = [
  {
    system: 'kafka',
    env: { E2E_KAFKA_BROKERS: brokers.kafkaBrokers, E2E_KAFKA_TOPIC: KAFKA_TOPICS[0].name },
    handler: 'app handle order',
    current: { 'messaging.system.name': 'kafka', 'kafka.offset': (v: unknown) => typeof v === 'number' },
    legacy: {
      'messaging.system': 'kafka',
      'messaging.kafka.offset': (v: unknown) => typeof v === 'number',
      'messaging.kafka.message.key': 'customer-1',
    },
  },
  {
    system: 'rabbitmq',
    env: { E2E_RABBITMQ_URL: brokers.rabbitmqUrl },
    handler: 'app handle event',
    current: {
      'messaging.system.name': 'rabbitmq',
      'rabbitmq.message.delivery_tag': (v: unknown) => typeof v === 'number',
    },
    legacy: {
      'messaging.system': 'rabbitmq',
      'messaging.rabbitmq.message.delivery_tag': (v: unknown) => typeof v === 'number',
    },
  },
  {
    system: 'sqs',
    env: { E2E_SQS_ENDPOINT: brokers.sqs.fauxqs, E2E_SQS_REGION: brokers.sqs.region },
    handler: 'app run job',
    current: { 'messaging.system.name': 'aws.sqs' },
    legacy: { 'messaging.system': 'aws_sqs' },
  },
] as const;

/** The consumer-side span of the round trip: the process span around the handler, or (SQS, pulled) the receive span. */
function consumerSpanOf(spans: ReceivedSpan[], handlerName: string): ReceivedSpan {
  const handler = findSpan(spans, { name: handlerName });
  const consumer =
    spans.find((span) => span.spanId === handler.parentSpanId && span.kind === 'CONSUMER') ??
    spans.find((span) => span.name.startsWith('receive ') && span.scope.name.startsWith('@org/'));
  assert.ok(consumer, `the consumer-side span of "${handlerName}" was received`);
  return consumer;
}

describe('semantic conventions 1.45 and the messaging/dup migration mode', () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  for (const { system, env, handler, current, legacy } of cases) {
    it(`${system}: 1.45 names only by default, and the schema URL on the scope`, async () => {
      receiver.clear();
      await runFixtureOk('roundtrip.cjs', 'cjs', { receiver, args: [system], env });
      const spans = receiver.spans();
      const process = consumerSpanOf(spans, handler);
      expectAttributes(process, current);
      assert.match(process.scope.schemaUrl ?? '', /^https:\/\/opentelemetry\.io\/schemas\/1\.45\.\d+$/);
      const ours = spans.filter((span) => span.scope.name.startsWith('@org/'));
      assert.ok(ours.length >= 2, 'the producer and consumer spans were received');
      for (const span of ours) {
        for (const name of LEGACY_NAMES) assert.equal(span.attributes[name], undefined, `${span.name} has no ${name}`);
      }
    });

    it(`${system}: messaging/dup adds the 1.44 names with the same values`, async () => {
      receiver.clear();
      await runFixtureOk('roundtrip.cjs', 'cjs', {
        receiver,
        args: [system],
        env: { ...env, OTEL_SEMCONV_STABILITY_OPT_IN: 'http,messaging/dup' },
      });
      const process = consumerSpanOf(receiver.spans(), handler);
      expectAttributes(process, { ...current, ...legacy });
    });
  }
});
