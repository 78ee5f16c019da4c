// Wraps `Channel#get` in a receive span: the promise API's `get(queue, options)`
// returns a promise, the callback API's `get(queue, options, cb)` calls back.
import { failedWith, SUCCEEDED } from '@org/messaging-propagation/internal';
import type { AmqpChannel, AnyFunction } from '../internal-types';
import type { AmqpTelemetryDeps } from '../telemetry/deps';
import { isThenable } from '../telemetry/deps';
import { startReceive } from '../telemetry/receive';
import type { ReceiveOperation } from '../telemetry/receive';

function begin(deps: AmqpTelemetryDeps, channel: AmqpChannel, queue: unknown): ReceiveOperation | undefined {
  try {
    return startReceive(deps, channel, queue);
  } catch (error) {
    deps.diag.error('otel-mq: amqplib get instrumentation failed; getting uninstrumented', error);
    return undefined;
  }
}

/** Promise API: the returned promise settles as amqplib's does, once the span has ended. */
export function patchPromiseGet(deps: AmqpTelemetryDeps) {
  return (original: AnyFunction) =>
    function get(this: AmqpChannel, ...args: unknown[]): unknown {
      const receive = begin(deps, this, args[0]);
      if (!receive) return original.apply(this, args);
      let result: unknown;
      try {
        result = original.apply(this, args);
      } catch (error) {
        receive.received(failedWith(error));
        throw error;
      }
      if (!isThenable(result)) {
        receive.received(SUCCEEDED, result);
        return result;
      }
      return Promise.resolve(result).then(
        (message) => {
          receive.received(SUCCEEDED, message);
          return message;
        },
        (error: unknown) => {
          receive.received(failedWith(error));
          throw error;
        },
      );
    };
}

/** Callback API: the application's callback gets exactly amqplib's arguments, after the span has ended. */
export function patchCallbackGet(deps: AmqpTelemetryDeps) {
  return (original: AnyFunction) =>
    function get(this: AmqpChannel, ...args: unknown[]): unknown {
      const callback = args[2];
      const receive = begin(deps, this, args[0]);
      if (!receive) return original.apply(this, args);
      const callArgs = [...args];
      callArgs[2] = function (this: unknown, ...results: unknown[]): unknown {
        // amqplib calls back with a `null` error on success.
        const error = results[0];
        receive.received(error === undefined || error === null ? SUCCEEDED : failedWith(error), results[1]);
        return typeof callback === 'function' ? (callback as AnyFunction).apply(this, results) : undefined;
      };
      try {
        return original.apply(this, callArgs);
      } catch (error) {
        receive.received(failedWith(error));
        throw error;
      }
    };
}
