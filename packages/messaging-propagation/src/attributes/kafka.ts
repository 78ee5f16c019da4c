import { isUtf8 } from 'node:buffer';
import type { Attributes } from '@opentelemetry/api';
import { ATTR_KAFKA_MESSAGE_KEY, ATTR_KAFKA_MESSAGE_TOMBSTONE, ATTR_KAFKA_OFFSET } from '../semconv';
import { withLegacyNames } from '../semconv-stability';

/** Keys longer than this are not recorded: an attribute is no place for a blob. */
export const MAX_KAFKA_KEY_ATTRIBUTE_LENGTH = 256;

export interface KafkaMessageFacts {
  key?: unknown;
  /** kafkajs gives offsets as decimal strings. */
  offset?: string | number | undefined;
  /** The message value is `null`: a tombstone. */
  tombstone?: boolean | undefined;
}

export interface KafkaAttributeOptions {
  /** Record `kafka.message.key`. Keys may be personal data. */
  captureKey: boolean;
}

/**
 * The key's canonical string form, or `undefined` when it has none: semconv asks
 * not to record a key that has no unambiguous string form, so binary keys that
 * are not UTF-8 are left out.
 */
export function kafkaKeyToString(key: unknown): string | undefined {
  let text: string | undefined;
  if (typeof key === 'string') text = key;
  else if (isByteArray(key) && isUtf8(key))
    text = Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('utf8');
  if (text === undefined || text.length === 0 || text.length > MAX_KAFKA_KEY_ATTRIBUTE_LENGTH) return undefined;
  return text;
}

/** `instanceof` runs a Proxy's traps, which may throw: a key that does is no key. */
function isByteArray(value: unknown): value is Uint8Array {
  try {
    return value instanceof Uint8Array;
  } catch {
    return false;
  }
}

/** `kafka.*` attributes of one message. */
export function kafkaMessageAttributes(facts: KafkaMessageFacts, options: KafkaAttributeOptions): Attributes {
  const attributes: Attributes = {};
  if (options.captureKey) {
    const key = kafkaKeyToString(facts.key);
    if (key !== undefined) attributes[ATTR_KAFKA_MESSAGE_KEY] = key;
  }
  if (facts.offset !== undefined && facts.offset !== '') {
    const offset = Number(facts.offset);
    if (Number.isSafeInteger(offset) && offset >= 0) attributes[ATTR_KAFKA_OFFSET] = offset;
  }
  if (facts.tombstone) attributes[ATTR_KAFKA_MESSAGE_TOMBSTONE] = true;
  return withLegacyNames(attributes);
}
