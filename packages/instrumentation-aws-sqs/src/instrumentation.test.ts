import { SpanStatusCode } from '@opentelemetry/api';
import type { Attributes, Meter, MeterProvider } from '@opentelemetry/api';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  finishedSpans,
  QUEUE_URL,
  SendMessageCommand,
  spanNamed,
  useInstrumentation,
} from '../test/harness';
import { markOtherSteppedAside } from '@org/messaging-propagation/internal';
import { AwsSqsInstrumentation } from './instrumentation';

const { Client, instrumentation } = useInstrumentation();

describe('client send', () => {
  it('passes commands it does not record straight through', async () => {
    const client = new Client();
    const command = new CreateQueueCommand({ QueueName: 'orders' });
    await client.send(command);
    expect(client.calls[0]?.command).toBe(command);
    expect(finishedSpans()).toEqual([]);
  });

  it('supports the callback form, handing the callback the same result', async () => {
    const client = new Client();
    client.respond = () => ({ MessageId: 'm-cb', $metadata: {} });
    const output = await new Promise((resolve, reject) => {
      void client.send(
        new SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: 'x' }),
        (error: unknown, data?: unknown) =>
          error ? reject(error instanceof Error ? error : new Error('callback error')) : resolve(data),
      );
    });
    expect(output).toEqual({ MessageId: 'm-cb', $metadata: {} });
    expect(spanNamed('send orders').attributes['messaging.message.id']).toBe('m-cb');
  });

  it('ends the span when send throws in the callback form', () => {
    const client = new Client();
    const error = new TypeError('bad options');
    client.throwOnSend = error;
    expect(() =>
      client.send(new SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: 'x' }), () => undefined),
    ).toThrow(error);
    expect(spanNamed('send orders').status.code).toBe(SpanStatusCode.ERROR);
  });

  it('ignores a throwing producer hook', async () => {
    instrumentation().setConfig({
      producerHook: () => {
        throw new Error('hook bug');
      },
    });
    try {
      const client = new Client();
      await client.send(new SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: 'x' }));
      expect(spanNamed('send orders').status.code).toBe(SpanStatusCode.UNSET);
    } finally {
      instrumentation().setConfig({});
    }
  });

  it('records settle spans, with refused batch entries as an error', async () => {
    const client = new Client();
    client.respond = (operation) =>
      operation === 'DeleteMessageBatch'
        ? { Successful: [{ Id: 'a' }], Failed: [{ Id: 'b', Code: 'ReceiptHandleIsInvalid' }], $metadata: {} }
        : { $metadata: {} };
    await client.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: QUEUE_URL, ReceiptHandle: 'r', VisibilityTimeout: 0 }),
    );
    await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: QUEUE_URL,
        Entries: [
          { Id: 'a', ReceiptHandle: 'r1' },
          { Id: 'b', ReceiptHandle: 'r2' },
        ],
      }),
    );
    expect(spanNamed('change_visibility orders').attributes).toMatchObject({
      'messaging.operation.type': 'settle',
      'messaging.operation.name': 'change_visibility',
    });
    const remove = spanNamed('delete orders');
    expect(remove.attributes).toMatchObject({
      'messaging.batch.message_count': 2,
      'otel_mq.batch.failed_message_count': 1,
      'error.type': 'ReceiptHandleIsInvalid',
    });
    expect(remove.status.code).toBe(SpanStatusCode.ERROR);
  });
});

