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
        removeFields(copy);
      }
      setter.set(copy, name, fields[name] as string);
    }
  } catch (error) {
    diag.debug('otel-mq: propagator failed to inject, message sent without context', error);
  }
  return copy;
}

/** Deletes the own keys of `carrier` that name one of the global propagator's fields, in any case. */
export function removeFields(
  carrier: Record<string, unknown>,
  fields: ReadonlySet<string> = propagatorFieldSet(),
): void {
  if (fields.size === 0) return;
  for (const key of Object.keys(carrier)) {
    if (fields.has(key.toLowerCase())) delete carrier[key];
  }
}

/** The fields one propagator declares, as given and lower-cased. */
interface DeclaredFields {
  readonly fields: readonly string[];
  readonly lowerCase: ReadonlySet<string>;
}

const NO_FIELDS: DeclaredFields = { fields: [], lowerCase: new Set() };
// `propagation.fields()` allocates on every call (CompositePropagator returns a
// copy of its list), so the list is read once per installed propagator: the
// cache is keyed on the propagator object the API hands its calls to.
const declaredByPropagator = new WeakMap<object, DeclaredFields>();

interface PropagationInternals {
  // @opentelemetry/api 1.x: the method every PropagationAPI call goes through
  // (1.0 to 1.10). When a later API drops it, the fields are read per call.
  _getGlobalPropagator?: () => unknown;
}

function readDeclaredFields(): DeclaredFields {
  let fields: unknown;
  try {
    fields = propagation.fields();
  } catch (error) {
    diag.debug('otel-mq: propagator failed to list its fields', error);
    return NO_FIELDS;
  }
  if (!Array.isArray(fields)) return NO_FIELDS;
  const names = fields.filter((field): field is string => typeof field === 'string');
  return { fields: Object.freeze(names), lowerCase: new Set(names.map((field) => field.toLowerCase())) };
}

function declaredFields(): DeclaredFields {
  let propagator: unknown;
  try {
    propagator = (propagation as unknown as PropagationInternals)._getGlobalPropagator?.();
  } catch {
    propagator = undefined;
  }
  if (typeof propagator !== 'object' || propagator === null) return readDeclaredFields();
  let declared = declaredByPropagator.get(propagator);
  if (!declared) {
    declared = readDeclaredFields();
    declaredByPropagator.set(propagator, declared);
  }
  return declared;
}

/**
 * The fields the global propagator declares (`propagation.fields()`): W3C's
 * `traceparent`/`tracestate`/`baggage`, B3's, a custom propagator's. Read once
 * per installed propagator; the array is frozen and shared, never to be modified.
 */
export function propagatorFields(): readonly string[] {
  return declaredFields().fields;
}

/** The same fields lower-cased, for case-insensitive matching of carrier keys. */
export function propagatorFieldSet(): ReadonlySet<string> {
  return declaredFields().lowerCase;
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
