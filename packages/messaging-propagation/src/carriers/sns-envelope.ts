import { headerMapGetter, isRecord, readPropagationValue } from './header-value';

/** A message attribute inside an SNS notification (`{ Type, Value }`, base64 `Value` for Binary). */
export interface SnsMessageAttributeValue {
  Type?: string | undefined;
  Value?: string | undefined;
}
export type SnsMessageAttributes = Record<string, SnsMessageAttributeValue | undefined>;

/** SQS's largest message body (1 MiB); a longer "envelope" is not one and is never parsed. */
export const MAX_SNS_ENVELOPE_LENGTH = 1_048_576;

/** Reads propagation fields from the `MessageAttributes` of an SNS notification envelope. */
export const snsMessageAttributesGetter = headerMapGetter<SnsMessageAttributes | undefined>((attribute, key) => {
  if (!isRecord(attribute)) return undefined;
  const type = attribute['Type'];
  if (type === 'String' || (typeof type === 'string' && type.startsWith('String.'))) {
    return readPropagationValue(attribute['Value'], key);
  }
  if (type === 'Binary' && typeof attribute['Value'] === 'string') {
    return readPropagationValue(Buffer.from(attribute['Value'], 'base64'), key);
  }
  return undefined;
});

/**
 * The `MessageAttributes` of an SNS notification delivered to SQS with raw
 * message delivery off: the SQS body is then a JSON envelope
 * (`{ "Type": "Notification", "TopicArn": …, "MessageAttributes": { name: { Type, Value } } }`).
 * Anything else (not a string, too long, not JSON, not a notification) yields
 * `undefined`; a cheap text check runs before any parsing.
 */
export function snsEnvelopeMessageAttributes(body: unknown): SnsMessageAttributes | undefined {
  if (typeof body !== 'string' || body.length > MAX_SNS_ENVELOPE_LENGTH) return undefined;
  if (!body.trimStart().startsWith('{') || !body.includes('"Notification"') || !body.includes('"TopicArn"')) {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || parsed['Type'] !== 'Notification' || typeof parsed['TopicArn'] !== 'string')
    return undefined;
  const attributes = parsed['MessageAttributes'];
  return isRecord(attributes) ? (attributes as SnsMessageAttributes) : undefined;
}
