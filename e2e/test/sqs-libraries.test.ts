// sqs-consumer and sqs-producer as people use them, with the register entry and
// no otel-mq call: every handled message gets a CONSUMER process span in its
// producer's trace covering the handler (ERROR when it throws), a batch handler
// gets one span linked to every message, and sqs-consumer's own deletes are
// parented on the process span they settle. sqs-consumer 15 (CJS and ESM) and 14.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brokersFromEnv } from '../src/environment.ts';
import { runFixtureOk } from '../src/fixture.ts';
import type { ModuleSystem } from '../src/fixture.ts';
import { startOtlpReceiver } from '../src/otlp/receiver.ts';
import type { OtlpReceiver, ReceivedSpan } from '../src/otlp/receiver.ts';
import { expectAttributes, expectChildOf, expectKind, expectLinkedTo, findSpan } from '../src/otlp/trace-assertions.ts';

const brokers = brokersFromEnv();

interface Outcome {
  queue: { name: string; url: string };
  calls: number;
  errors: string[];
  callerUnchanged?: boolean;
  received?: Array<{ body: string; user?: string }>;
}

function parentOf(spans: ReceivedSpan[], child: ReceivedSpan): ReceivedSpan {
  const parent = spans.find((span) => span.spanId === child.parentSpanId);
  assert.ok(parent, `the parent of "${child.name}" was received`);
  return parent;
}

const durationMs = (span: ReceivedSpan) => Number(span.endTimeUnixNano - span.startTimeUnixNano) / 1e6;

const variants: Array<{ label: string; system: ModuleSystem; module?: string }> = [
  { label: 'sqs-consumer 15, cjs', system: 'cjs' },
  { label: 'sqs-consumer 15, esm', system: 'esm' },
  { label: 'sqs-consumer 14, cjs', system: 'cjs', module: 'sqs-consumer-14' },
];

describe('sqs-consumer and sqs-producer, zero code', () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  const run = async (scenario: string, system: ModuleSystem, module?: string): Promise<Outcome> => {
    const { result } = await runFixtureOk(
      system === 'cjs' ? 'sqs-libraries-app.cjs' : 'sqs-libraries-app.mjs',
      system,
      {
        receiver,
        args: [scenario],
        env: {
          E2E_SQS_ENDPOINT: brokers.sqs.fauxqs,
          E2E_SQS_REGION: brokers.sqs.region,
          ...(module ? { E2E_SQS_CONSUMER_MODULE: module } : {}),
        },
      },
    );
    return result as Outcome;
  };

  for (const { label, system, module } of variants) {
    it(`handleMessage: a process span per message in its producer's trace, ERROR when it throws, deletes inside (${label})`, async () => {
      receiver.clear();
      const outcome = await run('handleMessage', system, module);
      assert.equal(outcome.calls, 2);
      const spans = receiver.spans();
      for (const body of ['ok-1', 'fail-1']) {
        const handle = findSpan(spans, { name: `app handle ${body}` });
        const process = parentOf(spans, handle);
        expectKind(process, 'CONSUMER');
        assert.equal(process.name, `process ${outcome.queue.name}`);
        const send = findSpan(childrenOf(spans, findSpan(spans, { name: `app send ${body}` })), {
          name: `send ${outcome.queue.name}`,
        });
        expectChildOf(process, send);
        expectLinkedTo(process, send);
        assert.ok(durationMs(process) >= 25, `the process span covers the handler (${durationMs(process)} ms)`);
        expectAttributes(process, { 'messaging.system.name': 'aws.sqs', 'messaging.message.id': /.+/ });
        if (body.startsWith('fail')) {
          assert.equal(process.status.code, 'ERROR');
          expectAttributes(process, { 'error.type': 'Error' });
        } else {
          assert.notEqual(process.status.code, 'ERROR');
          const del = findSpan(spans, { name: `delete ${outcome.queue.name}` });
          expectChildOf(del, process);
        }
      }
    });
  }

  for (const { label, system, module } of variants) {
    it(`handleMessageBatch: one batch process span linked to every message, its delete inside (${label})`, async () => {
      receiver.clear();
      const outcome = await run('handleMessageBatch', system, module);
      const spans = receiver.spans();
      const handle = findSpan(spans, { name: 'app handle batch' });
      const process = parentOf(spans, handle);
      expectKind(process, 'CONSUMER');
      expectAttributes(process, { 'messaging.batch.message_count': outcome.calls });
      const sends = ['b-1', 'b-2', 'b-3'].map((body) =>
        findSpan(childrenOf(spans, findSpan(spans, { name: `app send ${body}` })), {
          name: `send ${outcome.queue.name}`,
        }),
      );
      // One poll may bring fewer than all three: every message handled is linked.
      assert.equal(process.links.length, outcome.calls);
      const linked = sends.filter((send) => process.links.some((link) => link.spanId === send.spanId));
      assert.equal(linked.length, outcome.calls);
      expectChildOf(findSpan(spans, { name: `delete ${outcome.queue.name}` }), process);
    });
  }

  it('sqs-producer: 12 messages in two batches all carry context, arrive unchanged and connect to their send span', async () => {
    receiver.clear();
    const outcome = await run('producer', 'cjs');
    assert.equal(outcome.callerUnchanged, true, "the caller's message objects are unchanged");
    const received = outcome.received ?? [];
    assert.deepEqual(received.map((r) => r.body).sort(), Array.from({ length: 12 }, (_, i) => `body-${i}`).sort());
    for (const { body, user } of received) {
      const i = Number(body.split('-')[1]);
      assert.equal(user, i % 2 ? `u${i}` : undefined, `${body}: user attributes kept`);
    }
    const spans = receiver.spans();
    const produce = findSpan(spans, { name: 'app produce' });
    const sends = childrenOf(spans, produce).filter((span) => span.name === `send ${outcome.queue.name}`);
    assert.equal(sends.length, 2, 'two SendMessageBatch calls');
    assert.deepEqual(sends.map((send) => send.attributes['messaging.batch.message_count']).sort(), [10, 2]);
    for (const { body } of received) {
      const process = parentOf(spans, findSpan(spans, { name: `app handle ${body}` }));
      assert.ok(
        sends.some((send) => send.spanId === process.parentSpanId),
        `${body}: its process span is a child of a send span`,
      );
    }
  });
});

function childrenOf(spans: ReceivedSpan[], parent: ReceivedSpan): ReceivedSpan[] {
  return spans.filter((span) => span.parentSpanId === parent.spanId);
}
