import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { md5OfMessageAttributes } from './attributes-md5';
import {
  finishedSpans,
  QUEUE_URL,
  SendMessageBatchCommand,
  SendMessageCommand,
  spanNamed,
  useInstrumentation,
  withAppSpan,
} from '../../test/harness';

const { Client, instrumentation } = useInstrumentation();

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

describe('SendMessage', () => {
  it('records a PRODUCER span and sends a copy carrying traceparent; the caller command is untouched', async () => {
    const client = new Client();
    client.respond = () => ({ MessageId: 'm-1', $metadata: { requestId: 'req-9' } });
    const input = deepFreeze({
      QueueUrl: QUEUE_URL,
      MessageBody: 'hello',
      MessageAttributes: { 'x-user': { DataType: 'String', StringValue: 'kept' } },
      MessageGroupId: 'g-1',
      MessageDeduplicationId: 'd-1',
    });
    const command = new SendMessageCommand(input);
    const before = JSON.stringify(command);
    await withAppSpan('app', () => client.send(command));

    const send = spanNamed('send orders');
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(send.parentSpanContext?.spanId).toBe(spanNamed('app').spanContext().spanId);
    expect(send.attributes).toMatchObject({
      'messaging.system.name': 'aws.sqs',
      'messaging.operation.name': 'send',
      'messaging.operation.type': 'send',
      'messaging.destination.name': 'orders',
      'aws.sqs.queue.url': QUEUE_URL,
      'messaging.message.id': 'm-1',
      'aws.request_id': 'req-9',
      'cloud.region': 'eu-west-1',
      'otel_mq.aws_sqs.message_group_id': 'g-1',
      'otel_mq.aws_sqs.message_deduplication_id': 'd-1',
    });
    const [call] = client.calls;
    expect(call?.command).not.toBe(command);
    expect(call?.input).not.toBe(input);
    expect(call?.input['MessageAttributes']).toEqual({
      'x-user': { DataType: 'String', StringValue: 'kept' },
      traceparent: {
        DataType: 'String',
        StringValue: `00-${send.spanContext().traceId}-${send.spanContext().spanId}-01`,
      },
    });
    expect(call?.activeSpan?.spanContext().spanId).toBe(send.spanContext().spanId);
    expect(JSON.stringify(command)).toBe(before);
    expect(command.input).toBe(input);
  });

  it('falls back to AWSTraceHeader when 10 attributes leave no room', async () => {
    const client = new Client();
    const input = deepFreeze({ QueueUrl: QUEUE_URL, MessageBody: 'x', MessageAttributes: userAttributes(10) });
    await client.send(new SendMessageCommand(input));
    const send = spanNamed('send orders');
    const sent = client.calls[0]?.input;
    expect(sent?.['MessageAttributes']).toBe(input.MessageAttributes);
    const { traceId, spanId } = send.spanContext();
    expect(sent?.['MessageSystemAttributes']).toEqual({
      AWSTraceHeader: {
        DataType: 'String',
        StringValue: `Root=1-${traceId.slice(0, 8)}-${traceId.slice(8)};Parent=${spanId};Sampled=1`,
      },
    });
  });

  it('hands back the SDK error unchanged and marks the span', async () => {
    const client = new Client();
    const error = Object.assign(new Error('no such queue'), { name: 'QueueDoesNotExist' });
    client.respond = () => {
      throw error;
    };
    await expect(client.send(new SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: 'x' }))).rejects.toBe(error);
    const send = spanNamed('send orders');
    expect(send.status.code).toBe(SpanStatusCode.ERROR);
    expect(send.attributes['error.type']).toBe('QueueDoesNotExist');
  });

  it('still sends when the input is not an object', async () => {
    const client = new Client();
    const command = new SendMessageCommand(undefined as never);
    await client.send(command);
    expect(client.calls[0]?.command).toBe(command);
    expect(finishedSpans()).toEqual([]);
  });
});

describe('SendMessageBatch', () => {
  const entries = (count: number) => Array.from({ length: count }, (_, i) => ({ Id: `e${i}`, MessageBody: `b${i}` }));

  it('records one span for the batch and injects into every entry copy', async () => {
    const client = new Client();
    const input = deepFreeze({ QueueUrl: QUEUE_URL, Entries: entries(10) });
    await client.send(new SendMessageBatchCommand(input));
    expect(finishedSpans()).toHaveLength(1);
    const send = spanNamed('send orders');
    expect(send.attributes['messaging.batch.message_count']).toBe(10);
    const sent = client.calls[0]?.input['Entries'] as Array<{ MessageAttributes?: Record<string, unknown> }>;
    expect(sent).toHaveLength(10);
    for (const entry of sent) expect(Object.keys(entry.MessageAttributes ?? {})).toEqual(['traceparent']);
    for (const entry of input.Entries) expect(entry).not.toHaveProperty('MessageAttributes');
  });

  it('marks the span as failed with the number of refused entries', async () => {
    const client = new Client();
    client.respond = () => ({
      Successful: [{ Id: 'e0' }],
      Failed: [
        { Id: 'e1', Code: 'InvalidParameterValue', SenderFault: true },
        { Id: 'e2', Code: 'InvalidParameterValue', SenderFault: true },
      ],
      $metadata: {},
    });
    await client.send(new SendMessageBatchCommand({ QueueUrl: QUEUE_URL, Entries: entries(3) }));
    const send = spanNamed('send orders');
    expect(send.status).toEqual({ code: SpanStatusCode.ERROR, message: '2 of 3 entries failed' });
    expect(send.attributes).toMatchObject({
      'otel_mq.batch.failed_message_count': 2,
      'error.type': 'InvalidParameterValue',
    });
  });
});

