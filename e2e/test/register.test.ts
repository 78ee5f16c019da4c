// The register entry in real processes: spans of short-lived processes are not
// lost, a signalled process ends as it would without us, loading the entry twice
// registers once, and a broken telemetry setup never stops the application.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runFixture, runFixtureOk } from '../src/fixture.ts';
import type { ModuleSystem } from '../src/fixture.ts';
import { startOtlpReceiver } from '../src/otlp/receiver.ts';
import type { OtlpReceiver } from '../src/otlp/receiver.ts';
import { countByName } from '../src/otlp/trace-assertions.ts';

const SHORT_LIVED = ['short-lived 0', 'short-lived 1', 'short-lived 2', 'short-lived 3', 'short-lived 4'];

describe('register', () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  for (const system of ['cjs', 'esm'] as ModuleSystem[]) {
    it(`delivers the spans of a process that exits right after making them (${system})`, async () => {
      receiver.clear();
      // A long batch delay: only the flush on exit can deliver these in time.
      await runFixtureOk('flush-on-exit.cjs', system, {
        receiver,
        args: ['natural'],
        env: { OTEL_BSP_SCHEDULE_DELAY: '60000' },
      });
      assert.deepEqual(Object.keys(countByName(receiver.spans())).sort(), SHORT_LIVED);
    });
  }

  it('flushes on SIGTERM, then ends the process by that signal as Node would', async () => {
    receiver.clear();
    let signalled = false;
    const run = await runFixture('flush-on-exit.cjs', 'cjs', {
      receiver,
      args: ['sigterm'],
      env: { OTEL_BSP_SCHEDULE_DELAY: '60000' },
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
    assert.equal(run.signal, 'SIGTERM', `expected death by SIGTERM, got code ${run.code}\n${run.stderr}`);
    assert.deepEqual(Object.keys(countByName(receiver.spans())).sort(), SHORT_LIVED);
  });

  it('registers once when loaded both with --require and --import', async () => {
    receiver.clear();
    await runFixtureOk('flush-on-exit.cjs', 'cjs', {
      receiver,
      args: ['natural'],
      env: { NODE_OPTIONS: '--import @org/otel-mq/register' },
    });
    assert.deepEqual(Object.values(countByName(receiver.spans())), [1, 1, 1, 1, 1]);
  });

  it('keeps the application running when telemetry cannot start or export', async () => {
    receiver.clear();
    const run = await runFixtureOk('roundtrip-free.cjs', 'cjs', {
      receiver,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
        OTEL_EXPORTER_OTLP_TIMEOUT: '1000',
        OTEL_TRACES_SAMPLER: 'not-a-sampler',
        OTEL_PROPAGATORS: 'not-a-propagator',
      },
    });
    assert.deepEqual(run.result, { answer: 42 });
  });

  it('does nothing when OTEL_SDK_DISABLED=true, and the application still runs', async () => {
    receiver.clear();
    await runFixtureOk('flush-on-exit.cjs', 'esm', { receiver, args: ['natural'], env: { OTEL_SDK_DISABLED: 'true' } });
    assert.deepEqual(receiver.spans(), []);
  });
});
