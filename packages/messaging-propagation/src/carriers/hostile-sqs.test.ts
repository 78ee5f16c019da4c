// SQS carriers under generated hostile input: message attributes in the SDK shape
// and the Lambda shape, AWSTraceHeader both ways, whole received messages and
// Lambda records, SNS envelopes, and the 10-attribute budget on inject.
import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import type { TextMapGetter } from '@opentelemetry/api';
import fc from 'fast-check';
import { useW3CPropagators } from '../../test/global-propagator';
import {
  baggageLike,
  bytesLike,
  checkGetter,
  checkHostile,
  counter,
  expectSafeContext,
  headerKey,
  headerMapOf,
  headerValue,
  hostileObject,
  materialize,
  ownObject,
  RUNS,
  scalarValue,
  traceparentLike,
  tracestateLike,
  validTraceparent,
} from '../../test/hostile-arbitraries';
import {
  extractLambdaSqsRecordContext,
  extractSnsEnvelopeContext,
  extractSqsMessageContext,
  injectSqsContext,
} from '../sqs-context';
import { awsTraceHeaderToSpanContext, spanContextToAwsTraceHeader } from './aws-trace-header';
import { MAX_SNS_ENVELOPE_LENGTH, snsEnvelopeMessageAttributes, snsMessageAttributesGetter } from './sns-envelope';
import {
  lambdaSqsMessageAttributesGetter,
  SQS_MAX_MESSAGE_ATTRIBUTES,
  sqsMessageAttributesGetter,
} from './sqs-message-attributes';

useW3CPropagators();

const base64Of = scalarValue.map((value) =>
  typeof value === 'string'
    ? Buffer.from(value).toString('base64')
    : value instanceof Uint8Array
      ? Buffer.from(value).toString('base64')
      : value,
);
const dataType = fc.constantFrom(
  'String',
  'String.traceparent',
  'Binary',
  'Binary.x',
  'Number',
  'string',
  '',
  'StringX',
);

/** `{ DataType, StringValue, BinaryValue }` with anything inside, or not an attribute at all. */
const sdkAttribute = fc.oneof(
  fc.record(
    { DataType: fc.oneof(dataType, scalarValue), StringValue: headerValue, BinaryValue: headerValue },
    { requiredKeys: [] },
  ),
  headerValue,
);
const lambdaAttribute = fc.oneof(
  fc.record(
    {
      dataType: fc.oneof(dataType, scalarValue),
      stringValue: headerValue,
      binaryValue: fc.oneof(base64Of, headerValue),
    },
    { requiredKeys: [] },
  ),
  headerValue,
);
const snsAttribute = fc.oneof(
  fc.record({ Type: fc.oneof(dataType, scalarValue), Value: fc.oneof(headerValue, base64Of) }, { requiredKeys: [] }),
  headerValue,
);

/** X-Ray headers: well-formed ones, each part broken, and anything else. */
const awsTraceHeader = fc.oneof(
  validTraceparent.map(
    (text) => `Root=1-${text.slice(3, 11)}-${text.slice(11, 35)};Parent=${text.slice(36, 52)};Sampled=1`,
  ),
  fc
    .array(
      fc.tuple(
        fc.constantFrom('Root', 'root', 'ROOT', 'Parent', 'Sampled', 'Self', 'Lineage', '', ' Root '),
        fc.oneof(traceparentLike, fc.string({ maxLength: 60 })),
      ),
      { maxLength: 8 },
    )
    .map((parts) => parts.map(([name, value]) => `${name}=${value}`).join(';')),
  fc.string({ maxLength: 1200 }),
  headerValue,
);

const sdkAttributes = headerMapOf(sdkAttribute);
const lambdaAttributes = headerMapOf(lambdaAttribute);
const systemAttributes = fc.oneof(
  fc.record({
    AWSTraceHeader: fc.oneof(awsTraceHeader, fc.record({ DataType: dataType, StringValue: awsTraceHeader })),
  }),
  headerMapOf(headerValue),
  hostileObject,
);

/** A received message or Lambda record: the attribute maps, the system attributes, or the whole thing, hostile. */
const sdkMessage = fc.oneof(
  fc.record(
    { MessageAttributes: sdkAttributes, Attributes: systemAttributes, Body: fc.oneof(fc.string(), headerValue) },
    { requiredKeys: [] },
  ),
  headerMapOf(headerValue),
);
const lambdaRecord = fc.oneof(
  fc.record(
    { messageAttributes: lambdaAttributes, attributes: systemAttributes, body: fc.oneof(fc.string(), headerValue) },
    { requiredKeys: [] },
  ),
  headerMapOf(headerValue),
);

