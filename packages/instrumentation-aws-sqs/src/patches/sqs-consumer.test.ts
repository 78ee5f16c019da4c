// sqs-consumer's Consumer, faked with the shape 14.x/15.x have (handlers kept
// from the options, `start()` public), patched by hand as jest bypasses
// require-in-the-middle. The real library runs in e2e/test/sqs-libraries.test.ts.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  rememberedReceiptCount,
  MAX_REMEMBERED_RECEIPTS,
  rememberSettleParent,
  takeSettleParent,
} from '../settle-parents';
import { DeleteMessageCommand, finishedSpans, QUEUE_URL, spanNamed, useInstrumentation } from '../../test/harness';
import { ROOT_CONTEXT } from '@opentelemetry/api';

const { instrumentation, Client } = useInstrumentation();

class FakeConsumer {
  queueUrl: string;
  handleMessage?: (message: unknown) => Promise<unknown>;
  handleMessageBatch?: (messages: unknown[]) => Promise<unknown>;
  constructor(options: {
    queueUrl: string;
    handleMessage?: FakeConsumer['handleMessage'];
    handleMessageBatch?: FakeConsumer['handleMessageBatch'];
  }) {
    this.queueUrl = options.queueUrl;
    this.handleMessage = options.handleMessage;
    this.handleMessageBatch = options.handleMessageBatch;
  }
  start(): string {
    return 'started';
  }
}

beforeAll(() => {
  const definition = instrumentation()
    .getModuleDefinitions()
    .find((candidate) => candidate.name === 'sqs-consumer');
  definition?.patch?.({ Consumer: FakeConsumer }, '15.0.3');
});

const message = (id: string) => ({ MessageId: id, ReceiptHandle: `rh-${id}`, Body: id });

describe('sqs-consumer', () => {
  it('runs handleMessage in a process span, passes its result and error through, and leaves the options alone', async () => {
    const options = {
      queueUrl: QUEUE_URL,
      handleMessage: async (m: unknown) => {
        if ((m as { Body: string }).Body === 'bad') throw new Error('boom');
        return m;
      },
    };
    const original = options.handleMessage;
    const consumer = new FakeConsumer(options);
    expect(consumer.start()).toBe('started');
    expect(options.handleMessage).toBe(original);
    const ok = message('ok');
    await expect(consumer.handleMessage?.(ok)).resolves.toBe(ok);
    await expect(consumer.handleMessage?.(message('bad'))).rejects.toThrow('boom');
    const spans = finishedSpans().filter((span) => span.name === 'process orders');
    expect(spans.map((span) => span.kind)).toEqual([SpanKind.CONSUMER, SpanKind.CONSUMER]);
    expect(spans.map((span) => span.status.code)).toEqual([SpanStatusCode.UNSET, SpanStatusCode.ERROR]);
  });

  it('wraps once however often the consumer is started', () => {
    const consumer = new FakeConsumer({ queueUrl: QUEUE_URL, handleMessage: async (m) => m });
    consumer.start();
    const first = consumer.handleMessage;
    consumer.start();
    expect(consumer.handleMessage).toBe(first);
  });

  it('parents the delete sqs-consumer makes after the handler on the process span', async () => {
    const consumer = new FakeConsumer({ queueUrl: QUEUE_URL, handleMessage: async (m) => m });
    consumer.start();
    const m = message('d1');
    await consumer.handleMessage?.(m);
    await new Client().send(new DeleteMessageCommand({ QueueUrl: QUEUE_URL, ReceiptHandle: m.ReceiptHandle }));
    expect(spanNamed('delete orders').parentSpanContext?.spanId).toBe(spanNamed('process orders').spanContext().spanId);
  });

  it('runs handleMessageBatch in one span with the batch size', async () => {
    const consumer = new FakeConsumer({ queueUrl: QUEUE_URL, handleMessageBatch: async (ms) => ms });
    consumer.start();
    await consumer.handleMessageBatch?.([message('b1'), message('b2')]);
    expect(spanNamed('process orders').attributes['messaging.batch.message_count']).toBe(2);
  });

  it('calls straight through when the plugin is disabled', async () => {
    const consumer = new FakeConsumer({ queueUrl: QUEUE_URL, handleMessage: async (m) => m });
    consumer.start();
    instrumentation().disable();
    try {
      await consumer.handleMessage?.(message('x'));
      expect(finishedSpans()).toEqual([]);
    } finally {
      instrumentation().enable();
    }
  });
});

describe('settle parents', () => {
  it('are bounded, and taken once', () => {
    for (let i = 0; i < MAX_REMEMBERED_RECEIPTS + 10; i++) rememberSettleParent(`h${i}`, ROOT_CONTEXT);
    expect(rememberedReceiptCount()).toBeLessThanOrEqual(MAX_REMEMBERED_RECEIPTS);
    expect(takeSettleParent(['h0'])).toBeUndefined();
    expect(takeSettleParent([42, `h${MAX_REMEMBERED_RECEIPTS + 9}`])).toBe(ROOT_CONTEXT);
    expect(takeSettleParent([`h${MAX_REMEMBERED_RECEIPTS + 9}`])).toBeUndefined();
  });
});
