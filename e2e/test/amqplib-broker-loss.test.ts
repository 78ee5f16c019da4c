// The broker goes away mid-stream (its own private RabbitMQ node, stopped with
// SIGTERM as `docker stop` would, or killed with SIGKILL as a crash or an OOM
// kill would): the instrumented application keeps running,
// sees no error from our code, and every span it had open is ended and exported.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startRabbitMq } from '../src/brokers/rabbitmq.ts';
import type { RunningRabbitMq } from '../src/brokers/rabbitmq.ts';
import { runFixture } from '../src/fixture.ts';
import { startOtlpReceiver } from '../src/otlp/receiver.ts';
import type { OtlpReceiver } from '../src/otlp/receiver.ts';
import { expectEnded, spansNamed } from '../src/otlp/trace-assertions.ts';

for (const how of ['stop', 'kill'] as const) {
  describe(`amqplib when the broker goes away (${how === 'stop' ? 'SIGTERM' : 'SIGKILL'})`, () => {
    let receiver: OtlpReceiver;
    let broker: RunningRabbitMq;
    before(async () => {
      [receiver, broker] = await Promise.all([startOtlpReceiver(), startRabbitMq()]);
    });
    after(async () => {
      await Promise.all([receiver.close(), broker.stop()]);
    });

    it('the app keeps running without an unhandled error, and no span is left open', async () => {
      let stopping: Promise<void> | undefined;
      let poll: NodeJS.Timeout | undefined;
      const run = await runFixture('amqplib-broker-loss.cjs', 'cjs', {
        receiver,
        env: { E2E_RABBITMQ_URL: broker.url },
        timeoutMs: 30_000,
        onStarted: (_pid, output) => {
          poll = setInterval(() => {
            if (output.stdout().includes('STREAMING')) {
              clearInterval(poll);
              stopping = how === 'stop' ? broker.stop() : broker.kill();
            }
          }, 20);
        },
      }).finally(() => clearInterval(poll));
      await stopping;
      assert.equal(run.code, 0, run.stderr);
      const result = run.result as { queue: string; consumed: number; sent: number; problems: string[] };
      assert.ok(result, `no RESULT line\n${run.stdout}\n${run.stderr}`);
      assert.deepEqual(result.problems, []);
      assert.ok(result.consumed >= 10, `consumed ${result.consumed}`);
      assert.doesNotMatch(run.stderr, /otel-mq/);

      const processes = spansNamed(receiver.spans(), `process ${result.queue}`);
      assert.equal(processes.length, result.consumed, 'one ended process span per delivery');
      for (const span of processes) expectEnded(span);
      const publishes = spansNamed(receiver.spans(), `publish ${result.queue}`);
      assert.ok(publishes.length >= result.consumed);
      for (const span of publishes) expectEnded(span);
    });
  });
}
