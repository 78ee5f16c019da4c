// KafkaJS-API consumer surface: eachMessage (policy, attributes, key opt-out,
// errors), eachBatch, commitOffsets settle spans, and the run config copy.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { traceKafkaBatchMessage } from './index';
import { consumedMessage, exporter, patchedConfluent, PRODUCER_TRACEPARENT } from './test-support/fake-confluent';

beforeEach(() => exporter.reset());

async function consume(config: Parameters<typeof patchedConfluent>[0], handler = async () => undefined) {
  const { kafka } = patchedConfluent(config);
  const consumer = kafka().consumer({ kafkaJS: { groupId: 'billing' } });
  const runConfig = { eachMessage: handler, partitionsConsumedConcurrently: 2 };
  await consumer.run(runConfig);
  return { consumer, runConfig };
}

describe('eachMessage', () => {
  it('parents the process span on the producer (with a link), records group, partition, offset, key and queue time', async () => {
    const { consumer, runConfig } = await consume({});
    const handed = consumer.runConfig;
    expect(handed).not.toBe(runConfig);
    expect(Object.keys(handed ?? {}).sort()).toEqual(['eachMessage', 'partitionsConsumedConcurrently']);
    const message = {
      ...consumedMessage('7', { traceparent: Buffer.from(PRODUCER_TRACEPARENT) }),
      key: Buffer.from('k'),
    };
    await handed?.eachMessage?.({ topic: 'orders', partition: 1, message });
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('process orders');
    expect(span?.kind).toBe(SpanKind.CONSUMER);
    expect(span?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(span?.links.map((link) => link.context.spanId)).toEqual(['00f067aa0ba902b7']);
    expect(span?.attributes).toMatchObject({
      'messaging.consumer.group.name': 'billing',
      'messaging.destination.partition.id': '1',
      'kafka.offset': 7,
      'kafka.message.key': 'k',
    });
    expect(span?.attributes['otel_mq.message.queue_time_ms']).toBeGreaterThanOrEqual(0);
  });

  it("with 'link' starts a new trace linked to the producer; without captureMessageKey records no key", async () => {
    const { consumer } = await consume({ consumerContextPolicy: 'link', captureMessageKey: false });
    const message = {
      ...consumedMessage('1', { traceparent: Buffer.from(PRODUCER_TRACEPARENT) }),
      key: Buffer.from('k'),
    };
    await consumer.runConfig?.eachMessage?.({ topic: 'orders', partition: 0, message });
    const [span] = exporter.getFinishedSpans();
    expect(span?.parentSpanContext).toBeUndefined();
    expect(span?.links).toHaveLength(1);
    expect(span?.attributes['kafka.message.key']).toBeUndefined();
  });

  it('passes a handler error through unchanged and marks the span', async () => {
    const error = new TypeError('bad order');
    const { consumer } = await consume({}, () => Promise.reject(error));
    await expect(
      consumer.runConfig?.eachMessage?.({ topic: 'orders', partition: 0, message: consumedMessage('2') }),
    ).rejects.toBe(error);
    const [span] = exporter.getFinishedSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes['error.type']).toBe('TypeError');
  });

  it('treats hostile headers as no context', async () => {
    const { consumer } = await consume({});
    const message = consumedMessage('3', {
      traceparent: Buffer.from([0xff, 0xfe]),
      ['__proto__']: 'x',
      tracestate: 42,
    });
    await consumer.runConfig?.eachMessage?.({ topic: 'orders', partition: 0, message });
    const [span] = exporter.getFinishedSpans();
    expect(span?.parentSpanContext).toBeUndefined();
    expect(span?.links).toEqual([]);
  });
});

describe('eachBatch', () => {
  it('makes a batch span linked to each producer and a span per message, through the helper or resolveOffset', async () => {
    const { kafka } = patchedConfluent();
    const consumer = kafka().consumer({ 'group.id': 'batcher' });
    await consumer.run({
      eachBatch: async (payload: unknown) => {
        const { batch, resolveOffset } = payload as {
          batch: { messages: ReturnType<typeof consumedMessage>[] };
          resolveOffset: (offset: string) => void;
        };
        const [first, second] = batch.messages;
        if (first) await traceKafkaBatchMessage(batch, first, () => undefined);
        if (second) resolveOffset(second.offset);
      },
    });
    const resolved: string[] = [];
    const messages = [
      consumedMessage('10', { traceparent: PRODUCER_TRACEPARENT }),
      consumedMessage('11', { traceparent: PRODUCER_TRACEPARENT }),
    ];
    await consumer.runConfig?.eachBatch?.({
      batch: { topic: 'orders', partition: 0, messages },
      resolveOffset: (offset: string) => resolved.push(offset),
    });
    expect(resolved).toEqual(['11']);
    const spans = exporter.getFinishedSpans();
    const batchSpan = spans.find((span) => span.attributes['messaging.batch.message_count'] === 2);
    expect(batchSpan?.links).toHaveLength(2);
    expect(batchSpan?.attributes['messaging.consumer.group.name']).toBe('batcher');
    const perMessage = spans.filter((span) => span !== batchSpan);
    expect(perMessage.map((span) => span.attributes['kafka.offset']).sort()).toEqual([10, 11]);
    for (const span of perMessage) {
      expect(span.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
      expect(span.links.map((link) => link.context.spanId)).toContain(batchSpan?.spanContext().spanId);
    }
  });
});

describe('commitOffsets', () => {
  it('records commit spans with commitSpans, and leaves argument-less commits alone', async () => {
    const { kafka } = patchedConfluent({ commitSpans: true });
    const consumer = kafka().consumer({ kafkaJS: { groupId: 'g' } });
    await consumer.commitOffsets([
      { topic: 'orders', partition: 0, offset: '5' },
      { topic: 'refunds', partition: 1, offset: '6' },
    ]);
    await consumer.commitOffsets();
    expect(consumer.committed).toEqual([
      [
        { topic: 'orders', partition: 0, offset: '5' },
        { topic: 'refunds', partition: 1, offset: '6' },
      ],
      null,
    ]);
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name).sort()).toEqual(['commit orders', 'commit refunds']);
    expect(spans.every((span) => span.kind === SpanKind.CLIENT)).toBe(true);
  });

  it('records nothing without commitSpans, and passes errors through', async () => {
    const { kafka } = patchedConfluent();
    const consumer = kafka().consumer({ kafkaJS: { groupId: 'g' } });
    const error = new Error('not connected');
    consumer.failWith = error;
    await expect(consumer.commitOffsets([{ topic: 'orders', partition: 0, offset: '1' }])).rejects.toBe(error);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
