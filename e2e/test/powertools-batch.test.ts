// @aws-lambda-powertools/batch with no otel-mq call: every SQS record its
// processor hands the record handler runs in a CONSUMER process span in its
// producer's trace, a failed record is ERROR, and the partial batch response is
// exactly what Powertools builds without us. Async and sync processors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brokersFromEnv } from '../src/environment.ts';
import { runFixtureOk } from '../src/fixture.ts';
import type { ModuleSystem } from '../src/fixture.ts';
import { startOtlpReceiver } from '../src/otlp/receiver.ts';
import type { OtlpReceiver, ReceivedSpan } from '../src/otlp/receiver.ts';
import { expectChildOf, expectKind, findSpan } from '../src/otlp/trace-assertions.ts';

const brokers = brokersFromEnv();

interface Result {
  response: { batchItemFailures: Array<{ itemIdentifier: string }> };
  failedId: string;
  records: number;
}

function parentOf(spans: ReceivedSpan[], child: ReceivedSpan): ReceivedSpan {
  const parent = spans.find((span) => span.spanId === child.parentSpanId);
  assert.ok(parent, `the parent of "${child.name}" was received`);
  return parent;
}

describe('@aws-lambda-powertools/batch, zero code', () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  const variants: Array<{ mode: string; system: ModuleSystem }> = [
    { mode: 'async', system: 'cjs' },
    { mode: 'sync', system: 'cjs' },
    { mode: 'async', system: 'esm' },
    { mode: 'sync', system: 'esm' },
  ];
  for (const { mode, system } of variants) {
    it(`${mode} processor: a process span per record in its producer's trace, the failed one ERROR, the response unchanged (${system})`, async () => {
      const env = { E2E_SQS_ENDPOINT: brokers.sqs.fauxqs, E2E_SQS_REGION: brokers.sqs.region };
      const app = `powertools-batch-app.${system === 'cjs' ? 'cjs' : 'mjs'}`;
      // Without otel-mq: the response Powertools builds on its own.
      const plain = (await runFixtureOk(app, system, { receiver, register: false, args: [mode], env }))
        .result as Result;
      assert.deepEqual(plain.response, { batchItemFailures: [{ itemIdentifier: plain.failedId }] });

      receiver.clear();
      const result = (await runFixtureOk(app, system, { receiver, args: [mode], env })).result as Result;
      assert.deepEqual(result.response, { batchItemFailures: [{ itemIdentifier: result.failedId }] });
      assert.equal(result.records, 3);
      const spans = receiver.spans();
      for (const body of ['order-1', 'order-2', 'order-3']) {
        const process = parentOf(spans, findSpan(spans, { name: `app handle ${body}` }));
        expectKind(process, 'CONSUMER');
        assert.match(process.name, /^process e2e-powertools-/);
        const app = findSpan(spans, { name: `app send ${body}` });
        const send = spans.find((span) => span.parentSpanId === app.spanId && span.name.startsWith('send '));
        assert.ok(send, `${body}: its send span was received`);
        expectChildOf(process, send);
        assert.equal(process.status.code, body === 'order-2' ? 'ERROR' : 'UNSET', `${body}'s status`);
      }
    });
  }
});
