// Carriers with a propagator that is not W3C: whatever fields the global
// propagator declares travel, on every system, and the SQS planner budgets for them.
import { propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { CompositePropagator, TraceState, W3CTraceContextPropagator } from '@opentelemetry/core';
import { SPAN_ID, TRACE_ID, TRACEPARENT } from '../test/global-propagator';
import { UnderscorePropagator } from '../test/underscore-propagator';
import { amqpHeadersGetter, amqpHeadersSetter } from './carriers/amqp-headers';
import type { AmqpHeaders } from './carriers/amqp-headers';
import { AWS_TRACE_HEADER_ATTRIBUTE } from './carriers/aws-trace-header';
import { kafkaHeadersGetter, kafkaHeadersSetter } from './carriers/kafka-headers';
import type { KafkaHeaders } from './carriers/kafka-headers';
import type { SqsMessageAttributes } from './carriers/sqs-message-attributes';
import { extractFromCarrier } from './extract';
import { injectIntoCopy, propagatorFields } from './inject';
import { extractSqsMessageContext, injectSqsContext } from './sqs-context';

const producer: Context = trace.setSpanContext(ROOT_CONTEXT, {
  traceId: TRACE_ID,
  spanId: SPAN_ID,
  traceFlags: TraceFlags.SAMPLED,
  traceState: new TraceState('vendor=abc'),
});

function userAttributes(count: number): SqsMessageAttributes {
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [`attr${i}`, { DataType: 'String', StringValue: `value${i}` }]),
  );
}

function expectProducer(context: Context): void {
  const spanContext = trace.getSpanContext(context);
  expect(spanContext?.traceId).toBe(TRACE_ID);
  expect(spanContext?.spanId).toBe(SPAN_ID);
}

afterEach(() => propagation.disable());

describe('with only a custom (underscore) propagator', () => {
  let propagator: UnderscorePropagator;
  beforeEach(() => {
    propagator = new UnderscorePropagator();
    propagation.setGlobalPropagator(propagator);
  });

  it('SQS: writes its fields into free message attributes, not AWSTraceHeader', () => {
    const input = { MessageAttributes: userAttributes(3) };
    const before = structuredClone(input);
    const result = injectSqsContext(producer, input);
    expect(input).toEqual(before);
    expect(result.carrier).toBe('message-attributes');
    expect(result.MessageSystemAttributes).toBeUndefined();
    expect(result.MessageAttributes).toEqual({
      ...before.MessageAttributes,
      trace_id: { DataType: 'String', StringValue: TRACE_ID },
      span_id: { DataType: 'String', StringValue: SPAN_ID },
      trace_flags: { DataType: 'String', StringValue: '1' },
      trace_state: { DataType: 'String', StringValue: 'vendor=abc' },
    });
    expect(result.omittedFields).toEqual([]);
    expectProducer(extractSqsMessageContext({ MessageAttributes: result.MessageAttributes }).context);
  });

  it('SQS: keeps to the fields that still carry the span context when not all fit', () => {
    const result = injectSqsContext(producer, { MessageAttributes: userAttributes(7) });
    expect(result.carrier).toBe('message-attributes');
    expect(Object.keys(result.MessageAttributes ?? {})).toHaveLength(10);
    expect(result.omittedFields).toEqual(['trace_state']);
    const extracted = extractSqsMessageContext({ MessageAttributes: result.MessageAttributes });
    expect(extracted.carrier).toBe('message-attributes');
    expectProducer(extracted.context);
  });

  it('SQS: falls back to AWSTraceHeader when the fields that fit cannot carry the span context', () => {
    const input = { MessageAttributes: userAttributes(8) };
    const result = injectSqsContext(producer, input);
    expect(result.carrier).toBe('aws-trace-header');
    expect(result.MessageAttributes).toBe(input.MessageAttributes);
    expect(result.MessageSystemAttributes?.[AWS_TRACE_HEADER_ATTRIBUTE]?.StringValue).toContain(SPAN_ID);
    expect(result.omittedFields.sort()).toEqual(['span_id', 'trace_flags', 'trace_id', 'trace_state']);
  });

  it("SQS: replaces a forwarded message's stale fields, freeing their slots", () => {
    const stale = {
      ...userAttributes(6),
      trace_id: { DataType: 'String', StringValue: 'f'.repeat(32) },
      span_id: { DataType: 'String', StringValue: 'e'.repeat(16) },
      trace_flags: { DataType: 'String', StringValue: '0' },
      trace_state: { DataType: 'String', StringValue: 'old=1' },
    };
    const result = injectSqsContext(producer, { MessageAttributes: stale });
    expect(result.carrier).toBe('message-attributes');
    expect(result.MessageAttributes?.['span_id']?.StringValue).toBe(SPAN_ID);
    expect(result.MessageAttributes?.['trace_state']?.StringValue).toBe('vendor=abc');
  });

  it('asks the propagator for its fields once, not per message', () => {
    for (let i = 0; i < 5; i++) {
      injectSqsContext(producer, { MessageAttributes: userAttributes(2) });
      injectIntoCopy<KafkaHeaders>(producer, { key: 'value' }, kafkaHeadersSetter);
    }
    expect(propagatorFields()).toEqual(['trace_id', 'span_id', 'trace_flags', 'trace_state']);
    expect(propagator.fieldsCalls).toBeLessThanOrEqual(1);
  });

  it('asks again when another propagator is installed', () => {
    expect(propagatorFields()).toEqual(['trace_id', 'span_id', 'trace_flags', 'trace_state']);
    propagation.disable();
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    expect(propagatorFields()).toEqual(['traceparent', 'tracestate']);
  });
});

