// What every plugin's telemetry reads from its instrumentation, and the one
// mechanism by which wrappers left on the application's objects respect
// `disable()`.
import type { DiagLogger, Tracer } from '@opentelemetry/api';
import type { MessagingMetrics } from './metrics';

/** Read lazily, on each use: the SDK may replace the tracer or meter, and the user the config. */
export interface PluginTelemetry<Config> {
  tracer(): Tracer;
  metrics(): MessagingMetrics;
  config(): Config;
  /** Whether the instrumentation is enabled now (`InstrumentationBase#isEnabled`). */
  enabled(): boolean;
  diag: DiagLogger;
}

/**
 * `instrumented` while the plugin is enabled, `original` otherwise: each call goes
 * to one of them with the caller's own `this` and arguments, and returns its
 * result unchanged. For every wrapper installed on an object the application
 * holds (a producer, a consumer, a channel, a client) or on a callback handed to
 * the library (a consumer's handler): `disable()` unwraps the prototypes, but
 * such wrappers outlive it, and must then stop recording.
 */
export function whileEnabled<This, Args extends unknown[], Result>(
  plugin: Pick<PluginTelemetry<unknown>, 'enabled'>,
  original: (this: This, ...args: Args) => Result,
  instrumented: (this: This, ...args: Args) => Result,
): (this: This, ...args: Args) => Result {
  return function (this: This, ...args: Args): Result {
    return plugin.enabled() ? instrumented.apply(this, args) : original.apply(this, args);
  };
}
