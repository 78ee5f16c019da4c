import { asksFor, planReceiveRequest, stripAdded } from './receive-request';

const FIELDS = ['traceparent', 'tracestate', 'baggage'];

describe('planReceiveRequest', () => {
  it('adds what is missing to a copy', () => {
    const input = Object.freeze({ QueueUrl: 'q', MessageAttributeNames: Object.freeze(['tracestate', 'x']) });
    const plan = planReceiveRequest(input, FIELDS);
    expect(plan.input).not.toBe(input);
    expect(plan.input.MessageAttributeNames).toEqual(['tracestate', 'x', 'traceparent', 'baggage']);
    expect(plan.added).toEqual({
      messageAttributes: ['traceparent', 'baggage'],
      systemAttributes: ['AWSTraceHeader', 'ApproximateReceiveCount', 'SentTimestamp'],
    });
  });

  it.each([['All'], ['.*']])('adds nothing when the caller asks for %p', (all) => {
    const input = { MessageAttributeNames: [all], AttributeNames: ['All'] };
    expect(planReceiveRequest(input, FIELDS)).toEqual({
      input,
      added: { messageAttributes: [], systemAttributes: [] },
    });
  });

  it('understands prefix filters and either system attribute list', () => {
    const input = {
      MessageAttributeNames: ['trace.*'],
      MessageSystemAttributeNames: ['AWSTraceHeader'],
      AttributeNames: ['SentTimestamp'],
    };
    const plan = planReceiveRequest(input, FIELDS);
    // SQS prefixes end with the dot: `trace.*` matches `trace.id`, not `traceparent`.
    expect(asksFor(['trace.*'], 'trace.id')).toBe(true);
    expect(plan.added).toEqual({ messageAttributes: FIELDS, systemAttributes: ['ApproximateReceiveCount'] });
    expect(plan.input.MessageSystemAttributeNames).toEqual(['AWSTraceHeader', 'ApproximateReceiveCount']);
    expect(plan.input.AttributeNames).toEqual(['SentTimestamp', 'ApproximateReceiveCount']);
  });

  it('ignores names that are not strings', () => {
    expect(asksFor([], 'x')).toBe(false);
    const plan = planReceiveRequest({ MessageAttributeNames: [42, null] as never }, ['traceparent']);
    expect(plan.input.MessageAttributeNames).toEqual(['traceparent']);
  });
});

describe('stripAdded', () => {
  const added = { messageAttributes: ['traceparent'], systemAttributes: ['SentTimestamp'] };

  it('returns the message itself when there is nothing to strip', () => {
    const message = { MessageId: 'm', MessageAttributes: { x: { DataType: 'String', StringValue: 'v' } } };
    expect(stripAdded(message, added)).toBe(message);
  });

  it('removes exactly what was added, and empty maps with their digest', () => {
    const message = Object.freeze({
      MessageId: 'm',
      MessageAttributes: Object.freeze({ traceparent: { DataType: 'String', StringValue: 't' } }),
      MD5OfMessageAttributes: 'abc',
      Attributes: Object.freeze({ SentTimestamp: '1', ApproximateReceiveCount: '1' }),
    });
    expect(stripAdded(message, added)).toEqual({ MessageId: 'm', Attributes: { ApproximateReceiveCount: '1' } });
  });
});

describe('MD5OfMessageAttributes', () => {
  it('is recomputed for the attributes left after stripping', () => {
    const message = {
      MessageId: 'm',
      MessageAttributes: {
        b: { DataType: 'String', StringValue: 'héllo' },
        a: { DataType: 'Number', StringValue: '12' },
        z: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
        'c.x': { DataType: 'String.custom', StringValue: 'c' },
        traceparent: { DataType: 'String', StringValue: 't' },
      },
      MD5OfMessageAttributes: 'digest of all five',
    };
    // The digest fauxqs 2.4.1 answers for those four attributes (SQS's algorithm).
    expect(stripAdded(message, { messageAttributes: ['traceparent'], systemAttributes: [] })).toMatchObject({
      MD5OfMessageAttributes: 'cf6d0c17985d017f58fa2153e20c0128',
    });
  });

  it('is removed when the attributes left cannot be digested', () => {
    const message = {
      MessageId: 'm',
      MessageAttributes: {
        odd: { DataType: 'String', StringListValues: ['a'] },
        traceparent: { DataType: 'String', StringValue: 't' },
      },
      MD5OfMessageAttributes: 'digest of both',
    };
    const stripped = stripAdded(message, { messageAttributes: ['traceparent'], systemAttributes: [] });
    expect(Object.keys(stripped.MessageAttributes ?? {})).toEqual(['odd']);
    expect(stripped).not.toHaveProperty('MD5OfMessageAttributes');
  });
});
