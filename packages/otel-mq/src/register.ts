/**
 * Zero-code entry: `node --require @org/otel-mq/register app.js`
 * (ESM apps: `node --import @org/otel-mq/register app.mjs`, see register.mjs).
 *
 * Starting telemetry must never stop the application: any failure is printed
 * once to stderr (the diag logger may not exist yet) and the app runs untraced.
 */
import { startFromEnvironment } from './sdk';

const REGISTERED = Symbol.for('@org/otel-mq/register');
const globalState = globalThis as { [REGISTERED]?: true };

if (globalState[REGISTERED]) {
  // Loaded twice (e.g. both --require and --import): the first one is in charge.
} else {
  globalState[REGISTERED] = true;
  try {
    startFromEnvironment();
  } catch (error) {
    process.stderr.write(`otel-mq: telemetry could not start; the application runs without it: ${String(error)}\n`);
  }
}
