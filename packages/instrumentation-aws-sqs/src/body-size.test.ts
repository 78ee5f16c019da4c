// `captureBodySize`: the body's size in bytes (UTF-8), never the body, on the
// spans (and receive links) that describe one message.
import {
  finishedSpans,
  PublishBatchCommand,
  PublishCommand,
  QUEUE_URL,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  spanNamed,
  TOPIC_ARN,
  TRACEPARENT,
  useInstrumentation,
} from '../test/harness';
import { processRecordAsReturned } from './lambda/records';
import { processSqsMessage } from './process';

const { Client, SnsClient, instrumentation } = useInstrumentation({
  captureBodySize: true,
  batchEntryCreateSpans: true,
});

const BODY_SIZE = 'messaging.message.body.size';
/** 2 + 3 + 4 bytes in UTF-8, 4 UTF-16 code units. */
const BODY = 'é€😀';

describe('captureBodySize', () => {
  it('SendMessage: on the send span, in bytes', async () => {
    await new Client().send(new SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: BODY }));
    expect(spanNamed('send orders').attributes[BODY_SIZE]).toBe(9);
  });

  it('SendMessageBatch: on each entry create span, not on the batch span', async () => {
    await new Client().send(
      new SendMessageBatchCommand({
        QueueUrl: QUEUE_URL,
        Entries: [
          { Id: '1', MessageBody: BODY },
          { Id: '2', MessageBody: 'abc' },
        ],
      }),
    );
    const sizes = finishedSpans()
      .filter((span) => span.name === 'create orders')
      .map((span) => span.attributes[BODY_SIZE]);
    expect(sizes).toEqual([9, 3]);
    expect(spanNamed('send orders').attributes[BODY_SIZE]).toBeUndefined();
  });

  it('ReceiveMessage: on the link to each message, then on its process span', async () => {
    const client = new Client();
    client.respond = () => ({
      Messages: [
        {
          MessageId: 'm-1',
          ReceiptHandle: 'rh-1',
          Body: BODY,
          MessageAttributes: { traceparent: { DataType: 'String', StringValue: TRACEPARENT } },
        },
      ],
      $metadata: { requestId: 'req-r' },
    });
    const output = (await client.send(new ReceiveMessageCommand({ QueueUrl: QUEUE_URL }))) as {
      Messages: Array<{ Body: string }>;
    };
    const receive = spanNamed('receive orders');
    expect(receive.attributes[BODY_SIZE]).toBeUndefined();
    expect(receive.links.map((link) => link.attributes?.[BODY_SIZE])).toEqual([9]);
    await processSqsMessage(output.Messages[0]!, () => undefined);
    expect(spanNamed('process orders').attributes[BODY_SIZE]).toBe(9);
  });

  it('Lambda records: on the process span', () => {
    processRecordAsReturned(
      {
        messageId: 'm-2',
        body: 'abcd',
        eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:orders',
        messageAttributes: {},
      },
      () => undefined,
    );
    expect(spanNamed('process orders').attributes[BODY_SIZE]).toBe(4);
  });

  it('SNS Publish: on the publish span; PublishBatch: not on the batch span', async () => {
    const client = new SnsClient();
    await client.send(new PublishCommand({ TopicArn: TOPIC_ARN, Message: BODY }));
    await client.send(
      new PublishBatchCommand({ TopicArn: TOPIC_ARN, PublishBatchRequestEntries: [{ Id: '1', Message: 'x' }] }),
    );
    expect(finishedSpans().map((span) => span.attributes[BODY_SIZE])).toEqual([9, undefined]);
  });

  it('is off by default', async () => {
    const before = instrumentation().getConfig();
    instrumentation().setConfig({ ...before, captureBodySize: undefined });
    try {
      await new Client().send(new SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: BODY }));
      expect(spanNamed('send orders').attributes[BODY_SIZE]).toBeUndefined();
    } finally {
      instrumentation().setConfig(before);
    }
  });
});
