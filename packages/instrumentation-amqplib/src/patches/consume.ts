// Wraps `Channel#consume(queue, callback, options[, cb])` (promise and callback
// APIs): amqplib registers our wrapper of the application's callback, which runs
// it in a process span per delivery. A `null` delivery (the broker cancelled the
// consumer) is passed through untraced, and so is every delivery while the
// instrumentation is disabled: amqplib keeps our wrapper as long as the consumer.
import { whileEnabled } from '@org/messaging-propagation/internal';
import type { AmqpChannel, AnyFunction, ConsumeCallback } from '../internal-types';
import type { AmqpTelemetryDeps } from '../telemetry/deps';
import { isMessage } from '../telemetry/message';
import { traceProcess } from '../telemetry/process';

function tracedCallback(
  deps: AmqpTelemetryDeps,
  channel: AmqpChannel,
  queue: string | undefined,
  callback: ConsumeCallback,
): ConsumeCallback {
  const original = callback as AnyFunction;
  return whileEnabled(deps, original, function (this: unknown, ...args: unknown[]) {
    const message = args[0];
    if (!isMessage(message)) return original.apply(this, args);
    return traceProcess(deps, channel, message, queue, 'callback', () => original.apply(this, args));
  });
}

export function patchConsume(deps: AmqpTelemetryDeps) {
  return (original: AnyFunction) =>
    function consume(this: AmqpChannel, ...args: unknown[]): unknown {
      let callArgs = args;
      const callback = args[1];
      if (typeof callback === 'function' && typeof this === 'object' && this !== null) {
        try {
          const queue = typeof args[0] === 'string' ? args[0] : undefined;
          callArgs = [...args];
          callArgs[1] = tracedCallback(deps, this, queue, callback as ConsumeCallback);
        } catch (error) {
          deps.diag.error('otel-mq: could not instrument an amqplib consumer', error);
          callArgs = args;
        }
      }
      return original.apply(this, callArgs);
    };
}
