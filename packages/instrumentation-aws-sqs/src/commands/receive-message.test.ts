import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  DeleteMessageCommand,
  exporter,
  finishedSpans,
  QUEUE_URL,
  ReceiveMessageCommand,
  SPAN_ID,
  spanNamed,
  TRACE_ID,
  TRACEPARENT,
  useInstrumentation,
  withAppSpan,
} from '../../test/harness';
import { processSqsMessage } from '../process';

const { Client, instrumentation } = useInstrumentation();

const SENT_AT = Date.now() - 2_000;

/** An SQS answer holding whatever the request asked for, like real SQS. */
function sqsAnswer(input: Record<string, unknown>, messageAttributes: Record<string, string>) {
  const names = (input['MessageAttributeNames'] as string[] | undefined) ?? [];
  const system = [
    ...((input['MessageSystemAttributeNames'] as string[] | undefined) ?? []),
    ...((input['AttributeNames'] as string[] | undefined) ?? []),
  ];
  const asked = (list: string[], name: string) => list.includes('All') || list.includes(name);
  const attributes = Object.fromEntries(
    Object.entries(messageAttributes)
      .filter(([name]) => asked(names, name))
      .map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
  );
  const systemAttributes = Object.fromEntries(
    Object.entries({ ApproximateReceiveCount: '2', SentTimestamp: String(SENT_AT), SenderId: 'AIDA' }).filter(
      ([name]) => asked(system, name),
    ),
  );
  return {
    Messages: [
      {
        MessageId: 'm-1',
        ReceiptHandle: 'rh-1',
        Body: 'hello',
        ...(Object.keys(attributes).length ? { MessageAttributes: attributes, MD5OfMessageAttributes: 'md5' } : {}),
        ...(Object.keys(systemAttributes).length ? { Attributes: systemAttributes } : {}),
      },
    ],
    $metadata: { requestId: 'req-r' },
  };
}

function clientWith(messageAttributes: Record<string, string>) {
  const client = new Client();
  client.respond = (operation, input) =>
    operation === 'ReceiveMessage' ? sqsAnswer(input, messageAttributes) : { $metadata: {} };
  return client;
}

describe('ReceiveMessage', () => {
  it('asks for the propagation attributes in a copy and hands back only what the caller asked for', async () => {
    const client = clientWith({ traceparent: TRACEPARENT, 'x-user': 'u' });
    const input = Object.freeze({ QueueUrl: QUEUE_URL, MessageAttributeNames: Object.freeze(['x-user']) });
    const output = (await client.send(new ReceiveMessageCommand(input))) as ReturnType<typeof sqsAnswer>;

    const sent = client.calls[0]?.input;
    expect(sent).not.toBe(input);
    expect(sent?.['MessageAttributeNames']).toEqual(['x-user', 'traceparent', 'tracestate']);
    expect(sent?.['MessageSystemAttributeNames']).toEqual([
      'AWSTraceHeader',
      'ApproximateReceiveCount',
      'SentTimestamp',
    ]);
    expect(sent?.['AttributeNames']).toEqual(['AWSTraceHeader', 'ApproximateReceiveCount', 'SentTimestamp']);
    expect(input.MessageAttributeNames).toEqual(['x-user']);

    const [message] = output.Messages;
    expect(Object.keys(message?.MessageAttributes ?? {})).toEqual(['x-user']);
    expect(message).not.toHaveProperty('Attributes');

    const receive = spanNamed('receive orders');
    expect(receive.kind).toBe(SpanKind.CLIENT);
    expect(receive.attributes).toMatchObject({
      'messaging.operation.type': 'receive',
      'messaging.batch.message_count': 1,
      'aws.request_id': 'req-r',
    });
    expect(receive.links.map((link) => link.context.spanId)).toEqual([SPAN_ID]);
  });

  it('changes nothing when the caller already asks for everything', async () => {
    const client = clientWith({ traceparent: TRACEPARENT });
    const input = { QueueUrl: QUEUE_URL, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] };
    const command = new ReceiveMessageCommand(input);
    const output = (await client.send(command)) as ReturnType<typeof sqsAnswer>;
    expect(client.calls[0]?.command).toBe(command);
    expect(output.Messages[0]?.MessageAttributes).toHaveProperty('traceparent');
    expect(output.Messages[0]?.Attributes).toHaveProperty('ApproximateReceiveCount');
  });

  it('sends the request as written with requestTraceAttributes off', async () => {
    instrumentation().setConfig({ requestTraceAttributes: false });
    try {
      const client = clientWith({ traceparent: TRACEPARENT });
      const command = new ReceiveMessageCommand({ QueueUrl: QUEUE_URL });
      await client.send(command);
      expect(client.calls[0]?.command).toBe(command);
    } finally {
      instrumentation().setConfig({});
    }
  });
});

describe('ReceiveMessage failures', () => {
  it('ends the receive span as an error and hands back the SDK error unchanged', async () => {
    const client = new Client();
    const error = Object.assign(new Error('throttled'), { name: 'RequestThrottled' });
    client.respond = () => {
      throw error;
    };
    await expect(client.send(new ReceiveMessageCommand({ QueueUrl: QUEUE_URL }))).rejects.toBe(error);
    const receive = spanNamed('receive orders');
    expect(receive.status.code).toBe(SpanStatusCode.ERROR);
    expect(receive.attributes['error.type']).toBe('RequestThrottled');
  });
});

