// AWS SQS workload, on the unit tests' fake SQSClient (packages/instrumentation-aws-sqs/test/harness.ts).
const { TRACEPARENT, instrument, scenario, writeSnapshot } = require('./telemetry');
const harness = require('../../packages/instrumentation-aws-sqs/test/harness');
const { processSqsMessage } = require('../../packages/instrumentation-aws-sqs/src/index');

const {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  PublishCommand,
  QUEUE_URL,
  ReceiveMessageCommand,
  TOPIC_ARN,
  SendMessageBatchCommand,
  SendMessageCommand,
  exporter: fakeExporter,
} = harness;

// Registers the harness's beforeAll (enable + patch) and beforeEach hooks.
const { Client, SnsClient, instrumentation } = harness.useInstrumentation();
beforeAll(() => instrument(instrumentation()));

const results = [];
const run = async (name, work) => results.push(await scenario(name, work, [fakeExporter]));

const receivedMessages = () => ({
  Messages: [
    {
      MessageId: 'm-1',
      ReceiptHandle: 'rh-1',
      Body: 'one',
      MessageAttributes: { traceparent: { DataType: 'String', StringValue: TRACEPARENT } },
    },
    { MessageId: 'm-2', ReceiptHandle: 'rh-2', Body: 'two' },
  ],
  $metadata: { requestId: 'req-r' },
});

test('aws-sqs workload', async () => {
  await run('SendMessage', async () => {
    await new Client().send(new SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: 'hello' }));
  });
  await run('SendMessageBatch', async () => {
    await new Client().send(
      new SendMessageBatchCommand({
        QueueUrl: QUEUE_URL,
        Entries: [
          { Id: '1', MessageBody: 'a' },
          { Id: '2', MessageBody: 'b' },
        ],
      }),
    );
  });
  await run('SendMessage fails', async () => {
    const client = new Client();
    client.respond = () => {
      throw Object.assign(new Error('no such queue'), { name: 'QueueDoesNotExist' });
    };
    await client.send(new SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: 'hello' }));
  });

  const receiveThen = (name, handlers) =>
    run(name, async () => {
      const client = new Client();
      client.respond = receivedMessages;
      const output = await client.send(new ReceiveMessageCommand({ QueueUrl: QUEUE_URL, MaxNumberOfMessages: 10 }));
      for (const [index, handler] of handlers.entries()) {
        await processSqsMessage(output.Messages[index], handler).catch(() => undefined);
      }
    });
  await run('ReceiveMessage empty', async () => {
    const client = new Client();
    client.respond = () => ({ Messages: [], $metadata: { requestId: 'req-e' } });
    await client.send(new ReceiveMessageCommand({ QueueUrl: QUEUE_URL }));
  });
  await receiveThen('ReceiveMessage + processSqsMessage success', [async () => undefined, () => 'sync result']);
  await receiveThen('ReceiveMessage + processSqsMessage failure', [
    async () => {
      throw new TypeError('handler failed');
    },
    () => Promise.reject(undefined),
  ]);
  await run('processSqsMessage with queueUrl, not received', async () => {
    await processSqsMessage({ MessageId: 'm-9', Body: 'x' }, async () => undefined, { queueUrl: QUEUE_URL });
  });

  await run('DeleteMessage', async () => {
    await new Client().send(new DeleteMessageCommand({ QueueUrl: QUEUE_URL, ReceiptHandle: 'rh-1' }));
  });
  await run('DeleteMessageBatch', async () => {
    await new Client().send(
      new DeleteMessageBatchCommand({
        QueueUrl: QUEUE_URL,
        Entries: [
          { Id: '1', ReceiptHandle: 'rh-1' },
          { Id: '2', ReceiptHandle: 'rh-2' },
        ],
      }),
    );
  });
  await run('ChangeMessageVisibility', async () => {
    await new Client().send(
      new ChangeMessageVisibilityCommand({ QueueUrl: QUEUE_URL, ReceiptHandle: 'rh-1', VisibilityTimeout: 30 }),
    );
  });
  await run('SNS Publish', async () => {
    await new SnsClient().send(new PublishCommand({ TopicArn: TOPIC_ARN, Message: 'hello' }));
  });

  writeSnapshot('aws-sqs', results);
});
