// The public helper for pull consumers: a message from `channel.get` is processed
// in a CONSUMER span connected to its producer (and linked to the receive span).
import { diag, metrics, trace } from '@opentelemetry/api';
import { getMessagingMetrics } from '@org/messaging-propagation';
import type { MessagingMetrics } from '@org/messaging-propagation';
import { isMessage } from './telemetry/message';
import { traceProcess } from './telemetry/process';
import type { AmqpTelemetryDeps } from './telemetry/deps';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version';

let current: AmqpTelemetryDeps | undefined;
let fallbackMetrics: MessagingMetrics | undefined;

/**
 * The telemetry `processMessage` uses: the most recently created or enabled
 * `AmqplibInstrumentation`'s. `replacing`, when given, clears only if it is current.
 */
export function setProcessMessageDeps(deps: AmqpTelemetryDeps | undefined, replacing?: AmqpTelemetryDeps): void {
  if (replacing === undefined || current === replacing) current = deps;
}

/** Without an enabled instrumentation, the global tracer and meter with the default config. */
function fallbackDeps(): AmqpTelemetryDeps {
  return {
    tracer: () => trace.getTracer(PACKAGE_NAME, PACKAGE_VERSION),
    metrics: () => (fallbackMetrics ??= getMessagingMetrics(metrics.getMeter(PACKAGE_NAME, PACKAGE_VERSION))),
    config: () => ({}),
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
  return traceProcess(current ?? fallbackDeps(), undefined, message, undefined, 'awaited', handler);
}
