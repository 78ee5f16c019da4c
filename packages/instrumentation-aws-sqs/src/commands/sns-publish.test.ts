import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  CreateTopicCommand,
  finishedSpans,
  PublishBatchCommand,
  PublishCommand,
  spanNamed,
  TOPIC_ARN,
  useInstrumentation,
  withAppSpan,
} from '../../test/harness';

const { SnsClient } = useInstrumentation();

function userAttributes(count: number) {
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: String(i) }]),
  );
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

describe('SNS Publish', () => {
  it('records a PRODUCER `send {topic}` span and publishes a copy carrying traceparent', async () => {
    const client = new SnsClient();
    client.respond = () => ({ MessageId: 'sns-1', $metadata: { requestId: 'req-7' } });
    const input = deepFreeze({
      TopicArn: TOPIC_ARN,
      Message: 'hello',
      MessageAttributes: { 'x-user': { DataType: 'String', StringValue: 'kept' } },
    });
    const command = new PublishCommand(input);
    const before = JSON.stringify(command);
    const output = await withAppSpan('app', () => client.send(command));

    const send = spanNamed('send order-events');
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(send.parentSpanContext?.spanId).toBe(spanNamed('app').spanContext().spanId);
    expect(send.attributes).toEqual({
      'messaging.system.name': 'aws.sns',
      'messaging.operation.name': 'send',
      'messaging.operation.type': 'send',
      'messaging.destination.name': 'order-events',
      'aws.sns.topic.arn': TOPIC_ARN,
      'messaging.message.id': 'sns-1',
      'aws.request_id': 'req-7',
      'cloud.region': 'eu-west-1',
    });
    const [call] = client.calls;
    expect(call?.command).not.toBe(command);
    expect(call?.activeSpan?.spanContext().spanId).toBe(send.spanContext().spanId);
    expect(call?.input['MessageAttributes']).toEqual({
      'x-user': { DataType: 'String', StringValue: 'kept' },
      traceparent: {
        DataType: 'String',
        StringValue: `00-${send.spanContext().traceId}-${send.spanContext().spanId}-01`,
      },
    });
    expect(JSON.stringify(command)).toBe(before);
    expect(output).toEqual({ MessageId: 'sns-1', $metadata: { requestId: 'req-7' } });
  });

  it('names no destination for a TargetArn endpoint or a phone number, and records neither', async () => {
    const client = new SnsClient();
    await client.send(new PublishCommand({ PhoneNumber: '+15550100', Message: 'code 1234' }));
    await client.send(
      new PublishCommand({ TargetArn: 'arn:aws:sns:eu-west-1:123456789012:endpoint/APNS/app/abc', Message: 'x' }),
    );
    const spans = finishedSpans();
    expect(spans.map((span) => span.name)).toEqual(['send', 'send']);
    for (const span of spans) {
      expect(JSON.stringify(span.attributes)).not.toMatch(/15550100|endpoint/);
      expect(span.attributes['messaging.destination.name']).toBeUndefined();
    }
  });

  it('a message with 10 attributes of its own is published as it is, with a warning, never failing', async () => {
    const client = new SnsClient();
    const input = { TopicArn: TOPIC_ARN, Message: 'full', MessageAttributes: userAttributes(10) };
    await client.send(new PublishCommand(input));
    expect(client.calls[0]?.input).toBe(input);
    expect(spanNamed('send order-events').status.code).toBe(SpanStatusCode.UNSET);
  });

  it('a rejected publish is an ERROR span with error.type, and the error reaches the caller', async () => {
    const client = new SnsClient();
    const failure = Object.assign(new Error('no such topic'), { name: 'NotFoundException' });
    client.respond = () => {
      throw failure;
    };
    await expect(client.send(new PublishCommand({ TopicArn: TOPIC_ARN, Message: 'm' }))).rejects.toBe(failure);
    const send = spanNamed('send order-events');
    expect(send.status.code).toBe(SpanStatusCode.ERROR);
    expect(send.attributes['error.type']).toBe('NotFoundException');
  });

  it('passes other SNS commands through untouched', async () => {
    const client = new SnsClient();
    const command = new CreateTopicCommand({ Name: 'order-events' });
    await client.send(command);
    expect(client.calls[0]?.command).toBe(command);
    expect(finishedSpans()).toEqual([]);
  });
});

describe('SNS PublishBatch', () => {
  it('one span for the batch; every entry, not only the first, carries the context', async () => {
    const client = new SnsClient();
    client.respond = () => ({
      Successful: [{ Id: '0' }, { Id: '1' }],
      Failed: [{ Id: '2', Code: 'InvalidParameter', SenderFault: true }],
      $metadata: { requestId: 'req-8' },
    });
    const entries = deepFreeze(
      [0, 1, 2].map((i) => ({
        Id: String(i),
        Message: `m${i}`,
        MessageAttributes: i === 1 ? userAttributes(3) : undefined,
      })),
    );
    const input = deepFreeze({ TopicArn: TOPIC_ARN, PublishBatchRequestEntries: entries });
    await client.send(new PublishBatchCommand(input));

    const send = spanNamed('send order-events');
    expect(send.attributes).toMatchObject({
      'messaging.system.name': 'aws.sns',
      'messaging.batch.message_count': 3,
      'aws.sns.topic.arn': TOPIC_ARN,
      'otel_mq.batch.failed_message_count': 1,
      'error.type': 'InvalidParameter',
    });
    expect(send.status.code).toBe(SpanStatusCode.ERROR);
    const sent = client.calls[0]?.input['PublishBatchRequestEntries'] as Array<{
      Message?: string;
      MessageAttributes?: Record<string, { StringValue?: string }>;
    }>;
    const traceparent = `00-${send.spanContext().traceId}-${send.spanContext().spanId}-01`;
    for (const [index, entry] of sent.entries()) {
      expect(entry.MessageAttributes?.['traceparent']?.StringValue).toBe(traceparent);
      expect(entry.Message).toBe(`m${index}`);
    }
    expect(Object.keys(sent[1]?.MessageAttributes ?? {})).toHaveLength(4);
    expect(input.PublishBatchRequestEntries[0]).not.toHaveProperty('MessageAttributes.traceparent');
  });
});
