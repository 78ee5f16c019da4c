// kafkajs through the real Kafka wire protocol, instrumented by the register entry:
// send → process is one connected trace (or two linked ones with the 'link' policy),
// the handler's own spans are children of the process span, and the application's
// messages are untouched.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brokersFromEnv, KAFKA_TOPICS } from '../src/environment.ts';
import { runFixtureOk } from '../src/fixture.ts';
import type { ModuleSystem } from '../src/fixture.ts';
import { startOtlpReceiver } from '../src/otlp/receiver.ts';
import type { OtlpReceiver, ReceivedSpan } from '../src/otlp/receiver.ts';
import {
  expectAttributes,
  expectChildOf,
  expectEnded,
  expectKind,
  expectLinkedTo,
  findSpan,
} from '../src/otlp/trace-assertions.ts';

const brokers = brokersFromEnv();

function parentOf(spans: ReceivedSpan[], child: ReceivedSpan): ReceivedSpan {
  const parent = spans.find((span) => span.spanId === child.parentSpanId);
  assert.ok(parent, `the parent of "${child.name}" was not received`);
  return parent;
}
const topic = KAFKA_TOPICS[0].name;

interface KafkaRoundTrip {
  sent: string;
  received: { value: string; headerValues: Record<string, string> };
  callerUnchanged: boolean;
}

