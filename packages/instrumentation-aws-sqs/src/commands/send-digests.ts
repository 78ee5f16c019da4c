// The digests of a send answer as the caller would get them without the plugin.
// SQS digests what it was sent, which is our copy: `MD5OfMessageAttributes`
// covers the injected propagation attributes, and `MD5OfMessageSystemAttributes`
// the `AWSTraceHeader` the plugin fell back to. A caller (or SDK middleware)
// checking them against its own message would see a mismatch.
import type { SqsMessageAttributes } from '@org/messaging-propagation';
import type { SendMessageInput, SentMessageDigests } from '../internal-types';
import { isObject } from '../telemetry';
import { md5OfMessageAttributes } from './attributes-md5';

type DigestField = 'MD5OfMessageAttributes' | 'MD5OfMessageSystemAttributes';

/** The digest of the caller's own attributes; `undefined` when it has none (SQS then sends no digest) or an odd one. */
function ownDigest(attributes: SqsMessageAttributes | undefined): string | undefined {
  return isObject(attributes) && Object.keys(attributes).length > 0 ? md5OfMessageAttributes(attributes) : undefined;
}

/**
 * `answer` (a SendMessage answer or a SendMessageBatch `Successful` entry) with
 * its digests describing the caller's own message rather than the copy that was
 * sent; the answer itself when the plugin added nothing.
 */
export function withCallerDigests<T extends SentMessageDigests>(
  answer: T,
  own: SendMessageInput,
  sent: SendMessageInput,
): T {
  if (!isObject(answer) || sent === own) return answer;
  const changed: Array<[DigestField, SqsMessageAttributes | undefined]> = [];
  if (sent.MessageAttributes !== own.MessageAttributes) changed.push(['MD5OfMessageAttributes', own.MessageAttributes]);
  if (sent.MessageSystemAttributes !== own.MessageSystemAttributes) {
    changed.push(['MD5OfMessageSystemAttributes', own.MessageSystemAttributes]);
  }
  const stale = changed.filter(([field]) => typeof answer[field] === 'string');
  if (stale.length === 0) return answer;
  const copy: T = { ...answer };
  for (const [field, attributes] of stale) {
    const digest = ownDigest(attributes);
    if (digest !== undefined) copy[field] = digest;
    else delete copy[field];
  }
  return copy;
}
