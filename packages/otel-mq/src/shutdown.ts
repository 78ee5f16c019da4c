import { diag } from '@opentelemetry/api';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Flushes telemetry before the process goes away, so short-lived processes lose no spans:
 * - on `beforeExit` (the event loop ran dry), once;
 * - on SIGTERM and SIGINT: flush, then, when no other listener handles the signal,
 *   re-raise it so the process ends exactly as it would have without us (exit code
 *   included). When the application has its own listener, it decides when to exit.
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

  processRef.once('beforeExit', () => {
    void flushOnce();
  });

  for (const signal of SIGNALS) {
    const onSignal = () => {
      const appHandlesIt = processRef.listenerCount(signal) > 1;
      processRef.removeListener(signal, onSignal);
      void flushOnce().finally(() => {
        if (!appHandlesIt && processRef.listenerCount(signal) === 0) processRef.kill(processRef.pid, signal);
      });
    };
    processRef.on(signal, onSignal);
  }
}
