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
 * map (a string, an array) or cannot be copied (a Proxy that throws) is returned
 * as it is, uninjected: it is the broker client's business to reject it, not
 * ours to alter it.
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
  let copy: Record<string, unknown>;
  try {
    if (headers !== undefined && headers !== null && !isRecord(headers)) return headers;
    copy = headers ? { ...headers } : {};
  } catch (error) {
    // A Proxy or getter that throws when copied: leave the caller's object to the client, as it is.
    diag.debug('otel-mq: headers could not be copied, message sent without context', error);
    return headers;
  }
  try {
    const fields = propagationFields(context);
    const names = Object.keys(fields);
    if (names.length > 0) {
      // A forwarded message must not carry the previous hop's tracestate or baggage
      // beside the new traceparent: every propagation field it had is replaced.
      removeFields(copy, propagation.fields());
      for (const name of names) setter.set(copy, name, fields[name] as string);
    }
  } catch (error) {
    diag.debug('otel-mq: propagator failed to inject, message sent without context', error);
  }
  return copy;
}

/** Deletes the own keys of `carrier` that name one of `fields`, in any case. */
export function removeFields(carrier: Record<string, unknown>, fields: readonly string[]): void {
  if (fields.length === 0) return;
  const names = new Set(fields.map((field) => field.toLowerCase()));
  for (const key of Object.keys(carrier)) {
    if (names.has(key.toLowerCase())) delete carrier[key];
  }
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
