// One real round trip per broker from an application started with the register
// entry, as CommonJS (--require) and as ESM (--import): the message arrives and
// the application's spans reach the OTLP receiver from both sides of the queue.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brokersFromEnv, KAFKA_TOPICS } from '../src/environment.ts';
import { runFixtureOk } from '../src/fixture.ts';
import type { ModuleSystem } from '../src/fixture.ts';
import { startOtlpReceiver } from '../src/otlp/receiver.ts';
import type { OtlpReceiver } from '../src/otlp/receiver.ts';
import { expectEnded, expectKind, findSpan } from '../src/otlp/trace-assertions.ts';

const brokers = brokersFromEnv();

interface RoundTrip {
  sent: string;
  received: { value: string; headers: string[] };
}

const cases: Array<{ system: string; env: Record<string, string>; spans: [string, string] }> = [
  {
    system: 'kafka',
    env: { E2E_KAFKA_BROKERS: brokers.kafkaBrokers, E2E_KAFKA_TOPIC: KAFKA_TOPICS[0].name },
    spans: ['app place order', 'app handle order'],
  },
  {
    system: 'rabbitmq',
    env: { E2E_RABBITMQ_URL: brokers.rabbitmqUrl },
    spans: ['app publish event', 'app handle event'],
  },
  {
    system: 'sqs',
    env: { E2E_SQS_ENDPOINT: brokers.sqs.fauxqs, E2E_SQS_REGION: brokers.sqs.region },
    spans: ['app enqueue job', 'app run job'],
  },
  {
    system: 'sqs',
    env: { E2E_SQS_ENDPOINT: brokers.sqs['local-aws-sqs'], E2E_SQS_REGION: brokers.sqs.region },
    spans: ['app enqueue job', 'app run job'],
  },
];

describe('smoke: a real round trip through each broker, with the register entry', () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  for (const { system, env, spans: names } of cases) {
    const where =
      system === 'sqs' ? ` (${env['E2E_SQS_ENDPOINT'] === brokers.sqs.fauxqs ? 'fauxqs' : 'local-aws-sqs'})` : '';
    for (const moduleSystem of ['cjs', 'esm'] as ModuleSystem[]) {
      it(`${system}${where}, ${moduleSystem}`, async () => {
        receiver.clear();
        const file = moduleSystem === 'cjs' ? 'roundtrip.cjs' : 'roundtrip.mjs';
        const run = await runFixtureOk(file, moduleSystem, {
          receiver,
          args: [system],
          env: { ...env, OTEL_SERVICE_NAME: `smoke-${system}` },
        });
        const result = run.result as RoundTrip;
        assert.equal(result.received.value, result.sent, 'the message body arrives unchanged');
        assert.ok(result.received.headers.includes('x-user'), 'user headers/attributes arrive');

        // register flushed on exit: the spans are already here when the process has ended.
        const spans = receiver.spans();
        for (const name of names) {
          const span = findSpan(spans, { name });
          expectKind(span, 'INTERNAL');
          expectEnded(span);
          assert.equal(span.resource['service.name'], `smoke-${system}`);
        }
      });
    }
  }
});
