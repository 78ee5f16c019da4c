// librdkafka-style message headers, as node-rdkafka and Confluent's native API
// (`Producer#produce`, `KafkaConsumer` messages) use them: an array of
// single-key objects, `[{ traceparent: Buffer }, { 'x-id': 'a' }]`, where a key
// may repeat.
import type { Context } from '@opentelemetry/api';
import { diag } from '@opentelemetry/api';
import { propagationFields, propagatorFieldSet } from '../inject';
import { MAX_REPEATED_VALUES } from './limits';
import type { KafkaHeaders, KafkaHeaderValue } from './kafka-headers';

export type KafkaHeaderList = Array<Record<string, Buffer | string>>;

/** Headers beyond this many entries are not read for context: a carrier is no place for unbounded work. */
const MAX_HEADER_ENTRIES = 256;

/**
 * The header list as a kafkajs-style header map (repeated keys become arrays),
 * for `kafkaHeadersGetter`; anything that is not a list of objects gives an empty map. Never throws.
 */
export function kafkaHeaderListToMap(headers: unknown): KafkaHeaders {
  const map: KafkaHeaders = Object.create(null) as KafkaHeaders;
  try {
    if (!Array.isArray(headers)) return map;
    const entries = headers.length > MAX_HEADER_ENTRIES ? headers.slice(0, MAX_HEADER_ENTRIES) : headers;
    for (const entry of entries as unknown[]) {
      if (!entry || typeof entry !== 'object' || Array.isArray(entry)) continue;
      for (const key of Object.keys(entry)) {
        const value = (entry as Record<string, unknown>)[key];
        if (typeof value !== 'string' && !Buffer.isBuffer(value)) continue;
        const existing = map[key];
        if (existing === undefined) map[key] = value;
        else if (Array.isArray(existing)) {
          if (existing.length < MAX_REPEATED_VALUES) existing.push(value);
        } else map[key] = [existing, value] as KafkaHeaderValue;
      }
    }
  } catch {
    // A Proxy or getter that throws: no more headers from it.
  }
  return map;
}

/**
 * A new header list: the caller's entries, less those naming a propagation field
 * (in any case, when there is a context to write), plus one entry per field of
 * `context`. The caller's array and entries are never touched; a value that is
 * not an array (or absent) gives a fresh list, and a list that cannot be read
 * is returned as it is, uninjected.
 */
export function injectIntoHeaderListCopy(context: Context, headers: unknown): unknown {
  if (headers !== undefined && headers !== null && !Array.isArray(headers)) return headers;
  try {
    const fields = propagationFields(context);
    const names = Object.keys(fields);
    const kept = (headers as unknown[] | null | undefined) ?? [];
    if (names.length === 0) return headers ? [...kept] : [];
    const propagated = propagatorFieldSet();
    const copy: unknown[] = kept.filter(
      (entry) =>
        !entry || typeof entry !== 'object' || !Object.keys(entry).some((key) => propagated.has(key.toLowerCase())),
    );
    for (const name of names) copy.push({ [name]: fields[name] });
    return copy;
  } catch (error) {
    diag.debug('otel-mq: headers could not be copied, message sent without context', error);
    return headers;
  }
}
