import { isSpanContextValid, propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { TRACE_ID, SPAN_ID, TRACEPARENT, useW3CPropagators } from '../../test/global-propagator';
import { hostileCarriers } from '../../test/hostile-values';
import { extractFromCarrier } from '../extract';
import { injectIntoCopy } from '../inject';
import { kafkaHeadersGetter, kafkaHeadersSetter } from './kafka-headers';
import type { KafkaHeaders } from './kafka-headers';

useW3CPropagators();

const producer = trace.setSpanContext(ROOT_CONTEXT, {
  traceId: TRACE_ID,
  spanId: SPAN_ID,
  traceFlags: TraceFlags.SAMPLED,
  traceState: undefined,
});

describe('kafka headers carrier', () => {
  it('round-trips trace context and baggage through the real W3C propagators', () => {
    const withBaggage = propagation.setBaggage(producer, propagation.createBaggage({ tenant: { value: 'acme' } }));
    const headers = injectIntoCopy<KafkaHeaders>(withBaggage, { 'user-header': 'kept' }, kafkaHeadersSetter);
    expect(headers['traceparent']).toBe(TRACEPARENT);
    expect(headers['user-header']).toBe('kept');

    // kafkajs hands headers to consumers as Buffers.
    const consumed: KafkaHeaders = Object.fromEntries(
      Object.entries(headers).map(([key, value]) => [key, Buffer.from(String(value))]),
    );
    const extracted = extractFromCarrier(consumed, kafkaHeadersGetter);
    expect(trace.getSpanContext(extracted)).toEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    expect(propagation.getBaggage(extracted)?.getEntry('tenant')?.value).toBe('acme');
  });

  it('matches keys case-insensitively and prefers the exact spelling', () => {
    expect(kafkaHeadersGetter.get({ TraceParent: TRACEPARENT }, 'traceparent')).toBe(TRACEPARENT);
    expect(kafkaHeadersGetter.get({ TRACEPARENT: 'a', traceparent: 'b' }, 'traceparent')).toBe('b');
  });

  it('reads repeated headers as arrays, first value first', () => {
    const headers: KafkaHeaders = { traceparent: [Buffer.from(TRACEPARENT), 'other'] };
    expect(kafkaHeadersGetter.get(headers, 'traceparent')).toEqual([TRACEPARENT, 'other']);
    const context = extractFromCarrier(headers, kafkaHeadersGetter);
    expect(trace.getSpanContext(context)?.spanId).toBe(SPAN_ID);
  });

  it('lists only own keys', () => {
    expect(kafkaHeadersGetter.keys({ a: 'x', b: Buffer.from('y') })).toEqual(['a', 'b']);
    expect(kafkaHeadersGetter.keys(undefined)).toEqual([]);
  });

  it('setter writes strings and replaces other spellings of the field', () => {
    const carrier: KafkaHeaders = { TraceParent: 'stale', other: 'x' };
    kafkaHeadersSetter.set(carrier, 'traceparent', TRACEPARENT);
    expect(carrier).toEqual({ traceparent: TRACEPARENT, other: 'x' });
  });

  it('never throws on hostile carriers and yields no context or a valid one', () => {
    for (const carrier of hostileCarriers()) {
      expect(() => kafkaHeadersGetter.keys(carrier as KafkaHeaders)).not.toThrow();
      const context = extractFromCarrier(carrier as KafkaHeaders, kafkaHeadersGetter);
      const spanContext = trace.getSpanContext(context);
      if (spanContext) expect(isSpanContextValid(spanContext)).toBe(true);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('ignores an inherited __proto__ traceparent', () => {
    const carrier = JSON.parse(`{"__proto__": {"traceparent": "${TRACEPARENT}"}}`) as KafkaHeaders;
    // JSON.parse makes `__proto__` an own key holding an object: not a header value we read.
    expect(kafkaHeadersGetter.get(carrier, 'traceparent')).toBeUndefined();
    const inherited = Object.create({ traceparent: TRACEPARENT }) as KafkaHeaders;
    expect(kafkaHeadersGetter.get(inherited, 'traceparent')).toBeUndefined();
  });
});
