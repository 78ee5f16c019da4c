// The telemetry the exported per-message APIs (processSqsMessage, processSqsRecord,
// wrapSqsHandler) use: the enabled AwsSqsInstrumentation's, so its tracer, meter
// and config apply. With none enabled (the plugin is turned off) they record
// nothing and just run the user's work.
import type { SqsTelemetryDeps } from './telemetry';

let active: SqsTelemetryDeps | undefined;

export function activate(deps: SqsTelemetryDeps): void {
  active = deps;
}

export function deactivate(deps: SqsTelemetryDeps): void {
  if (active === deps) active = undefined;
}

export function activeDeps(): SqsTelemetryDeps | undefined {
  return active;
}