describe('SendMessageBatch with batchEntryCreateSpans', () => {
  afterEach(() => instrumentation().setConfig({}));

  it('gives each entry its own create span, linked from the send span', async () => {
    instrumentation().setConfig({ batchEntryCreateSpans: true });
    const client = new Client();
    await client.send(
      new SendMessageBatchCommand({
        QueueUrl: QUEUE_URL,
        Entries: [
          { Id: 'a', MessageBody: 'a' },
          { Id: 'b', MessageBody: 'b' },
        ],
      }),
    );
    const creates = finishedSpans().filter((span) => span.name === 'create orders');
    expect(creates).toHaveLength(2);
    for (const create of creates) expect(create.attributes['messaging.operation.type']).toBe('create');
    const send = spanNamed('send orders');
    expect(send.links.map((link) => link.context.spanId).sort()).toEqual(
      creates.map((create) => create.spanContext().spanId).sort(),
    );
    const sent = client.calls[0]?.input['Entries'] as Array<{
      MessageAttributes: Record<string, { StringValue: string }>;
    }>;
    expect(sent.map((entry) => entry.MessageAttributes['traceparent']?.StringValue.split('-')[2]).sort()).toEqual(
      creates.map((create) => create.spanContext().spanId).sort(),
    );
  });
});

describe('send responses', () => {
  const own = { 'x-user': { DataType: 'String', StringValue: 'kept' } };

  it('describe the caller own attributes, not the copy carrying the context', async () => {
    const client = new Client();
    client.respond = (_operation, input) => ({
      MessageId: 'm-1',
      MD5OfMessageBody: 'body',
      MD5OfMessageAttributes: md5OfMessageAttributes(input['MessageAttributes'] as never),
      $metadata: {},
    });
    const output = await client.send(
      new SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: 'x', MessageAttributes: own }),
    );
    expect(output).toEqual({
      MessageId: 'm-1',
      MD5OfMessageBody: 'body',
      MD5OfMessageAttributes: md5OfMessageAttributes(own),
      $metadata: {},
    });
    const bare = await client.send(new SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: 'x' }));
    expect(bare).not.toHaveProperty('MD5OfMessageAttributes');
  });

  it('leave out the system attributes digest of an AWSTraceHeader the plugin added', async () => {
    const client = new Client();
    client.respond = () => ({
      MessageId: 'm-1',
      MD5OfMessageAttributes: 'of the ten',
      MD5OfMessageSystemAttributes: 'of AWSTraceHeader',
      $metadata: {},
    });
    const output = await client.send(
      new SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: 'x', MessageAttributes: userAttributes(10) }),
    );
    expect(output).toEqual({ MessageId: 'm-1', MD5OfMessageAttributes: 'of the ten', $metadata: {} });
  });

  it('of a batch describe each entry as the caller sent it', async () => {
    const client = new Client();
    client.respond = () => ({
      Successful: [
        { Id: 'a', MessageId: 'm-a', MD5OfMessageAttributes: 'with traceparent' },
        { Id: 'b', MessageId: 'm-b', MD5OfMessageAttributes: 'with traceparent' },
        { Id: 'c', MessageId: 'm-c', MD5OfMessageAttributes: 'of the ten', MD5OfMessageSystemAttributes: 'x-ray' },
      ],
      Failed: [],
      $metadata: {},
    });
    const output = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: QUEUE_URL,
        Entries: [
          { Id: 'a', MessageBody: 'a', MessageAttributes: own },
          { Id: 'b', MessageBody: 'b' },
          { Id: 'c', MessageBody: 'c', MessageAttributes: userAttributes(10) },
        ],
      }),
    );
    expect(output).toEqual({
      Successful: [
        { Id: 'a', MessageId: 'm-a', MD5OfMessageAttributes: md5OfMessageAttributes(own) },
        { Id: 'b', MessageId: 'm-b' },
        { Id: 'c', MessageId: 'm-c', MD5OfMessageAttributes: 'of the ten' },
      ],
      Failed: [],
      $metadata: {},
    });
  });

  it('record the request id of a failed call', async () => {
    const client = new Client();
    const error = Object.assign(new Error('no such queue'), {
      name: 'QueueDoesNotExist',
      $metadata: { httpStatusCode: 400, requestId: 'req-failed' },
    });
    client.respond = () => {
      throw error;
    };
    await expect(client.send(new SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: 'x' }))).rejects.toBe(error);
    expect(spanNamed('send orders').attributes['aws.request_id']).toBe('req-failed');
  });
});
