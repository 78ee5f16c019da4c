// Wraps `publish` of the promise and callback Channel and ConfirmChannel classes.
// (`sendToQueue` is `publish('', queue, …)` in every supported version, so it is
// covered too.) ConfirmChannel#publish calls Channel#publish: the channel is
// marked while inside an instrumented publish so that one call makes one span.
import { failedWith, SUCCEEDED } from '@org/messaging-propagation/internal';
import type { AmqpChannel, AnyFunction } from '../internal-types';
import type { AmqpTelemetryDeps } from '../telemetry/deps';
import { startPublish } from '../telemetry/publish';
import type { PublishOperation } from '../telemetry/publish';

const publishing = new WeakSet<object>();

function begin(deps: AmqpTelemetryDeps, channel: AmqpChannel, args: unknown[], confirm: boolean) {
  try {
    return startPublish(deps, channel, args, confirm);
  } catch (error) {
    deps.diag.error('otel-mq: amqplib publish instrumentation failed; publishing uninstrumented', error);
    return undefined;
  }
}

function callMarked(channel: AmqpChannel, call: () => unknown): unknown {
  publishing.add(channel);
  try {
    return call();
  } finally {
    publishing.delete(channel);
  }
}

/** `Channel#publish(exchange, routingKey, content, options)`: the span ends when the call returns. */
export function patchPublish(deps: AmqpTelemetryDeps) {
  return (original: AnyFunction) =>
    function publish(this: AmqpChannel, ...args: unknown[]): unknown {
      if (typeof this !== 'object' || this === null || publishing.has(this)) return original.apply(this, args);
      const started = begin(deps, this, args, false);
      if (!started) return original.apply(this, args);
      const callArgs = [...args];
      callArgs[3] = started.options;
      try {
        const result = callMarked(this, () => original.apply(this, callArgs));
        started.finish(SUCCEEDED);
        return result;
      } catch (error) {
        started.finish(failedWith(error));
        throw error;
      }
    };
}

function confirmCallback(deps: AmqpTelemetryDeps, started: PublishOperation, userCallback: AnyFunction) {
  return function (this: unknown, ...results: unknown[]): unknown {
    // After disable() nothing more is recorded, even for a publish started before.
    // amqplib confirms with a `null` (or `undefined`) error and nacks with an Error.
    const error = results[0];
    if (deps.enabled()) started.finish(error === undefined || error === null ? SUCCEEDED : failedWith(error));
    else started.discard();
    return userCallback.apply(this, results);
  };
}

/**
 * `ConfirmChannel#publish(exchange, routingKey, content, options, callback)`.
 * With a callback, the span ends when the broker confirms, as an error on nack:
 * amqplib calls our callback, which ends the span and calls the application's
 * with the same arguments. Without one, the span ends when the call returns and
 * the callback argument is passed on as given: amqplib then queues `false` for
 * the publish in `channel.unconfirmed`, and its close handling relies on those
 * placeholders to make a later `waitForConfirms()` reject with "channel closed"
 * (amqplib 1.x keeps only `false` entries on close; 0.10 stops emptying the list
 * at the first one). A function in their place made it resolve instead.
 */
export function patchConfirmPublish(deps: AmqpTelemetryDeps) {
  return (original: AnyFunction) =>
    function publish(this: AmqpChannel, ...args: unknown[]): unknown {
      if (typeof this !== 'object' || this === null || publishing.has(this)) return original.apply(this, args);
      const userCallback = args[4];
      const awaitsConfirm = typeof userCallback === 'function';
      const started = begin(deps, this, args, awaitsConfirm);
      if (!started) return original.apply(this, args);
      const callArgs = [...args];
      callArgs[3] = started.options;
      if (awaitsConfirm) callArgs[4] = confirmCallback(deps, started, userCallback as AnyFunction);
      try {
        const result = callMarked(this, () => original.apply(this, callArgs));
        if (!awaitsConfirm) started.finish(SUCCEEDED);
        return result;
      } catch (error) {
        started.finish(failedWith(error));
        throw error;
      }
    };
}
