import { propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { SPAN_ID, TRACE_ID, TRACEPARENT, useW3CPropagators } from '../../test/global-propagator';
import { extractFromCarrier } from '../extract';
import { kafkaHeadersGetter } from './kafka-headers';
import { injectIntoHeaderListCopy, kafkaHeaderListToMap } from './kafka-header-list';

useW3CPropagators();

const producer = trace.setSpanContext(ROOT_CONTEXT, {
  traceId: TRACE_ID,
  spanId: SPAN_ID,
  traceFlags: TraceFlags.SAMPLED,
});

describe('librdkafka header lists', () => {
  it('round-trips trace context and baggage through a copy, leaving the caller list alone', () => {
    const withBaggage = propagation.setBaggage(producer, propagation.createBaggage({ tenant: { value: 'acme' } }));
    const caller = Object.freeze([Object.freeze({ 'x-id': 'a' }), Object.freeze({ TraceParent: 'stale' })]);
    const injected = injectIntoHeaderListCopy(withBaggage, caller) as Array<Record<string, string>>;
    expect(caller).toEqual([{ 'x-id': 'a' }, { TraceParent: 'stale' }]);
    expect(injected).toEqual([{ 'x-id': 'a' }, { traceparent: TRACEPARENT }, { baggage: 'tenant=acme' }]);
    // Consumers get Buffers.
    const consumed = injected.map((entry) =>
      Object.fromEntries(Object.entries(entry).map(([key, value]) => [key, Buffer.from(value)])),
    );
    const extracted = extractFromCarrier(kafkaHeaderListToMap(consumed), kafkaHeadersGetter);
    expect(trace.getSpanContext(extracted)?.spanId).toBe(SPAN_ID);
    expect(propagation.getBaggage(extracted)?.getEntry('tenant')?.value).toBe('acme');
  });

  it('gives a fresh list for no headers, and returns what is not a list as it is', () => {
    expect(injectIntoHeaderListCopy(producer, undefined)).toEqual([{ traceparent: TRACEPARENT }]);
    const odd = { traceparent: 'not a list' };
    expect(injectIntoHeaderListCopy(producer, odd)).toBe(odd);
    // Nothing to inject: a copy of the entries as they were.
    const caller = [{ traceparent: 'kept' }];
    const copy = injectIntoHeaderListCopy(ROOT_CONTEXT, caller);
    expect(copy).toEqual(caller);
    expect(copy).not.toBe(caller);
  });

  it('reads hostile lists as no context, never throwing', () => {
    const throwing = new Proxy([], {
      get() {
        throw new Error('boom');
      },
    });
    const inherited = Object.create({ traceparent: TRACEPARENT }) as object;
    for (const hostile of [
      undefined,
      null,
      42,
      'traceparent',
      throwing,
      [null, 7, 'x', [TRACEPARENT], inherited, { traceparent: 12 }, { traceparent: { nested: TRACEPARENT } }],
    ]) {
      const extracted = extractFromCarrier(kafkaHeaderListToMap(hostile), kafkaHeadersGetter);
      expect(trace.getSpanContext(extracted)).toBeUndefined();
    }
    const protoKey = JSON.parse(`[{"__proto__": "${TRACEPARENT}"}]`) as unknown;
    expect(Object.getPrototypeOf(kafkaHeaderListToMap(protoKey))).toBeNull();
  });

  it('keeps repeated keys as arrays, up to the limit, and reads no further than 256 entries', () => {
    const repeated = Array.from({ length: 20 }, (_, i) => ({ 'x-hop': String(i) }));
    expect(kafkaHeaderListToMap(repeated)['x-hop']).toHaveLength(8);
    const long = [...Array.from({ length: 256 }, () => ({ 'x-pad': 'p' })), { traceparent: TRACEPARENT }];
    expect(trace.getSpanContext(extractFromCarrier(kafkaHeaderListToMap(long), kafkaHeadersGetter))).toBeUndefined();
  });
});