describe('kafkajs', () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  const run = (system: ModuleSystem, env: Record<string, string> = {}) =>
    runFixtureOk(system === 'cjs' ? 'roundtrip.cjs' : 'roundtrip.mjs', system, {
      receiver,
      args: ['kafka'],
      env: { E2E_KAFKA_BROKERS: brokers.kafkaBrokers, E2E_KAFKA_TOPIC: topic, ...env },
    });

  for (const system of ['cjs', 'esm'] as ModuleSystem[]) {
    it(`send → eachMessage is one trace: the process span is a child of the send span and links to it (${system})`, async () => {
      receiver.clear();
      const result = (await run(system)).result as KafkaRoundTrip;
      const spans = receiver.spans();

      const place = findSpan(spans, { name: 'app place order' });
      const send = findSpan(spans, { name: `send ${topic}`, kind: 'PRODUCER' });
      // The topic may hold earlier runs' messages: the handler's span says which process span is ours.
      const handle = findSpan(spans, { name: 'app handle order' });
      const process = parentOf(spans, handle);
      expectKind(process, 'CONSUMER');
      assert.equal(process.name, `process ${topic}`);
      expectChildOf(send, place);
      expectChildOf(process, send);
      expectLinkedTo(process, send);
      expectChildOf(handle, process);
      for (const span of [send, process]) expectEnded(span);
      expectKind(handle, 'INTERNAL');

      expectAttributes(send, {
        'messaging.system.name': 'kafka',
        'messaging.operation.name': 'send',
        'messaging.operation.type': 'send',
        'messaging.destination.name': topic,
        'kafka.message.key': 'customer-1',
        'messaging.client.id': 'otel-mq-e2e',
        // From the broker's Metadata answer (the librdkafka mock has one too).
        'kafka.cluster.id': /.+/,
        'messaging.destination.partition.id': /^\d+$/,
        'server.address': '127.0.0.1',
      });
      expectAttributes(process, {
        'messaging.system.name': 'kafka',
        'messaging.operation.name': 'process',
        'messaging.operation.type': 'process',
        'messaging.destination.name': topic,
        'messaging.consumer.group.name': /^e2e-/,
        'kafka.cluster.id': send.attributes['kafka.cluster.id'],
        'kafka.message.key': 'customer-1',
        'kafka.offset': (value) => typeof value === 'number' && value >= 0,
        'messaging.destination.partition.id': send.attributes['messaging.destination.partition.id'],
        'otel_mq.message.queue_time_ms': (value) => typeof value === 'number' && value >= 0,
      });
      // The broker's answer to the send gave the offset the consumer read the message at.
      expectAttributes(send, { 'kafka.offset': process.attributes['kafka.offset'] });

      assert.equal(result.received.value, result.sent);
      assert.equal(result.received.headerValues['x-user'], 'kept');
      assert.match(
        result.received.headerValues['traceparent'] ?? '',
        new RegExp(`^00-${send.traceId}-${send.spanId}-01$`),
      );
      assert.equal(
        result.callerUnchanged,
        true,
        "the application's message and headers objects are unchanged after send",
      );
    });
  }

  it('the oldest declared kafkajs (2.0.0): send → eachMessage is one connected trace', async () => {
    receiver.clear();
    const result = (await run('cjs', { E2E_KAFKAJS_MODULE: 'kafkajs-2.0.0' })).result as KafkaRoundTrip;
    const spans = receiver.spans();
    const send = findSpan(spans, { name: `send ${topic}`, kind: 'PRODUCER' });
    const handle = findSpan(spans, { name: 'app handle order' });
    const process = parentOf(spans, handle);
    expectChildOf(send, findSpan(spans, { name: 'app place order' }));
    expectChildOf(process, send);
    expectLinkedTo(process, send);
    assert.equal(result.received.value, result.sent);
    assert.equal(result.callerUnchanged, true);
  });

  it('records the four messaging metrics with their required attributes', async () => {
    receiver.clear();
    await run('cjs', { OTEL_METRICS_EXPORTER: 'otlp' });
    const metrics = await receiver.waitForMetrics((received) =>
      [
        'messaging.client.operation.duration',
        'messaging.client.sent.messages',
        'messaging.process.duration',
        'messaging.client.consumed.messages',
      ].every((name) => received.some((metric) => metric.name === name)),
    );
    const point = (name: string) => {
      const found = metrics
        .find((metric) => metric.name === name)
        ?.dataPoints.find((p) => p.attributes['messaging.destination.name'] === topic);
      assert.ok(found, `${name} has a data point for ${topic}`);
      return found;
    };
    for (const [name, operation] of [
      ['messaging.client.operation.duration', 'send'],
      ['messaging.client.sent.messages', 'send'],
      ['messaging.process.duration', 'process'],
      ['messaging.client.consumed.messages', 'process'],
    ] as const) {
      const { attributes } = point(name);
      assert.equal(attributes['messaging.system.name'], 'kafka', name);
      assert.equal(attributes['messaging.operation.name'], operation, name);
      assert.equal(attributes['server.address'], '127.0.0.1', name);
      assert.equal(attributes['error.type'], undefined, name);
      assert.equal(attributes['kafka.message.key'], undefined, `${name} keeps high-cardinality keys out`);
    }
    // The topic holds earlier tests' messages too: every message consumed has its own process duration.
    const consumed = point('messaging.client.consumed.messages').value ?? 0;
    assert.ok(consumed >= 1);
    assert.equal(point('messaging.process.duration').count, consumed, 'one process duration per message');
    assert.equal(metrics.find((metric) => metric.name === 'messaging.process.duration')?.unit, 's');
  });

  it("with the 'link' policy the consumer starts a new trace linked to the producer", async () => {
    receiver.clear();
    await run('cjs', { OTEL_MQ_KAFKAJS_CONSUMER_CONTEXT: 'link' });
    const spans = receiver.spans();
    const send = findSpan(spans, { name: `send ${topic}` });
    const process = parentOf(spans, findSpan(spans, { name: 'app handle order' }));
    assert.notEqual(process.traceId, send.traceId);
    assert.equal(process.parentSpanId, undefined);
    expectLinkedTo(process, send);
    expectChildOf(findSpan(spans, { name: 'app handle order' }), process);
  });

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=kafkajs turns the plugin off', async () => {
    receiver.clear();
    await run('cjs', { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'kafkajs' });
    const names = receiver.spans().map((span) => span.name);
    assert.ok(names.includes('app place order'));
    assert.ok(!names.some((name) => name.startsWith('send ') || name.startsWith('process ')), names.join(', '));
  });
});
