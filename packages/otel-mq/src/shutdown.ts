import { diag } from '@opentelemetry/api';
import { createExitSweep, installExitSweep } from '@org/messaging-propagation/internal';
import type { SweptProcess } from '@org/messaging-propagation/internal';

/**
 * Flushes telemetry before the process goes away, so short-lived processes lose no
 * spans: `shutdown` runs (once) when the event loop runs dry and on SIGTERM/SIGINT,
 * through the process's one sweep at exit (messaging-propagation's exit-sweep.ts,
 * which the plugins install too): it first ends the spans of message handlers that
 * never settled, as errors, and re-raises a signal nobody else handles once the
 * flush is done, so the process ends exactly as it would have without us (exit
 * code included). When the application has its own listener, it decides when to exit.
 *
 * `process.exit()` called by the application cannot be waited for: spans still
 * buffered then are lost, as with any asynchronous exporter.
 */
export function installShutdownHooks(shutdown: () => Promise<void>, processRef: SweptProcess = process): void {
  let flushing: Promise<void> | undefined;
  const flushOnce = (): Promise<void> => {
    flushing ??= shutdown().catch((error: unknown) => diag.error('otel-mq: telemetry shutdown failed', error));
    return flushing;
  };
  const sweep = processRef === process ? installExitSweep() : createExitSweep(processRef);
  sweep?.addFlush(flushOnce);
}
