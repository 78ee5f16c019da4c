// eachBatch surface: the batch span, per-message spans from resolveOffset and
// from traceKafkaBatchMessage, and opt-in commit settle spans.
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { traceKafkaBatchMessage } from './index';
import { consumedMessage, exporter, patchedKafkaJs, PRODUCER_TRACEPARENT } from './test-support/fake-kafkajs';

const { kafka } = patchedKafkaJs();
beforeEach(() => exporter.reset());

function batchPayload(resolved: string[]) {
  const messages = [
    consumedMessage('10', { traceparent: PRODUCER_TRACEPARENT }),
    consumedMessage('11'),
    consumedMessage('12', { traceparent: Buffer.from(PRODUCER_TRACEPARENT) }),
  ];
  const heartbeat = async () => undefined;
  return {
    batch: { topic: 'orders', partition: 0, messages },
    resolveOffset: (offset: string) => resolved.push(offset),
    heartbeat,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('eachBatch', () => {
  it('records one batch span linked to the producers, and a span per resolved message', async () => {
    const client = kafka();
    const resolved: string[] = [];
    const payload = batchPayload(resolved);
    let seenHeartbeat: unknown;
    await client.consumer({ groupId: 'g' }).run({
      eachBatch: async (handed: unknown) => {
        const { batch, resolveOffset, heartbeat } = handed as ReturnType<typeof batchPayload>;
        expect(batch).toBe(payload.batch);
        seenHeartbeat = heartbeat;
        for (const message of batch.messages) {
          await sleep(5);
          resolveOffset(message.offset);
        }
      },
    });
    await client.runConfig?.eachBatch?.(payload);

    expect(resolved).toEqual(['10', '11', '12']);
    expect(seenHeartbeat).toBe(payload.heartbeat);
    const spans = exporter.getFinishedSpans();
    const batchSpan = spans.find((span) => span.attributes['messaging.batch.message_count'] === 3);
    expect(batchSpan?.kind).toBe(SpanKind.CONSUMER);
    expect(batchSpan?.links).toHaveLength(2);
    const perMessage = spans.filter((span) => span !== batchSpan);
    expect(perMessage.map((span) => span.attributes['kafka.offset'])).toEqual([10, 11, 12]);
    expect(perMessage[0]?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(perMessage[1]?.parentSpanContext).toBeUndefined();
    for (const span of perMessage) {
      expect(span.links.some((link) => link.context.spanId === batchSpan?.spanContext().spanId)).toBe(true);
    }
    // Each span covers its own message's work, not the whole batch.
    const start = (span: (typeof spans)[number]) => span.startTime[0] * 1e3 + span.startTime[1] / 1e6;
    expect(start(perMessage[1]!)).toBeGreaterThan(start(perMessage[0]!));
    expect(start(perMessage[2]!)).toBeGreaterThan(start(perMessage[1]!));
  });

  it('runs work wrapped by traceKafkaBatchMessage in the message span, once per message', async () => {
    const client = kafka();
    const resolved: string[] = [];
    const payload = batchPayload(resolved);
    const active: string[] = [];
    const failure = new Error('bad message');
    await client.consumer({ groupId: 'g' }).run({
      eachBatch: async (handed: unknown) => {
        const { batch, resolveOffset } = handed as ReturnType<typeof batchPayload>;
        for (const message of batch.messages) {
          const outcome = traceKafkaBatchMessage(batch, message, () => {
            active.push(trace.getActiveSpan()?.spanContext().spanId ?? 'none');
            if (message.offset === '11') throw failure;
            return message.offset;
          });
          if (message.offset === '11') await expect(outcome).rejects.toBe(failure);
          else expect(await outcome).toBe(message.offset);
          resolveOffset(message.offset);
        }
      },
    });
    await client.runConfig?.eachBatch?.(payload);

    const perMessage = exporter.getFinishedSpans().filter((span) => span.attributes['kafka.offset']);
    expect(perMessage).toHaveLength(3);
    expect(active).toEqual(perMessage.map((span) => span.spanContext().spanId));
    expect(perMessage[1]?.status.code).toBe(SpanStatusCode.ERROR);
    expect(resolved).toEqual(['10', '11', '12']);
  });

  it('outside an instrumented batch the helper just runs the work', async () => {
    const message = consumedMessage('1');
    await expect(traceKafkaBatchMessage({ messages: [message] }, message, () => 42)).resolves.toBe(42);
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });

  it('ends the batch span as an error with the handler rejection passed on', async () => {
    const client = kafka();
    const error = new Error('batch failed');
    await client.consumer({ groupId: 'g' }).run({ eachBatch: () => Promise.reject(error) });
    await expect(client.runConfig?.eachBatch?.(batchPayload([]))).rejects.toBe(error);
    const [span] = exporter.getFinishedSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
  });
});

describe('commitSpans', () => {
  const { kafka: kafkaWithCommits } = patchedKafkaJs({ commitSpans: true });

  it('records commitOffsets as settle spans, one per topic, only when asked', async () => {
    const offsets = [
      { topic: 'orders', partition: 0, offset: '5' },
      { topic: 'orders', partition: 1, offset: '9' },
      { topic: 'refunds', partition: 0, offset: '2' },
    ];
    const plain = kafka();
    await plain.consumer({ groupId: 'g' }).commitOffsets(offsets);
    expect(exporter.getFinishedSpans()).toHaveLength(0);

    const client = kafkaWithCommits();
    await client.consumer({ groupId: 'g' }).commitOffsets(offsets);
    expect(client.committed).toEqual([offsets]);
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name).sort()).toEqual(['commit orders', 'commit refunds']);
    expect(spans.every((span) => span.kind === SpanKind.CLIENT)).toBe(true);
    expect(spans.find((span) => span.name === 'commit refunds')?.attributes).toMatchObject({
      'messaging.operation.type': 'settle',
      'messaging.destination.partition.id': '0',
    });
  });
});
