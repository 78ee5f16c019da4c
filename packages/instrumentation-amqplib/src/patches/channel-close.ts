// Wraps lib/channel.js `Channel.prototype.toClosed`, which every amqplib channel
// goes through when it closes (closed by the application or the broker, or with
// its connection): whatever is still open on the channel is ended then.
import type { AmqpTelemetryDeps } from '../telemetry/deps';
import { endOwnedOperations } from '@org/messaging-propagation/internal';
import type { AnyFunction } from '../internal-types';

export function patchToClosed(deps: AmqpTelemetryDeps) {
  return (original: AnyFunction) =>
    function toClosed(this: unknown, ...args: unknown[]): unknown {
      try {
        return original.apply(this, args);
      } finally {
        try {
          endOwnedOperations(this);
        } catch (error) {
          deps.diag.error('otel-mq: could not end the spans of a closed amqplib channel', error);
        }
      }
    };
}
