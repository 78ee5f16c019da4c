// Wraps the settle methods of Channel (promise and callback APIs): ack, nack,
// reject, ackAll and nackAll. Each calls the original once and returns its result.
import type { AmqpChannel, AnyFunction } from '../internal-types';
import type { AmqpTelemetryDeps } from '../telemetry/deps';
import { traceSettle } from '../telemetry/settle';
import type { SettleCall } from '../telemetry/settle';

/** amqplib's defaults: `allUpTo` false, `requeue` true. */
function flag(value: unknown, fallback: boolean): boolean {
  return value === undefined ? fallback : Boolean(value);
}

/** How each settle method's arguments map to what a settle span records. */
type DescribeSettle = (args: unknown[]) => SettleCall;

export const SETTLE_METHODS: Readonly<Record<string, DescribeSettle>> = Object.freeze<Record<string, DescribeSettle>>({
  ack: ([message, allUpTo]) => ({ operation: 'ack', message, multiple: flag(allUpTo, false), requeue: undefined }),
  nack: ([message, allUpTo, requeue]) => ({
    operation: 'nack',
    message,
    multiple: flag(allUpTo, false),
    requeue: flag(requeue, true),
  }),
  reject: ([message, requeue]) => ({ operation: 'reject', message, multiple: false, requeue: flag(requeue, true) }),
  ackAll: () => ({ operation: 'ack', message: undefined, multiple: true, requeue: undefined }),
  nackAll: ([requeue]) => ({ operation: 'nack', message: undefined, multiple: true, requeue: flag(requeue, true) }),
});

export function patchSettle(deps: AmqpTelemetryDeps, describe: (args: unknown[]) => SettleCall) {
  return (original: AnyFunction) =>
    function settle(this: AmqpChannel, ...args: unknown[]): unknown {
      if (!deps.config().recordSettleSpans) return original.apply(this, args);
      let call: SettleCall;
      try {
        call = describe(args);
      } catch (error) {
        deps.diag.error('otel-mq: amqplib settle instrumentation failed; settling uninstrumented', error);
        return original.apply(this, args);
      }
      return traceSettle(deps, this, call, () => original.apply(this, args));
    };
}
