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
  const staleAttributes =
    sent.MessageAttributes !== own.MessageAttributes && typeof answer.MD5OfMessageAttributes === 'string';
  const staleSystemAttributes =
    sent.MessageSystemAttributes !== own.MessageSystemAttributes &&
    typeof answer.MD5OfMessageSystemAttributes === 'string';
  if (!staleAttributes && !staleSystemAttributes) return answer;
  const copy: T = { ...answer };
  if (staleAttributes) replaceDigest(copy, 'MD5OfMessageAttributes', own.MessageAttributes);
  if (staleSystemAttributes) replaceDigest(copy, 'MD5OfMessageSystemAttributes', own.MessageSystemAttributes);
  return copy;
}

function replaceDigest(
  answer: SentMessageDigests,
  field: DigestField,
  attributes: SqsMessageAttributes | undefined,
): void {
  const digest = ownDigest(attributes);
  if (digest !== undefined) answer[field] = digest;
  else delete answer[field];
}
