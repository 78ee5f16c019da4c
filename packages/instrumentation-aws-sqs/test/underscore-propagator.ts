import { isSpanContextValid, trace, TraceFlags } from '@opentelemetry/api';
import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';

const FIELDS = ['trace_id', 'span_id', 'trace_flags', 'trace_state'] as const;

/**
 * A propagator that knows nothing of W3C: the span context in four underscore
 * fields (the shape of a propagator in our source material). `trace_state` is
 * optional on extract; the other three are required.
 * (The same as messaging-propagation's test propagator: packages do not share test files.)
 */
export class UnderscorePropagator implements TextMapPropagator {
  /** How often `fields()` was called: the carriers must not ask per message. */
  fieldsCalls = 0;

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const spanContext = trace.getSpanContext(context);
    if (!spanContext || !isSpanContextValid(spanContext)) return;
    setter.set(carrier, 'trace_id', spanContext.traceId);
    setter.set(carrier, 'span_id', spanContext.spanId);
    setter.set(carrier, 'trace_flags', String(spanContext.traceFlags));
    const state = spanContext.traceState?.serialize();
    if (state) setter.set(carrier, 'trace_state', state);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const read = (key: string): string | undefined => {
      const value = getter.get(carrier, key);
      return Array.isArray(value) ? value[0] : value;
    };
    const traceId = read('trace_id');
    const spanId = read('span_id');
    const flags = read('trace_flags');
    if (!traceId || !spanId || flags === undefined) return context;
    const state = read('trace_state');
    const spanContext = {
      traceId,
      spanId,
      traceFlags: Number(flags) & TraceFlags.SAMPLED,
      isRemote: true,
      ...(state ? { traceState: new TraceState(state) } : {}),
    };
    return isSpanContextValid(spanContext) ? trace.setSpanContext(context, spanContext) : context;
  }

  fields(): string[] {
    this.fieldsCalls++;
    return [...FIELDS];
  }
}
