// ESM entry: `node --import @org/otel-mq/register app.mjs`.
// Registers the import-in-the-middle loader hook so modules loaded through
// `import` can be patched, then starts telemetry through the CommonJS entry.
import { createRequire, register } from 'node:module';

try {
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
} catch (error) {
  process.stderr.write(
    `otel-mq: could not install the ESM loader hook; imports will not be instrumented: ${String(error)}\n`,
  );
}
createRequire(import.meta.url)('./dist/register.js');
