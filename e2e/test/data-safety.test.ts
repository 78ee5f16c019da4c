// Data safety: what travels through the real brokers is the same with and
// without otel-mq, except for the propagation fields it adds. The fixture sends
// the same generated messages (seeded PRNG: binary and empty bodies, keys,
// partitions, headers, AMQP properties and nested tables, SQS String/Number/
// Binary attributes up to the 10-attribute limit, FIFO groups) once with every
// plugin disabled and once with the register entry's plugins on; the consumer's
// view of both runs must be identical once traceparent/tracestate/baggage (and
// SQS AWSTraceHeader) are left out, and the caller's own objects, some frozen,
// must be unchanged after the calls.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brokersFromEnv } from '../src/environment.ts';
import { runFixtureOk } from '../src/fixture.ts';
import { startOtlpReceiver } from '../src/otlp/receiver.ts';
import type { OtlpReceiver } from '../src/otlp/receiver.ts';

const brokers = brokersFromEnv();
const SEED = 20_261_122;
const COUNT = 40;
const PLUGINS_OFF = { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'kafkajs,amqplib,aws-sqs' };

interface Received {
  index?: number;
  propagation: string[];
  awsTraceHeader?: boolean;
  userAttributeCount?: number;
  [field: string]: unknown;
}
interface DataSafetyResult {
  received: Received[];
  sent: number;
  watched: number;
  changed: string[];
}

/** What the consumer got, without the fields otel-mq is allowed to add. */
function userView(received: Received[]): unknown[] {
  return received.map(({ propagation: _propagation, awsTraceHeader: _header, ...rest }) => rest);
}

interface Case {
  name: string;
  system: 'kafka' | 'rabbitmq' | 'sqs';
  env: Record<string, string>;
  /** The messaging.system.name attribute of the spans the instrumented run must produce. */
  messagingSystem: string;
  /** Whether a message whose own attributes fill SQS's 10 slots still carries context (AWSTraceHeader). */
  keepsAwsTraceHeader?: boolean;
}

const CASES: Case[] = [
  {
    name: 'Kafka (kafkajs)',
    system: 'kafka',
    env: { E2E_KAFKA_BROKERS: brokers.kafkaBrokers },
    messagingSystem: 'kafka',
  },
  {
    name: 'RabbitMQ (amqplib)',
    system: 'rabbitmq',
    env: { E2E_RABBITMQ_URL: brokers.rabbitmqUrl },
    messagingSystem: 'rabbitmq',
  },
  ...(['fauxqs', 'local-aws-sqs'] as const).map((emulator) => ({
    name: `SQS on ${emulator} (@aws-sdk/client-sqs)`,
    system: 'sqs' as const,
    env: { E2E_SQS_ENDPOINT: brokers.sqs[emulator], E2E_SQS_REGION: brokers.sqs.region },
    messagingSystem: 'aws.sqs',
    // fauxqs drops AWSTraceHeader; local-aws-sqs keeps it.
    keepsAwsTraceHeader: emulator === 'local-aws-sqs',
  })),
];

describe('data safety: messages are byte-identical with and without otel-mq', () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  async function run(testCase: Case, env: Record<string, string>): Promise<DataSafetyResult> {
    const { result } = await runFixtureOk('data-safety.cjs', 'cjs', {
      receiver,
      args: [testCase.system, String(SEED), String(COUNT)],
      env: { ...testCase.env, ...env },
      timeoutMs: 100_000,
    });
    return result as DataSafetyResult;
  }

  for (const testCase of CASES) {
    it(`${testCase.name}: ${COUNT} generated messages`, async () => {
      receiver.clear();
      const plain = await run(testCase, PLUGINS_OFF);
      const plainSpans = receiver
        .spans()
        .filter((s) => s.attributes['messaging.system.name'] === testCase.messagingSystem);
      assert.equal(plainSpans.length, 0, 'with the plugins disabled, no messaging span is recorded');

      receiver.clear();
      const traced = await run(testCase, {});
      await receiver.waitForSpans((spans) =>
        spans.some((s) => s.attributes['messaging.system.name'] === testCase.messagingSystem),
      );

      for (const [label, result] of [
        ['without otel-mq', plain],
        ['with otel-mq', traced],
      ] as const) {
        assert.equal(result.received.length, result.sent, `${label}: every message arrived exactly once`);
        assert.ok(result.watched > 0);
        assert.deepEqual(result.changed, [], `${label}: the caller's own objects are unchanged after the calls`);
      }

      // The plain run proves the comparison can see the difference: it carries no context.
      for (const message of plain.received) {
        assert.deepEqual(message.propagation, [], 'without otel-mq nothing is added');
        assert.notEqual(message.awsTraceHeader, true);
      }
      // The traced run carries the context on every message, one way or the other.
      for (const message of traced.received) {
        const viaAttributes = message.propagation.includes('traceparent');
        if (testCase.system === 'sqs' && message.userAttributeCount === 10) {
          assert.equal(viaAttributes, false, 'no 11th attribute is ever added');
          assert.equal(message.awsTraceHeader, testCase.keepsAwsTraceHeader, 'full messages carry AWSTraceHeader');
        } else {
          assert.ok(viaAttributes, `message ${JSON.stringify(message).slice(0, 300)} carries traceparent`);
        }
      }

      assert.deepStrictEqual(userView(traced.received), userView(plain.received));
    });
  }
});
