import { isSpanContextValid, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { SPAN_ID, TRACE_ID, TRACEPARENT, useW3CPropagators } from '../../test/global-propagator';
import { HOSTILE_VALUES } from '../../test/hostile-values';
import { extractFromCarrier } from '../extract';
import {
  freeSqsAttributeSlots,
  lambdaSqsMessageAttributesGetter,
  SQS_MAX_MESSAGE_ATTRIBUTES,
  sqsMessageAttributesGetter,
  sqsMessageAttributesSetter,
} from './sqs-message-attributes';
import type { LambdaSqsMessageAttributes, SqsMessageAttributes } from './sqs-message-attributes';

useW3CPropagators();

describe('SQS message attributes carrier (SDK shape)', () => {
  it('reads String and custom String.* attributes and UTF-8 Binary ones', () => {
    expect(
      sqsMessageAttributesGetter.get({ traceparent: { DataType: 'String', StringValue: TRACEPARENT } }, 'traceparent'),
    ).toBe(TRACEPARENT);
    expect(
      sqsMessageAttributesGetter.get(
        { traceparent: { DataType: 'String.w3c', StringValue: TRACEPARENT } },
        'traceparent',
      ),
    ).toBe(TRACEPARENT);
    expect(
      sqsMessageAttributesGetter.get(
        { traceparent: { DataType: 'Binary', BinaryValue: Buffer.from(TRACEPARENT) } },
        'traceparent',
      ),
    ).toBe(TRACEPARENT);
  });

  it('ignores Number attributes and malformed attribute objects', () => {
    expect(
      sqsMessageAttributesGetter.get({ traceparent: { DataType: 'Number', StringValue: '1' } }, 'traceparent'),
    ).toBeUndefined();
    expect(
      sqsMessageAttributesGetter.get({ traceparent: { StringValue: TRACEPARENT } }, 'traceparent'),
    ).toBeUndefined();
    const raw = { traceparent: TRACEPARENT } as unknown as SqsMessageAttributes;
    expect(sqsMessageAttributesGetter.get(raw, 'traceparent')).toBeUndefined();
  });

  it('setter writes String attributes', () => {
    const carrier: SqsMessageAttributes = {};
    sqsMessageAttributesSetter.set(carrier, 'traceparent', TRACEPARENT);
    expect(carrier).toEqual({ traceparent: { DataType: 'String', StringValue: TRACEPARENT } });
  });

  it('round-trips through the W3C propagator', () => {
    const carrier: SqsMessageAttributes = { traceparent: { DataType: 'String', StringValue: TRACEPARENT } };
    const spanContext = trace.getSpanContext(extractFromCarrier(carrier, sqsMessageAttributesGetter));
    expect(spanContext?.traceId).toBe(TRACE_ID);
    expect(spanContext?.spanId).toBe(SPAN_ID);
  });

  it('makes the 10-attribute budget explicit', () => {
    expect(SQS_MAX_MESSAGE_ATTRIBUTES).toBe(10);
    expect(freeSqsAttributeSlots(undefined)).toBe(10);
    const nine = Object.fromEntries(
      Array.from({ length: 9 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'x' }]),
    );
    expect(freeSqsAttributeSlots(nine)).toBe(1);
    expect(freeSqsAttributeSlots({ ...nine, b: {}, c: {} })).toBe(0);
  });

  it('never throws and yields no invalid context on hostile attribute values', () => {
    for (const value of HOSTILE_VALUES) {
      for (const carrier of [{ traceparent: value }, { traceparent: { DataType: 'String', StringValue: value } }]) {
        const spanContext = trace.getSpanContext(
          extractFromCarrier(carrier as SqsMessageAttributes, sqsMessageAttributesGetter),
        );
        if (spanContext) expect(isSpanContextValid(spanContext)).toBe(true);
      }
    }
  });
});

describe('SQS message attributes carrier (Lambda event shape)', () => {
  it('reads stringValue and base64 binaryValue', () => {
    const record: LambdaSqsMessageAttributes = {
      traceparent: { dataType: 'String', stringValue: TRACEPARENT },
      baggage: { dataType: 'Binary', binaryValue: Buffer.from('k=v').toString('base64') },
    };
    expect(lambdaSqsMessageAttributesGetter.get(record, 'traceparent')).toBe(TRACEPARENT);
    expect(lambdaSqsMessageAttributesGetter.get(record, 'baggage')).toBe('k=v');
    expect(
      trace.getSpanContext(extractFromCarrier(record, lambdaSqsMessageAttributesGetter, ROOT_CONTEXT))?.spanId,
    ).toBe(SPAN_ID);
  });

  it('does not read the SDK shape as the Lambda shape', () => {
    const sdkShaped = {
      traceparent: { DataType: 'String', StringValue: TRACEPARENT },
    } as unknown as LambdaSqsMessageAttributes;
    expect(lambdaSqsMessageAttributesGetter.get(sdkShaped, 'traceparent')).toBeUndefined();
  });
});
