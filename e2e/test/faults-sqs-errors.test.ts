// The SQS endpoint answering throttling (HTTP 400 ThrottlingException), 503 and 500,
// through a proxy in front of local-aws-sqs: the application sees exactly the
// SDK's own retries and errors it sees without the plugin (compared with a run
// with OTEL_NODE_DISABLED_INSTRUMENTATIONS=aws-sqs), and every span is ended,
// failed ones with error status and error.type.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSqsFaultProxy } from '../src/brokers/sqs-fault-proxy.ts';
import type { SqsFaultProxy } from '../src/brokers/sqs-fault-proxy.ts';
import { brokersFromEnv } from '../src/environment.ts';
import { runFixtureOk } from '../src/fixture.ts';
import { startOtlpReceiver } from '../src/otlp/receiver.ts';
import type { OtlpReceiver } from '../src/otlp/receiver.ts';
import { expectEnded, renderTree, spansNamed } from '../src/otlp/trace-assertions.ts';

interface Outcome {
  ok: boolean;
  name?: string;
  status?: number;
  attempts?: number;
  messages?: number;
}
interface Result {
  id: string;
  sendThrottled: Outcome;
  receiveThrottled: Outcome;
  sendUnavailable: Outcome;
  receiveInternal: Outcome;
  problems: string[];
}

describe('faults: SQS throttling and server errors', () => {
  const brokers = brokersFromEnv();
  let receiver: OtlpReceiver;
  let proxy: SqsFaultProxy;
  before(async () => {
    [receiver, proxy] = await Promise.all([startOtlpReceiver(), startSqsFaultProxy(brokers.sqs['local-aws-sqs'])]);
  });
  after(async () => {
    await Promise.all([receiver.close(), proxy.close()]);
  });

  it('the SDK retries and fails exactly as without the plugin; spans record error.type and are ended', async () => {
    const env = { E2E_SQS_ENDPOINT: proxy.endpoint, E2E_SQS_REGION: brokers.sqs.region };
    const plain = (
      await runFixtureOk('faults-sqs-errors.cjs', 'cjs', {
        receiver,
        env: { ...env, OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'aws-sqs' },
      })
    ).result as Result;
    receiver.clear();
    const traced = (await runFixtureOk('faults-sqs-errors.cjs', 'cjs', { receiver, env })).result as Result;

    const { id: _a, ...expected } = plain;
    const { id: _b, ...actual } = traced;
    assert.deepEqual(actual, expected);
    // What the proxy did, as the SDK (3.1169, standard retry mode) answers it.
    assert.deepEqual(traced.sendThrottled, { ok: true, attempts: 3 });
    assert.equal(traced.receiveThrottled.ok, true);
    assert.equal(traced.receiveThrottled.attempts, 3);
    assert.deepEqual(
      [traced.sendUnavailable.ok, traced.sendUnavailable.status, traced.sendUnavailable.attempts],
      [false, 503, 3],
    );
    assert.deepEqual(
      [traced.receiveInternal.ok, traced.receiveInternal.status, traced.receiveInternal.attempts],
      [false, 500, 3],
    );

    const spans = receiver.spans();
    const named = (kind: string, operation: string) => spansNamed(spans, `${operation} faults-${kind}-${traced.id}`);
    const [sendThrottled] = named('throttle', 'send');
    const [sendUnavailable] = named('unavailable', 'send');
    const [receiveInternal] = named('internal', 'receive');
    assert.ok(sendThrottled && sendUnavailable && receiveInternal, renderTree(spans));
    for (const span of [sendThrottled, sendUnavailable, receiveInternal, ...named('throttle', 'receive')]) {
      expectEnded(span);
    }
    assert.equal(sendThrottled.status.code, 'UNSET', 'retried to success: no error');
    for (const [span, outcome] of [
      [sendUnavailable, traced.sendUnavailable],
      [receiveInternal, traced.receiveInternal],
    ] as const) {
      assert.equal(span.status.code, 'ERROR');
      assert.equal(span.attributes['error.type'], outcome.name);
    }
  });
});
