// Carriers that work with any propagator: a custom one (underscore fields) composed
// with W3C on Kafka, RabbitMQ and SQS (CommonJS apps with `--require`, and ESM apps
// with `--import`), and the custom one alone and B3 alone on SQS. The consumer's process
// span is in the producer's trace, carried in the message's own headers/attributes
// (not the AWSTraceHeader fallback, which fauxqs drops), and the message arrives
// as it was sent.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brokersFromEnv, KAFKA_TOPICS } from '../src/environment.ts';
import { runFixtureOk } from '../src/fixture.ts';
import type { ModuleSystem } from '../src/fixture.ts';
import { startOtlpReceiver } from '../src/otlp/receiver.ts';
import type { OtlpReceiver, ReceivedSpan } from '../src/otlp/receiver.ts';
import { expectAttributes, expectChildOf, expectKind, findSpan } from '../src/otlp/trace-assertions.ts';

const brokers = brokersFromEnv();
const UNDERSCORE = { E2E_PROPAGATOR: 'underscore+w3c' };
const UNDERSCORE_FIELDS = ['trace_id', 'span_id', 'trace_flags'];

function parentOf(spans: ReceivedSpan[], child: ReceivedSpan): ReceivedSpan {
  const parent = spans.find((span) => span.spanId === child.parentSpanId);
  assert.ok(parent, `the parent of "${child.name}" was not received`);
  return parent;
}

interface SqsRun {
  queue: { name: string; url: string };
  callerUnchanged: boolean;
  receiveUnchanged: boolean;
  received: { body: string; messageAttributes: string[]; attributes: string[] }[];
}

describe('propagators', () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  const run = (system: string, env: Record<string, string>, moduleSystem: ModuleSystem = 'cjs') =>
    runFixtureOk(moduleSystem === 'cjs' ? 'propagators.cjs' : 'propagators.mjs', moduleSystem, {
      receiver,
      args: [system],
      env,
    });

  for (const moduleSystem of ['cjs', 'esm'] as ModuleSystem[]) {
    it(`kafka: a custom propagator composed with W3C carries every field; process is in the send trace (${moduleSystem})`, async () => {
      receiver.clear();
      const topic = KAFKA_TOPICS[0].name;
      const { result } = await run(
        'kafka',
        {
          ...UNDERSCORE,
          E2E_KAFKA_BROKERS: brokers.kafkaBrokers,
          E2E_KAFKA_TOPIC: topic,
        },
        moduleSystem,
      );
      const { sent, received, callerUnchanged } = result as {
        sent: string;
        received: { value: string; headerValues: Record<string, string> };
        callerUnchanged: boolean;
      };
      const spans = receiver.spans();
      const send = findSpan(spans, { name: `send ${topic}`, kind: 'PRODUCER' });
      const process = parentOf(spans, findSpan(spans, { name: 'app handle order' }));
      expectKind(process, 'CONSUMER');
      expectChildOf(process, send);
      assert.equal(received.value, sent);
      assert.equal(received.headerValues['x-user'], 'kept');
      assert.equal(received.headerValues['trace_id'], send.traceId);
      assert.equal(received.headerValues['span_id'], send.spanId);
      assert.match(received.headerValues['traceparent'] ?? '', new RegExp(`^00-${send.traceId}-${send.spanId}-01$`));
      assert.ok(callerUnchanged, "the application's message is unchanged");
    });

    it(`rabbitmq: a custom propagator composed with W3C carries every field; process is in the publish trace (${moduleSystem})`, async () => {
      receiver.clear();
      const { result } = await run('rabbitmq', { ...UNDERSCORE, E2E_RABBITMQ_URL: brokers.rabbitmqUrl }, moduleSystem);
      const { sent, received } = result as { sent: string; received: { value: string; headers: string[] } };
      const spans = receiver.spans();
      const app = findSpan(spans, { name: 'app publish event' });
      const publish = findSpan(spans, { name: /^publish /, kind: 'PRODUCER' });
      expectChildOf(publish, app);
      const process = parentOf(spans, findSpan(spans, { name: 'app handle event' }));
      expectKind(process, 'CONSUMER');
      expectChildOf(process, publish);
      assert.equal(received.value, sent);
      for (const header of ['x-user', 'traceparent', ...UNDERSCORE_FIELDS]) {
        assert.ok(received.headers.includes(header), `header ${header} arrived: ${received.headers.join(', ')}`);
      }
    });
  }

  const SQS_CASES: [string, Record<string, string>, ModuleSystem][] = [
    ['a custom propagator composed with W3C', UNDERSCORE, 'cjs'],
    ['a custom propagator composed with W3C', UNDERSCORE, 'esm'],
    ['a custom propagator alone', { E2E_PROPAGATOR: 'underscore' }, 'cjs'],
    ['B3 single-header alone', { OTEL_PROPAGATORS: 'b3' }, 'cjs'],
    ['B3 multi-header alone', { OTEL_PROPAGATORS: 'b3multi' }, 'cjs'],
  ];
  for (const emulator of ['fauxqs', 'local-aws-sqs'] as const) {
    for (const [label, env, moduleSystem] of SQS_CASES) {
      it(`sqs (${emulator}): ${label} travels in message attributes; every process span is in its send trace (${moduleSystem})`, async () => {
        receiver.clear();
        const { result } = await run(
          'sqs',
          { ...env, E2E_SQS_ENDPOINT: brokers.sqs[emulator], E2E_SQS_REGION: brokers.sqs.region },
          moduleSystem,
        );
        const { queue, callerUnchanged, receiveUnchanged, received } = result as SqsRun;
        const spans = receiver.spans();
        const sendOf = (app: string) => {
          const appSpan = findSpan(spans, { name: app });
          const send = spans.find((span) => span.name === `send ${queue.name}` && span.parentSpanId === appSpan.spanId);
          assert.ok(send, `no send span under "${app}"`);
          return send;
        };
        const sends: Record<string, ReceivedSpan> = {
          single: sendOf('app send single'),
          'batch-a': sendOf('app send batch'),
          'batch-b': sendOf('app send batch'),
        };
        assert.deepEqual(received.map((message) => message.body).sort(), ['batch-a', 'batch-b', 'single']);
        for (const message of received) {
          const process = parentOf(spans, findSpan(spans, { name: `app handle ${message.body}` }));
          assert.equal(process.name, `process ${queue.name}`);
          expectChildOf(process, sends[message.body]!);
          expectAttributes(process, { 'otel_mq.context.carrier': 'message-attributes' });
          // The caller asked for x-user-0 only: it gets that, and none of what the plugin asked for.
          assert.deepEqual(message.messageAttributes, message.body === 'batch-a' ? [] : ['x-user-0']);
          assert.deepEqual(message.attributes, []);
        }
        assert.ok(callerUnchanged, "the caller's SendMessage and SendMessageBatch inputs are unchanged");
        assert.ok(receiveUnchanged, "the caller's ReceiveMessage input is unchanged");
      });
    }
  }
});