describe('with the custom propagator composed with W3C', () => {
  beforeEach(() => {
    propagation.setGlobalPropagator(
      new CompositePropagator({ propagators: [new UnderscorePropagator(), new W3CTraceContextPropagator()] }),
    );
  });

  it('SQS: carries every field when there is room', () => {
    const result = injectSqsContext(producer, { MessageAttributes: userAttributes(2) });
    expect(result.carrier).toBe('message-attributes');
    expect(Object.keys(result.MessageAttributes ?? {}).sort()).toEqual(
      ['attr0', 'attr1', 'span_id', 'trace_flags', 'trace_id', 'trace_state', 'traceparent', 'tracestate'].sort(),
    );
  });

  it('SQS: gives a single free slot to traceparent, which carries the span context alone', () => {
    const result = injectSqsContext(producer, { MessageAttributes: userAttributes(9) });
    expect(result.carrier).toBe('message-attributes');
    expect(result.MessageAttributes?.['traceparent']?.StringValue).toBe(TRACEPARENT);
    expectProducer(extractSqsMessageContext({ MessageAttributes: result.MessageAttributes }).context);
  });

  it('Kafka: injects every declared field into a copy and reads the context back', () => {
    const headers: KafkaHeaders = { own: 'header' };
    const copy = injectIntoCopy<KafkaHeaders>(producer, headers, kafkaHeadersSetter);
    expect(headers).toEqual({ own: 'header' });
    expect(Object.keys(copy).sort()).toEqual(
      ['own', 'span_id', 'trace_flags', 'trace_id', 'trace_state', 'traceparent', 'tracestate'].sort(),
    );
    const received: KafkaHeaders = Object.fromEntries(
      Object.entries(copy).map(([key, value]) => [key, Buffer.from(String(value))]),
    );
    expectProducer(extractFromCarrier(received, kafkaHeadersGetter));
  });

  it('AMQP: injects every declared field into a copy and reads the context back', () => {
    const headers: AmqpHeaders = { 'x-own': 1 };
    const copy = injectIntoCopy<AmqpHeaders>(producer, headers, amqpHeadersSetter);
    expect(headers).toEqual({ 'x-own': 1 });
    expect(copy['trace_id']).toBe(TRACE_ID);
    expect(copy['traceparent']).toBe(TRACEPARENT);
    expectProducer(extractFromCarrier(copy, amqpHeadersGetter));
  });

  it('the custom fields alone connect, on any carrier', () => {
    const copy = injectIntoCopy<AmqpHeaders>(producer, {}, amqpHeadersSetter);
    delete copy['traceparent'];
    delete copy['tracestate'];
    expectProducer(extractFromCarrier(copy, amqpHeadersGetter));
  });
});
