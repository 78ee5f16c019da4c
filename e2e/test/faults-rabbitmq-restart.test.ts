// RabbitMQ stopped mid-stream and started again on the same port (its own private
// node): the application's own reconnect logic brings it back, it keeps
// consuming, sees no error from our code, and every span we started is ended,
// including those open on the connection that went away.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startRabbitMq } from '../src/brokers/rabbitmq.ts';
import type { RunningRabbitMq } from '../src/brokers/rabbitmq.ts';
import { runFixture } from '../src/fixture.ts';
import { startOtlpReceiver } from '../src/otlp/receiver.ts';
import type { OtlpReceiver } from '../src/otlp/receiver.ts';
import { expectEnded, spansNamed } from '../src/otlp/trace-assertions.ts';

describe('faults: RabbitMQ stopped and started again mid-stream', () => {
  let receiver: OtlpReceiver;
  let broker: RunningRabbitMq;
  before(async () => {
    [receiver, broker] = await Promise.all([startOtlpReceiver(), startRabbitMq()]);
  });
  after(async () => {
    await Promise.all([receiver.close(), broker.stop()]);
  });

  it('the application reconnects and keeps consuming; no span is left open', async () => {
    let restarting: Promise<void> | undefined;
    let poll: NodeJS.Timeout | undefined;
    const run = await runFixture('faults-rabbitmq-restart.cjs', 'cjs', {
      receiver,
      env: { E2E_RABBITMQ_URL: broker.url },
      timeoutMs: 60_000,
      onStarted: (_pid, output) => {
        poll = setInterval(() => {
          if (output.stdout().includes('STREAMING')) {
            clearInterval(poll);
            restarting = broker.restart();
          }
        }, 20);
      },
    }).finally(() => clearInterval(poll));
    await restarting;
    assert.equal(run.code, 0, run.stderr);
    const result = run.result as {
      queue: string;
      consumed: number;
      consumedAfterReconnect: number;
      connections: number;
      problems: string[];
    };
    assert.ok(result, `no RESULT line\n${run.stdout}\n${run.stderr}`);
    assert.deepEqual(result.problems, []);
    assert.ok(result.connections >= 2, 'reconnected');
    assert.ok(result.consumedAfterReconnect >= 10);
    assert.doesNotMatch(run.stderr, /otel-mq/);

    const processes = spansNamed(receiver.spans(), `process ${result.queue}`);
    assert.equal(processes.length, result.consumed, 'one ended process span per delivery, before and after');
    for (const span of processes) expectEnded(span);
    const publishes = spansNamed(receiver.spans(), `publish ${result.queue}`);
    assert.ok(publishes.length >= result.consumed);
    for (const span of publishes) expectEnded(span);
  });
});
