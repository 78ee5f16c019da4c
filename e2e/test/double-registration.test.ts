// Our plugin loaded twice, or beside the upstream instrumentation for the same
// library: one message through each real broker must be instrumented once, by
// one instrumentation scope: one producer span, one consumer-side span, one
// traceparent on the consumer side, pointing at that producer span.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brokersFromEnv } from '../src/environment.ts';
import { runFixtureOk } from '../src/fixture.ts';
import { startOtlpReceiver } from '../src/otlp/receiver.ts';
import type { OtlpReceiver, ReceivedSpan } from '../src/otlp/receiver.ts';
import { renderTree } from '../src/otlp/trace-assertions.ts';

type System = 'kafka' | 'rabbitmq' | 'sqs';
const SYSTEMS: System[] = ['kafka', 'rabbitmq', 'sqs'];
const OURS: Record<System, string> = {
  kafka: '@org/instrumentation-kafkajs',
  rabbitmq: '@org/instrumentation-amqplib',
  sqs: '@org/instrumentation-aws-sqs',
};
const UPSTREAM: Record<System, string> = {
  kafka: '@opentelemetry/instrumentation-kafkajs',
  rabbitmq: '@opentelemetry/instrumentation-amqplib',
  sqs: '@opentelemetry/instrumentation-aws-sdk',
};

interface Setup {
  name: string;
  args: string;
  register: boolean;
  env?: Record<string, string>;
  /** The application's NodeSDK lists the upstream instrumentation too: we expect one warning. */
  upstream?: boolean;
}

const SETUPS: Setup[] = [
  {
    name: 'register loaded twice',
    args: 'register',
    register: true,
    env: { NODE_OPTIONS: '--require @org/otel-mq/register' },
  },
  { name: 'register + own NodeSDK with getMessagingInstrumentations()', args: 'register+sdk', register: true },
  {
    name: 'register with OTEL_MQ_AUTO_INSTRUMENTATIONS=true',
    args: 'register',
    register: true,
    env: { OTEL_MQ_AUTO_INSTRUMENTATIONS: 'true' },
  },
  { name: 'own NodeSDK: ours, then upstream', args: 'ours,upstream', register: false, upstream: true },
  { name: 'own NodeSDK: upstream, then ours', args: 'upstream,ours', register: false, upstream: true },
];

interface Result {
  destination: string;
  traceparents: string[];
  problems: string[];
  /** Kafka: where the message landed (the topic is shared with earlier tests). */
  partition?: string;
  offset?: string;
}

/** A span an instrumentation recorded for this run's message (Kafka: its partition and offset). */
function isAbout(span: ReceivedSpan, result: Result): boolean {
  if (!span.scope.name.includes('instrumentation-')) return false;
  if (!JSON.stringify(span.attributes).includes(result.destination) && !span.name.includes(result.destination)) {
    return false;
  }
  if (result.offset === undefined || span.kind !== 'CONSUMER') return true;
  const attributes = span.attributes;
  // Ours (semconv 1.45), upstream's (1.44 names), and older upstreams'.
  const offset =
    attributes['kafka.offset'] ?? attributes['messaging.kafka.offset'] ?? attributes['messaging.kafka.message.offset'];
  const partition = attributes['messaging.destination.partition.id'];
  return (
    JSON.stringify(offset)?.replace(/"/g, '') === result.offset && JSON.stringify(partition) === `"${result.partition}"`
  );
}

describe('double registration', () => {
  const brokers = brokersFromEnv();
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  for (const system of SYSTEMS) {
    for (const setup of SETUPS) {
      it(`${system}: ${setup.name}`, async () => {
        receiver.clear();
        const run = await runFixtureOk('coexist.cjs', 'cjs', {
          receiver,
          register: setup.register,
          args: [system, setup.args],
          env: {
            E2E_KAFKA_TOPIC: 'e2e-smoke',
            E2E_SQS_ENDPOINT: brokers.sqs['local-aws-sqs'],
            E2E_SQS_REGION: brokers.sqs.region,
            OTEL_LOG_LEVEL: 'warn',
            ...setup.env,
          },
        });
        const result = run.result as Result;
        const mine = receiver.spans().filter((span) => isAbout(span, result));
        const scopes = [...new Set(mine.map((span) => span.scope.name))];
        // Which one is in charge differs (see the root README's troubleshooting): one, never both.
        const producers = mine.filter((span) => span.kind === 'PRODUCER');
        const consumers = mine.filter((span) => span.kind === 'CONSUMER' || /receive/.test(span.name));
        const tree = renderTree(mine);
        process.stdout.write(`# ${system} / ${setup.name}: recorded by ${scopes.join(', ')}\n`);
        const warnings = run.stderr.match(/otel-mq: \S+ is instrumented both by .*/g) ?? [];
        assert.deepEqual(result.problems, []);
        if (setup.upstream) {
          assert.equal(warnings.length, 1, `one warning naming both instrumentations\n${run.stderr}`);
          assert.ok(warnings[0]?.includes(OURS[system]) && warnings[0].includes(UPSTREAM[system]), warnings[0]);
          assert.match(warnings[0] ?? '', /OTEL_MQ_AUTO_INSTRUMENTATIONS=true/);
        } else {
          assert.deepEqual(warnings, []);
        }
        assert.equal(scopes.length, 1, `one instrumentation scope, got ${scopes.join(', ')}\n${tree}`);
        assert.ok([OURS[system], UPSTREAM[system]].includes(scopes[0] as string));
        assert.equal(producers.length, 1, `one producer span\n${tree}`);
        assert.equal(consumers.length, 1, `one consumer-side span\n${tree}`);
        assert.equal(result.traceparents.length, 1, 'one traceparent on the consumer side');
        assert.equal(result.traceparents[0]?.split('-')[2], (producers[0] as ReceivedSpan).spanId);
      });
    }
  }
});