describe('metrics', () => {
  it('records the operation duration and sent messages', async () => {
    const recorded: Array<{ name: string; value: number; attributes: Attributes | undefined }> = [];
    const instrument = (name: string) => ({
      record: (value: number, attributes?: Attributes) => recorded.push({ name, value, attributes }),
      add: (value: number, attributes?: Attributes) => recorded.push({ name, value, attributes }),
    });
    // Message counters sum locally and add to the SDK Counter when a collection runs the observable callbacks.
    const collections: Array<() => void> = [];
    const observable = () => ({ addCallback: (callback: () => void) => collections.push(callback) });
    const meter = {
      createHistogram: instrument,
      createCounter: instrument,
      createObservableGauge: observable,
    } as unknown as Meter;
    const provider: MeterProvider = { getMeter: () => meter };
    instrumentation().setMeterProvider(provider);
    const client = new Client();
    await client.send(new SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: 'x' }));
    for (const collect of collections) collect();
    expect(recorded.map(({ name }) => name).sort()).toEqual([
      'messaging.client.operation.duration',
      'messaging.client.sent.messages',
    ]);
    const sent = recorded.find(({ name }) => name === 'messaging.client.sent.messages');
    expect(sent?.value).toBe(1);
    expect(sent?.attributes).toEqual({
      'messaging.system.name': 'aws.sqs',
      'messaging.operation.name': 'send',
      'messaging.operation.type': 'send',
      'messaging.destination.name': 'orders',
    });
  });
});

describe('module shape', () => {
  it('leaves an @aws-sdk/client-sqs without SQSClient.prototype.send alone', () => {
    const [definition] = new AwsSqsInstrumentation({ enabled: false }).getModuleDefinitions();
    const odd = { SQSClient: function SQSClient() {} };
    expect(definition?.patch?.(odd, '3.0.0')).toBe(odd);
    expect(definition?.patch?.({}, '3.0.0')).toEqual({});
  });

  it('wraps once, through the ESM namespace default too, and unwraps', () => {
    const [definition] = new AwsSqsInstrumentation({ enabled: false }).getModuleDefinitions();
    class SQSClient {
      send() {
        return 'sent';
      }
    }
    const original = SQSClient.prototype.send;
    const namespace = { default: { SQSClient } };
    definition?.patch?.(namespace, '3.1169.0');
    definition?.patch?.(namespace, '3.1169.0');
    expect(SQSClient.prototype.send).not.toBe(original);
    expect(new SQSClient().send()).toBe('sent');
    definition?.unpatch?.(namespace, '3.1169.0');
    expect(SQSClient.prototype.send).toBe(original);
  });

  describe('beside upstream aws-sdk, which wraps the shared base Client.prototype.send', () => {
    function withUpstreamWrappedBase() {
      class Client {
        send() {
          return 'sent';
        }
      }
      const smithySend = Client.prototype.send;
      // Shimmer-style, as InstrumentationBase._wrap leaves it.
      const upstreamSend = Object.assign(
        function send(this: Client) {
          return smithySend.call(this);
        },
        { __wrapped: true, __original: smithySend },
      );
      Object.defineProperty(upstreamSend, '__unwrap', {
        value: () => {
          if (Client.prototype.send === upstreamSend) Client.prototype.send = smithySend;
        },
      });
      Client.prototype.send = upstreamSend;
      class SQSClient extends Client {}
      return { Client, SQSClient, upstreamSend };
    }

    it('leaves SQS to upstream when upstream records SQS itself', () => {
      const [definition] = new AwsSqsInstrumentation({ enabled: false }).getModuleDefinitions();
      const { Client, SQSClient, upstreamSend } = withUpstreamWrappedBase();
      definition?.patch?.({ SQSClient }, '3.1169.0');
      expect(Object.hasOwn(SQSClient.prototype, 'send')).toBe(false);
      expect(Client.prototype.send).toBe(upstreamSend);
    });

    it("wraps over upstream's wrapper when upstream steps aside for SQS, without unwrapping the base", () => {
      markOtherSteppedAside('@opentelemetry/instrumentation-aws-sdk', '@aws-sdk/client-sqs');
      const [definition] = new AwsSqsInstrumentation({ enabled: false }).getModuleDefinitions();
      const { Client, SQSClient, upstreamSend } = withUpstreamWrappedBase();
      definition?.patch?.({ SQSClient }, '3.1169.0');
      expect(Object.hasOwn(SQSClient.prototype, 'send')).toBe(true);
      expect(Client.prototype.send).toBe(upstreamSend);
      expect(new SQSClient().send()).toBe('sent');
      definition?.unpatch?.({ SQSClient }, '3.1169.0');
      expect(Object.hasOwn(SQSClient.prototype, 'send')).toBe(false);
      expect(Client.prototype.send).toBe(upstreamSend);
    });
  });
});
