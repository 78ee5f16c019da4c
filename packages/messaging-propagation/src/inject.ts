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
    // The propagator writes into a scratch carrier of its own (so a propagator
    // that writes to the carrier directly, not through the setter, is caught
    // too). A forwarded message must not carry the previous hop's tracestate or
    // baggage beside the new traceparent, so when there is something to inject,
    // every propagation field the copy had is removed first; when there is
    // nothing, the message keeps its headers as given.
    const fields = propagationFields(context);
    let cleaned = false;
    for (const name of Object.keys(fields)) {
      if (!cleaned) {
        cleaned = true;
        removeFields(copy, propagation.fields());
      }
      setter.set(copy, name, fields[name] as string);
    }
  } catch (error) {
    diag.debug('otel-mq: propagator failed to inject, message sent without context', error);
  }
  return copy;
}

/** Deletes the own keys of `carrier` that name one of `fields`, in any case. */
export function removeFields(carrier: Record<string, unknown>, fields: readonly string[]): void {
  if (fields.length === 0) return;
  let names: ReadonlySet<string> | undefined;
  for (const key of Object.keys(carrier)) {
    names ??= lowerCaseNames(fields);
    if (names.has(key.toLowerCase())) delete carrier[key];
  }
}

// The global propagator names the same fields on every call (in a fresh array:
// CompositePropagator copies its list), so their lower-cased set is kept while
// the names stay the same, not built per message.
let lastFields: readonly string[] = [];
let lastNames: ReadonlySet<string> = new Set();
function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
/** The lower-cased set of `fields`, reused while the names stay the same. */
export function lowerCaseNames(fields: readonly string[]): ReadonlySet<string> {
  if (!sameNames(fields, lastFields)) {
    lastNames = new Set(fields.map((field) => field.toLowerCase()));
    lastFields = [...fields];
  }
  return lastNames;
}

// Plain assignment (an object literal stays a fast object); only `__proto__`
// needs defineProperty to stay an own key.
const SCRATCH_SETTER: TextMapSetter<Record<string, string>> = {
  set(carrier, key, value) {
    if (key === '__proto__') {
      Object.defineProperty(carrier, key, { value, enumerable: true, writable: true, configurable: true });
    } else {
      carrier[key] = value;
    }
  },
};

/** The propagation fields of `context` as a plain string map, as the global propagator writes them. */
export function propagationFields(context: Context): Record<string, string> {
  const fields: Record<string, string> = {};
  try {
    propagation.inject(context, fields, SCRATCH_SETTER);
  } catch (error) {
    diag.debug('otel-mq: propagator failed to inject', error);
  }
  return fields;
}
