// `MD5OfMessageAttributes` as SQS computes it, for a response the plugin
// stripped attributes from: the digest must describe what the caller gets.
// The algorithm is SQS's documented one (names sorted; each name, data type and
// value length-prefixed, with a transport byte: 1 for String/Number, 2 for Binary);
// fauxqs 2.4 answers the same digests.
//
// It runs for every message sent or received, so the bytes are written into one
// buffer and digested in one call (`crypto.hash`, Node >= 21.7) rather than
// through a `Hash` object fed one small buffer per field.
import { hash } from 'node:crypto';
import type { SqsMessageAttributes } from '@org/messaging-propagation';

/** Length prefix (4) and transport byte (1) of an attribute's value, plus the prefixes of its name and data type. */
const FIXED_BYTES_PER_ATTRIBUTE = 13;
/** A UTF-16 code unit takes at most 3 bytes in UTF-8 (a surrogate pair, 2 units, takes 4). */
const MAX_UTF8_BYTES_PER_CODE_UNIT = 3;
const TRANSPORT_STRING = 1;
const TRANSPORT_BINARY = 2;

/** Writes `text` length-prefixed at `offset`; returns the offset after it. */
function writeString(buffer: Buffer, text: string, offset: number): number {
  const start = offset + 4;
  // Names, data types and most values are ASCII: copied by hand, the rest through Buffer's UTF-8 encoder.
  let ascii = 0;
  for (; ascii < text.length; ascii++) {
    const code = text.charCodeAt(ascii);
    if (code > 0x7f) break;
    buffer[start + ascii] = code;
  }
  const length = ascii === text.length ? ascii : ascii + buffer.write(text.slice(ascii), start + ascii, 'utf8');
  buffer.writeUInt32BE(length, offset);
  return start + length;
}

function writeBytes(buffer: Buffer, bytes: Uint8Array, offset: number): number {
  buffer.writeUInt32BE(bytes.length, offset);
  buffer.set(bytes, offset + 4);
  return offset + 4 + bytes.length;
}

/** The digest of `attributes`, or `undefined` when one of them has a shape SQS would not have sent. */
export function md5OfMessageAttributes(attributes: SqsMessageAttributes): string | undefined {
  // Name, data type and value of each attribute in digest order, each read once.
  const fields: Array<string | Uint8Array> = [];
  let maxBytes = 0;
  for (const name of Object.keys(attributes).sort()) {
    const attribute = attributes[name];
    const dataType = attribute?.DataType;
    if (typeof dataType !== 'string') return undefined;
    const stringValue = attribute?.StringValue;
    let value: string | Uint8Array;
    if (typeof stringValue === 'string') value = stringValue;
    else if (attribute?.BinaryValue instanceof Uint8Array) value = attribute.BinaryValue;
    else return undefined;
    fields.push(name, dataType, value);
    maxBytes +=
      FIXED_BYTES_PER_ATTRIBUTE +
      (name.length + dataType.length) * MAX_UTF8_BYTES_PER_CODE_UNIT +
      (typeof value === 'string' ? value.length * MAX_UTF8_BYTES_PER_CODE_UNIT : value.length);
  }
  const buffer = Buffer.allocUnsafe(maxBytes);
  let offset = 0;
  for (let i = 0; i < fields.length; i += 3) {
    offset = writeString(buffer, fields[i] as string, offset);
    offset = writeString(buffer, fields[i + 1] as string, offset);
    const value = fields[i + 2] as string | Uint8Array;
    if (typeof value === 'string') {
      buffer[offset++] = TRANSPORT_STRING;
      offset = writeString(buffer, value, offset);
    } else {
      buffer[offset++] = TRANSPORT_BINARY;
      offset = writeBytes(buffer, value, offset);
    }
  }
  return hash('md5', buffer.subarray(0, offset), 'hex');
}
