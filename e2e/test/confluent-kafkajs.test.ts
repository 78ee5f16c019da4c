// @confluentinc/kafka-javascript's KafkaJS-compatible API through the real Kafka
// wire protocol (the librdkafka mock, or KAFKA_BROKERS), instrumented by the
// register entry in real processes, CommonJS and ESM: send → eachMessage is one
// connected trace (or two linked ones with 'link'), sendBatch → eachBatch gives a
// span per topic and per message, transactions, a handler that fails once,
// commits, a foreign producer's malformed traceparent, the four metrics, and the
// application's message objects unchanged.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import kafkajs from 'kafkajs';
import { brokersFromEnv } from '../src/environment.ts';
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
  renderTree,
  spansNamed,
} from '../src/otlp/trace-assertions.ts';

const brokers = brokersFromEnv();
const topic = 'e2e-confluent';

function parentOf(spans: ReceivedSpan[], child: ReceivedSpan): ReceivedSpan {
  const parent = spans.find((span) => span.spanId === child.parentSpanId);
  assert.ok(parent, `the parent of "${child.name}" was not received\n${renderTree(spans)}`);
  return parent;
}

interface RoundTrip {
  run: string;
  sent: string;
  received: { topic: string; partition: number; offset: string; value: string; headerValues: Record<string, string> };
  callerUnchanged: boolean;
}

