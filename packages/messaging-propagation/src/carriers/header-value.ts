import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import { isUtf8 } from 'node:buffer';
import { maxLengthForField, MAX_REPEATED_VALUES } from './limits';

/**
 * Reads one propagation value out of whatever a broker client handed us.
 * Strings pass through, byte arrays are decoded only when they are valid UTF-8,
 * arrays yield their first few readable values; anything else (numbers, objects,
 * null) is no value. Values longer than the field's limit count as absent, and
 * repeated values are read only while together they stay within that limit
 * (W3C baggage: 8192 bytes across all baggage headers).
 */
export function readPropagationValue(raw: unknown, key: string): string | string[] | undefined {
  const maxLength = maxLengthForField(key);
  if (Array.isArray(raw)) {
    const values: string[] = [];
    const count = Math.min(raw.length, MAX_REPEATED_VALUES);
    let total = 0;
    for (let i = 0; i < count; i++) {
      const value = readScalar(raw[i], maxLength - total);
      if (value === undefined) continue;
      values.push(value);
      total += value.length;
    }
    if (values.length === 0) return undefined;
    return values.length === 1 ? values[0] : values;
  }
  return readScalar(raw, maxLength);
}

function readScalar(raw: unknown, maxLength: number): string | undefined {
  if (typeof raw === 'string') return raw.length <= maxLength ? raw : undefined;
  if (raw instanceof Uint8Array) {
    // A character takes at most four UTF-8 bytes: past that the text is surely too long.
    if (raw.byteLength > maxLength * 4 || !isUtf8(raw)) return undefined;
    const text = (Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)).toString(
      'utf8',
    );
    return text.length <= maxLength ? text : undefined;
  }
  return undefined;
}

/** True for a non-null object that is not an array: the only shape a header map can have. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `value[key]` when `value` is a record, else `undefined`. A record that throws
 * when read (a revoked Proxy, a throwing getter) counts as not having the key.
 */
export function readRecordField(value: unknown, key: string): unknown {
  try {
    return isRecord(value) ? value[key] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The caller's own key for `key`, matched exactly first and then case-insensitively
 * (propagation field names are case-insensitive, as in HTTP). Only own enumerable
 * properties count: `__proto__`, `constructor` and inherited keys are never read.
 */
export function findOwnKey(carrier: Record<string, unknown>, key: string): string | undefined {
  if (Object.prototype.propertyIsEnumerable.call(carrier, key)) return key;
  const lower = key.toLowerCase();
  for (const candidate of Object.keys(carrier)) {
    if (candidate.length === lower.length && candidate.toLowerCase() === lower) return candidate;
  }
  return undefined;
}

/** Own enumerable keys of a carrier, or none when it is not a record. */
export function ownKeys(carrier: unknown): string[] {
  return isRecord(carrier) ? Object.keys(carrier) : [];
}

/**
 * Writes `value` under `key` in a carrier we own (a copy), first removing any
 * other spelling of the same field, so a forwarded message never carries two
 * `traceparent`s that disagree.
 */
export function setOwnValue(carrier: Record<string, unknown>, key: string, value: unknown): void {
  const lower = key.toLowerCase();
  for (const candidate of Object.keys(carrier)) {
    if (candidate !== key && candidate.length === lower.length && candidate.toLowerCase() === lower) {
      delete carrier[candidate];
    }
  }
  // Plain assignment is several times faster; only `__proto__` needs defineProperty to stay an own key.
  if (key === '__proto__') {
    Object.defineProperty(carrier, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    carrier[key] = value;
  }
}

/**
 * A TextMap getter over a header map whose values `readField` knows how to read.
 * Lookups follow `findOwnKey`; a carrier that throws when touched (a hostile
 * Proxy, a getter property) reads as empty.
 */
export function headerMapGetter<C>(
  readField: (raw: unknown, key: string) => string | string[] | undefined,
): TextMapGetter<C> {
  return {
    keys(carrier) {
      try {
        return ownKeys(carrier);
      } catch {
        return [];
      }
    },
    get(carrier, key) {
      try {
        if (!isRecord(carrier)) return undefined;
        const ownKey = findOwnKey(carrier, key);
        return ownKey === undefined ? undefined : readField(carrier[ownKey], key);
      } catch {
        return undefined;
      }
    },
  };
}

/** A TextMap setter for a header map we own (a copy): see `setOwnValue`. */
export function headerMapSetter<C>(toValue: (value: string) => unknown): TextMapSetter<C> {
  return {
    set(carrier, key, value) {
      setOwnValue(carrier as Record<string, unknown>, key, toValue(value));
    },
  };
}
