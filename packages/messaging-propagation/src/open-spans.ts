// The one registry of operations whose span is still open: process spans whose
// handler has not settled, publishes awaiting a confirm, gets awaiting their
// message. An operation may belong to an owner (a channel, a consumer): when the
// owner closes, the plugin ends what is still open on it. Whatever is still open
// when the process is about to end (the event loop ran dry, or a signal nobody
// else handles: see exit-sweep.ts) is ended then, so it is exported with the rest.
// No timers.
import type { Span } from '@opentelemetry/api';
import { recordSpanError } from './errors';

/** Why an open operation is ended before it finished. */
export type AbandonReason = 'owner-closed' | 'exit';

/** An operation whose span is still open. */
export interface OpenOperation {
  /** Ends the operation's span as an error because of `reason`; must be idempotent and never throw. */
  abandon(reason: AbandonReason): void;
}

interface Registry {
  /** Every open operation, with its owner's set of open operations if it has an owner. */
  readonly open: Map<OpenOperation, Set<OpenOperation> | undefined>;
  readonly byOwner: WeakMap<object, Set<OpenOperation>>;
}

/** Shared through the global symbol registry: every copy of every plugin tracks into the same registry. */
const REGISTRY_KEY = Symbol.for('otel-mq.open-operations');
const globalSlot = globalThis as { [REGISTRY_KEY]?: Registry };
const registry: Registry = (globalSlot[REGISTRY_KEY] ??= { open: new Map(), byOwner: new WeakMap() });

/** The error an open span records when the process ends before its handler settled. */
export class HandlerUnsettledAtExitError extends Error {
  override readonly name = 'HandlerUnsettledAtExitError';
  constructor() {
    super('the process ended before the message handler settled');
  }
}

/** The error a client call's span (a send, a commit, an SQS call) records when the process ends before it was answered. */
export class OperationUnansweredAtExitError extends Error {
  override readonly name = 'OperationUnansweredAtExitError';
  constructor() {
    super('the process ended before the operation was answered');
  }
}

/**
 * Tracks `operation` until the returned function is called (call it when the
 * operation ends), under `owner` too when that is an object.
 */
export function trackOpenOperation(operation: OpenOperation, owner?: unknown): () => void {
  let siblings: Set<OpenOperation> | undefined;
  if (typeof owner === 'object' && owner !== null) {
    siblings = registry.byOwner.get(owner);
    if (!siblings) registry.byOwner.set(owner, (siblings = new Set()));
    siblings.add(operation);
  }
  registry.open.set(operation, siblings);
  return () => forget(operation);
}

/** Stops tracking `operation`: what the function `trackOpenOperation` returns does, without a closure. */
export function untrackOpenOperation(operation: OpenOperation): void {
  forget(operation);
}

function forget(operation: OpenOperation): void {
  registry.open.get(operation)?.delete(operation);
  registry.open.delete(operation);
}

function abandonAll(operations: Iterable<OpenOperation>, reason: AbandonReason): number {
  let ended = 0;
  for (const operation of [...operations]) {
    forget(operation);
    try {
      operation.abandon(reason);
      ended++;
    } catch {
      // An operation that cannot be ended is no reason to stop ending the others.
    }
  }
  return ended;
}

/** Ends whatever is still open on `owner`, which has just closed; returns how many there were. Never throws. */
export function endOwnedOperations(owner: unknown): number {
  if (typeof owner !== 'object' || owner === null) return 0;
  const owned = registry.byOwner.get(owner);
  if (!owned) return 0;
  registry.byOwner.delete(owner);
  return abandonAll(owned, 'owner-closed');
}

/**
 * Ends every operation still open (reason `'exit'`) and forgets it; returns how
 * many there were. Never throws.
 */
export function endOpenSpans(): number {
  return abandonAll(registry.open.keys(), 'exit');
}

/** The tracking of spans given to `trackOpenSpan`. */
const spanUntrackers = new WeakMap<Span, () => void>();

/**
 * Remembers a span until `untrackOpenSpan`: call it when the span starts. Ended
 * at exit as an error of type `HandlerUnsettledAtExitError`. (Plugins track the
 * whole operation, with its metrics, through `trackOpenOperation`.)
 */
export function trackOpenSpan(span: Span): void {
  let ended = false;
  const untrack = trackOpenOperation({
    abandon: () => {
      if (ended) return;
      ended = true;
      recordSpanError(span, new HandlerUnsettledAtExitError());
      span.end();
    },
  });
  spanUntrackers.set(span, () => {
    ended = true;
    untrack();
  });
}

/** Forgets a span whose handler settled: call it when the span ends. */
export function untrackOpenSpan(span: Span): void {
  spanUntrackers.get(span)?.();
  spanUntrackers.delete(span);
}
