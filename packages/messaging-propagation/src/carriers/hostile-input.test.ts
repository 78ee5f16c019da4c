import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { TextMapGetter } from '@opentelemetry/api';
import fc from 'fast-check';
import { useW3CPropagators } from '../../test/global-propagator';
import { extractFromCarrier } from '../extract';
import { extractLambdaSqsRecordContext, extractSqsMessageContext } from '../sqs-context';
import { amqpHeadersGetter } from './amqp-headers';
import { awsTraceHeaderToSpanContext } from './aws-trace-header';
import { kafkaHeadersGetter } from './kafka-headers';
import { MAX_BAGGAGE_LENGTH, MAX_REPEATED_VALUES } from './limits';
import { lambdaSqsMessageAttributesGetter, sqsMessageAttributesGetter } from './sqs-message-attributes';

useW3CPropagators();

const hex = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFxz-'), minLength: 0, maxLength: length });
const traceparentLike = fc.oneof(
  fc.tuple(hex(3), hex(34), hex(18), hex(3)).map((parts) => parts.join('-')),
  fc.string({ maxLength: 80 }),
  fc.constant('00-00000000000000000000000000000000-0000000000000000-00'),
);
const scalar = fc.oneof(
  traceparentLike,
  fc.string({ maxLength: 2000 }),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  traceparentLike.map((text) => Buffer.from(text)),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);
const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 20 }), fc.dictionary(fc.string(), scalar, { maxKeys: 5 }));
const key = fc.oneof(
  fc.constantFrom(
    'traceparent',
    'TraceParent',
    'tracestate',
    'baggage',
    'BAGGAGE',
    '__proto__',
    'constructor',
    'prototype',
  ),
  fc.string({ maxLength: 20 }),
);
const headerMap = fc.dictionary(key, value, { maxKeys: 12 });
const sdkAttributes = fc.dictionary(
  key,
  fc.oneof(
    value,
    fc.record({
      DataType: fc.constantFrom('String', 'Binary', 'Number', 'String.x'),
      StringValue: value,
      BinaryValue: value,
    }),
  ),
  { maxKeys: 12 },
);
const lambdaAttributes = fc.dictionary(
  key,
  fc.oneof(
    value,
    fc.record({ dataType: fc.constantFrom('String', 'Binary', 'Number'), stringValue: value, binaryValue: value }),
  ),
  { maxKeys: 12 },
);

const RUNS = 2000;

function checkGetter<C>(getter: TextMapGetter<C>, carrier: C): void {
  for (const field of ['traceparent', 'tracestate', 'baggage']) {
    const read = getter.get(carrier, field);
    if (read === undefined) continue;
    const values = Array.isArray(read) ? read : [read];
    expect(values.length).toBeLessThanOrEqual(MAX_REPEATED_VALUES);
    for (const text of values) {
      expect(typeof text).toBe('string');
      expect(text.length).toBeLessThanOrEqual(MAX_BAGGAGE_LENGTH);
    }
  }
  const spanContext = trace.getSpanContext(extractFromCarrier(carrier, getter));
  if (spanContext) expect(isSpanContextValid(spanContext)).toBe(true);
}

describe('carriers under generated hostile input', () => {
  afterAll(() => {
    // Nothing any generated input did may leak onto Object.prototype.
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>)['traceparent']).toBeUndefined();
  });

  it(`Kafka and AMQP headers (${RUNS} inputs each)`, () => {
    let tried = 0;
    fc.assert(
      fc.property(headerMap, (carrier) => {
        tried++;
        checkGetter(kafkaHeadersGetter, carrier as never);
        checkGetter(amqpHeadersGetter, carrier);
      }),
      { numRuns: RUNS },
    );
    console.log(`hostile-input: ${tried} generated header maps tried against the Kafka and AMQP getters`);
  });

  it(`SQS attributes in SDK and Lambda shapes, and whole messages (${RUNS} inputs each)`, () => {
    let tried = 0;
    fc.assert(
      fc.property(sdkAttributes, lambdaAttributes, value, (sdk, lambda, header) => {
        tried++;
        checkGetter(sqsMessageAttributesGetter, sdk as never);
        checkGetter(lambdaSqsMessageAttributesGetter, lambda as never);
        for (const { context } of [
          extractSqsMessageContext({ MessageAttributes: sdk, Attributes: { AWSTraceHeader: header } }),
          extractLambdaSqsRecordContext({ messageAttributes: lambda, attributes: { AWSTraceHeader: header } }),
        ]) {
          const spanContext = trace.getSpanContext(context);
          if (spanContext) expect(isSpanContextValid(spanContext)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
    console.log(`hostile-input: ${tried} generated SQS attribute sets tried`);
  });

  it(`AWSTraceHeader parsing (${RUNS} inputs)`, () => {
    const header = fc.oneof(
      value,
      fc
        .tuple(fc.constantFrom('Root', 'root', 'Parent', 'Sampled', 'Self', ''), fc.string({ maxLength: 60 }))
        .map(([name, text]) => `${name}=${text}`),
      fc.array(fc.string({ maxLength: 40 }), { maxLength: 6 }).map((parts) => parts.join(';')),
    );
    fc.assert(
      fc.property(header, (input) => {
        const spanContext = awsTraceHeaderToSpanContext(input);
        if (spanContext) expect(isSpanContextValid(spanContext)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});
