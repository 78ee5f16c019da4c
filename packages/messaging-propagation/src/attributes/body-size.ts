// `messaging.message.body.size`: the size of a message body in bytes, never the
// body itself. The plugins record it only when asked (`captureBodySize`).
import type { Span } from '@opentelemetry/api';
import { ATTR_MESSAGING_MESSAGE_BODY_SIZE } from '../semconv';

/**
 * The size in bytes of a message body: a string's UTF-8 length (what goes on
 * the wire, not its UTF-16 `length`), a byte array's or ArrayBuffer's
 * `byteLength`; `undefined` for anything else (no body, an unknown shape).
 */
export function messageBodySize(body: unknown): number | undefined {
  if (typeof body === 'string') return Buffer.byteLength(body, 'utf8');
  if (body === null || typeof body !== 'object') return undefined;
  try {
    // `instanceof` runs a Proxy's traps, which may throw: such a body has no known size.
    if (ArrayBuffer.isView(body) || body instanceof ArrayBuffer) return body.byteLength;
  } catch {
    return undefined;
  }
  return undefined;
}

/** Sets `messaging.message.body.size` on `span` when it records and the body has a size. */
export function setMessageBodySize(span: Span, body: unknown): void {
  if (!span.isRecording()) return;
  const size = messageBodySize(body);
  if (size !== undefined) span.setAttribute(ATTR_MESSAGING_MESSAGE_BODY_SIZE, size);
}