describe('SQS carriers under generated hostile input', () => {
  it.each([
    ['SDK-shape MessageAttributes', sqsMessageAttributesGetter, sdkAttributes],
    ['Lambda-shape messageAttributes', lambdaSqsMessageAttributesGetter, lambdaAttributes],
    ['SNS envelope MessageAttributes', snsMessageAttributesGetter, headerMapOf(snsAttribute)],
  ] as Array<[string, TextMapGetter<unknown>, fc.Arbitrary<unknown>]>)(
    `%s getter and extract (${RUNS} inputs)`,
    (name, getter, carriers) => {
      const runs = counter();
      fc.assert(
        fc.property(carriers, headerKey, (recipe, key) => {
          runs.tick();
          const carrier = materialize(recipe);
          checkHostile(carrier, () => checkGetter(getter, carrier, key));
        }),
        { numRuns: RUNS },
      );
      console.log(`hostile-input: ${runs.count()} generated ${name} tried against the getter and extract`);
    },
  );

  it(`extractSqsMessageContext and extractLambdaSqsRecordContext (${RUNS} inputs each)`, () => {
    const runs = counter();
    fc.assert(
      fc.property(sdkMessage, lambdaRecord, (messageRecipe, recordRecipe) => {
        runs.tick();
        const message = materialize(messageRecipe);
        const record = materialize(recordRecipe);
        checkHostile(message, () => {
          const extracted = extractSqsMessageContext(message as never);
          expectSafeContext(extracted.context);
          expect(['message-attributes', 'aws-trace-header', 'none']).toContain(extracted.carrier);
        });
        checkHostile(record, () => {
          const extracted = extractLambdaSqsRecordContext(record as never);
          expectSafeContext(extracted.context);
          expect(['message-attributes', 'aws-trace-header', 'none']).toContain(extracted.carrier);
        });
      }),
      { numRuns: RUNS },
    );
    console.log(`hostile-input: ${runs.count()} generated SQS messages and ${runs.count()} Lambda records tried`);
  });

  it(`AWSTraceHeader: parsing never throws, yields a valid span context or none, and round-trips (${RUNS} inputs)`, () => {
    const runs = counter();
    fc.assert(
      fc.property(awsTraceHeader, (recipe) => {
        runs.tick();
        const header = materialize(recipe);
        checkHostile(header, () => {
          const spanContext = awsTraceHeaderToSpanContext(header);
          if (spanContext === undefined) return;
          expectSafeContext(trace.setSpanContext(ROOT_CONTEXT, spanContext));
          expect(awsTraceHeaderToSpanContext(spanContextToAwsTraceHeader(spanContext))).toEqual(spanContext);
        });
      }),
      { numRuns: RUNS },
    );
    console.log(`hostile-input: ${runs.count()} generated AWSTraceHeader values tried`);
  });

  it(`SNS envelopes: never throw, valid context or none, nothing past ${MAX_SNS_ENVELOPE_LENGTH} characters parsed (${RUNS} inputs)`, () => {
    // Envelope attributes without the MB-sized values: JSON text of those is slow to build and
    // never parsed anyway (bodies past the limit are covered by the constants below).
    const textValue = fc.oneof(
      traceparentLike,
      tracestateLike,
      baggageLike,
      bytesLike,
      fc.integer(),
      fc.constant(null),
    );
    const envelopeAttribute = fc.oneof(
      fc.record({ Type: fc.oneof(dataType, textValue), Value: textValue }, { requiredKeys: [] }),
      textValue,
    );
    const envelope = fc
      .record(
        {
          Type: fc.oneof(fc.constant('Notification'), fc.string({ maxLength: 12 })),
          TopicArn: fc.oneof(fc.constant('arn:aws:sns:eu-west-1:123456789012:t'), textValue),
          Message: fc.string({ maxLength: 50 }),
          MessageAttributes: fc.array(fc.tuple(headerKey, envelopeAttribute), { maxLength: 12 }).map(ownObject),
        },
        { requiredKeys: [] },
      )
      .map((object) => {
        try {
          // Huge arrays cut to their first entries: JSON for 10^7 holes is 50 MB of `null`s.
          return JSON.stringify(materialize(object), (_key, value: unknown) =>
            Array.isArray(value) && value.length > 1000
              ? value.slice(0, 1000)
              : typeof value === 'bigint'
                ? String(value)
                : value instanceof Uint8Array
                  ? Buffer.from(value).toString('base64')
                  : value,
          );
        } catch {
          return '{"Type":"Notification","TopicArn":"x"}';
        }
      });
    const body = fc.oneof(
      { arbitrary: envelope, weight: 6 },
      // Pollution keys spelled in JSON text, where JSON.parse makes them own keys.
      {
        arbitrary: fc
          .tuple(fc.constantFrom('__proto__', 'constructor', 'prototype'), traceparentLike)
          .map(
            ([key, text]) =>
              `{"Type":"Notification","TopicArn":"t","${key}":{"polluted":true},"MessageAttributes":{"${key}":{"Type":"String","Value":"x"},"traceparent":{"Type":"String","Value":${JSON.stringify(text)}},"__proto__":{"traceparent":{"Type":"String","Value":${JSON.stringify(text)}}}}}`,
          ),
        weight: 2,
      },
      {
        arbitrary: fc.string({ maxLength: 200 }).map((text) => `{"Type":"Notification","TopicArn":${text}`),
        weight: 1,
      },
      {
        arbitrary: fc.constantFrom(
          `{"Type":"Notification","TopicArn":"t","Message":"${'x'.repeat(MAX_SNS_ENVELOPE_LENGTH)}"}`,
          `${'['.repeat(100_000)}"Notification","TopicArn"${']'.repeat(100_000)}`,
          `{"Type":"Notification","TopicArn":"t","MessageAttributes":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`,
        ),
        weight: 1,
      },
      { arbitrary: headerValue, weight: 1 },
    );
    const runs = counter();
    fc.assert(
      fc.property(body, (recipe) => {
        runs.tick();
        const input = materialize(recipe);
        checkHostile(input, () => {
          const extracted = extractSnsEnvelopeContext(input);
          expectSafeContext(extracted.context);
          expect(['sns-envelope', 'none']).toContain(extracted.carrier);
          const attributes = snsEnvelopeMessageAttributes(input);
          if (typeof input !== 'string' || input.length > MAX_SNS_ENVELOPE_LENGTH) expect(attributes).toBeUndefined();
          if (attributes !== undefined) expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
        });
      }),
      { numRuns: RUNS },
    );
    console.log(`hostile-input: ${runs.count()} generated SNS envelope bodies tried`);
  });

  it(`injectSqsContext: never throws, never mutates, never exceeds the 10-attribute budget (${RUNS} inputs)`, () => {
    const runs = counter();
    const spanContext = validTraceparent.map((text) => ({
      traceId: text.slice(3, 35),
      spanId: text.slice(36, 52),
      traceFlags: TraceFlags.SAMPLED,
    }));
    const attributeMap = fc.oneof(
      fc.array(fc.tuple(headerKey, sdkAttribute), { maxLength: 14 }).map((entries) => entries),
      fc.constant(undefined),
    );
    fc.assert(
      fc.property(
        attributeMap,
        fc.oneof(systemAttributes, fc.constant(undefined)),
        spanContext,
        (entries, systemRecipe, span) => {
          runs.tick();
          const userAttributes = entries === undefined ? undefined : materialize(Object.fromEntries(entries));
          const input = { MessageAttributes: userAttributes, MessageSystemAttributes: materialize(systemRecipe) };
          checkHostile(input, () => {
            const context = trace.setSpanContext(ROOT_CONTEXT, { ...span, isRemote: false });
            const planned = injectSqsContext(context, input as never);
            const before = Object.keys((userAttributes as object | undefined) ?? {}).length;
            const after = Object.keys(planned.MessageAttributes ?? {}).length;
            // Never an attribute past the limit: either it fits, or nothing was added.
            expect(after <= SQS_MAX_MESSAGE_ATTRIBUTES || after === before).toBe(true);
            if (planned.carrier === 'aws-trace-header') {
              expect(
                awsTraceHeaderToSpanContext(planned.MessageSystemAttributes?.['AWSTraceHeader']?.StringValue),
              ).toBeDefined();
            }
          });
        },
      ),
      { numRuns: RUNS },
    );
    console.log(`hostile-input: ${runs.count()} generated SQS sends planned`);
  });
});
