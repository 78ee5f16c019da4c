import { isSpanContextValid, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { SPAN_ID, TRACE_ID, TRACEPARENT, useW3CPropagators } from '../../test/global-propagator';
import { hostileCarriers } from '../../test/hostile-values';
import { extractFromCarrier } from '../extract';
import { injectIntoCopy } from '../inject';
import { amqpHeadersGetter, amqpHeadersSetter } from './amqp-headers';
import type { AmqpHeaders } from './amqp-headers';

useW3CPropagators();

describe('AMQP headers carrier', () => {
  it('round-trips through the W3C propagator and keeps typed user headers', () => {
    const producer = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: TraceFlags.NONE,
    });
    const userHeaders: AmqpHeaders = { 'x-count': 3, 'x-flag': true, 'x-table': { a: 1 }, 'x-list': [1, 'two'] };
    const headers = injectIntoCopy(producer, userHeaders, amqpHeadersSetter);
    expect(headers).toEqual({ ...userHeaders, traceparent: `00-${TRACE_ID}-${SPAN_ID}-00` });
    const context = extractFromCarrier(headers, amqpHeadersGetter);
    expect(trace.getSpanContext(context)?.traceId).toBe(TRACE_ID);
    expect(trace.getSpanContext(context)?.traceFlags).toBe(TraceFlags.NONE);
  });

  it('reads strings, Buffers (long strings / byte arrays) and the typed-value form', () => {
    expect(amqpHeadersGetter.get({ traceparent: TRACEPARENT }, 'traceparent')).toBe(TRACEPARENT);
    expect(amqpHeadersGetter.get({ traceparent: Buffer.from(TRACEPARENT) }, 'traceparent')).toBe(TRACEPARENT);
    expect(amqpHeadersGetter.get({ traceparent: { '!': 'longstr', value: TRACEPARENT } }, 'traceparent')).toBe(
      TRACEPARENT,
    );
  });

  it('reads numbers and nested tables as no value', () => {
    expect(amqpHeadersGetter.get({ traceparent: 7 }, 'traceparent')).toBeUndefined();
    expect(amqpHeadersGetter.get({ traceparent: { a: TRACEPARENT } }, 'traceparent')).toBeUndefined();
  });

  it('survives dead-lettering: x-death does not disturb the original context', () => {
    const headers: AmqpHeaders = {
      traceparent: TRACEPARENT,
      'x-death': [
        { count: 2, reason: 'rejected', queue: 'work', exchange: '', 'routing-keys': ['work'], time: new Date() },
      ],
    };
    expect(trace.getSpanContext(extractFromCarrier(headers, amqpHeadersGetter))?.spanId).toBe(SPAN_ID);
  });

  it('never throws on hostile carriers', () => {
    for (const carrier of hostileCarriers()) {
      const spanContext = trace.getSpanContext(extractFromCarrier(carrier as AmqpHeaders, amqpHeadersGetter));
      if (spanContext) expect(isSpanContextValid(spanContext)).toBe(true);
    }
  });
});
