import type { Context } from '@opentelemetry/api';
import type { OperationOutcome } from '@org/messaging-propagation/internal';
import type { SqsTelemetryDeps } from '../telemetry';

/** One `client.send(command)` of an SQS command this plugin records. */
export interface SqsCall {
  deps: SqsTelemetryDeps;
  /** The command's own input: never mutated. */
  input: unknown;
  /** The caller's active context. */
  parent: Context;
  /** The client's region once known (resolved asynchronously by the SDK). */
  region(): string | undefined;
}

/** What a command handler decided for one call. */
export interface HandledCall {
  /** The input to send: the caller's own object when nothing changes, else a copy. */
  input: unknown;
  /** The context the SDK call runs in, so spans the SDK itself makes (HTTP) are children of ours. */
  context: Context;
  /**
   * Ends the telemetry of the call; returns what the caller gets back: the
   * output itself, or a copy without what the plugin asked for on its own.
   */
  finish(outcome: OperationOutcome, output: unknown): unknown;
}

export type CommandHandler = (call: SqsCall) => HandledCall | undefined;
