// Flushing telemetry before a wrapped Lambda handler returns (Lambda freezes the
// process right after), within a deadline: a flush that outlives the function's
// timeout fails the invocation, and Lambda redelivers a batch that was processed.
import { metrics, trace } from '@opentelemetry/api';
import type { DiagLogger } from '@opentelemetry/api';
import { isObject } from '../telemetry';
import type { SqsHandlerWrapperOptions } from './types';

/** Time before the Lambda timeout that flushing leaves for the wrapper's answer to reach the runtime. */
export const FLUSH_MARGIN_MS = 500;

/** How long flushing may take when the Lambda context has no `getRemainingTimeInMillis()`. */
export const FLUSH_CAP_MS = 2_000;

interface Flushable {
  forceFlush?: () => Promise<unknown>;
  getDelegate?: () => unknown;
}

async function flushGlobalProviders(): Promise<void> {
  const providers: unknown[] = [trace.getTracerProvider(), metrics.getMeterProvider()];
  await Promise.all(
    providers.map(async (provider) => {
      const candidate = provider as Flushable | undefined;
      const target = (typeof candidate?.getDelegate === 'function' ? candidate.getDelegate() : candidate) as Flushable;
      if (typeof target?.forceFlush === 'function') await target.forceFlush();
    }),
  );
}

/** How long flushing may take: up to `FLUSH_MARGIN_MS` before the Lambda timeout, else `FLUSH_CAP_MS`. */
export function flushBudgetMs(lambdaContext: unknown): number {
  try {
    const remaining = isObject(lambdaContext) ? lambdaContext['getRemainingTimeInMillis'] : undefined;
    const left: unknown = typeof remaining === 'function' ? remaining.call(lambdaContext) : undefined;
    if (typeof left === 'number' && Number.isFinite(left)) return Math.max(0, left - FLUSH_MARGIN_MS);
  } catch {
    // An odd Lambda context: fall back to the cap.
  }
  return FLUSH_CAP_MS;
}

/** Runs the `flush` option (by default the global providers' `forceFlush()`), giving up after the budget. Never throws. */
export async function flushWithDeadline(
  diag: DiagLogger,
  option: SqsHandlerWrapperOptions['flush'],
  lambdaContext: unknown,
): Promise<void> {
  if (option === false) return;
  const budget = flushBudgetMs(lambdaContext);
  if (budget <= 0) {
    diag.warn('otel-mq: no time left before the Lambda timeout to flush telemetry; returning without flushing');
    return;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'deadline'>((resolve) => {
    timer = setTimeout(resolve, budget, 'deadline');
    // Never the reason the process stays up.
    timer.unref?.();
  });
  const flushed = new Promise<unknown>((resolve) =>
    resolve(typeof option === 'function' ? option() : flushGlobalProviders()),
  ).then(
    () => 'flushed' as const,
    (error: unknown) => {
      diag.warn('otel-mq: flushing telemetry before the Lambda handler returned failed', error);
      return 'failed' as const;
    },
  );
  try {
    if ((await Promise.race([flushed, deadline])) === 'deadline') {
      diag.warn(`otel-mq: flushing telemetry took over ${budget} ms; returning before the Lambda timeout without it`);
    }
  } finally {
    clearTimeout(timer);
  }
}
