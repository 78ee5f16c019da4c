// @confluentinc/kafka-javascript's native API through the real Kafka wire protocol,
// instrumented by the register entry, CommonJS and ESM: Producer#produce with and
// without delivery reports, HighLevelProducer#produce with its callback, and a
// KafkaConsumer in flowing and non-flowing mode whose process spans (kept open by
// processKafkaMessage around asynchronous work) are children of the send spans;
// commitMessage as a commit settle span.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brokersFromEnv } from '../src/environment.ts';
import { runFixtureOk } from '../src/fixture.ts';
import type { ModuleSystem } from '../src/fixture.ts';
import { startOtlpReceiver } from '../src/otlp/receiver.ts';
import type { OtlpReceiver, ReceivedSpan } from '../src/otlp/receiver.ts';
import { expectAttributes, expectChildOf, expectLinkedTo, findSpan, renderTree } from '../src/otlp/trace-assertions.ts';

const brokers = brokersFromEnv();
const topic = 'e2e-confluent-native';

interface NativeRun {
  run: string;
  produced: {
    reports: Array<{ error: string | null; offset: number }>;
    opaqueKept: boolean;
    callerHeadersUnchanged: boolean;
    hlpOffset: number;
  };
  handled: Record<'dr' | 'nodr' | 'hlp', { offset: number; partition: number }>;
}

function parentOf(spans: ReceivedSpan[], child: ReceivedSpan): ReceivedSpan {
  const parent = spans.find((span) => span.spanId === child.parentSpanId);
  assert.ok(parent, `the parent of "${child.name}" was not received\n${renderTree(spans)}`);
  return parent;
}

describe('confluent-kafka, native API', () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  const cases: Array<[string, ModuleSystem]> = [
    ['flowing', 'cjs'],
    ['nonflowing', 'esm'],
  ];
  for (const [mode, system] of cases) {
    it(`produce (delivery reports on and off, HighLevelProducer) → KafkaConsumer ${mode}: connected traces (${system})`, async () => {
      receiver.clear();
      const { result } = await runFixtureOk(
        system === 'cjs' ? 'confluent-native.cjs' : 'confluent-native.mjs',
        system,
        {
          receiver,
          args: [mode],
          env: { E2E_KAFKA_BROKERS: brokers.kafkaBrokers, OTEL_MQ_CONFLUENT_KAFKA_COMMIT_SPANS: 'true' },
        },
      );
      const { produced, handled } = result as NativeRun;
      assert.equal(produced.opaqueKept, true, "the delivery report carries the application's own opaque");
      assert.equal(produced.callerHeadersUnchanged, true, "the application's header list is unchanged");
      assert.equal(produced.reports[0]?.error, null);
      const spans = receiver.spans();
      for (const kind of ['dr', 'nodr', 'hlp'] as const) {
        const app = findSpan(spans, { name: `app produce ${kind}` });
        const send = spans.find((span) => span.name === `send ${topic}` && span.parentSpanId === app.spanId);
        assert.ok(send, `produce (${kind}) made a send span in the application's span\n${renderTree(spans)}`);
        assert.equal(send.kind, 'PRODUCER');
        expectAttributes(send, {
          'messaging.system.name': 'kafka',
          'messaging.destination.name': topic,
          'messaging.client.id': `e2e-native-${kind}`,
          'kafka.message.key': `key-${kind}`,
          'server.address': '127.0.0.1',
        });
        const handle = findSpan(spans, { name: `app handle ${kind}` });
        const process = parentOf(spans, handle);
        assert.equal(process.name, `process ${topic}`);
        assert.equal(process.kind, 'CONSUMER');
        expectChildOf(process, send);
        expectLinkedTo(process, send);
        expectAttributes(process, {
          'messaging.consumer.group.name': /^e2e-/,
          'kafka.offset': handled[kind].offset,
          'messaging.destination.partition.id': String(handled[kind].partition),
          'messaging.client.id': 'e2e-native-consumer',
        });
        // Both spans' durations on their own clocks (the SDK maps performance.now() readings with an offset).
        const duration = (span: ReceivedSpan) => span.endTimeUnixNano - span.startTimeUnixNano;
        assert.ok(
          duration(process) >= duration(handle),
          `processKafkaMessage keeps the ${kind} process span open around the asynchronous work`,
        );
        const commit = spans.find((span) => span.name === `commit ${topic}` && span.parentSpanId === handle.spanId);
        assert.ok(commit, `commitMessage inside the work is a commit span (${kind})\n${renderTree(spans)}`);
        expectAttributes(commit, { 'messaging.operation.type': 'settle', 'messaging.consumer.group.name': /^e2e-/ });
        if (kind === 'nodr') {
          // No delivery report: the span ended at the produce call, with no broker answer.
          assert.equal(send.attributes['kafka.offset'], undefined);
        } else {
          // Ended at the delivery report, with the broker's partition and offset.
          assert.equal(send.attributes['kafka.offset'], handled[kind].offset);
          assert.equal(send.attributes['messaging.destination.partition.id'], String(handled[kind].partition));
        }
      }
      assert.equal(produced.hlpOffset, handled.hlp.offset, 'the HighLevelProducer callback got its offset');
    });
  }
});
