import type { TraceState } from '@opentelemetry/api';
import { propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { TraceState as CoreTraceState } from '@opentelemetry/core';
import { SPAN_ID, TRACE_ID, TRACEPARENT, useW3CPropagators } from '../test/global-propagator';
import { AWS_TRACE_HEADER_ATTRIBUTE } from './carriers/aws-trace-header';
import type { SqsMessageAttributes } from './carriers/sqs-message-attributes';
import { extractLambdaSqsRecordContext, extractSqsMessageContext, injectSqsContext } from './sqs-context';

useW3CPropagators();

const traceState: TraceState = new CoreTraceState('vendor=abc');
const producer = propagation.setBaggage(
  trace.setSpanContext(ROOT_CONTEXT, {
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    traceFlags: TraceFlags.SAMPLED,
    traceState,
  }),
  propagation.createBaggage({ tenant: { value: 'acme' } }),
);
const X_RAY = `Root=1-${TRACE_ID.slice(0, 8)}-${TRACE_ID.slice(8)};Parent=${SPAN_ID};Sampled=1`;

function userAttributes(count: number): SqsMessageAttributes {
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [`attr${i}`, { DataType: 'String', StringValue: `value${i}` }]),
  );
}

describe('injectSqsContext', () => {
  it('puts every field in message attributes when there is room, without touching the input', () => {
    const input = { MessageAttributes: userAttributes(2) };
    const before = structuredClone(input);
    const result = injectSqsContext(producer, input);
    expect(input).toEqual(before);
    expect(result.carrier).toBe('message-attributes');
    expect(result.MessageAttributes).toEqual({
      ...before.MessageAttributes,
      traceparent: { DataType: 'String', StringValue: TRACEPARENT },
      tracestate: { DataType: 'String', StringValue: 'vendor=abc' },
      baggage: { DataType: 'String', StringValue: 'tenant=acme' },
    });
    expect(result.omittedFields).toEqual([]);
    expect(result.MessageSystemAttributes).toBeUndefined();
  });

  it('gives the last free slot to traceparent and reports what it left out', () => {
    const result = injectSqsContext(producer, { MessageAttributes: userAttributes(9) });
    expect(result.carrier).toBe('message-attributes');
    expect(Object.keys(result.MessageAttributes ?? {})).toHaveLength(10);
    expect(result.MessageAttributes?.['traceparent']?.StringValue).toBe(TRACEPARENT);
    expect(result.omittedFields.sort()).toEqual(['baggage', 'tracestate']);
  });

  it('falls back to AWSTraceHeader when the 10 attributes are taken', () => {
    const input = { MessageAttributes: userAttributes(10), MessageSystemAttributes: {} };
    const result = injectSqsContext(producer, input);
    expect(result.carrier).toBe('aws-trace-header');
    expect(result.MessageAttributes).toBe(input.MessageAttributes);
    expect(result.MessageSystemAttributes).toEqual({
      [AWS_TRACE_HEADER_ATTRIBUTE]: { DataType: 'String', StringValue: X_RAY },
    });
    expect(input.MessageSystemAttributes).toEqual({});
    expect(result.omittedFields.sort()).toEqual(['baggage', 'tracestate']);
  });

  it('reuses the slot of a stale traceparent on a forwarded message', () => {
    const forwarded = { ...userAttributes(9), traceparent: { DataType: 'String', StringValue: 'stale' } };
    const result = injectSqsContext(producer, { MessageAttributes: forwarded });
    expect(result.carrier).toBe('message-attributes');
    expect(result.MessageAttributes?.['traceparent']?.StringValue).toBe(TRACEPARENT);
    expect(forwarded.traceparent.StringValue).toBe('stale');
  });

  it("replaces a forwarded message's stale tracestate and baggage, freeing their slots", () => {
    const forwarded = {
      ...userAttributes(7),
      traceparent: { DataType: 'String', StringValue: 'stale' },
      tracestate: { DataType: 'String', StringValue: 'vendor=upstream-secret' },
      baggage: { DataType: 'String', StringValue: 'user.id=alice' },
    };
    const onlyTraceparent = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 });
    const result = injectSqsContext(onlyTraceparent, { MessageAttributes: forwarded });
    expect(result.carrier).toBe('message-attributes');
    expect(Object.keys(result.MessageAttributes ?? {}).sort()).toEqual(
      [...Object.keys(userAttributes(7)), 'traceparent'].sort(),
    );
    expect(result.MessageAttributes?.['traceparent']?.StringValue).toBe(TRACEPARENT);
    expect(forwarded.baggage.StringValue).toBe('user.id=alice');
  });

  it("never overwrites the caller's own AWSTraceHeader and says the context was not carried", () => {
    const callerHeader = {
      DataType: 'String',
      StringValue: 'Root=1-00000001-000000000000000000000001;Parent=0000000000000001',
    };
    const result = injectSqsContext(producer, {
      MessageAttributes: userAttributes(10),
      MessageSystemAttributes: { [AWS_TRACE_HEADER_ATTRIBUTE]: callerHeader },
    });
    expect(result.carrier).toBe('none');
    expect(result.MessageSystemAttributes?.[AWS_TRACE_HEADER_ATTRIBUTE]).toBe(callerHeader);
    expect(result.omittedFields).toContain('traceparent');
  });

  it('adds nothing when there is no context', () => {
    const input = { MessageAttributes: userAttributes(1) };
    const result = injectSqsContext(ROOT_CONTEXT, input);
    expect(result).toEqual({
      carrier: 'none',
      MessageAttributes: input.MessageAttributes,
      MessageSystemAttributes: undefined,
      omittedFields: [],
    });
  });
});

