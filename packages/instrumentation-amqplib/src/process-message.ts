// The public helper for pull consumers: a message from `channel.get` is processed
// in a CONSUMER span connected to its producer (and linked to the receive span).
import { diag, metrics, trace } from '@opentelemetry/api';
import { getMessagingMetrics } from '@org/messaging-propagation/internal';
import { isMessage } from './telemetry/message';
import { traceProcess } from './telemetry/process';
import { AMQPLIB_CONFIG_DEFAULTS } from './telemetry/deps';
import type { AmqpTelemetryDeps } from './telemetry/deps';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version';

/**
 * The enabled AmqplibInstrumentations, in the order they were enabled: the first
 * is the one whose wrappers are installed (later ones see them and stay out), so
 * `processMessage` uses its tracer, meter and config, and disabling a later one
 * changes nothing. Shared through the global symbol registry, so that copies of
 * this package agree.
 */
const ENABLED_KEY = Symbol.for('otel-mq.amqplib.enabled-instrumentations');
const globalSlot = globalThis as { [ENABLED_KEY]?: AmqpTelemetryDeps[] };
const enabled = (globalSlot[ENABLED_KEY] ??= []);

export function activateProcessMessageDeps(deps: AmqpTelemetryDeps): void {
  if (!enabled.includes(deps)) enabled.push(deps);
}

export function deactivateProcessMessageDeps(deps: AmqpTelemetryDeps): void {
  const index = enabled.indexOf(deps);
  if (index >= 0) enabled.splice(index, 1);
}

/**
 * Without an enabled instrumentation, the global tracer and meter with the
 * default config. The meter is looked up on every use, never kept: one taken
 * before the SDK registers its MeterProvider is a no-op for good.
 * (`getMessagingMetrics` caches the instruments per meter.)
 */
function fallbackDeps(): AmqpTelemetryDeps {
  return {
    tracer: () => trace.getTracer(PACKAGE_NAME, PACKAGE_VERSION),
    metrics: () => getMessagingMetrics(metrics.getMeter(PACKAGE_NAME, PACKAGE_VERSION)),
    config: () => AMQPLIB_CONFIG_DEFAULTS,
    // Only processMessage uses these, and it records whether or not a plugin is enabled.
    enabled: () => true,
    diag,
  };
}

/**
 * Processes a message obtained with `channel.get` in a CONSUMER `process` span,
 * parented per the consumer context policy (the producer's publish span by
 * default, plus a link to it) and linked to the `receive` span of the get. The
 * handler runs in the span's context, so its own spans and any `ack` inside it
 * are children. Returns what the handler returns; a promise is returned as one
 * that settles like it, the span ending when it does.
 *
 * ```ts
 * const message = await channel.get('jobs');
 * if (message) await processMessage(message, async () => { await work(message); channel.ack(message); });
 * ```
 *
 * Anything that is not an amqplib message is handed to `handler` untraced.
 */
export function processMessage<T>(message: unknown, handler: () => T): T {
  if (!isMessage(message)) return handler();
  return traceProcess(enabled[0] ?? fallbackDeps(), undefined, message, undefined, 'awaited', handler);
}
