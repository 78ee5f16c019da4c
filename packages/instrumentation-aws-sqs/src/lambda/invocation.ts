// The partial-batch bookkeeping of one `wrapSqsHandler` invocation: which of its
// records failed. It never depends on telemetry: with the plugin disabled or no
// SDK started, a `reportBatchItemFailures` handler must still name its failed
// records, or Lambda deletes them from the queue.
import { context, createContextKey } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { isObject, stringOrUndefined } from '../telemetry';
import type { SqsRecord } from './types';

/** What the wrapper shares with the records of one invocation. */
export interface Invocation {
  /** `messageId`s of the event's records: only these may be reported to Lambda. */
  readonly messageIds: ReadonlySet<string>;
  /** `messageId`s of the records whose last `processSqsRecord` failed. */
  readonly failedMessageIds: Set<string>;
}

const INVOCATION_KEY = createContextKey('otel-mq aws-sqs Lambda invocation');

/** Finds the invocation of a record handed over as delivered, when no context manager carries the key. */
const invocationsByRecord = new WeakMap<object, Invocation>();

/**
 * Invocations under way, by `messageId`: finds the invocation of a copied record
 * when no context manager carries the key (a Lambda process runs one invocation
 * at a time, unless Lambda Managed Instances run several).
 */
const openInvocations = new Map<string, Set<Invocation>>();

/** Starts the bookkeeping of one invocation; `endBookkeeping` must follow. */
export function startBookkeeping(records: readonly SqsRecord[]): Invocation {
  const messageIds = new Set<string>();
  for (const record of records) {
    let messageId: string | undefined;
    try {
      messageId = stringOrUndefined(record.messageId);
    } catch {
      // A record whose getters throw: it cannot be named in a batch response.
      continue;
    }
    if (messageId !== undefined) messageIds.add(messageId);
  }
  const invocation: Invocation = { messageIds, failedMessageIds: new Set() };
  for (const record of records) invocationsByRecord.set(record, invocation);
  for (const messageId of messageIds) {
    const open = openInvocations.get(messageId) ?? new Set<Invocation>();
    open.add(invocation);
    openInvocations.set(messageId, open);
  }
  return invocation;
}

/** Once the handler settled: records processed later are too late for the batch response. */
export function endBookkeeping(invocation: Invocation): void {
  for (const messageId of invocation.messageIds) {
    const open = openInvocations.get(messageId);
    open?.delete(invocation);
    if (open?.size === 0) openInvocations.delete(messageId);
  }
}

/** `parent` with the invocation in it, for the handler to run in. */
export function contextWithInvocation(parent: Context, invocation: Invocation): Context {
  return parent.setValue(INVOCATION_KEY, invocation);
}

/**
 * The invocation a record passed to `processSqsRecord` belongs to, found by its
 * `messageId` (handlers often copy or map records): the active one, else the one
 * that delivered this very object, else the only invocation under way with it.
 */
export function invocationOf(record: unknown, messageId: string | undefined): Invocation | undefined {
  if (messageId === undefined) return undefined;
  const holding = (invocation: Invocation | undefined) =>
    invocation?.messageIds.has(messageId) ? invocation : undefined;
  const open = openInvocations.get(messageId);
  return (
    holding(context.active().getValue(INVOCATION_KEY) as Invocation | undefined) ??
    holding(isObject(record) ? invocationsByRecord.get(record) : undefined) ??
    (open?.size === 1 ? [...open][0] : undefined)
  );
}

/** The last outcome counts: a record the handler retried until it succeeded is not reported. */
export function recordOutcome(invocation: Invocation, messageId: string, failed: boolean): void {
  if (failed) invocation.failedMessageIds.add(messageId);
  else invocation.failedMessageIds.delete(messageId);
}
