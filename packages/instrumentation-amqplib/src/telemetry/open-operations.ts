// Operations still in flight on a channel (process spans whose handler has not
// settled, publishes awaiting a broker confirm, gets awaiting their message).
// When the channel closes (by the application, the broker, or with its
// connection) each is ended, so no span outlives its channel. No timers.
import type { AmqpChannel } from '../internal-types';

export interface OpenOperation {
  /** Ends the operation's span because its channel closed; must be idempotent. */
  abandon(): void;
}

const openByChannel = new WeakMap<object, Set<OpenOperation>>();

/** Tracks `operation` on `channel`; returns the function that stops tracking it. */
export function trackOpen(channel: AmqpChannel | undefined, operation: OpenOperation): () => void {
  if (typeof channel !== 'object' || channel === null) return () => undefined;
  let open = openByChannel.get(channel);
  if (!open) {
    open = new Set();
    openByChannel.set(channel, open);
  }
  const set = open;
  set.add(operation);
  return () => {
    set.delete(operation);
  };
}

/** Ends whatever is still open on a channel that has just closed. */
export function abandonOpen(channel: unknown): void {
  if (typeof channel !== 'object' || channel === null) return;
  const open = openByChannel.get(channel);
  if (!open) return;
  openByChannel.delete(channel);
  for (const operation of [...open]) operation.abandon();
}
