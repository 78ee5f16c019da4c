import { diag } from '@opentelemetry/api';
import { endOpenSpans } from '@org/messaging-propagation';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Flushes telemetry before the process goes away, so short-lived processes lose no spans:
 * - on `beforeExit` (the event loop ran dry), once;
 * - on SIGTERM and SIGINT: flush, then, when no other listener handles the signal,
 *   re-raise it so the process ends exactly as it would have without us (exit code
 *   included). When the application has its own listener, it decides when to exit.
 *
 * Before the process goes away (beforeExit, or a signal we re-raise), process spans
 * whose handler never settled are ended as errors, so they are exported too; when
 * the application handles the signal itself, its handlers may still settle, and
 * those spans are left to them.
 *
 * `process.exit()` called by the application cannot be waited for: spans still
 * buffered then are lost, as with any asynchronous exporter.
 */
export function installShutdownHooks(shutdown: () => Promise<void>, processRef: NodeJS.Process = process): void {
  let flushing: Promise<void> | undefined;
  const flushOnce = (): Promise<void> => {
    flushing ??= shutdown().catch((error: unknown) => diag.error('otel-mq: telemetry shutdown failed', error));
    return flushing;
  };

  const endUnsettled = () => {
    const ended = endOpenSpans();
    if (ended > 0) diag.warn(`otel-mq: ${ended} message handler(s) never settled; their spans end as errors`);
  };

  processRef.once('beforeExit', () => {
    endUnsettled();
    void flushOnce();
  });

  for (const signal of SIGNALS) {
    const onSignal = () => {
      const appHandlesIt = processRef.listenerCount(signal) > 1;
      processRef.removeListener(signal, onSignal);
      if (!appHandlesIt) endUnsettled();
      void flushOnce().finally(() => {
        if (!appHandlesIt && processRef.listenerCount(signal) === 0) processRef.kill(processRef.pid, signal);
      });
    };
    processRef.on(signal, onSignal);
  }
}
