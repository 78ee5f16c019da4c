// What the telemetry needs from the instrumentation, and small helpers shared by
// every operation's telemetry.
import type { DiagLogger, Tracer } from '@opentelemetry/api';
import type { MessagingMetrics } from '@org/messaging-propagation';
import type { AmqplibInstrumentationConfig } from '../types';

/** Read lazily: the SDK may replace the tracer or meter, and the user the config. */
export interface AmqpTelemetryDeps {
  tracer(): Tracer;
  metrics(): MessagingMetrics;
  config(): AmqplibInstrumentationConfig;
  /**
   * Whether the instrumentation is enabled now. Wrappers that outlive `disable()`
   * (consume callbacks amqplib keeps, pending confirm callbacks) stop recording
   * when it is not. Absent: always enabled.
   */
  enabled?(): boolean;
  diag: DiagLogger;
}

/** Whether `deps`' instrumentation is enabled (see `AmqpTelemetryDeps.enabled`). */
export function isEnabled(deps: AmqpTelemetryDeps): boolean {
  return deps.enabled?.() ?? true;
}

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
