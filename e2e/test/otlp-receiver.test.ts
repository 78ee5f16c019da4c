// The OTLP receiver the other e2e tests rely on, checked against real NodeSDK
// exporters (protobuf and JSON, gzip, metrics) by its self-check script, and its
// forwarding to another endpoint.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { runFixtureOk } from '../src/fixture.ts';
import { startOtlpReceiver } from '../src/otlp/receiver.ts';

it('decodes what the real OTLP exporters send, in every encoding', () => {
  const check = spawnSync(process.execPath, [join(import.meta.dirname, '..', 'src', 'otlp', 'receiver-selfcheck.ts')], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(check.status, 0, `receiver self-check failed:\n${check.stdout}\n${check.stderr}`);
  assert.match(check.stdout, /^(\d+) passed, 0 failed$/m);
});

it('forwards what it accepts, unchanged, to another OTLP endpoint (the demo uses this for your Jaeger/Tempo)', async () => {
  const upstream = await startOtlpReceiver();
  const receiver = await startOtlpReceiver({ forwardTo: `${upstream.endpoint}/` });
  try {
    await runFixtureOk('flush-on-exit.cjs', 'cjs', { receiver, args: ['natural'] });
    const forwarded = await upstream.waitForSpans((spans) => spans.length >= 5);
    assert.deepEqual(
      forwarded.map((span) => span.name).sort(),
      receiver
        .spans()
        .map((span) => span.name)
        .sort(),
    );
    assert.deepEqual(receiver.errors(), []);
  } finally {
    await receiver.close();
    await upstream.close();
  }
});
