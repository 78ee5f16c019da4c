// SNS publishing with the real @aws-sdk/client-sns, zero code (register entry):
// Publish and PublishBatch each give one PRODUCER `send {topic}` span, every
// message carries the context, and SNS → SQS fan-out connects in both delivery
// modes (raw: SQS message attributes; default: the JSON envelope). fauxqs
// emulates SNS with SQS subscriptions; local-aws-sqs has no SNS.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brokersFromEnv } from '../src/environment.ts';
import { runFixtureOk } from '../src/fixture.ts';
import type { ModuleSystem } from '../src/fixture.ts';
import { startOtlpReceiver } from '../src/otlp/receiver.ts';
import type { OtlpReceiver, ReceivedSpan } from '../src/otlp/receiver.ts';
import { expectAttributes, expectChildOf, expectEnded, expectKind, findSpan } from '../src/otlp/trace-assertions.ts';

const brokers = brokersFromEnv();

interface FanOut {
  topicArn: string;
  raw: { queue: string; bodies: string[] };
  enveloped: { queue: string; bodies: string[] };
  batchSuccessful: number;
  callerUnchanged: boolean;
}

function childrenOf(spans: ReceivedSpan[], parent: ReceivedSpan): ReceivedSpan[] {
  return spans.filter((span) => span.parentSpanId === parent.spanId);
}

describe('aws-sns', () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  for (const system of ['cjs', 'esm'] as ModuleSystem[]) {
    it(`Publish and PublishBatch → SQS, raw and enveloped delivery: every message joins its publisher's trace (${system})`, async () => {
      receiver.clear();
      const { result } = await runFixtureOk(system === 'cjs' ? 'sns-app.cjs' : 'sns-app.mjs', system, {
        receiver,
        args: ['fanOut'],
        env: { E2E_SQS_ENDPOINT: brokers.sqs.fauxqs, E2E_SQS_REGION: brokers.sqs.region },
      });
      const fanOut = result as FanOut;
      assert.equal(fanOut.callerUnchanged, true, "the caller's Publish and PublishBatch inputs are unchanged");
      assert.equal(fanOut.batchSuccessful, 3);
      assert.deepEqual(fanOut.raw.bodies.sort(), ['b0', 'b1', 'b2', 'single'], 'raw delivery: bodies arrive as sent');
      assert.equal(fanOut.enveloped.bodies.length, 4);

      const spans = receiver.spans();
      const topic = fanOut.topicArn.split(':').pop() as string;
      const single = findSpan(spans, { name: 'app publish single' });
      const batch = findSpan(spans, { name: 'app publish batch' });
      const [publish, ...extraPublish] = childrenOf(spans, single).filter((span) => span.name === `send ${topic}`);
      const [publishBatch, ...extraBatch] = childrenOf(spans, batch).filter((span) => span.name === `send ${topic}`);
      assert.ok(publish && publishBatch, `a send span under each publish: ${spans.map((s) => s.name).join(', ')}`);
      assert.deepEqual([extraPublish, extraBatch], [[], []], 'one span per call');
      for (const span of [publish, publishBatch]) {
        expectKind(span, 'PRODUCER');
        expectEnded(span);
        expectAttributes(span, {
          'messaging.system.name': 'aws.sns',
          'messaging.operation.name': 'send',
          'messaging.operation.type': 'send',
          'messaging.destination.name': topic,
          'aws.sns.topic.arn': fanOut.topicArn,
          'cloud.region': brokers.sqs.region,
        });
      }
      expectAttributes(publish, { 'messaging.message.id': /.+/ });
      expectAttributes(publishBatch, { 'messaging.batch.message_count': 3 });

      for (const [queue, carrier] of [
        [fanOut.raw.queue, 'message-attributes'],
        [fanOut.enveloped.queue, 'sns-envelope'],
      ] as const) {
        const processes = spans.filter((span) => span.name === `process ${queue}`);
        assert.equal(processes.length, 4, `four process spans on ${queue}`);
        const parents = processes.map((process) => {
          expectKind(process, 'CONSUMER');
          expectAttributes(process, { 'otel_mq.context.carrier': carrier });
          return process.parentSpanId;
        });
        // One message from Publish, three from PublishBatch: each joins its own publish span.
        assert.deepEqual(
          parents.sort(),
          [publish.spanId, publishBatch.spanId, publishBatch.spanId, publishBatch.spanId].sort(),
          `${queue}: every process span is a child of its publish span`,
        );
        for (const process of processes) {
          expectChildOf(findSpan(childrenOf(spans, process), { name: `app handle ${queue}` }), process);
        }
      }
    });
  }
});
