import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { SPAN_ID, TRACE_ID, TRACEPARENT, useW3CPropagators } from '../../test/global-propagator';
import { extractSnsEnvelopeContext } from '../sqs-context';
import { MAX_SNS_ENVELOPE_LENGTH, snsEnvelopeMessageAttributes } from './sns-envelope';

useW3CPropagators();

function envelope(attributes: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    Type: 'Notification',
    MessageId: 'n-1',
    TopicArn: 'arn:aws:sns:eu-west-1:123456789012:events',
    Message: 'hello',
    MessageAttributes: attributes,
    ...extra,
  });
}

describe('SNS notification envelopes', () => {
  it('finds the publisher context in the envelope attributes', () => {
    const { context, carrier } = extractSnsEnvelopeContext(
      envelope({ traceparent: { Type: 'String', Value: TRACEPARENT }, other: { Type: 'Number', Value: '1' } }),
    );
    expect(carrier).toBe('sns-envelope');
    expect(trace.getSpanContext(context)).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, isRemote: true });
  });

  it('reads base64 Binary values', () => {
    const value = Buffer.from(TRACEPARENT).toString('base64');
    const { carrier } = extractSnsEnvelopeContext(envelope({ traceparent: { Type: 'Binary', Value: value } }));
    expect(carrier).toBe('sns-envelope');
  });

  it.each([
    ['not a string', 42],
    ['plain text', 'hello "Notification" "TopicArn"'],
    ['broken JSON', '{ "Type": "Notification", "TopicArn": '],
    [
      'another type',
      envelope({ traceparent: { Type: 'String', Value: TRACEPARENT } }, { Type: 'SubscriptionConfirmation' }),
    ],
    ['a malformed traceparent', envelope({ traceparent: { Type: 'String', Value: '00-zz-01' } })],
    ['attributes that are not a map', envelope(['traceparent'])],
    [
      'a __proto__ key',
      `{"Type":"Notification","TopicArn":"t","MessageAttributes":{"__proto__":{"Type":"String","Value":"${TRACEPARENT}"}}}`,
    ],
    [
      'a body past the limit',
      envelope(
        { traceparent: { Type: 'String', Value: TRACEPARENT } },
        { Message: 'x'.repeat(MAX_SNS_ENVELOPE_LENGTH) },
      ),
    ],
  ])('yields no context for %s', (_, body) => {
    expect(extractSnsEnvelopeContext(body, ROOT_CONTEXT)).toEqual({ context: ROOT_CONTEXT, carrier: 'none' });
  });

  it('returns the envelope attributes', () => {
    expect(snsEnvelopeMessageAttributes(envelope({ a: { Type: 'String', Value: 'b' } }))).toEqual({
      a: { Type: 'String', Value: 'b' },
    });
  });
});
