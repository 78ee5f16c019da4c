// `MD5OfMessageAttributes` as SQS computes it, for a response the plugin
// stripped attributes from: the digest must describe what the caller gets.
// The algorithm is SQS's documented one (names sorted; each name, data type and
// value length-prefixed, with a transport byte: 1 for String/Number, 2 for Binary);
// fauxqs 2.4 answers the same digests.
import { createHash } from 'node:crypto';
import type { SqsMessageAttributes } from '@org/messaging-propagation';

function lengthPrefixed(bytes: Uint8Array): Buffer {
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(bytes.length);
  return Buffer.concat([prefix, bytes]);
}

/** The digest of `attributes`, or `undefined` when one of them has a shape SQS would not have sent. */
export function md5OfMessageAttributes(attributes: SqsMessageAttributes): string | undefined {
  const hash = createHash('md5');
  for (const name of Object.keys(attributes).sort()) {
    const attribute = attributes[name];
    const dataType = attribute?.DataType;
    if (typeof dataType !== 'string') return undefined;
    hash.update(lengthPrefixed(Buffer.from(name, 'utf8')));
    hash.update(lengthPrefixed(Buffer.from(dataType, 'utf8')));
    if (typeof attribute?.StringValue === 'string') {
      hash.update(Buffer.from([1]));
      hash.update(lengthPrefixed(Buffer.from(attribute.StringValue, 'utf8')));
    } else if (attribute?.BinaryValue instanceof Uint8Array) {
      hash.update(Buffer.from([2]));
      hash.update(lengthPrefixed(attribute.BinaryValue));
    } else {
      return undefined;
    }
  }
  return hash.digest('hex');
}
