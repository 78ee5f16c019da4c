// `InstrumentationBase._wrap` (@opentelemetry/instrumentation 0.301) first unwraps
// a property that is already wrapped. When SQSClient.prototype only inherits
// `send` from smithy's shared `Client.prototype.send` and upstream aws-sdk wrapped
// that, the unwrap reaches through to the base class and takes upstream's wrapper
// off every AWS client (SNS, S3…). This wraps over it with an own property instead.

/**
 * Gives `target` an own `name` that is `wrapper(inherited)`, marked the way
 * shimmer marks its wrappers (`__wrapped`, `__original`, `__unwrap`), so `isWrapped`
 * and `_unwrap` work on it; unwrapping deletes the own property, so `target`
 * inherits again whatever its base class has then.
 */
export function wrapInherited<F extends (...args: never[]) => unknown>(
  target: Record<string, unknown>,
  name: string,
  wrapper: (original: F) => F,
): F {
  const original = target[name] as F;
  const wrapped = wrapper(original);
  const hidden = (value: unknown) => ({ value, configurable: true, enumerable: false, writable: true });
  Object.defineProperty(wrapped, '__original', hidden(original));
  Object.defineProperty(wrapped, '__wrapped', hidden(true));
  Object.defineProperty(
    wrapped,
    '__unwrap',
    hidden(() => {
      if (Object.hasOwn(target, name) && target[name] === wrapped) delete target[name];
    }),
  );
  Object.defineProperty(target, name, hidden(wrapped));
  return wrapped;
}
