// kafkajs beyond the basic round trip, through the real Kafka wire protocol with
// the register entry: sendBatch across topics and partitions consumed with
// eachBatch (per-message spans with their own timing), transactions, a handler
// that fails once, a foreign producer's malformed traceparent, and the oldest
// kafkajs we declare.
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
} from '../src/otlp/trace-assertions.ts';

const brokers = brokersFromEnv();

interface BatchResult {
  run: string;
  handled: Record<string, { topic: string; partition: number; offset: string; helper: boolean; list: string[] }>;
  callerUnchanged: boolean;
}

function byId(spans: ReceivedSpan[], spanId: string | undefined): ReceivedSpan | undefined {
  return spans.find((span) => span.spanId === spanId);
}

describe('kafkajs scenarios', () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  const scenario = (name: string, system: ModuleSystem = 'cjs', env: Record<string, string> = {}) =>
    runFixtureOk(system === 'cjs' ? 'kafka-scenarios.cjs' : 'kafka-scenarios.mjs', system, {
      receiver,
      args: [name],
      env: { E2E_KAFKA_BROKERS: brokers.kafkaBrokers, ...env },
    });

  const batchCases: Array<[ModuleSystem, string]> = [
    ['cjs', 'kafkajs'],
    ['esm', 'kafkajs'],
    ['cjs', 'kafkajs-2.0.0'],
  ];
  for (const [system, module] of batchCases) {
    it(`sendBatch across two topics → eachBatch: a span per topic, a span per message with its own timing (${system}, ${module})`, async () => {
      receiver.clear();
      const result = (await scenario('batch', system, { E2E_KAFKAJS_MODULE: module })).result as BatchResult;
      const spans = receiver.spans();
      const tree = () => renderTree(spans);

      const app = findSpan(spans, { name: 'app send batch' });
      const sendA = findSpan(spans, { name: 'send e2e-batch-a', kind: 'PRODUCER' });
      const sendB = findSpan(spans, { name: 'send e2e-batch-b', kind: 'PRODUCER' });
      expectChildOf(sendA, app);
      expectChildOf(sendB, app);
      expectAttributes(sendA, { 'messaging.batch.message_count': 3, 'messaging.destination.name': 'e2e-batch-a' });
      expectAttributes(sendB, { 'messaging.batch.message_count': 2 });
      assert.equal(spans.filter((span) => span.name.startsWith('send ')).length, 2, 'one send span per topic');
      assert.equal(result.callerUnchanged, true, "the caller's topicMessages are unchanged after sendBatch");

      const sends = new Map([
        ['e2e-batch-a', sendA],
        ['e2e-batch-b', sendB],
      ]);
      const ours = spans.filter(
        (span) => span.name.startsWith('process ') && [sendA.spanId, sendB.spanId].includes(span.parentSpanId ?? ''),
      );
      assert.equal(ours.length, 5, `a process span per message, each a child of its send span\n${tree()}`);
      const partitions = new Set<string>();
      for (const [id, handled] of Object.entries(result.handled)) {
        const process = ours.find(
          (span) =>
            span.attributes['messaging.destination.name'] === handled.topic &&
            span.attributes['kafka.offset'] === Number(handled.offset) &&
            span.attributes['messaging.destination.partition.id'] === String(handled.partition),
        );
        assert.ok(process, `no process span for message ${id}\n${tree()}`);
        expectKind(process, 'CONSUMER');
        expectEnded(process);
        expectChildOf(process, sends.get(handled.topic)!);
        expectLinkedTo(process, sends.get(handled.topic)!);
        expectAttributes(process, {
          'kafka.message.key': id,
          'messaging.consumer.group.name': /^e2e-/,
          'otel_mq.message.queue_time_ms': (value) => typeof value === 'number' && value >= 0,
          'messaging.batch.message_count': undefined,
        });
        partitions.add(`${handled.topic}/${handled.partition}`);
        // The batch span this message belongs to is linked, and links to the producer.
        const batchSpan = process.links.map((link) => byId(spans, link.spanId)).find((span) => span?.links.length);
        assert.ok(batchSpan, `message ${id}'s span links to its batch span\n${tree()}`);
        expectAttributes(batchSpan, { 'messaging.batch.message_count': (value) => Number(value) >= 1 });
        expectLinkedTo(batchSpan, sends.get(handled.topic)!);
        // Per-message timing: inside the batch span, not a copy of it. Both are timed by
        // the SDK's clock, which maps each span's performance.now() readings onto the wall
        // clock with an offset read from Date.now() (whole milliseconds) when the span
        // starts: two spans' offsets differ by less than a millisecond. (The two are
        // linked, in different traces, not parent and child.)
        const SDK_CLOCK_GRANULARITY_NS = 1_000_000n;
        assert.ok(
          process.startTimeUnixNano + SDK_CLOCK_GRANULARITY_NS >= batchSpan.startTimeUnixNano,
          'starts within its batch',
        );
        assert.ok(
          process.endTimeUnixNano - process.startTimeUnixNano < batchSpan.endTimeUnixNano - batchSpan.startTimeUnixNano,
          'shorter than its batch',
        );
        if (handled.helper) expectChildOf(findSpan(spans, { name: `app handle ${id}` }), process);
        assert.deepEqual(handled.list, ['hex:6f6e65', 'hex:0102fe'], 'array header values arrive byte for byte');
      }
      assert.deepEqual(
        [...partitions].sort(),
        ['e2e-batch-a/0', 'e2e-batch-a/1', 'e2e-batch-b/0', 'e2e-batch-b/2'],
        'messages went to the partitions the caller chose',
      );
    });
  }

  for (const system of ['cjs', 'esm'] as ModuleSystem[]) {
    it(`the broker's answer gives each create span its message's partition and offset, as the consumer sees them; body sizes in bytes (${system})`, async () => {
      receiver.clear();
      const result = (
        await scenario('assignment', system, {
          OTEL_MQ_KAFKAJS_CREATE_SPANS_PER_MESSAGE: 'true',
          OTEL_MQ_KAFKAJS_CAPTURE_BODY_SIZE: 'true',
          OTEL_SEMCONV_STABILITY_OPT_IN: 'messaging/dup',
        })
      ).result as {
        run: string;
        consumed: Record<string, { topic: string; partition: number; offset: string; bytes: number }>;
        answers: unknown;
      };
      const spans = receiver.spans();
      const tree = () => `${renderTree(spans)}\nkafkajs answered ${JSON.stringify(result.answers)}`;
      assert.equal(Object.keys(result.consumed).length, 6, 'every message was consumed back');
      for (const [id, consumed] of Object.entries(result.consumed)) {
        const ofMessage = (operation: string) =>
          spans.find(
            (span) =>
              span.name === `${operation} ${consumed.topic}` &&
              span.attributes['kafka.message.key'] === `${id}:${result.run}`,
          );
        const create = ofMessage('create');
        assert.ok(create, `no create span for ${id}\n${tree()}`);
        expectKind(create, 'PRODUCER');
        expectAttributes(create, {
          'messaging.destination.partition.id': String(consumed.partition),
          'kafka.offset': Number(consumed.offset),
          'messaging.kafka.offset': Number(consumed.offset),
          'messaging.message.body.size': consumed.bytes,
        });
        const process = ofMessage('process');
        assert.ok(process, `no process span for ${id}\n${tree()}`);
        expectAttributes(process, {
          'kafka.offset': Number(consumed.offset),
          'messaging.message.body.size': consumed.bytes,
        });
        // Multi-byte characters: bytes, not UTF-16 code units.
        assert.ok(consumed.bytes > `é€-${id}-`.length + 36);
      }
      const send = (topic: string) => findSpan(spans, { name: `send ${topic}`, kind: 'PRODUCER' });
      // Two partitions: no partition, no offset on the send span; one partition: the partition only.
      expectAttributes(send('e2e-batch-a'), {
        'messaging.batch.message_count': 3,
        'messaging.destination.partition.id': undefined,
        'kafka.offset': undefined,
        'messaging.message.body.size': undefined,
      });
      expectAttributes(send('e2e-retry'), {
        'messaging.destination.partition.id': '0',
        'kafka.offset': undefined,
        'messaging.message.body.size': undefined,
      });
      const single = result.consumed['single']!;
      expectAttributes(send('e2e-batch-b'), {
        'messaging.destination.partition.id': '2',
        'kafka.offset': Number(single.offset),
        'messaging.kafka.offset': Number(single.offset),
        'messaging.message.body.size': single.bytes,
      });
    });
  }

  it('a transaction that commits and one that aborts: both sends traced, the committed message connected', async () => {
    receiver.clear();
    const { result } = await scenario('transaction');
    const spans = receiver.spans();
    const commitSend = findSpan(spans, { name: 'send e2e-tx' });
    expectChildOf(commitSend, findSpan(spans, { name: 'app transaction commit' }));
    const abortApp = findSpan(spans, { name: 'app transaction abort' });
    const abortSend = spans.find((span) => span.name === 'send e2e-tx' && span.parentSpanId === abortApp.spanId);
    assert.ok(abortSend, `the aborted transaction's send is traced\n${renderTree(spans)}`);
    for (const send of [commitSend, abortSend]) {
      expectEnded(send);
      assert.equal(send.status.code, 'UNSET');
    }
    const handle = findSpan(spans, { name: 'app handle committed' });
    const process = byId(spans, handle.parentSpanId);
    assert.ok(process, 'the handler span has a parent');
    expectChildOf(process, commitSend);
    assert.match(String((result as { received: string }).received), /^committed-/);
  });

  it('a handler that throws once: two process spans, the first an error, both connected to the producer', async () => {
    receiver.clear();
    const { result } = await scenario('retry');
    assert.equal((result as { attempts: number }).attempts, 2);
    const spans = receiver.spans();
    const send = findSpan(spans, { name: 'send e2e-retry' });
    const attempts = [1, 2].map((n) => byId(spans, findSpan(spans, { name: `app attempt ${n}` }).parentSpanId));
    const [first, second] = attempts;
    assert.ok(first && second, `each attempt ran in a process span\n${renderTree(spans)}`);
    assert.notEqual(first.spanId, second.spanId);
    for (const process of [first, second]) {
      expectChildOf(process, send);
      expectLinkedTo(process, send);
      expectEnded(process);
    }
    assert.equal(first.status.code, 'ERROR');
    expectAttributes(first, { 'error.type': 'Error' });
    assert.equal(second.status.code, 'UNSET');
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
    const kafka = new kafkajs.Kafka({ brokers: brokers.kafkaBrokers.split(','), logLevel: kafkajs.logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'e2e-foreign', messages: [{ value: run, headers }] });
    await producer.disconnect();

    receiver.clear();
    const { result } = await scenario('foreign', 'cjs', { E2E_RUN: run });
    const spans = receiver.spans();
    const handle = findSpan(spans, { name: 'app handle foreign' });
    const process = byId(spans, handle.parentSpanId);
    assert.ok(process, `the handler ran in a process span\n${renderTree(spans)}`);
    assert.equal(process.name, 'process e2e-foreign');
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
});
