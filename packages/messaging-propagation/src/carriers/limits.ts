/**
 * Size limits applied to every incoming propagation value, whatever the carrier.
 * Incoming headers are hostile input: a value past its limit is treated as absent.
 */

/** W3C trace-context: `tracestate` implementations must propagate at least 512 characters; we accept no more. */
export const MAX_TRACESTATE_LENGTH = 512;
/** W3C baggage: 8192 bytes in total across all baggage headers. */
export const MAX_BAGGAGE_LENGTH = 8192;
/** `traceparent` is 55 characters in version 00; later versions may append fields, so leave room. */
export const MAX_TRACEPARENT_LENGTH = 512;
/** Any other propagation field (b3, X-Ray, vendor headers). */
export const MAX_OTHER_FIELD_LENGTH = 8192;
/** Repeated headers (a Kafka header array, an AMQP array): only the first few values are read. */
export const MAX_REPEATED_VALUES = 8;

/**
 * The largest value accepted for a propagation field, by its name in any case:
 * carriers match field names case-insensitively, so `TraceParent` has the same cap.
 */
export function maxLengthForField(key: string): number {
  switch (key.toLowerCase()) {
    case 'traceparent':
      return MAX_TRACEPARENT_LENGTH;
    case 'tracestate':
      return MAX_TRACESTATE_LENGTH;
    case 'baggage':
      return MAX_BAGGAGE_LENGTH;
    default:
      return MAX_OTHER_FIELD_LENGTH;
  }
}
