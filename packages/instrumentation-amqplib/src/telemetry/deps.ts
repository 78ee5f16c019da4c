// What the telemetry needs from the instrumentation, and small helpers shared by
// every operation's telemetry.
import type { PluginTelemetry } from '@org/messaging-propagation/internal';
import type { AmqplibInstrumentationConfig } from '../types';

/**
 * Read lazily: the SDK may replace the tracer or meter, and the user the config.
 * Wrappers that outlive `disable()` (consume callbacks amqplib keeps, pending
 * confirm callbacks) stop recording when `enabled()` says so.
 */
export type AmqpTelemetryDeps = PluginTelemetry<AmqplibInstrumentationConfig & AmqplibConfigDefaults>;

/** The defaults of the options the telemetry reads (the README's options table documents them). */
export interface AmqplibConfigDefaults {
  captureBodySize: boolean;
  recordSettleSpans: boolean;
}
export const AMQPLIB_CONFIG_DEFAULTS: Readonly<AmqplibConfigDefaults> = Object.freeze({
  captureBodySize: false,
  recordSettleSpans: false,
});

/** The error a span records when its channel closes before the operation finished. */
export class ChannelClosedError extends Error {
  override readonly name = 'ChannelClosedError';
  constructor() {
    super('amqplib channel closed before the operation finished');
  }
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
