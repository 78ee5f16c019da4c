import { headerMapGetter, headerMapSetter, isRecord, readPropagationValue } from './header-value';

/**
 * AMQP 0-9-1 header table as amqplib exposes it: strings, Buffers, numbers,
 * booleans, nested tables, arrays, and on publish the typed form `{ '!': type, value }`.
 */
export type AmqpHeaders = Record<string, unknown>;

function unwrapTyped(value: unknown): unknown {
  // amqplib accepts `{ '!': 'longstr', value: ... }` to force a field type when encoding.
  if (isRecord(value) && typeof value['!'] === 'string' && 'value' in value) return value['value'];
  return value;
}

/** Reads propagation fields from amqplib message properties' `headers`. */
export const amqpHeadersGetter = headerMapGetter<AmqpHeaders | undefined>((raw, key) =>
  readPropagationValue(Array.isArray(raw) ? raw.map(unwrapTyped) : unwrapTyped(raw), key),
);

/** Writes propagation fields as string headers. Use only on a copy: see `injectIntoCopy`. */
export const amqpHeadersSetter = headerMapSetter<AmqpHeaders>((value) => value);