describe('confluent-kafka, KafkaJS API', () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  const scenario = (name: string, system: ModuleSystem = 'cjs', env: Record<string, string> = {}) =>
    runFixtureOk(system === 'cjs' ? 'confluent-scenarios.cjs' : 'confluent-scenarios.mjs', system, {
      receiver,
      args: [name],
      env: { E2E_KAFKA_BROKERS: brokers.kafkaBrokers, ...env },
    });

  for (const system of ['cjs', 'esm'] as ModuleSystem[]) {
    it(`send → eachMessage is one trace: the process span is a child of the send span and links to it (${system})`, async () => {
      receiver.clear();
      const result = (await scenario('roundtrip', system)).result as RoundTrip;
      const spans = receiver.spans();
      const place = findSpan(spans, { name: 'app place order' });
      const send = findSpan(spans, { name: `send ${topic}`, kind: 'PRODUCER' });
      const handle = findSpan(spans, { name: 'app handle order' });
      const process = parentOf(spans, handle);
      assert.equal(process.name, `process ${topic}`);
      expectKind(process, 'CONSUMER');
      expectChildOf(send, place);
      expectChildOf(process, send);
      expectLinkedTo(process, send);
      for (const span of [send, process]) expectEnded(span);
      assert.equal(send.scope.name, '@org/instrumentation-confluent-kafka');
      expectAttributes(send, {
        'messaging.system.name': 'kafka',
        'messaging.operation.name': 'send',
        'messaging.operation.type': 'send',
        'messaging.destination.name': topic,
        'messaging.client.id': 'otel-mq-e2e-confluent',
        'kafka.message.key': 'customer-1',
        'server.address': '127.0.0.1',
        'messaging.destination.partition.id': String(result.received.partition),
        'kafka.offset': Number(result.received.offset),
      });
      expectAttributes(process, {
        'messaging.system.name': 'kafka',
        'messaging.operation.name': 'process',
        'messaging.operation.type': 'process',
        'messaging.destination.name': topic,
        'messaging.destination.partition.id': String(result.received.partition),
        'kafka.offset': Number(result.received.offset),
        'kafka.message.key': 'customer-1',
        'messaging.consumer.group.name': /^e2e-/,
        'messaging.client.id': 'otel-mq-e2e-confluent',
      });
      const queueTime = process.attributes['otel_mq.message.queue_time_ms'];
      assert.ok(typeof queueTime === 'number' && queueTime >= 0, `queue time recorded: ${JSON.stringify(queueTime)}`);
      assert.equal(result.received.value, result.sent);
      assert.match(
        result.received.headerValues['traceparent'] ?? '',
        new RegExp(`^00-${send.traceId}-${send.spanId}-01$`),
      );
      assert.equal(result.received.headerValues['x-run'], result.run, 'the application header travels too');
      assert.equal(
        result.callerUnchanged,
        true,
        "the application's message and headers objects are unchanged after send",
      );
    });
  }

  it('the oldest declared client (1.0.0, npm alias @confluentinc/kafka-javascript-1.0): send → eachMessage is one connected trace', async () => {
    receiver.clear();
    const result = (await scenario('roundtrip', 'cjs', { E2E_CONFLUENT_MODULE: '@confluentinc/kafka-javascript-1.0' }))
      .result as RoundTrip;
    const spans = receiver.spans();
    const send = findSpan(spans, { name: `send ${topic}`, kind: 'PRODUCER' });
    const process = parentOf(spans, findSpan(spans, { name: 'app handle order' }));
    expectChildOf(send, findSpan(spans, { name: 'app place order' }));
    expectChildOf(process, send);
    expectLinkedTo(process, send);
    assert.equal(result.received.value, result.sent);
    assert.equal(result.callerUnchanged, true);
  });

  it('sendBatch across two topics → eachBatch: a span per topic, a batch span linked to each message, a span per message', async () => {
    receiver.clear();
    const result = (await scenario('batch')).result as {
      run: string;
      handled: Record<string, { topic: string; partition: number; offset: string; helper: boolean }>;
      callerUnchanged: boolean;
    };
    const spans = receiver.spans();
    const app = findSpan(spans, { name: 'app send batch' });
    const sendA = findSpan(spans, { name: 'send e2e-confluent-batch-a', kind: 'PRODUCER' });
    const sendB = findSpan(spans, { name: 'send e2e-confluent-batch-b', kind: 'PRODUCER' });
    expectChildOf(sendA, app);
    expectChildOf(sendB, app);
    assert.equal(sendA.attributes['messaging.batch.message_count'], 3);
    assert.equal(
      spansNamed(spans, /^send /).length,
      2,
      `one send span per topic, none per message\n${renderTree(spans)}`,
    );
    assert.equal(result.callerUnchanged, true);
    for (const [id, handled] of Object.entries(result.handled)) {
      const send = handled.topic === 'e2e-confluent-batch-a' ? sendA : sendB;
      const process = spans.find(
        (span) =>
          span.name === `process ${handled.topic}` &&
          span.attributes['kafka.offset'] === Number(handled.offset) &&
          span.attributes['messaging.destination.partition.id'] === String(handled.partition) &&
          span.attributes['messaging.batch.message_count'] === undefined,
      );
      assert.ok(process, `message ${id} has its own process span\n${renderTree(spans)}`);
      expectChildOf(process, send);
      expectEnded(process);
      const batchSpan = spans.find(
        (span) => span.spanId === process.links.find((link) => link.spanId !== send.spanId)?.spanId,
      );
      assert.ok(batchSpan, `message ${id}'s span links to its batch span`);
      assert.equal(batchSpan.name, `process ${handled.topic}`);
      assert.ok(Number(batchSpan.attributes['messaging.batch.message_count']) >= 1);
      expectLinkedTo(batchSpan, send);
      if (handled.helper) expectChildOf(findSpan(spans, { name: `app handle ${id}` }), process);
    }
  });

  it('a transaction: its send is a send span, consumed in the same trace', async () => {
    receiver.clear();
    const result = (await scenario('transaction')).result as { run: string; received: string };
    assert.equal(result.received, `tx-${result.run}`);
    const spans = receiver.spans();
    const send = findSpan(spans, { name: 'send e2e-confluent-tx', kind: 'PRODUCER' });
    expectChildOf(send, findSpan(spans, { name: 'app transaction' }));
    assert.equal(spansNamed(spans, 'send e2e-confluent-tx').length, 1, 'the transaction is the producer: one span');
    expectChildOf(parentOf(spans, findSpan(spans, { name: 'app handle tx' })), send);
  });

  it('a handler that throws: an error span, the error reaches the client, the redelivery is traced again', async () => {
    receiver.clear();
    const result = (await scenario('retry')).result as { attempts: number };
    assert.equal(result.attempts, 2);
    const spans = receiver.spans();
    const send = findSpan(spans, { name: 'send e2e-confluent-retry' });
    const first = parentOf(spans, findSpan(spans, { name: 'app attempt 1' }));
    const second = parentOf(spans, findSpan(spans, { name: 'app attempt 2' }));
    assert.notEqual(first.spanId, second.spanId);
    for (const process of [first, second]) expectChildOf(process, send);
    assert.equal(first.status.code, 'ERROR');
    assert.equal(first.attributes['error.type'], 'Error');
    assert.equal(second.status.code, 'UNSET');
  });

  it('commitOffsets from a handler: a commit settle span inside the process span (commitSpans)', async () => {
    receiver.clear();
    await scenario('commit', 'cjs', { OTEL_MQ_CONFLUENT_KAFKA_COMMIT_SPANS: 'true' });
    const spans = receiver.spans();
    const commit = findSpan(spans, { name: `commit ${topic}`, kind: 'CLIENT' });
    const process = parentOf(spans, commit);
    assert.equal(process.name, `process ${topic}`);
    expectAttributes(commit, {
      'messaging.operation.name': 'commit',
      'messaging.operation.type': 'settle',
      'messaging.consumer.group.name': /^e2e-/,
    });
    expectEnded(commit);
  });

  it("with the 'link' policy the consumer starts a new trace linked to the producer", async () => {
    receiver.clear();
    await scenario('roundtrip', 'cjs', { OTEL_MQ_CONFLUENT_KAFKA_CONSUMER_CONTEXT: 'link' });
    const spans = receiver.spans();
    const send = findSpan(spans, { name: `send ${topic}` });
    const handle = findSpan(spans, { name: 'app handle order' });
    const process = parentOf(spans, handle);
    assert.notEqual(process.traceId, send.traceId);
    assert.equal(process.parentSpanId, undefined);
    expectLinkedTo(process, send);
  });

  it("a foreign producer's malformed traceparent: processed normally as a new trace, headers untouched", async () => {
    const run = randomUUID();
    const headers = {
      'x-run': run,
      traceparent: 'zz-not-a-traceparent-at-all',
      tracestate: '\u0000'.repeat(64),
      baggage: '=;=,%%%',
      'x-bytes': Buffer.from([0, 255, 128]),
    };
    // The foreign producer: plain kafkajs in this (uninstrumented) test process.
    const kafka = new kafkajs.Kafka({ brokers: brokers.kafkaBrokers.split(','), logLevel: kafkajs.logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'e2e-confluent-foreign', messages: [{ value: run, headers }] });
    await producer.disconnect();

    receiver.clear();
    const { result } = await scenario('foreign', 'cjs', { E2E_RUN: run, E2E_TOPIC: 'e2e-confluent-foreign' });
    const spans = receiver.spans();
    const process = parentOf(spans, findSpan(spans, { name: 'app handle foreign' }));
    assert.equal(process.name, 'process e2e-confluent-foreign');
    assert.equal(process.parentSpanId, undefined, 'no parent from a malformed traceparent');
    assert.deepEqual(process.links, []);
    assert.equal(process.status.code, 'UNSET');
    const received = (result as { received: { value: string; headers: Record<string, string> } }).received;
    assert.equal(received.value, run);
    assert.deepEqual(received.headers, {
      'x-run': `hex:${Buffer.from(run).toString('hex')}`,
      traceparent: `hex:${Buffer.from(headers.traceparent).toString('hex')}`,
      tracestate: `hex:${Buffer.from(headers.tracestate).toString('hex')}`,
      baggage: `hex:${Buffer.from(headers.baggage).toString('hex')}`,
      'x-bytes': 'hex:00ff80',
    });
  });

  it('records the four messaging metrics with their required attributes', async () => {
    receiver.clear();
    await scenario('roundtrip', 'cjs', { OTEL_METRICS_EXPORTER: 'otlp' });
    const names = [
      'messaging.client.operation.duration',
      'messaging.client.sent.messages',
      'messaging.process.duration',
      'messaging.client.consumed.messages',
    ];
    const metrics = await receiver.waitForMetrics((received) =>
      names.every((name) => received.some((metric) => metric.name === name)),
    );
    for (const [name, operation] of [
      ['messaging.client.operation.duration', 'send'],
      ['messaging.client.sent.messages', 'send'],
      ['messaging.process.duration', 'process'],
      ['messaging.client.consumed.messages', 'process'],
    ] as const) {
      const metric = metrics.find(
        (candidate) => candidate.name === name && candidate.scope.name === '@org/instrumentation-confluent-kafka',
      );
      const point = metric?.dataPoints.find((p) => p.attributes['messaging.destination.name'] === topic);
      assert.ok(point, `${name} has a data point for ${topic}`);
      assert.equal(point.attributes['messaging.system.name'], 'kafka', name);
      assert.equal(point.attributes['messaging.operation.name'], operation, name);
      assert.equal(point.attributes['server.address'], '127.0.0.1', name);
      assert.equal(point.attributes['error.type'], undefined, name);
      assert.equal(point.attributes['kafka.message.key'], undefined, `${name} keeps high-cardinality keys out`);
    }
  });

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=confluent-kafka turns the plugin off: the message still travels', async () => {
    receiver.clear();
    const result = (await scenario('roundtrip', 'cjs', { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'confluent-kafka' }))
      .result as RoundTrip;
    assert.equal(result.received.value, result.sent);
    assert.equal(result.received.headerValues['traceparent'], undefined);
    const spans = receiver.spans();
    assert.deepEqual(spansNamed(spans, /^(send|process) /), [], renderTree(spans));
  });
});
