// Ends the spans still open when the process is about to end, and flushes them,
// however the plugins were loaded (the register entry, or an application's own
// NodeSDK listing them). Installed once per process, from the plugins' enable():
// - `beforeExit` (the event loop ran dry): open spans are ended as errors, then
//   flushed: by the flushes added (the register entry adds its SDK's shutdown),
//   else, when spans were ended, by a forceFlush of the global tracer provider;
// - SIGTERM and SIGINT: when no other listener handles the signal, open spans are
//   ended and flushed likewise, then the signal is re-raised, so the process ends
//   exactly as it would have without us (exit code included). When the
//   application has its own listener, it decides when to exit, and its handlers
//   may still settle: the spans are left to them (the added flushes still run).
// `process.exit()` called by the application cannot be waited for: spans still
// buffered then are lost, as with any asynchronous exporter, so 'exit' is not
// listened to.
import { diag, trace } from '@opentelemetry/api';
import { endOpenSpans } from './open-spans';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** The process's sweep at exit. */
export interface ExitSweep {
  /** Runs `flush` (never rejecting) whenever the sweep flushes: at `beforeExit` and on SIGTERM/SIGINT. */
  addFlush(flush: () => Promise<void>): void;
}

/** The process-like object the sweep listens to (a fake one in tests). */
export type SweptProcess = Pick<NodeJS.Process, 'on' | 'removeListener' | 'listenerCount' | 'kill' | 'pid'>;

function endUnsettled(): number {
  const ended = endOpenSpans();
  if (ended > 0) diag.warn(`otel-mq: ${ended} message operation(s) never finished; their spans end as errors`);
  return ended;
}

/** The global tracer provider's forceFlush, when it has one (the SDK's does). Never rejects. */
function forceFlushGlobalTracerProvider(): Promise<void> {
  try {
    const provider = trace.getTracerProvider() as { getDelegate?: () => unknown };
    const delegate = (provider.getDelegate?.() ?? provider) as { forceFlush?: () => Promise<void> };
    if (typeof delegate.forceFlush !== 'function') return Promise.resolve();
    return Promise.resolve(delegate.forceFlush()).catch((error: unknown) =>
      diag.error('otel-mq: flushing the spans ended at exit failed', error),
    );
  } catch (error) {
    diag.error('otel-mq: flushing the spans ended at exit failed', error);
    return Promise.resolve();
  }
}

/** Installs a sweep on `processRef`. Use `installExitSweep()` for the real process: it installs one per process. */
export function createExitSweep(processRef: SweptProcess): ExitSweep {
  const flushes = new Set<() => Promise<void>>();
  const flush = (ended: number): Promise<void> => {
    if (flushes.size === 0) return ended > 0 ? forceFlushGlobalTracerProvider() : Promise.resolve();
    return Promise.allSettled([...flushes].map((run) => run())).then(() => undefined);
  };

  processRef.on('beforeExit', () => {
    try {
      void flush(endUnsettled());
    } catch (error) {
      diag.error('otel-mq: ending the open spans at exit failed', error);
    }
  });

  for (const signal of SIGNALS) {
    const onSignal = () => {
      const appHandlesIt = processRef.listenerCount(signal) > 1;
      processRef.removeListener(signal, onSignal);
      let flushed: Promise<void> = Promise.resolve();
      try {
        flushed = flush(appHandlesIt ? 0 : endUnsettled());
      } catch (error) {
        diag.error('otel-mq: ending the open spans at exit failed', error);
      }
      void flushed.finally(() => {
        if (!appHandlesIt && processRef.listenerCount(signal) === 0) processRef.kill(processRef.pid, signal);
      });
    };
    processRef.on(signal, onSignal);
  }
  return { addFlush: (run) => void flushes.add(run) };
}

/** Shared through the global symbol registry: every copy of every plugin and the register entry use one sweep. */
const SWEEP_KEY = Symbol.for('otel-mq.exit-sweep');
const globalSlot = globalThis as { [SWEEP_KEY]?: ExitSweep };

/** The process's one sweep at exit, installed on first call. Idempotent; never throws. */
export function installExitSweep(): ExitSweep | undefined {
  try {
    return (globalSlot[SWEEP_KEY] ??= createExitSweep(process));
  } catch (error) {
    diag.error('otel-mq: could not install the sweep of open spans at exit', error);
    return undefined;
  }
}
