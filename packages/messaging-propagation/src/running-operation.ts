// One started operation of any plugin (its span, the context its work runs in,
// what its end records) and the one way user work runs inside it, whatever that
// work returns: a value, a promise, or a promise nobody awaits.
import { context, trace } from '@opentelemetry/api';
import type { Attributes, Context, Span } from '@opentelemetry/api';
import { endOperation, failedWith, SUCCEEDED } from './end-operation';
import type { OperationMetrics, OperationOutcome, OperationTelemetry, StartedOperation } from './end-operation';
import { HandlerUnsettledAtExitError, trackOpenOperation, untrackOpenOperation } from './open-spans';
import type { AbandonReason, OpenOperation } from './open-spans';

/** What an operation's end does; one constant per kind of operation, shared by all of them. */
export interface OperationKind {
  /** For the diag message when its telemetry fails: `otel-mq: {what} telemetry failed`. */
  what: string;
  metrics: OperationMetrics;
  /**
   * End at a `performance.now()` reading: for spans started at one (a `startTime`
   * given), so that both ends are on the SDK's clock with one offset.
   */
  endAtReading?: boolean;
  /** The error an operation ends with when its owner (a channel, a consumer) closes first. */
  ownerClosedError?: () => unknown;
  /** The error an operation ends with when the process ends first; `HandlerUnsettledAtExitError` by default. */
  exitError?: () => unknown;
}

/**
 * Every operation of every plugin (send, publish, receive, process, settle,
 * commit) runs on this: started by the plugin, it ends exactly once, by
 * `finish`, by its owner closing, or at exit, and never throws. An operation
 * that has more to record at its end than its start attributes (a broker's
 * answer, a confirm hook) extends it and overrides `beforeEnd`: one object per
 * operation, no closures.
 */
export class RunningOperation implements StartedOperation, OpenOperation {
  private ended = false;
  private tracked = false;
  private spanContext: Context | undefined;

  constructor(
    protected readonly telemetry: OperationTelemetry,
    private readonly kind: OperationKind,
    readonly span: Span,
    /** The context the operation started in: its span's parent. */
    readonly parent: Context,
    /** The start attributes: the metrics take their low-cardinality ones. */
    readonly attributes: Attributes,
    /** `performance.now()` when the operation started. */
    readonly started: number,
  ) {}

  /** The context its work runs in, and its messages carry: `parent` with `span` set. Made on first use. */
  get context(): Context {
    return (this.spanContext ??= trace.setSpan(this.parent, this.span));
  }

  /** Whether it has ended (its span with it). */
  get hasEnded(): boolean {
    return this.ended;
  }

  /** Tracked as open until it ends: ended when `owner` closes (when given), or at exit. */
  track(owner?: object): this {
    trackOpenOperation(this, owner);
    this.tracked = true;
    return this;
  }

  abandon(reason: AbandonReason): void {
    const kind = this.kind;
    let error: unknown;
    if (reason === 'owner-closed' && kind.ownerClosedError) error = kind.ownerClosedError();
    else if (reason === 'exit' && kind.exitError) error = kind.exitError();
    else error = new HandlerUnsettledAtExitError();
    this.finish(failedWith(error));
  }

  /**
   * Ends the span and records the metrics (the kind's, or `recorded` when the
   * count is only known at the end), exactly once; never throws.
   */
  finish(outcome: OperationOutcome, recorded: OperationMetrics = this.kind.metrics): void {
    if (this.ended) return;
    this.ended = true;
    if (this.tracked) untrackOpenOperation(this);
    const kind = this.kind;
    try {
      this.beforeEnd(outcome);
    } catch (telemetryError) {
      this.telemetry.diag.error(`otel-mq: ${kind.what} telemetry failed`, telemetryError);
    }
    endOperation(
      this.telemetry,
      kind.what,
      this,
      kind.endAtReading ? { ...outcome, endTime: performance.now() } : outcome,
      recorded,
    );
  }

  /**
   * Forgets the operation without ending its span, so nothing of it is
   * exported: for an operation whose plugin was disabled before it finished.
   */
  discard(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.tracked) untrackOpenOperation(this);
  }

  /** What an extension records at the end, before the span ends; a throw is logged and the end goes on. */
  protected beforeEnd(_outcome: OperationOutcome): void {}
}

/**
 * Runs `work` in the operation's context and always returns a promise settling
 * like it (a synchronous throw becomes a rejection); the operation ends when it
 * settles, failed for any rejection, `undefined` included.
 */
export function runInOperation<T>(operation: RunningOperation, work: () => T | Promise<T>): Promise<T> {
  let result: T | Promise<T>;
  try {
    result = context.with(operation.context, work);
  } catch (error) {
    operation.finish(failedWith(error));
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the work's own error, unchanged
    return Promise.reject(error);
  }
  // A native promise is chained as it is; anything else is adopted first (a value, or a thenable).
  return settleOperation(operation, result instanceof Promise ? result : Promise.resolve(result));
}

/** What the caller gets back from work that may return a promise. */
export type ReturnedWork =
  /** The work's own value; a promise replaced by one that settles the same way, after the operation ends. */
  | 'as-returned'
  /**
   * The work's own value, a promise included: the library ignores what it returns.
   * A rejection still surfaces as the one unhandled rejection the application
   * would get without us.
   */
  | 'ignored';

/**
 * Runs `work` in the operation's context, passing a synchronous result or throw
 * straight through (the operation ends at once) and ending the operation when a
 * returned promise settles.
 */
export function runInOperationAsReturned<T>(operation: RunningOperation, work: () => T, returns: ReturnedWork): T {
  let result: T;
  try {
    result = context.with(operation.context, work);
  } catch (error) {
    operation.finish(failedWith(error));
    throw error;
  }
  if (!isThenable(result)) {
    operation.finish(SUCCEEDED);
    return result;
  }
  const settled = settleOperation(operation, Promise.resolve(result));
  if (returns === 'as-returned') return settled as T;
  // Nobody else holds `settled`: a rejection surfaces from it, with the same reason.
  void settled;
  return result;
}

function settleOperation<T>(operation: RunningOperation, pending: Promise<T>): Promise<T> {
  return pending.then(
    (value) => {
      operation.finish(SUCCEEDED);
      return value;
    },
    (error: unknown) => {
      operation.finish(failedWith(error));
      throw error;
    },
  );
}

/** A thenable's `then` is read once, in a guard: a hostile getter is no thenable. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  try {
    return (
      (typeof value === 'object' || typeof value === 'function') &&
      value !== null &&
      typeof (value as { then?: unknown }).then === 'function'
    );
  } catch {
    return false;
  }
}
