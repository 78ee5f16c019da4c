// The telemetry the exported per-message APIs (processSqsMessage, processSqsRecord,
// wrapSqsHandler) use. Several AwsSqsInstrumentation instances may exist (the
// register entry's and an application's own NodeSDK's, possibly from two copies
// of this package): the first one enabled is the one whose wrapper is installed
// (later ones see it and stay out), so its tracer, meter and config apply, and
// disabling a later one changes nothing. With none enabled they record nothing
// and just run the user's work.
import type { SqsTelemetryDeps } from './telemetry';

/** Shared through the global symbol registry, so that copies of this package agree. */
const ACTIVE_KEY = Symbol.for('otel-mq.aws-sqs.active-instrumentations');
const globalSlot = globalThis as { [ACTIVE_KEY]?: SqsTelemetryDeps[] };
const active = (globalSlot[ACTIVE_KEY] ??= []);

export function activate(deps: SqsTelemetryDeps): void {
  if (!active.includes(deps)) active.push(deps);
}

export function deactivate(deps: SqsTelemetryDeps): void {
  const index = active.indexOf(deps);
  if (index >= 0) active.splice(index, 1);
}

export function activeDeps(): SqsTelemetryDeps | undefined {
  return active[0];
}
