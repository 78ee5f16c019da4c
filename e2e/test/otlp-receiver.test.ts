// The OTLP receiver the other e2e tests rely on, checked against real NodeSDK
// exporters (protobuf and JSON, gzip, metrics) by its self-check script.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';

it('decodes what the real OTLP exporters send, in every encoding', () => {
  const check = spawnSync(process.execPath, [join(import.meta.dirname, '..', 'src', 'otlp', 'receiver-selfcheck.ts')], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(check.status, 0, `receiver self-check failed:\n${check.stdout}\n${check.stderr}`);
  assert.match(check.stdout, /^(\d+) passed, 0 failed$/m);
});
