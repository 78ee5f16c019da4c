import { diag, propagation } from '@opentelemetry/api';
import type { Context, TextMapSetter } from '@opentelemetry/api';
import { isRecord } from './carriers/header-value';

/**
 * Copy-on-write injection: returns a shallow copy of `headers` with the
 * propagation fields of `context` written into it by the global propagator.
 * The caller's object is never touched, so a message object can be retried or
 * reused by the application exactly as it wrote it.
 *
 * `headers` that are absent yield a fresh object; a value that is not a header
 * map (a string, an array) is returned as it is, uninjected: it is the broker
 * client's business to reject it, not ours to alter it.
 */
export function injectIntoCopy<T extends object>(
  context: Context,
  headers: T | null | undefined,
  setter: TextMapSetter<T>,
): T;
export function injectIntoCopy(
  context: Context,
  headers: unknown,
  setter: TextMapSetter<Record<string, unknown>>,
): unknown {
  if (headers !== undefined && headers !== null && !isRecord(headers)) return headers;
  const copy: Record<string, unknown> = headers ? { ...headers } : {};
  try {
    propagation.inject(context, copy, setter);
  } catch (error) {
    diag.debug('otel-mq: propagator failed to inject, message sent without context', error);
  }
  return copy;
}

/** The propagation fields of `context` as a plain string map, as the global propagator writes them. */
export function propagationFields(context: Context): Record<string, string> {
  const fields: Record<string, string> = {};
  try {
    propagation.inject(context, fields, {
      set(carrier, key, value) {
        Object.defineProperty(carrier, key, { value, enumerable: true, writable: true, configurable: true });
      },
    });
  } catch (error) {
    diag.debug('otel-mq: propagator failed to inject', error);
  }
  return fields;
}
