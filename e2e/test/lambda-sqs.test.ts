// The Lambda SQS handler wrapper in a real Node process, invoked with an event
// built from messages really sent to and received from each SQS emulator:
// per-record process spans connect to their producers, the failing record is
// reported in batchItemFailures, and the spans are flushed before the handler
// returns (the `freeze` runs SIGKILL the process right after, as Lambda freezes it).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brokersFromEnv } from '../src/environment.ts';
import { runFixture } from '../src/fixture.ts';
import type { ModuleSystem } from '../src/fixture.ts';
import { startOtlpReceiver } from '../src/otlp/receiver.ts';
import type { OtlpReceiver, ReceivedSpan } from '../src/otlp/receiver.ts';
import {
  expectAttributes,
  expectChildOf,
  expectKind,
  expectLinkedTo,
  spansNamed,
} from '../src/otlp/trace-assertions.ts';

const brokers = brokersFromEnv();

interface LambdaRun {
  response: { batchItemFailures: Array<{ itemIdentifier: string }> };
  failedId: string;
  invocationId: string;
  records: number;
}

function parentOf(spans: ReceivedSpan[], child: ReceivedSpan): ReceivedSpan {
  const parent = spans.find((span) => span.spanId === child.parentSpanId);
  assert.ok(parent, `the parent of "${child.name}" was not received`);
  return parent;
}

function one(spans: ReceivedSpan[], name: string): ReceivedSpan {
  const found = spansNamed(spans, name);
  assert.equal(found.length, 1, `expected one "${name}" span, got ${found.length}`);
  return found[0]!;
}

describe('Lambda SQS handler wrapper', () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  const cases: Array<{ emulator: 'fauxqs' | 'local-aws-sqs'; system: ModuleSystem }> = [
    { emulator: 'fauxqs', system: 'cjs' },
    { emulator: 'local-aws-sqs', system: 'esm' },
  ];
  for (const { emulator, system } of cases) {
    it(`per-record spans connect to their producers; batchItemFailures names the failing record; flushed before return (${emulator}, ${system})`, async () => {
      receiver.clear();
      const run = await runFixture(system === 'cjs' ? 'lambda-sqs.cjs' : 'lambda-sqs.mjs', system, {
        receiver,
        args: ['freeze'],
        env: { E2E_SQS_ENDPOINT: brokers.sqs[emulator], E2E_SQS_REGION: brokers.sqs.region },
      });
      assert.equal(run.signal, 'SIGKILL', `the fixture is killed right after the handler returns\n${run.stderr}`);
      const result = run.result as LambdaRun;
      assert.ok(result, `the fixture printed its result\n${run.stdout}\n${run.stderr}`);
      assert.equal(result.records, 3);
      assert.deepEqual(result.response, { batchItemFailures: [{ itemIdentifier: result.failedId }] });

      // Nothing was exported after the kill: every span here was flushed by the wrapper.
      const spans = receiver.spans();
      const invocation = spans.find(
        (span) => span.kind === 'CONSUMER' && span.attributes['faas.invocation.id'] === result.invocationId,
      );
      assert.ok(invocation, 'the invocation span was flushed before the handler returned');
      expectAttributes(invocation, {
        'faas.trigger': 'pubsub',
        'faas.name': 'e2e-orders',
        'faas.coldstart': true,
        'cloud.provider': 'aws',
        'cloud.resource_id': /^arn:aws:lambda:/,
        'messaging.batch.message_count': 3,
        'otel_mq.batch.failed_message_count': 1,
      });
      assert.equal(invocation.status.code, 'ERROR');

      for (const order of ['order-1', 'order-2', 'order-3']) {
        const appSend = one(spans, `app send ${order}`);
        const send = spans.find((span) => span.parentSpanId === appSend.spanId && span.kind === 'PRODUCER');
        assert.ok(send, `the send span of ${order}`);
        const handle = one(spans, `app handle ${order}`);
        const process = parentOf(spans, handle);
        expectKind(process, 'CONSUMER');
        expectChildOf(process, send);
        expectLinkedTo(process, send);
        expectLinkedTo(invocation, send);
        expectAttributes(process, {
          'messaging.operation.type': 'process',
          'messaging.message.id': /./,
          'otel_mq.message.delivery_count': 1,
        });
        assert.equal(process.status.code, order === 'order-2' ? 'ERROR' : 'UNSET');
      }
    });
  }
});
