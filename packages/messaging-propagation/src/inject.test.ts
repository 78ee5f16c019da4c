import { propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import type { TextMapPropagator } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { SPAN_ID, TRACE_ID, TRACEPARENT, useW3CPropagators } from '../test/global-propagator';
import { kafkaHeadersSetter } from './carriers/kafka-headers';
import type { KafkaHeaders } from './carriers/kafka-headers';
import { injectIntoCopy, propagationFields } from './inject';

useW3CPropagators();

const producer = trace.setSpanContext(ROOT_CONTEXT, {
  traceId: TRACE_ID,
  spanId: SPAN_ID,
  traceFlags: TraceFlags.SAMPLED,
});

describe('injectIntoCopy', () => {
  it('never mutates the caller headers', () => {
    const original: KafkaHeaders = { a: 'x', b: Buffer.from('y') };
    const frozen = Object.freeze({ ...original });
    const copy = injectIntoCopy(producer, frozen, kafkaHeadersSetter);
    expect(copy).not.toBe(frozen);
    expect(frozen).toEqual(original);
    expect(copy).toEqual({ ...original, traceparent: TRACEPARENT });
    expect(copy['b']).toBe(original['b']);
  });

  it('returns headers that throw when copied unchanged, uninjected, without throwing (found by the property tests)', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const throwing = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('hostile');
        },
      },
    );
    expect(injectIntoCopy(producer, proxy as KafkaHeaders, kafkaHeadersSetter)).toBe(proxy);
    expect(injectIntoCopy(producer, throwing as KafkaHeaders, kafkaHeadersSetter)).toBe(throwing);
  });

  it('creates headers when the message has none', () => {
    expect(injectIntoCopy<KafkaHeaders>(producer, undefined, kafkaHeadersSetter)).toEqual({ traceparent: TRACEPARENT });
    expect(injectIntoCopy<KafkaHeaders>(producer, null, kafkaHeadersSetter)).toEqual({ traceparent: TRACEPARENT });
  });

  it('returns a value that is not a header map unchanged, uninjected', () => {
    const weird = 'not headers' as unknown as KafkaHeaders;
    expect(injectIntoCopy(producer, weird, kafkaHeadersSetter)).toBe(weird);
    const list = [] as unknown as KafkaHeaders;
    expect(injectIntoCopy(producer, list, kafkaHeadersSetter)).toBe(list);
  });

  it('replaces a stale traceparent of a forwarded message in the copy only', () => {
    const forwarded: KafkaHeaders = { TraceParent: '00-11111111111111111111111111111111-2222222222222222-01' };
    const copy = injectIntoCopy(producer, forwarded, kafkaHeadersSetter);
    expect(copy).toEqual({ traceparent: TRACEPARENT });
    expect(forwarded['TraceParent']).toBeDefined();
  });

  it("drops a forwarded message's stale tracestate and baggage: they belonged to the previous hop", () => {
    const forwarded: KafkaHeaders = {
      traceparent: '00-11111111111111111111111111111111-2222222222222222-01',
      TraceState: 'vendor=upstream-secret',
      baggage: 'user.id=alice',
      'x-user': 'kept',
    };
    expect(injectIntoCopy(producer, forwarded, kafkaHeadersSetter)).toEqual({
      'x-user': 'kept',
      traceparent: TRACEPARENT,
    });
    expect(forwarded['baggage']).toBe('user.id=alice');
  });

  it("leaves the caller's own propagation fields when there is no context to inject", () => {
    const own: KafkaHeaders = {
      traceparent: '00-11111111111111111111111111111111-2222222222222222-01',
      baggage: 'a=b',
    };
    expect(injectIntoCopy(ROOT_CONTEXT, own, kafkaHeadersSetter)).toEqual(own);
  });

  it('survives a propagator that throws', () => {
    const throwing: TextMapPropagator = {
      inject() {
        throw new Error('boom');
      },
      extract(context) {
        return context;
      },
      fields: () => [],
    };
    propagation.disable();
    propagation.setGlobalPropagator(throwing);
    try {
      expect(injectIntoCopy<KafkaHeaders>(producer, { a: 'x' }, kafkaHeadersSetter)).toEqual({ a: 'x' });
      expect(propagationFields(producer)).toEqual({});
    } finally {
      propagation.disable();
    }
  });
});

describe('a propagator that writes to the carrier directly, not through the setter', () => {
  afterEach(() => {
    propagation.disable();
    propagation.setGlobalPropagator(
      new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
    );
  });

  it("still replaces a forwarded message's stale fields", () => {
    const direct: TextMapPropagator = {
      inject(_context, carrier: Record<string, unknown>) {
        carrier['traceparent'] = TRACEPARENT;
      },
      extract: (context) => context,
      fields: () => ['traceparent', 'tracestate', 'baggage'],
    };
    propagation.disable();
    propagation.setGlobalPropagator(direct);
    const forwarded: KafkaHeaders = { TraceParent: 'old', tracestate: 'old=1', Baggage: 'user=old', a: 'x' };
    const copy = injectIntoCopy(producer, forwarded, kafkaHeadersSetter);
    expect(copy).toEqual({ a: 'x', traceparent: TRACEPARENT });
    expect(forwarded).toEqual({ TraceParent: 'old', tracestate: 'old=1', Baggage: 'user=old', a: 'x' });
  });
});

describe('propagationFields', () => {
  it('lists what the global propagator writes', () => {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    expect(propagationFields(producer)).toEqual({ traceparent: TRACEPARENT });
    expect(propagationFields(ROOT_CONTEXT)).toEqual({});
  });
});
