import type { DiagLogger } from '@opentelemetry/api';

/**
 * Runs our own code inside a wrapper: an error is logged through the diag logger
 * and `undefined` returned, so the host application never sees it.
 */
export function safeExecute<T>(logger: DiagLogger, what: string, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (error) {
    logger.error(`otel-mq: ${what} failed; carrying on uninstrumented`, error);
    return undefined;
  }
}

/**
 * Runs a user hook (e.g. a span customisation hook). A hook that throws, or
 * returns a promise that rejects, is logged and otherwise ignored.
 */
export function runUserHook<A extends unknown[]>(
  logger: DiagLogger,
  hookName: string,
  hook: ((...args: A) => unknown) | undefined,
  ...args: A
): void {
  if (typeof hook !== 'function') return;
  try {
    const result: unknown = hook(...args);
    if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
      (result as PromiseLike<unknown>).then(undefined, (error: unknown) => {
        logger.error(`otel-mq: ${hookName} rejected`, error);
      });
    }
  } catch (error) {
    logger.error(`otel-mq: ${hookName} threw`, error);
  }
}
