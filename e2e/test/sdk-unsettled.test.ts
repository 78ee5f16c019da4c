// Spans of handlers that never settle reach the backend as errors when the
// application lists the plugins in its own NodeSDK, without the register entry:
// the plugins' sweep at exit ends them and flushes the global tracer provider,
// when the event loop runs dry and on a SIGTERM it then re-raises.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brokersFromEnv } from '../src/environment.ts';
import { runFixture } from '../src/fixture.ts';
import { startOtlpReceiver } from '../src/otlp/receiver.ts';
import type { OtlpReceiver } from '../src/otlp/receiver.ts';
import { expectEnded, renderTree, spansNamed } from '../src/otlp/trace-assertions.ts';

describe('never-settling handlers with the application’s own NodeSDK', () => {
  const brokers = brokersFromEnv();
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  const expectUnsettledAtExit = (destination: string) => {
    const spans = receiver.spans();
    const processes = spansNamed(spans, `process ${destination}`);
    assert.equal(processes.length, 1, `one process span\n${renderTree(spans)}`);
    const [span] = processes as [(typeof processes)[number]];
    expectEnded(span);
    assert.equal(span.status.code, 'ERROR');
    assert.equal(span.attributes['error.type'], 'HandlerUnsettledAtExitError');
  };

  it('sqs: the event loop runs dry, the span is ended and exported, the process exits with 0', async () => {
    receiver.clear();
    const run = await runFixture('sdk-unsettled.cjs', 'cjs', {
      receiver,
      register: false,
      args: ['sqs'],
      env: { OTEL_BSP_SCHEDULE_DELAY: '600000' },
      timeoutMs: 30_000,
    });
    assert.equal(run.code, 0, run.stderr);
    expectUnsettledAtExit((run.result as { destination: string }).destination);
  });

  it('kafka: SIGTERM ends and exports the span, and the process still ends by the signal', async () => {
    receiver.clear();
    let signalled = false;
    const run = await runFixture('sdk-unsettled.cjs', 'cjs', {
      receiver,
      register: false,
      args: ['kafka'],
      env: {
        OTEL_BSP_SCHEDULE_DELAY: '600000',
        E2E_KAFKA_BROKERS: brokers.kafkaBrokers,
        E2E_KAFKA_TOPIC: 'e2e-unsettled',
      },
      timeoutMs: 30_000,
      onStarted: (pid, output) => {
        const poll = setInterval(() => {
          if (!signalled && output.stdout().includes('READY')) {
            signalled = true;
            clearInterval(poll);
            process.kill(pid, 'SIGTERM');
          }
        }, 20);
      },
    });
    assert.equal(run.signal, 'SIGTERM', `ended by SIGTERM, got code ${run.code}\n${run.stderr}`);
    expectUnsettledAtExit((run.result as { destination: string }).destination);
  });
});
