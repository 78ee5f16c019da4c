// Which instrumentation the per-message APIs use when there are several.
import { diag } from '@opentelemetry/api';
import { activate, activeDeps, deactivate } from './active';
import { AWS_SQS_CONFIG_DEFAULTS } from './telemetry';
import type { SqsTelemetryDeps } from './telemetry';

function deps(): SqsTelemetryDeps {
  return { tracer: jest.fn(), metrics: jest.fn(), config: () => AWS_SQS_CONFIG_DEFAULTS, enabled: () => true, diag };
}

describe('activeDeps', () => {
  it('is the first enabled instrumentation: disabling a later one changes nothing', () => {
    while (activeDeps()) deactivate(activeDeps()!);
    const [first, second] = [deps(), deps()];
    activate(first);
    activate(second);
    activate(first);
    expect(activeDeps()).toBe(first);
    deactivate(second);
    expect(activeDeps()).toBe(first);
    deactivate(first);
    expect(activeDeps()).toBeUndefined();
  });
});