describe('extractSqsMessageContext', () => {
  it('prefers traceparent in message attributes', () => {
    const message = {
      MessageAttributes: { traceparent: { DataType: 'String', StringValue: TRACEPARENT } },
      Attributes: { AWSTraceHeader: 'Root=1-00000001-000000000000000000000001;Parent=0000000000000001;Sampled=1' },
    };
    const { context, carrier } = extractSqsMessageContext(message);
    expect(carrier).toBe('message-attributes');
    expect(trace.getSpanContext(context)?.spanId).toBe(SPAN_ID);
  });

  it('reads AWSTraceHeader when there is no usable traceparent', () => {
    const message = {
      MessageAttributes: { traceparent: { DataType: 'String', StringValue: 'garbage' } },
      Attributes: { AWSTraceHeader: X_RAY },
    };
    const { context, carrier } = extractSqsMessageContext(message);
    expect(carrier).toBe('aws-trace-header');
    expect(trace.getSpanContext(context)).toEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
  });

  it('yields the base context for messages without context or hostile shapes', () => {
    for (const message of [
      undefined,
      null,
      {},
      { MessageAttributes: 'x', Attributes: 7 },
      { Attributes: { AWSTraceHeader: 'nope' } },
    ]) {
      const { context, carrier } = extractSqsMessageContext(message);
      expect(carrier).toBe('none');
      expect(trace.getSpanContext(context)).toBeUndefined();
    }
  });
});

describe('extractLambdaSqsRecordContext', () => {
  it('reads messageAttributes, then attributes.AWSTraceHeader', () => {
    const viaAttributes = extractLambdaSqsRecordContext({
      messageAttributes: { traceparent: { dataType: 'String', stringValue: TRACEPARENT } },
    });
    expect(viaAttributes.carrier).toBe('message-attributes');
    const viaHeader = extractLambdaSqsRecordContext({ messageAttributes: {}, attributes: { AWSTraceHeader: X_RAY } });
    expect(viaHeader.carrier).toBe('aws-trace-header');
    expect(trace.getSpanContext(viaHeader.context)?.traceId).toBe(TRACE_ID);
  });
});
