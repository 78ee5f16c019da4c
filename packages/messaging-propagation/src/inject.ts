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
    // Injected straight into the copy. A forwarded message must not carry the
    // previous hop's tracestate or baggage beside the new traceparent, so on the
    // first field written every propagation field the copy had is removed; when
    // the context has nothing to inject, the message keeps its headers as given.
    let cleaned = false;
    propagation.inject(context, copy, {
      set(carrier, name, value) {
        if (!cleaned) {
          cleaned = true;
          removeFields(carrier, propagation.fields());
        }
        setter.set(carrier, name, value);
      },
    });
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

/** The propagation fields of `context` as a plain string map, as the global propagator writes them. */
export function propagationFields(context: Context): Record<string, string> {
  // No prototype: a field named `__proto__` is then an own key like any other.
  const fields = Object.create(null) as Record<string, string>;
  try {
    propagation.inject(context, fields, {
      set(carrier, key, value) {
        carrier[key] = value;
      },
    });
  } catch (error) {
    diag.debug('otel-mq: propagator failed to inject', error);
  }
  return fields;
}
