// What ReceiveMessage asks for: the plugin adds the names it needs to a COPY of
// the caller's request, remembers which ones it added, and takes exactly those
// out of the response again, so the caller sees what it would without us.
import type { ReceiveMessageInput, ReceivedMessage } from '../internal-types';
import { WANTED_SYSTEM_ATTRIBUTES } from '../sqs-attribute-names';
import { md5OfMessageAttributes } from './attributes-md5';

/** What the plugin added to one request. */
export interface AddedNames {
  messageAttributes: string[];
  systemAttributes: string[];
}

function names(list: unknown): string[] {
  return Array.isArray(list) ? list.filter((name): name is string => typeof name === 'string') : [];
}

/** SQS name filters: `All`, `.*`, an exact name, or a prefix ending in `.*` (`trace.*`). */
export function asksFor(requested: readonly string[], name: string): boolean {
  return requested.some(
    (pattern) =>
      pattern === 'All' ||
      pattern === '.*' ||
      pattern === name ||
      (pattern.endsWith('.*') && name.startsWith(pattern.slice(0, -1))),
  );
}

/** The request to send and what was added to it; the caller's own input when nothing needs adding. */
export function planReceiveRequest(
  input: ReceiveMessageInput,
  propagationFields: readonly string[],
): { input: ReceiveMessageInput; added: AddedNames } {
  const messageNames = names(input.MessageAttributeNames);
  const systemNames = [...names(input.MessageSystemAttributeNames), ...names(input.AttributeNames)];
  const added: AddedNames = {
    messageAttributes: propagationFields.filter((field) => !asksFor(messageNames, field)),
    systemAttributes: WANTED_SYSTEM_ATTRIBUTES.filter((name) => !asksFor(systemNames, name)),
  };
  if (added.messageAttributes.length === 0 && added.systemAttributes.length === 0) return { input, added };
  const copy: ReceiveMessageInput = { ...input };
  if (added.messageAttributes.length > 0) copy.MessageAttributeNames = [...messageNames, ...added.messageAttributes];
  if (added.systemAttributes.length > 0) {
    // local-aws-sqs (2.0) and older SQS endpoints read only the deprecated AttributeNames: ask through both.
    copy.MessageSystemAttributeNames = [...names(input.MessageSystemAttributeNames), ...added.systemAttributes];
    copy.AttributeNames = [...names(input.AttributeNames), ...added.systemAttributes];
  }
  return { input: copy, added };
}

function without<T>(record: Record<string, T>, remove: readonly string[]): Record<string, T> | undefined {
  const kept: Record<string, T> = {};
  let count = 0;
  for (const key of Object.keys(record)) {
    if (remove.includes(key)) continue;
    Object.defineProperty(kept, key, { value: record[key], enumerable: true, writable: true, configurable: true });
    count++;
  }
  return count > 0 ? kept : undefined;
}

/**
 * A copy of `message` without the attributes only the plugin asked for; the
 * message itself when there is nothing to remove. `MD5OfMessageAttributes` is
 * recomputed for the attributes left (removed if it cannot be), or removed with
 * the last of them, as SQS then sends none.
 */
export function stripAdded(message: ReceivedMessage, added: AddedNames): ReceivedMessage {
  const userAttributes = message.MessageAttributes;
  const systemAttributes = message.Attributes;
  const stripUser =
    added.messageAttributes.length > 0 &&
    userAttributes !== null &&
    typeof userAttributes === 'object' &&
    added.messageAttributes.some((name) => Object.prototype.hasOwnProperty.call(userAttributes, name));
  const stripSystem =
    added.systemAttributes.length > 0 &&
    systemAttributes !== null &&
    typeof systemAttributes === 'object' &&
    added.systemAttributes.some((name) => Object.prototype.hasOwnProperty.call(systemAttributes, name));
  if (!stripUser && !stripSystem) return message;
  const copy: ReceivedMessage = { ...message };
  if (stripUser && userAttributes) {
    const kept = without(userAttributes, added.messageAttributes);
    if (kept) {
      copy.MessageAttributes = kept;
      if (typeof message['MD5OfMessageAttributes'] === 'string') {
        // A digest that cannot be recomputed is left out rather than left stale.
        const digest = md5OfMessageAttributes(kept);
        if (digest !== undefined) copy['MD5OfMessageAttributes'] = digest;
        else delete copy['MD5OfMessageAttributes'];
      }
    } else {
      delete copy.MessageAttributes;
      delete copy['MD5OfMessageAttributes'];
    }
  }
  if (stripSystem && systemAttributes) {
    const kept = without(systemAttributes, added.systemAttributes);
    if (kept) copy.Attributes = kept;
    else delete copy.Attributes;
  }
  return copy;
}