describe('processSqsMessage', () => {
  async function receiveOne(attributes: Record<string, string>) {
    const client = clientWith(attributes);
    const output = (await client.send(new ReceiveMessageCommand({ QueueUrl: QUEUE_URL }))) as ReturnType<
      typeof sqsAnswer
    >;
    return { client, message: output.Messages[0]! };
  }

  it('runs the work in a CONSUMER span parented on the producer, even after the attributes were stripped', async () => {
    const { client, message } = await receiveOne({ traceparent: TRACEPARENT });
    expect(message).not.toHaveProperty('MessageAttributes');
    let active: string | undefined;
    const result = await processSqsMessage(message, async () => {
      active = trace.getActiveSpan()?.spanContext().spanId;
      await client.send(new DeleteMessageCommand({ QueueUrl: QUEUE_URL, ReceiptHandle: message.ReceiptHandle }));
      return 42;
    });
    expect(result).toBe(42);
    const process = spanNamed('process orders');
    expect(process.kind).toBe(SpanKind.CONSUMER);
    expect(process.parentSpanContext).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID });
    expect(process.links.map((link) => link.context.spanId)).toEqual([SPAN_ID]);
    expect(active).toBe(process.spanContext().spanId);
    expect(process.attributes).toMatchObject({
      'messaging.operation.type': 'process',
      'messaging.message.id': 'm-1',
      'otel_mq.message.delivery_count': 2,
      'otel_mq.context.carrier': 'message-attributes',
      'cloud.region': 'eu-west-1',
    });
    expect(process.attributes['otel_mq.message.queue_time_ms']).toBeGreaterThanOrEqual(2_000);
    const settle = spanNamed('delete orders');
    expect(settle.kind).toBe(SpanKind.CLIENT);
    expect(settle.parentSpanContext?.spanId).toBe(process.spanContext().spanId);
    expect(settle.attributes['messaging.operation.type']).toBe('settle');
  });

  it("with the 'link' policy starts from the consumer's own context and only links", async () => {
    instrumentation().setConfig({ consumerContextPolicy: 'link' });
    try {
      const { message } = await receiveOne({ traceparent: TRACEPARENT });
      await withAppSpan('poll loop', () => processSqsMessage(message, () => undefined));
      const process = spanNamed('process orders');
      expect(process.parentSpanContext?.spanId).toBe(spanNamed('poll loop').spanContext().spanId);
      expect(process.links.map((link) => link.context.spanId)).toEqual([SPAN_ID]);
    } finally {
      instrumentation().setConfig({});
    }
  });

  it('lets a predicate refuse the producer context per queue, failing closed when it throws', async () => {
    const seen: Array<{ system: string; destination: string | undefined }> = [];
    for (const [policyAnswer, parented] of [
      ['link', false],
      ['parent', true],
      ['throw', false],
    ] as const) {
      instrumentation().setConfig({
        consumerContextPolicy: ({ system, destination }) => {
          seen.push({ system, destination });
          if (policyAnswer === 'throw') throw new Error('policy bug');
          return policyAnswer;
        },
      });
      try {
        exporter.reset();
        const { message } = await receiveOne({ traceparent: TRACEPARENT });
        await processSqsMessage(message, () => undefined);
        const process = spanNamed('process orders');
        expect(process.links.map((link) => link.context.spanId)).toEqual([SPAN_ID]);
        expect(process.parentSpanContext?.spanId === SPAN_ID).toBe(parented);
      } finally {
        instrumentation().setConfig({});
      }
    }
    expect(seen).toEqual(Array.from({ length: 3 }, () => ({ system: 'aws.sqs', destination: 'orders' })));
  });

  it('treats a malformed traceparent as no context and passes the error on unchanged', async () => {
    const { message } = await receiveOne({ traceparent: '00-zzzz-01', tracestate: 'x'.repeat(5_000) });
    const error = new TypeError('bad message');
    await expect(
      processSqsMessage(message, () => {
        throw error;
      }),
    ).rejects.toBe(error);
    const process = spanNamed('process orders');
    expect(process.parentSpanContext).toBeUndefined();
    expect(process.links).toEqual([]);
    expect(process.status.code).toBe(SpanStatusCode.ERROR);
    expect(process.attributes).not.toHaveProperty('otel_mq.context.carrier');
  });

  it('calls the consumer hook with the message, and survives it throwing', async () => {
    const seen: unknown[] = [];
    instrumentation().setConfig({
      consumerHook: (_span, info) => {
        seen.push(info);
        throw new Error('hook bug');
      },
    });
    try {
      const { message } = await receiveOne({ traceparent: TRACEPARENT });
      await expect(processSqsMessage(message, () => 'ok')).resolves.toBe('ok');
      expect(seen).toEqual([{ queueUrl: QUEUE_URL, messageId: 'm-1' }]);
      expect(spanNamed('process orders').status.code).toBe(SpanStatusCode.UNSET);
    } finally {
      instrumentation().setConfig({});
    }
  });

  it('finds the context of an SNS notification envelope', async () => {
    const envelope = JSON.stringify({
      Type: 'Notification',
      TopicArn: 'arn:aws:sns:eu-west-1:123456789012:events',
      Message: 'hi',
      MessageAttributes: { traceparent: { Type: 'String', Value: TRACEPARENT } },
    });
    await processSqsMessage({ MessageId: 'sns-1', Body: envelope }, () => undefined, { queueUrl: QUEUE_URL });
    const process = spanNamed('process orders');
    expect(process.parentSpanContext?.spanId).toBe(SPAN_ID);
    expect(process.attributes['otel_mq.context.carrier']).toBe('sns-envelope');
  });

  it('runs the work for something that is not a message, with a warning and no span', async () => {
    await expect(processSqsMessage(null as never, () => 'done')).resolves.toBe('done');
    expect(finishedSpans()).toEqual([]);
  });
});
