// Wraps `SQSClient.prototype.send` (and `SNSClient.prototype.send`): every
// command goes through it (the aggregated `SQS`/`SNS` clients' methods call it
// too). Commands this plugin records are handed to their handler; all others
// pass straight through.
import { context } from '@opentelemetry/api';
import { failedWith, SUCCEEDED, whileEnabled } from '@org/messaging-propagation/internal';
import type { OperationOutcome } from '@org/messaging-propagation/internal';
import { COMMAND_HANDLERS } from '../commands';
import type { CommandHandler, HandledCall } from '../commands/types';
import type { SendFunction, SqsClient, SqsCommand } from '../internal-types';
import type { SqsTelemetryDeps } from '../telemetry';
import { clientRegion } from './region';

/** `SendMessageCommand` → `SendMessage`; undefined for anything that is not an SDK command. */
export function commandName(command: unknown): string | undefined {
  if (typeof command !== 'object' || command === null) return undefined;
  const name: unknown = (command as SqsCommand).constructor?.name;
  return typeof name === 'string' && name.endsWith('Command') ? name.slice(0, -'Command'.length) : undefined;
}

/**
 * The command the SDK is given: the caller's own when the input is unchanged,
 * else a shallow copy of it (same class, same middleware stack, same methods)
 * with its own `input`. The caller's command object is never written to.
 * A copy of the fields rather than an object inheriting from the caller's
 * command: V8 makes an object used as a prototype slow to create and to read,
 * ~3 µs a call with the fields the SDK reads (@smithy/core 3.41, Node 24).
 */
export function withInput(command: SqsCommand, input: unknown): SqsCommand {
  if (input === command.input) return command;
  const copy = Object.assign(Object.create(Object.getPrototypeOf(command) as object | null) as object, command);
  (copy as { input: unknown }).input = input;
  return copy;
}

type CommandHandlers = Readonly<Record<string, CommandHandler>>;

function handle(
  deps: SqsTelemetryDeps,
  handlers: CommandHandlers,
  client: SqsClient,
  command: SqsCommand,
): HandledCall | undefined {
  const name = commandName(command);
  const handler = name !== undefined && Object.hasOwn(handlers, name) ? handlers[name] : undefined;
  if (!handler) return undefined;
  return handler({ deps, input: command.input, parent: context.active(), region: () => clientRegion(client) });
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/** Wrapper for `SQSClient.prototype.send(command, options?, callback?)` (or SNSClient's, with its handlers). */
export function patchClientSend(deps: SqsTelemetryDeps, handlers: CommandHandlers = COMMAND_HANDLERS) {
  return (original: SendFunction): SendFunction =>
    // disable() unwraps SQSClient.prototype.send, but a `send` taken off a client before (bound, say) is this wrapper.
    whileEnabled(deps, original, function send(this: SqsClient, command: SqsCommand, ...rest: unknown[]): unknown {
      let handled: HandledCall | undefined;
      try {
        handled = handle(deps, handlers, this, command);
      } catch (error) {
        deps.diag.error('otel-mq: SQS instrumentation failed; sending the command uninstrumented', error);
      }
      if (!handled) return original.call(this, command, ...rest);

      const call = handled;
      const finish = (outcome: OperationOutcome, output: unknown): unknown => {
        try {
          return call.finish(outcome, output);
        } catch (telemetryError) {
          deps.diag.error('otel-mq: SQS telemetry failed', telemetryError);
          return output;
        }
      };
      let sent: SqsCommand = command;
      try {
        sent = withInput(command, call.input);
      } catch (error) {
        deps.diag.error('otel-mq: could not copy an SQS command; sending the original', error);
      }
      const callbackAt = rest.findIndex((arg) => typeof arg === 'function');
      if (callbackAt >= 0) {
        const callback = rest[callbackAt] as (error: unknown, data?: unknown) => void;
        const args = [...rest];
        args[callbackAt] = function (this: unknown, error: unknown, data?: unknown) {
          const failed = error !== undefined && error !== null;
          const output = finish(failed ? failedWith(error) : SUCCEEDED, data);
          return callback.call(this, error, failed ? data : output);
        };
        try {
          return context.with(call.context, () => original.call(this, sent, ...args));
        } catch (error) {
          finish(failedWith(error), undefined);
          throw error;
        }
      }

      let result: unknown;
      try {
        result = context.with(call.context, () => original.call(this, sent, ...rest));
      } catch (error) {
        finish(failedWith(error), undefined);
        throw error;
      }
      if (!isPromiseLike(result)) {
        finish(SUCCEEDED, result);
        return result;
      }
      return result.then(
        (output) => finish(SUCCEEDED, output),
        (error: unknown) => {
          finish(failedWith(error), undefined);
          throw error;
        },
      );
    });
}
